"""`evaluates on` and `improves over` claims, each with its sentence and a confidence.

A claim is read inside one clause of one abstract sentence (the title states none):

- improves over: a comparison cue ("outperforms", "better ... than", "a 5% gain over X",
  inverse "is outperformed by"); its subject the nearest named method left of the cue in the
  same clause that no preposition governs (or the proposed method, for "we"/"our method"/"it");
  its objects the named methods right after it up to the first preposition that starts a new
  phrase ("outperforms A and B on D" -> A, B), or, when that part names none, the methods an
  opener lists ("outperforms baselines, including A and B"). A fronted "Compared to A, ..."
  names the worse side first. "... outperforms them / both / these baselines" compares with
  the methods the sentence before named; a result clause with no subject ("experiments show
  gains over X") speaks of the proposed method. Negated ("does not outperform") and
  questioned ("whether") comparisons give nothing.
- evaluates on: a result sentence (an evaluation cue and a named dataset); the subject is the
  proposed method (from the sentence that introduces it on; not a numbered part of it, kg.extract.proposals),
  or in a paper that proposes none, the named models the sentence runs (or,
  for "its accuracy on D", the models the sentence before named). A named model that is the
  subject of a result verb ("X attains 90% on D") is evaluated on the datasets of its clause too.

The proposed method is also found where the entity rules missed a variant spelling of it.
Cue words are data: patterns/cues.json (relation keys) and patterns/relation_cues.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from kg.defaults import PATTERN_DIR
from kg.extract.candidate import Candidate
from kg.extract.cues import Cues
from kg.extract.lexicon import norm_key
from kg.extract.variants import variant_finder
from kg.records import Claim

__all__ = ["find_claims", "RelationCues", "RelationSettings", "SETTINGS", "load_relation_cues", "states_comparison"]

# Bare "improves" needs its object close by ("improves the base CLIP") or after "the ... of".
_BARE_WORDS = 3
_BARE_OF_REACH = 80
# A comparative and its link ("higher accuracy than") are at most this far apart.
_COMPARATIVE_GAP = 60
# Every pattern here runs on lower-cased text (see _lower): case-sensitive regexes are much faster.
_LIST_GLUE = re.compile(r"^\s*(?:,|and|or|,\s*and|,\s*or|/|&)\s*$")
_PRETRAINED_AFTER = re.compile(r"[\s-]*(?:pre-?trained|pre-?training)\b")  # "an ImageNet pre-trained model"
_RELATIVE = re.compile(r",\s*(?:which|who|that|whose)\b[^,;]*,")
_WORDS = re.compile(r"[a-z][a-z-]*")
_WORD_BEFORE = re.compile(r"([\w-]+)\W*(?:(?:a|an|the|its|their|each)\W+)?$")
_FAR = re.compile(r"\b(?:by|of|to|from)\b")  # a bare "improves" reaches no object past these
_OF_PHRASE = re.compile(r"\bof\s+(?:the\s+|both\s+|different\s+|several\s+|various\s+)?$")
# A result sentence that names no model but speaks of one named before.
# Objects that point back at the methods of the sentence before: "outperforms them / both".
_BACK_REFERENCE = re.compile(r"\s+(?:(?:all|each|both|either) of\s+)?(?:them|both|these|those|"
                             r"the(?:se|\s+two|\s+three)?\s+(?:baselines?|methods|models|approaches|systems))\b")
# A clause that reports results (and no one else's): its comparison is the paper's own.
_RESULT_WORDS = re.compile(r"\b(?:experiments?|experimental|results?|evaluations?|empirically|show|shows|showing|"
                           r"demonstrate|demonstrates|demonstrating|consistently|significantly|substantially)\b")
_OTHERS_WORK = re.compile(r"\b(?:prior|previous|previously|existing|recent|recently|earlier|they|their|these|those|"
                          r"studies|works|literature|however)\b")
_ANAPHOR = re.compile(r"\b(?:the model|the models|its|their|these models|this model|it)\b")
# A result number ("88.5%", "from 21.1 to 24.6") with a dataset: a result sentence with no evaluation word (led by its digit: skipped to in C).
_RESULT_NUMBER = re.compile(r"\d(?<![\w.-].)(?:\d*(?:\.\d+)?\s?%|\d*\.\d+(?![\w-]|\.\d))")  # not in "GPT-3.5"
# Words of running experiments ("ablations of X on D", "we assess X on D"), for the relation rules only.
_MORE_EVAL_CUES = frozenset("ablation ablations ablate ablating assess assesses assessed assessing tests testing "
                            "benchmarked experimented experimenting".split())
# A named model that is the subject of a result verb ("ViT-G, which attains 90% on D", "FooLM (7B)
# achieves ..."): its own result on the datasets named after the verb, beside the proposed method's.
_ACHIEVER = re.compile(r"\s*(?:\([^()]{0,30}\)\s*)?(?:models?\b\s*)?(?:,\s*(?:which|that)\s+)?(?:also\s+|even\s+|still\s+)?"
                       r"(?:achieves|achieved|attains|attained|obtains|obtained|reaches|reached|scores|scored)\b")


@dataclass(frozen=True)
class RelationSettings:
    """Switchable evaluates-on rules (scripts/crossval.py): `achievers` is the rule of _ACHIEVER,
    `result_numbers` of _RESULT_NUMBER, `more_eval_cues` of _MORE_EVAL_CUES (each makes a result sentence)."""

    achievers: bool = True
    result_numbers: bool = True
    more_eval_cues: bool = True


#: Read at extraction time (worker processes are forked after scripts/crossval.py sets it).
SETTINGS = RelationSettings()


def _alternation(phrases, *, word: bool = True) -> str:
    """One regex alternative per phrase, longest first; word-bounded where a phrase starts/ends in a letter."""
    parts = []
    for p in sorted(set(phrases), key=lambda s: (-len(s), s)):
        body = re.escape(p).replace(r"\ ", r"\s+")
        if word and p[:1].isalnum():
            body = r"\b" + body
        if word and p[-1:].isalnum():
            body += r"\b"
        parts.append(body)
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True, slots=True)
class RelationCues:
    """Compiled patterns of the relation rules (from cues.json and relation_cues.json)."""

    forward: re.Pattern  # "outperforms", "improves over", "better than", "a 5% gain over"
    fronted: re.Pattern  # "Compared to X, ...": the worse side stands before the main clause
    fronted_cue: re.Pattern  # what the main clause after it must say ("a 4% improvement")
    inverse: re.Pattern  # "underperforms", "is outperformed by", "worse than"
    bare: frozenset[str]  # cues whose object must follow closely ("improves CLIP")
    negation: re.Pattern  # matched against the text just before a cue
    non_assertive: re.Pattern
    self_ref: re.Pattern
    clause_end: re.Pattern  # ends the object side of a cue
    left_boundary: re.Pattern  # starts the subject side of a cue
    parity: re.Pattern
    stop: re.Pattern  # a preposition that ends an object list
    opener: re.Pattern  # "including", "such as": a list of objects follows
    governed: frozenset[str]
    pretraining: re.Pattern
    eval_cues: frozenset[str]
    triggers: frozenset[str]  # first words of the comparison cues: a sentence without one states none


@lru_cache(maxsize=4)
def load_relation_cues(cues: Cues) -> RelationCues:
    raw = json.loads((PATTERN_DIR / "relation_cues.json").read_text(encoding="utf-8"))
    links = _alternation(raw["comparison_links"])
    gap = rf"[^.;:]{{0,{_COMPARATIVE_GAP}}}?"
    comparative = (rf"{_alternation(raw['comparatives'])}{gap}{links}"
                   rf"|{_alternation(raw['superlatives_to'])}{gap}\bto\b")
    inverse_comparative = rf"{_alternation(raw['inverse_comparatives'])}{gap}{links}"
    gained = rf"{_alternation(raw['gap_improve_cues'])}[^.;:]{{0,{_COMPARATIVE_GAP}}}?\bover\b"
    fronted = rf"^\W*(?:[\w-]+,\s*)?{_alternation(raw['fronted_comparisons'])}\s+[^,;]{{1,120}}?,"
    verbs = _alternation(raw["clause_verbs"])
    ends = _alternation(raw["clause_ends"], word=False)
    return RelationCues(
        # The gap cues come first: "improves by 5% over X" must not stop at bare "improves".
        forward=re.compile(rf"{gained}|{_alternation(cues.improve_cues)}|{comparative}"),
        fronted=re.compile(fronted),
        # ... not a verb of another sense ("reduces to", "improves to"): a comparison has no "to" after it.
        fronted_cue=re.compile(_alternation(raw["fronted_main_cues"]) + r"(?!\s+to\b)"),
        inverse=re.compile(rf"{_alternation(cues.inverse_cues)}|{inverse_comparative}"),
        bare=frozenset(x.lower() for x in raw["bare_improve_cues"]),
        negation=re.compile(
            rf"(?:{_alternation(n for n in cues.negations if n not in ('no', 'without'))}(?!\s+only\b)"
            r"(?:\s+[\w-]+){0,2}|\b(?:no|without))\s*$"),
        non_assertive=re.compile(_alternation(raw["non_assertive"])),
        self_ref=re.compile(_alternation(cues.self_refs)),
        clause_end=re.compile(rf"{ends}|(?:,\s*|\s)and\s+(?:\w+ly\s+)?{verbs}"),
        left_boundary=re.compile(_alternation([e for e in raw["clause_ends"] if "which" not in e], word=False)),
        parity=re.compile(_alternation(raw["parity_cues"])),
        stop=re.compile(_alternation(raw["object_stops"])),
        opener=re.compile(_alternation(raw["object_openers"])),
        governed=frozenset(raw["governing_words"]),
        pretraining=re.compile(_alternation(raw["pretraining_cues"]) + r"\s*(?:the\s+)?$"),
        eval_cues=cues.eval_cues,
        # The longest word of each cue: "is outperformed by" -> "outperformed", not "is".
        triggers=frozenset(max(_WORDS.findall(p.lower()), key=len) for p in (
            *cues.improve_cues, *cues.inverse_cues, *raw["comparatives"], *raw["inverse_comparatives"],
            *raw["superlatives_to"], *raw["gap_improve_cues"], *raw["fronted_main_cues"]) if _WORDS.findall(p.lower())),
    )


@lru_cache(maxsize=1 << 12)
def states_comparison(low_sentence: str, cues: Cues) -> bool:
    """Whether a lower-cased sentence holds a comparison cue (a trigger word of the rules below)."""
    return not load_relation_cues(cues).triggers.isdisjoint(_WORDS.findall(low_sentence))


@dataclass(frozen=True, slots=True)
class _Span:
    """A candidate named in one sentence, offsets relative to the sentence text."""

    text: str
    start: int
    end: int
    proposed: bool


def _lower(text: str) -> str:
    """Lower case with every offset kept (a few characters grow when lower-cased: keep those)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def find_claims(doc: Doc, cands: list[Candidate], cues: Cues) -> list[Claim]:
    """Claims of every abstract sentence (the title, sentence 0, states none)."""
    rc = load_relation_cues(cues)
    proposed: list[str] = []
    introduced: dict[str, int] = {}  # proposed name -> the sentence that first names it
    # A numbered part of the method ("1) Foo Branch") is proposed, but "our method" is the whole.
    parts = {c.text for c in cands if c.part}
    for c in cands:
        if c.proposed and c.kind == "method" and c.text not in proposed and c.text not in parts:
            proposed.append(c.text)
        if c.proposed and c.kind == "method":
            introduced[c.text] = min(introduced.get(c.text, c.sent), c.sent)
    by_sent: dict[int, list[Candidate]] = {}
    for c in cands:
        by_sent.setdefault(c.sent, []).append(c)
    claims: list[Claim] = []
    own = variant_finder(tuple(proposed))
    earlier: list[str] = []
    full = doc._.text or doc.text
    bounds = doc._.sent_bounds or [(s.start_char, s.end_char) for s in doc.sents]
    for s_idx, (base, end) in enumerate(bounds):
        here = by_sent.get(s_idx)
        if s_idx == 0 or not here:
            continue
        text = full[base:end]
        low = _lower(text)
        words = set(_WORDS.findall(low))
        compares = bool(words & rc.triggers)
        datasets = [_Span(c.text, c.start - base, c.end - base, False) for c in here if c.kind == "dataset"]
        cued = words & rc.eval_cues or SETTINGS.more_eval_cues and not words.isdisjoint(_MORE_EVAL_CUES)
        evaluates = bool(datasets) and bool(cued or SETTINGS.result_numbers and _RESULT_NUMBER.search(text))
        methods = [_Span(c.text, c.start - base, c.end - base, c.proposed) for c in here
                   if c.kind == "method" and not rc.self_ref.fullmatch(c.text.lower())]
        if own is not None and (compares or evaluates):
            methods = _with_variants(text, low, methods, own)
        evidence = text.strip()
        # Results stated before the paper names its method ("we first corrupt D and evaluate
        # models", then "we propose FooNet") are not that method's: it is "ours" from then on.
        ours = [p for p in proposed if introduced.get(p, 0) <= s_idx]
        if compares:
            found = _improvements(low, methods, ours, rc, earlier)
            claims += [Claim(b, "improvesOver", w, evidence, conf) for b, w, conf in found]
        if evaluates:
            claims += [Claim(s, "evaluatesOn", d, evidence, conf)
                       for s, d, conf in _evaluations(low, methods, datasets, ours, rc, earlier)]
        if methods:
            earlier = [m.text for m in methods]
    return claims


