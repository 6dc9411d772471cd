"""Which kind each candidate name is, and whether the paper proposes it (context rules).

Context is read from the plain text of the candidate's sentence (no tokens): the few words
before and after it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.extract import proposals
from kg.extract.abbreviations import match_long_form
from kg.extract.candidate import Candidate
from kg.extract.compared import is_compared
from kg.extract.context import Context
from kg.extract.cues import Cues, whole_word_test
from kg.extract.dataset_cues import NOT_DATASET_BEFORE_ON, dataset_cue, names_dataset, split_comma_pair
from kg.extract.decision import keep_methods
from kg.extract.lexicon import Lexicon, norm_key
from kg.extract.metric_names import NUMBER_AFTER, screen_metrics
from kg.extract.proposals import ie_parenthesised, mark_parts, named_later
from kg.records import Mention

__all__ = ["assign_roles", "to_mentions", "Context"]

_LIST_GLUE = {",", "and", "or", ", and", ", or", "&", "/", "as well as"}
# Nouns that say what kind of thing the name before them is ("the FooNet model").
_METHOD_NOUNS = frozenset("model models method methods algorithm algorithms framework frameworks architecture "
                          "architectures network networks approach approaches optimizer optimiser technique "
                          "techniques pipeline system systems agent agents module loss baseline baselines "
                          "backbone backbones encoder decoder policy strategy variant variants family".split())
# Last words of a long form that make its acronym a method ("... Network (XNet)").
_METHOD_HEADS = frozenset("model network net method algorithm framework architecture approach optimizer optimization "
                          "transformer encoder decoder autoencoder sampler sampling search tuning training "
                          "distillation augmentation attention policy regularization prompting guidance decoding "
                          "learning learner agent system pipeline module mechanism technique strategy estimator "
                          "solver scheme adapter adaptation fusion layer loss objective machine classifier detector "
                          "generator retriever reasoner planner alignment inference correction correctors corrector "
                          "expansion reformulation recycling quantization pruning compression matching gan vae diffusion "
                          "flow embedding embeddings representation representations branch head block".split())
_NOT_PROPOSED_AFTER = frozenset("for of on to with than over from in by like as into upon and or via using "
                                "improve improves enhance enhances extend extends".split())
# Last words of a long form that make its acronym a concept, not a method ("Markov decision process").
_CONCEPT_HEADS = frozenset("process effect divergence distance wave vehicle interface information value ratio rate error "
                           "bound space hypothesis condition distribution probability gap theory theorem property "
                           "principle law field radiation emission matter energy cell disease syndrome patient "
                           "country region unit units hour hours cost costs time period phase regime constraint "
                           "assumption setting scenario variable parameter coefficient measure quantity graph tree "
                           "language languages format formats domain device devices sensor sensors signal signals "
                           "ratio noise mass star galaxy number".split())
# A metric is a lower-case phrase ending in one of these, named just before a number or "of".
_METRIC_GATE = frozenset({"precision", "recall"})


def _list_groups(text: str, cands: list[Candidate]) -> list[list[Candidate]]:
    """Candidates of one sentence joined only by commas/and/or: `on A, B and C`."""
    groups: list[list[Candidate]] = []
    for c in cands:
        if groups and groups[-1][-1].sent == c.sent:
            gap = text[groups[-1][-1].end: c.start].strip().lower()
            if gap in _LIST_GLUE or gap.replace("the ", "").strip() in _LIST_GLUE:
                groups[-1].append(c)
                continue
        groups.append([c])
    return [part for g in groups for part in split_comma_pair(text, g)]


# Words that, just before a propose verb, say someone else did it ("a recently proposed X").
_OTHERS = frozenset("they he she recently previously prior earlier existing recent et al authors was were has have "
                    "had been".split())
# Words that make the subject of a propose verb the paper itself.
_SELF_WORDS = frozenset("we our paper work here study article ours us".split())
# Adjectives allowed between "our" and the name ("our proposed FooNet").
_OUR_ADJ = frozenset("novel new proposed innovative own resulting final improved simple full enhanced".split())
_ARTICLES = frozenset(("a", "an", "the"))
# Words between a propose verb and the name that make the name someone else's ("we build on a
# recent pipeline FooDet").
_OTHERS_BETWEEN = frozenset("recent recently existing previous previously prior earlier popular conventional "
                            "traditional classic classical off-the-shelf well-known widely-used".split())
_NOVEL = frozenset(("novel", "new"))
# A clause whose subject is `we` refers to the name after a naming cue as ours, but a kind noun
# right before the cue says which kind it is ("a dataset, which we call Foo").
_NAMING_KIND_SKIP = frozenset((",", "which", "that", "we", "is", "are", "simply", "hereafter", "new", "novel"))


def _proposal_cue(ctx: Context, c: Candidate, cues: Cues) -> tuple[str, str | None] | None:
    """("strong", kind) after a naming cue (termed X, our X, X is proposed), ("verb", None) after `we propose`.

    An acronym defined in the text (`we propose Foo Bar Net (FBN)`) is read from where its long
    form starts. The kind is "dataset" when the noun before a naming cue says so.
    """
    at = c.cue_start if c.cue_start >= 0 else c.start
    before = ctx.before(c, 14, at)
    trimmed = before[:-1] if before[-1:] and before[-1] in _ARTICLES else before
    near = " ".join(trimmed[-3:])
    cue = next((q for q in cues.naming_cues if near.endswith(q)), None) if near.endswith(cues.naming_cues) else None
    if cue is not None and proposals.SETTINGS.strict_cues and near != cue and not near.endswith(" " + cue):
        cue = None  # "the so-called FooSAT heuristic": a word that ends in a cue is none
    if cue is None:
        # "we refer to the tuned model as FooLM-2": the naming verb's object stands before the name.
        low_before = ctx.sent_low(c.sent)[:at - ctx.bounds[c.sent][0]]
        if named_later(low_before):
            said = set(low_before[-80:].split())
            return ("strong", "dataset" if said & cues.dataset_nouns else None)
    if c.variant and cue is None:
        return None  # "our Llama-3-8B-Instruct" is the known model, tuned; "we call it Llama-3-Foo" is new
    if cue is not None:
        rest = trimmed[:len(trimmed) - len(cue.split())]
        while rest and rest[-1] in _NAMING_KIND_SKIP:
            rest = rest[:-1]
        return ("strong", "dataset" if rest and rest[-1] in cues.dataset_nouns else None)
    if trimmed[-1:] == ["our"] or (trimmed[-2:-1] == ["our"] and trimmed[-1] in _OUR_ADJ):
        return ("strong", None)
    # "the proposed FooNet", "a proposed Foo Bar (FB) loss": the participle marks the new thing.
    if trimmed[-1:] == ["proposed"] and trimmed[-2:-1] and trimmed[-2] in _ARTICLES:
        return ("strong", None)
    after = ctx.after(c, 4)
    # "a novel FooNet architecture", "a new FooQA neural network": a fresh name with a kind noun.
    # (A "verb" cue: in "a novel FooQA method, named BarQA" the named one is the new thing.)
    if trimmed[-1:] and trimmed[-1] in _NOVEL and any(w in _METHOD_NOUNS for w in after[:3]):
        return ("verb", None)
    # "we propose a training-free re-ranking framework (FooID)": a coined name in parentheses
    # right after a description, in a sentence where the paper itself proposes something; not
    # an acronym of what a preposition governs ("the role of Foo Bar (FB)").
    # (One word: "FooNet (Foo Network)" spells out the name before it, it names nothing new.)
    if (_parenthesised(ctx.text, c) or ie_parenthesised(ctx.text, c)) and " " not in c.text \
            and trimmed[-1:] and trimmed[-1] not in _NOT_PROPOSED_AFTER \
            and _we_verb(ctx.before(c, 60), cues):
        head = c.aliases[0].split()[-1].lower() if c.source == "abbreviation" and c.aliases else ""
        if not any(h in cues.task_heads or h in _CONCEPT_HEADS for h in (head, head.rstrip("s"))):
            return ("strong", None)  # (an acronym of a task or a concept is no new method)
    # "Our method, FooNet, ...", "our fine-tuned model, FooNet-7B".
    if before[-1:] == [","] and len(before) > 2 and before[-2] in _METHOD_NOUNS and "our" in before[-7:-2]:
        return ("strong", None)
    after = after[:3]
    if c.source == "abbreviation" and c.aliases:
        head = c.aliases[0].split()[-1].lower()
        if head in _CONCEPT_HEADS or head.rstrip("s") in _CONCEPT_HEADS:
            return None  # "a gravitational wave (GW) detector": a concept, not the new thing
        if after[:1] == [")"] and after[1:2] and after[1] in _METHOD_NOUNS and \
                _self_verb(ctx, c, before, cues, 14) is not None:
            return ("verb", None)  # "we devise a model-agnostic Foo Bar (FB) method"
    if after[:2] in (["is", "proposed"], ["is", "introduced"], ["is", "presented"]) or after[:1] == [","] and \
            after[1:3] in (["a", "novel"], ["a", "new"], ["a", "simple"]):
        return ("strong", None)
    # "we propose a fix for TPT": a name after a preposition is what the new thing works on.
    if not before or before[-1] in _NOT_PROPOSED_AFTER or c.sent == 0:
        return None
    if proposals.SETTINGS.strict_cues and trimmed[-1:] and trimmed[-1] in _NOT_PROPOSED_AFTER:
        return None  # "a benchmark on the FooNER corpus": what a preposition governs, past its article
    # "an RL approach, FooRL, that ...", "a query expansion algorithm FooQE": a noun of kind
    # before the name lets the propose verb stand further back.
    # ... and "we propose two methods: FooA and FooB".
    noun_first = before[-1] in _METHOD_NOUNS or (before[-1] in (",", ":") and len(before) > 1
                                                 and before[-2] in _METHOD_NOUNS)
    vi = _self_verb(ctx, c, before, cues, 14 if noun_first else 8)
    if vi is None or proposals.SETTINGS.strict_cues and not _OTHERS_BETWEEN.isdisjoint(before[vi + 1:]):
        return None
    if noun_first and before[-1] in (",", ":") and before[-2] not in ("baseline", "baselines", "backbone", "backbones"):
        return ("strong", None)
    return ("verb", None)


def _parenthesised(text: str, c: Candidate) -> bool:
    """The name stands alone in parentheses after a space: "... framework (FooID)", not "P(x)"."""
    return c.start > 1 and text[c.start - 2:c.start] == " (" and text[c.end:c.end + 1] == ")"


def _we_verb(before: list[str], cues: Cues) -> bool:
    """A propose verb whose subject stands right before it: "we (further) propose", "this paper presents"."""
    for i in range(len(before) - 1, -1, -1):
        if before[i] in cues.propose_verbs:
            if before[i - 1:i] == ["and"]:
                continue  # "we build Foo and propose Bar": the subject of the verb before
            subj = [w for w in before[max(0, i - 2):i] if w not in _AUX]
            return bool(subj) and subj[-1] in _SELF_WORDS
    return False


# Auxiliaries and adverbs that may stand between `we` and a past participle ("we have developed").
_AUX = frozenset("have has is are was were been first also further then newly additionally finally and "
                 "thus therefore hence".split())


def _self_verb(ctx: Context, c: Candidate, before: list[str], cues: Cues, window: int) -> int | None:
    """Index in `before` of a propose verb whose subject is the paper itself, if any."""
    vi = next((i for i in range(len(before) - 1, max(-1, len(before) - 1 - window), -1)
               if before[i] in cues.propose_verbs), None)
    if vi is None:
        return None
    subj = before[:vi]
    if any(t in _OTHERS for t in subj[-3:]) or subj[-1:] in (["which"], ["that"], ["who"]):
        return None  # "a recently proposed X"; "the loss, which introduces X" has another subject
    # "a system designed for X": a participle after a noun is no statement of ours.
    if before[vi].endswith("ed") and subj and subj[-1] not in _SELF_WORDS and subj[-1] not in _AUX:
        return None
    if any(t in _SELF_WORDS for t in subj) or ctx.sent_low(c.sent).startswith(("we", "this paper", "this work", "here")):
        return vi
    return None


def _mark_proposed(ctx: Context, real: list[Candidate], cues: Cues) -> None:
    """Strong cues mark any new name; `we propose` marks only the first new name after it.

    A name the abstract already used in an earlier sentence, or one with a modifier tail
    ("IDF-aware"), is not what a `we propose` sentence introduces; neither is an earlier name
    of a sentence whose naming cue ("named X") points at another.
    """
    first_sent: dict[str, int] = {}
    known: set[str] = set()
    own: set[str] = set()
    for c in real:
        k = norm_key(c.text)
        if c.sent > 0:
            first_sent.setdefault(k, c.sent)
        if c.lexical:
            known.add(k)
        elif c.source == "abbreviation":
            own.add(k)  # the paper spells out this acronym itself
    known -= own
    verb_taken: set[int] = set()
    strong_sents: set[int] = set()
    by_verb: list[Candidate] = []
    for c in real:
        k = norm_key(c.text)
        if c.lexical or k in known or c.kind in ("metric", "task") or c.proposed:
            continue
        found = _proposal_cue(ctx, c, cues)
        if found is None:
            continue
        cue, kind = found
        if c.kind == "dataset" or kind == "dataset":
            c.kind = "dataset"
            continue
        if cue == "strong":
            c.proposed = True
            c.confidence = max(c.confidence, 0.85)
            strong_sents.add(c.sent)
            verb_taken.add(c.sent)
            continue
        end = ctx.text[c.end:c.end + 2]
        tail = len(end) == 2 and end[0] == "-" and end[1].isalpha()
        multi_title = c.confidence < 0.5 and _right_after_verb(ctx, c, cues) and (
            " " in c.text or _apposition_after(ctx, c))
        if (c.sent not in verb_taken and (c.confidence >= 0.5 or multi_title) and not tail
                and first_sent.get(k, c.sent) >= c.sent):
            c.proposed = True
            c.confidence = max(c.confidence, 0.85 if c.confidence >= 0.5 else 0.7)
            by_verb.append(c)
        verb_taken.add(c.sent)
    for c in by_verb:
        if c.sent in strong_sents and any(d.proposed and d.sent == c.sent and d.start > c.start
                                          for d in real if d not in by_verb):
            c.proposed = False  # "a novel QuuxPT method, named DeltaQPT": the named one is new
    # "We propose FooNet and BarNet": a list after a proposed name shares its role.
    for group in _list_groups(ctx.text, real):
        if len(group) > 1 and any(c.proposed for c in group):
            for c in group:
                if not (c.proposed or c.lexical or norm_key(c.text) in known or c.kind is not None
                        or c.confidence < 0.5 or first_sent.get(norm_key(c.text), c.sent) < c.sent):
                    c.proposed = True
                    c.confidence = max(c.confidence, 0.75)


def _apposition_after(ctx: Context, c: Candidate) -> bool:
    """"we propose Lumen, a ...", "we propose Lumen (...)", "we introduce Lumen as a ...", "we
    propose Lumen, which ...": one capitalised word right after the verb is a name when an
    apposition or a relative clause says what it is."""
    after = ctx.after(c, 2)
    return after[:2] in ([",", "a"], [",", "an"], ["as", "a"], ["as", "an"], [",", "which"], [",", "that"]) \
        or after[:1] in (["("], ["which"])


def _right_after_verb(ctx: Context, c: Candidate, cues: Cues) -> bool:
    """A Title Case phrase right after `we propose` ("we propose Token Juggling") is a name."""
    before = ctx.before(c, 2)
    return bool(before) and before[-1] in cues.propose_verbs


def assign_roles(text: str, bounds: list[tuple[int, int]], cands: list[Candidate], cues: Cues,
                 lex: Lexicon) -> list[Candidate]:
    """Set kind and proposed on every candidate; drop what is no entity."""
    ctx = Context(text, bounds)
    has_eval = whole_word_test(cues.eval_cues)
    eval_sents: dict[int, bool] = {}

    def sent_has_eval(i: int) -> bool:
        found = eval_sents.get(i)
        if found is None:
            found = eval_sents[i] = has_eval(ctx.sent_low(i))
        return found

    real = [c for c in cands if c.kind != "_alias"]
    real = [c for c in real if not c.plain_title or _title_head_borne_out(text, bounds, c, cands)]
    cued: set[int] = set()
    for c in real:
        if c.kind is None and dataset_cue(ctx, c, cues, sent_has_eval):
            c.kind = "dataset"
            cued.add(id(c))
        elif c.kind is None and (ctx.after(c, 1) and ctx.after(c, 1)[0] in _METHOD_NOUNS):
            cued.add(id(c))
        elif names_dataset(ctx, c):
            # "the FooGAN dataset": its confidence decides the name's one role in the paper (`best` below).
            c.kind, c.confidence = "dataset", max(c.confidence, 0.95)
            cued.add(id(c))
    _mark_proposed(ctx, real, cues)
    real = mark_parts(text, bounds, real)
    proposed_keys = {norm_key(c.text) for c in real if c.proposed}
    # An acronym read as a task but compared with ("outperforms SFT") names a method.
    compared = {norm_key(c.text) for c in real if (c.source == "abbreviation" or c.kind == "task")
                and c.text.isupper() and " " not in c.text and is_compared(ctx.before(c, 4), ctx.after(c, 4), cues)}
    twins: list[Candidate] = []
    for c in real:
        # An acronym of a task-like long form ("test-time adaptation (TTA)") is a task, named
        # by its long form, unless the paper proposes it under that name or compares it.
        if c.kind is None and c.source == "abbreviation" and norm_key(c.text) not in proposed_keys | compared:
            long = c.aliases[0] if c.aliases else ""
            head = long.split()[-1].lower() if long else ""
            if head in cues.task_heads or head.rstrip("s") in cues.task_heads:
                c.kind = "task"
            elif head in _CONCEPT_HEADS or head.rstrip("s") in _CONCEPT_HEADS:
                # "Markov decision process (MDP)", "mean field limit (MFL)": a concept.
                c.kind = "_concept"
        elif c.kind == "task" and norm_key(c.text) in compared:
            # ... and its long form stays the task it names ("supervised fine-tuning").
            twins.append(replace(c, aliases=list(c.aliases)))
            c.kind, c.aliases = "method", []
    # A list shares its kind: `on ImageNet, COCO and Foo` makes Foo a dataset (not a proposed name).
    for group in _list_groups(text, real):
        kinds = {c.kind for c in group if c.kind in ("dataset", "method")}
        if len(group) > 1 and len(kinds) == 1:
            for c in group:
                if c.kind is None and norm_key(c.text) not in proposed_keys:
                    c.kind = kinds.pop() if len(kinds) == 1 else None
                    kinds = {c.kind}
                    c.confidence = max(c.confidence, 0.6)
                    cued.add(id(c))
    # Precision and recall are ordinary words too: one counts beside the other, or where a
    # number reports it ("a recall of 91%").
    low_all = text.lower()
    real = [c for c in real if not (c.kind == "metric" and c.text.lower() in _METRIC_GATE
                                   and not ("precision" in low_all and "recall" in low_all)
                                   and not NUMBER_AFTER.match(low_all, c.end))]
    real = screen_metrics(text, bounds, real, lex)
    # One name, one role in a paper: the surest occurrence decides for all; an acronym defined
    # in the paper outranks the lexicon's reading of it.
    best: dict[str, Candidate] = {}
    for c in real:
        k = norm_key(c.text)
        b = best.get(k)
        if b is None or (c.kind is not None and (b.kind is None or _rank(c) > _rank(b))):
            best[k] = c
    typed = {k for k, b in best.items() if b.kind is not None}
    for c in real:
        k = norm_key(c.text)
        c.kind = best[k].kind or "method"
        if c.kind == "_concept" and k in proposed_keys:
            c.kind = "method"
        c.proposed = k in proposed_keys and c.kind == "method"
    _join_spelled_out(real)
    cued_keys = {norm_key(c.text) for c in real if id(c) in cued or c.proposed}
    # A weak title-case word that no cue supports is most often an ordinary proper noun.
    concepts = {norm_key(c.text) for c in real if c.kind == "_concept"}
    kept = [c for c in real
            if not (c.source == "shape" and c.confidence < 0.5 and norm_key(c.text) not in cued_keys)
            and not (norm_key(c.text) in concepts and not c.proposed)] + twins
    # The learned decision over what the rules typed a method (kg.extract.decision).
    return keep_methods(ctx, kept, cues, typed=typed | cued_keys | compared, result_sentence=sent_has_eval,
                        method_heads=_METHOD_HEADS, method_nouns=_METHOD_NOUNS,
                        not_dataset_before_on=NOT_DATASET_BEFORE_ON)


def _title_head_borne_out(text: str, bounds: list[tuple[int, int]], head: Candidate,
                          cands: list[Candidate]) -> bool:
    """A title's plain-word head of several words ("Quiet Rivers: ...") names the new thing only
    when the abstract uses it again or an acronym of the abstract spells it out; otherwise it is
    a catchy phrase. A single word ("Lookahead: ...") is a coined name as it stands."""
    if " " not in head.text:
        return True
    body = text[bounds[0][1]:].lower()
    if re.search(r"(?<!\w)" + re.escape(head.text.lower()) + r"(?!\w)", body):
        return True
    return any(c.sent > 0 and " " not in c.text and len(c.text) < len(head.text)
               and match_long_form(c.text, head.text) == head.text for c in cands)


def _join_spelled_out(real: list[Candidate]) -> None:
    """Two proposed names where one spells the other out are one: "ImgAny" and "Image Anything".

    The title's `Long Name: ...` and the abstract's acronym of it, or `FooNet, a Foo Network`.
    """
    props = [c for c in real if c.proposed]
    shorts = {c.text: c for c in props if " " not in c.text and any(ch.isupper() for ch in c.text[1:])}
    if not shorts:
        return
    longs = {c.text for c in props if " " in c.text}
    for long in sorted(longs):
        for text, c in shorts.items():
            if len(text) < len(long) and match_long_form(text, long) == long:
                if long not in c.aliases:
                    c.aliases.append(long)
                break


def _rank(c: Candidate) -> tuple[int, float]:
    return (c.source == "abbreviation" and c.kind is not None, c.confidence)


def to_mentions(cands: list[Candidate], alias_links: dict[str, str]) -> list[Mention]:
    """One Mention per entity of the paper: first full form as text, other forms as aliases."""
    groups: dict[tuple[str, str], list[Candidate]] = {}
    for c in cands:
        k = norm_key(c.text)
        k = alias_links.get(k, k)
        groups.setdefault((c.kind, k), []).append(c)
    out = []
    for (kind, _), cs in groups.items():
        first = min(cs, key=lambda c: c.start)
        forms = {c.text for c in cs} | {a for c in cs for a in c.aliases}
        forms.discard(first.text)
        out.append(Mention(first.text, kind, max(c.confidence for c in cs),
                           proposed=any(c.proposed for c in cs), aliases=tuple(sorted(forms))))
    return out
