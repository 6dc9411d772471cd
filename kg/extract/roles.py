"""Which kind each candidate name is, and whether the paper proposes it (context rules)."""

from __future__ import annotations

from collections import defaultdict

from spacy.tokens import Doc

from kg.extract.cues import Cues
from kg.extract.entities import Candidate
from kg.extract.lexicon import Lexicon, norm_key
from kg.records import Mention

__all__ = ["assign_roles", "to_mentions"]

_LIST_GLUE = {",", "and", "or", ", and", ", or", "&", "/", "as well as"}
_NOT_DATASET_BEFORE_ON = {"based", "built", "relies", "rely", "relying", "depends", "top", "focus", "focuses",
                          "work", "works", "conditioned", "operates", "operate", "act", "acts"}
_SELF = {"we", "our", "this paper", "this work", "in this paper", "in this work", "here"}


def _before(doc: Doc, c: Candidate, n: int) -> list[str]:
    """The n lower-cased words before the candidate in its sentence."""
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or not len(span):
        return []
    sent = span[0].sent
    return [t.lower_ for t in doc[max(sent.start, span.start - n): span.start] if not t.is_space]


def _after(doc: Doc, c: Candidate, n: int) -> list[str]:
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or not len(span):
        return []
    sent = span[0].sent
    return [t.lower_ for t in doc[span.end: min(sent.end, span.end + n)] if not t.is_space]


def _list_groups(doc: Doc, cands: list[Candidate]) -> list[list[Candidate]]:
    """Candidates of one sentence joined only by commas/and/or: `on A, B and C`."""
    groups: list[list[Candidate]] = []
    text = doc._.text
    for c in cands:
        if groups and groups[-1][-1].sent == c.sent:
            gap = text[groups[-1][-1].end: c.start].strip().lower()
            if gap in _LIST_GLUE or gap.replace("the ", "").strip() in _LIST_GLUE:
                groups[-1].append(c)
                continue
        groups.append([c])
    return groups


def _dataset_cue(doc: Doc, c: Candidate, cues: Cues, sent_has_eval: bool) -> bool:
    if any(c.text.endswith(s) and len(c.text) > len(s) + 1 for s in cues.dataset_suffixes):
        return True
    after = _after(doc, c, 2)
    if after and (after[0] in cues.dataset_nouns or " ".join(after[:2]) in cues.dataset_nouns):
        return True
    before = _before(doc, c, 3)
    if before and before[-1] in ("on", "across", "over") and sent_has_eval:
        return not (len(before) > 1 and before[-2] in _NOT_DATASET_BEFORE_ON)
    return False


def _proposal_cue(doc: Doc, c: Candidate, cues: Cues) -> str | None:
    """"strong" after a naming cue (termed X, our X, X is proposed), "verb" after `we propose`."""
    before = _before(doc, c, 14)
    near = " ".join(before[-3:])
    if any(near.endswith(cue) for cue in cues.naming_cues) or before[-1:] == ["our"]:
        return "strong"
    if _after(doc, c, 2) in (["is", "proposed"], ["is", "introduced"], ["is", "presented"]):
        return "strong"
    verbs = [i for i, t in enumerate(before) if t in cues.propose_verbs]
    if verbs:
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        sent_text = span[0].sent.text.lower() if span is not None and len(span) else ""
        if any(s in sent_text for s in _SELF):
            return "verb"
    return None


def _mark_proposed(doc: Doc, real: list[Candidate], cues: Cues) -> None:
    """Strong cues mark any new name; `we propose` marks only the first new name after it."""
    verb_taken: set[int] = set()
    for c in real:
        if c.lexical or c.kind == "dataset" or c.proposed:
            continue
        cue = _proposal_cue(doc, c, cues)
        if cue == "strong" or (cue == "verb" and c.confidence >= 0.5 and c.sent not in verb_taken):
            c.proposed = True
            c.confidence = max(c.confidence, 0.85)
        if cue == "verb":
            verb_taken.add(c.sent)


def assign_roles(doc: Doc, cands: list[Candidate], cues: Cues, lex: Lexicon) -> list[Candidate]:
    """Set kind and proposed on every candidate; drop what is no entity."""
    eval_sents = {i for i, s in enumerate(doc.sents) if any(t.lower_ in cues.eval_cues for t in s)}
    real = [c for c in cands if c.kind != "_alias"]
    for c in real:
        if c.kind is None:
            c.kind = "dataset" if _dataset_cue(doc, c, cues, c.sent in eval_sents) else None
    _mark_proposed(doc, real, cues)
    proposed_keys = {norm_key(c.text) for c in real if c.proposed}
    for c in real:
        # An acronym of a task-like long form ("test-time adaptation (TTA)") is a task, named
        # by its long form, unless the paper proposes it under that name.
        if c.kind is None and c.source == "abbreviation" and norm_key(c.text) not in proposed_keys:
            long = c.aliases[0] if c.aliases else ""
            head = long.split()[-1].lower() if long else ""
            if head in cues.task_heads or head.rstrip("s") in cues.task_heads:
                c.kind = "task"
    # A list shares its kind: `on ImageNet, COCO and Foo` makes Foo a dataset.
    for group in _list_groups(doc, real):
        kinds = {c.kind for c in group if c.kind in ("dataset", "method")}
        if len(group) > 1 and kinds == {"dataset"}:
            for c in group:
                if c.kind is None:
                    c.kind = "dataset"
                    c.confidence = max(c.confidence, 0.6)
    # One name, one role in a paper: the surest occurrence decides for all.
    best: dict[str, Candidate] = {}
    for c in real:
        k = norm_key(c.text)
        b = best.get(k)
        if b is None or (c.kind is not None and (b.kind is None or c.confidence > b.confidence)):
            best[k] = c
    for c in real:
        k = norm_key(c.text)
        c.kind = best[k].kind or "method"
        c.proposed = k in proposed_keys and c.kind == "method"
    # A weak single title-case word that no cue supports is most often an ordinary proper noun.
    counts = defaultdict(int)
    for c in real:
        counts[norm_key(c.text)] += 1
    return [c for c in real
            if not (c.source == "shape" and c.confidence < 0.5 and not c.proposed
                    and best[norm_key(c.text)].kind is None and counts[norm_key(c.text)] < 2)]


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