def _with_variants(text: str, low: str, methods: list[_Span], own) -> list[_Span]:
    """Add the proposed method where the entity rules missed a variant spelling of it.

    An acronym-like name (START) must keep its capitals: "start" is an ordinary word.
    """
    finder, keys = own
    extra = []
    for start, end in finder.spans(low):
        # None when a mark between the letters folds to a letter ("fooé net" -> "fooenet"),
        # which is no spelling of the name (a KeyError here used to stop the build).
        name = keys.get(norm_key(low[start:end]))
        if name is None or name.isupper() and not text[start:end].isupper():
            continue
        if not any(s.start < end and start < s.end for s in methods):
            extra.append(_Span(name, start, end, True))
    return sorted(methods + extra, key=lambda s: s.start) if extra else methods


# --- improves over ------------------------------------------------------------------------

def _improvements(text: str, methods: list[_Span], proposed: list[str],
                 rc: RelationCues, earlier: list[str] = ()) -> list[tuple[str, str, float]]:
    """(better, worse, confidence) triples stated in one sentence.

    `earlier` are the methods the last sentence before named: "... outperforms them / both /
    these baselines" compares with those.
    """
    if not methods:
        return []
    cue_hits = [(m.start(), m.end(), True) for m in rc.inverse.finditer(text)]
    cue_hits += [(m.start(), m.end(), False) for m in rc.forward.finditer(text)
                 if not any(s < m.end() and m.start() < e for s, e, _ in cue_hits)]
    cue_hits.sort()
    out: list[tuple[str, str, float]] = []
    front = rc.fronted.match(text)
    if front is not None:
        out += _fronted(text, front.end(), methods, proposed, rc)
    for n, (start, end, inverse) in enumerate(cue_hits):
        if _negated(text, start, rc):
            continue
        subjects, conf = _subjects(text, start, methods, proposed, rc)
        if not subjects:
            continue
        limit = cue_hits[n + 1][0] if n + 1 < len(cue_hits) else len(text)
        bare = text[start:end].lower() in rc.bare
        objects = _objects(text, end, limit, methods, rc, bare)
        if not objects and earlier and _BACK_REFERENCE.match(text, end):
            keys = {norm_key(p) for p in proposed} | {norm_key(s) for s in subjects}
            objects = [_Span(e, -1, -1, False) for e in earlier if norm_key(e) not in keys]
            conf = round(conf * 0.85, 3)
        for obj in objects:
            for subj in subjects:
                # "CFG++ outperforms CFG": a variant beats its base, so only the same name is skipped.
                if obj.text.lower() == subj.lower():
                    continue
                triple = (obj.text, subj, conf) if inverse else (subj, obj.text, conf)
                if all(t[:2] != triple[:2] for t in out):
                    out.append(triple)
    return out


def _fronted(text: str, comma: int, methods: list[_Span], proposed: list[str],
             rc: RelationCues) -> list[tuple[str, str, float]]:
    """"Compared to X, FooNet achieves a 4% improvement": X is the worse side."""
    worse = [m for m in methods if m.end <= comma]
    cue = rc.fronted_cue.search(text, comma)
    if not worse or cue is None or _negated(text, cue.start(), rc):
        return []
    subjects, conf = _subjects(text, cue.start(), [m for m in methods if m.start >= comma], proposed, rc)
    return [(s, w.text, round(conf * 0.9, 3)) for s in subjects for w in worse if s.lower() != w.text.lower()]


def _negated(text: str, start: int, rc: RelationCues) -> bool:
    left = text[max(0, start - 60): start]
    clause = text[_clause_start(text, start, rc): start]
    return bool(rc.negation.search(left) or rc.non_assertive.search(clause))


def _clause_start(text: str, pos: int, rc: RelationCues) -> int:
    last = 0
    for m in rc.left_boundary.finditer(text, 0, pos):
        last = m.end()
    return last


def _subjects(text: str, start: int, methods: list[_Span], proposed: list[str],
              rc: RelationCues) -> tuple[list[str], float]:
    """Who is compared: the nearest named method or self-reference left of the cue, in its clause."""
    lo = _clause_start(text, start, rc)
    masked = [(m.start(), m.end()) for m in _RELATIVE.finditer(text, lo, start)]
    free = lambda s, e: not any(a <= s and e <= b for a, b in masked)  # noqa: E731
    left = [m for m in methods if lo <= m.start and m.end <= start and free(m.start, m.end)]
    selfs = [m for m in rc.self_ref.finditer(text, lo, start) if free(m.start(), m.end())]
    # A method behind a preposition ("FooNet with a GPT-4 backbone outperforms") is no subject.
    heads = [m for m in left if not _governed(text, m.start, rc)]
    best = heads[-1] if heads else None
    if selfs and (best is None or selfs[-1].start() >= best.end):
        # "our method outperforms X": the paper's proposed method is meant.
        return (proposed[:1], 0.7) if proposed else ([], 0.0)
    if best is None:
        # "Experiments show large gains over FooNet": a comparison with no subject in its
        # clause, in a paper that proposes a method, speaks of that method.
        if proposed and not left and _RESULT_WORDS.search(text, lo, start) and not _OTHERS_WORK.search(text, lo, start):
            return proposed[:1], 0.6
        return [], 0.0
    group = [best]
    for m in reversed([m for m in left if m.end <= best.start]):
        glue = text[m.end: group[0].start]
        # "A and B outperform C", "A, B and C ...": the last link must be a conjunction, else
        # "On X, Y outperforms Z" would make X a subject too.
        if _LIST_GLUE.match(glue) and (len(group) > 1 or re.search(r"\b(?:and|or)\b|[/&]", glue)):
            group.insert(0, m)
        else:
            break
    names = [m.text for m in group]
    # "our FooNet-tuned model, BarLM-7B, outperforms X": the proposed method shares the credit.
    keys = {norm_key(p) for p in proposed}
    owner = next((m for m in left if norm_key(m.text) in keys and m.end <= group[0].start
                  and m.text not in names and not _governed(text, m.start, rc)), None)
    if owner is not None:
        names.append(owner.text)
    return names, 0.8


def _governed(text: str, pos: int, rc: RelationCues) -> bool:
    """A name after a preposition or a gerund ("with FooNet", "using FooNet") is no subject."""
    w = _word_before(text, pos)
    return w in rc.governed or (w.endswith("ing") and len(w) > 5)


def _word_before(text: str, pos: int) -> str:
    """The word before `pos`, looking past a determiner ("with a FooNet backbone" -> "with")."""
    m = _WORD_BEFORE.search(text[max(0, pos - 40): pos])
    return m.group(1).lower() if m else ""


def _objects(text: str, end: int, limit: int, methods: list[_Span], rc: RelationCues,
             bare: bool) -> list[_Span]:
    """The methods a cue compares against, right of it in the same clause."""
    hi = limit
    for pattern in (rc.clause_end, rc.parity):
        m = pattern.search(text, end, hi)
        if m:
            hi = m.start()
    right = [m for m in methods if m.start >= end and m.end <= hi]
    if not right:
        return []
    if bare:
        first = right[0]
        gap = text[end: first.start]
        near = len(gap.split()) <= _BARE_WORDS and not _FAR.search(gap) and not rc.stop.search(gap)
        of_phrase = first.start - end <= _BARE_OF_REACH and _OF_PHRASE.search(gap)
        if not (near or of_phrase):
            return []
        group = [first]
        for m in right[1:]:
            if _LIST_GLUE.match(text[group[-1].end: m.start]):
                group.append(m)
            else:
                break
        return group
    stop = rc.stop.search(text, end, hi)
    direct = [m for m in right if stop is None or m.end <= stop.start()]
    if direct:
        return direct
    opener = rc.opener.search(text, end, hi)
    if opener is None:
        return []
    stop = rc.stop.search(text, opener.end(), hi)
    return [m for m in right if m.start >= opener.end() and (stop is None or m.end <= stop.start())]


# --- evaluates on ---------------------------------------------------------------------------

def _evaluations(text: str, methods: list[_Span], datasets: list[_Span], proposed: list[str],
                rc: RelationCues, earlier: list[str] = ()) -> list[tuple[str, str, float]]:
    """(method, dataset, confidence) triples of a result sentence.

    `earlier` are the models named by the last sentence before that named any: an analysis
    paper goes on about them ("its performance on D remains ...").
    """
    # A dataset a model was pre-trained on is no evaluation of it.
    targets = [d for d in datasets if not rc.pretraining.search(text[max(0, d.start - 40): d.start])
               and not _PRETRAINED_AFTER.match(text, d.end)]
    named_proposed = [m.text for m in methods if m.proposed]
    if named_proposed:
        subjects, conf = named_proposed, 0.8
    elif proposed:
        # A paper that proposes a method reports its own results: "experiments on D show ...".
        subjects, conf = proposed, 0.7 if rc.self_ref.search(text) else 0.6
    elif methods:
        # An analysis paper: the models it runs on the benchmark are the subjects.
        subjects, conf = [m.text for m in methods], 0.55
    elif earlier and _ANAPHOR.search(text):
        subjects, conf = list(earlier), 0.45
    else:
        return []
    out: list[tuple[str, str, float]] = []
    for s in subjects:
        for d in targets:
            if s != d.text and all((s, d.text) != t[:2] for t in out):
                out.append((s, d.text, conf))
    if proposed and SETTINGS.achievers:
        for m in methods:
            verb = None if m.proposed or m.text in subjects else _ACHIEVER.match(text, m.end)
            for d in targets if verb else ():
                if (d.start >= verb.end() and not rc.clause_end.search(text, verb.end(), d.start)
                        and all((m.text, d.text) != t[:2] for t in out)):
                    out.append((m.text, d.text, 0.55))
    return out
