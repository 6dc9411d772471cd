"""`evaluates on` and `improves over` claims, each with its sentence and a confidence."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.extract.cues import Cues
from kg.extract.entities import Candidate
from kg.records import Claim

__all__ = ["find_claims"]

_CLAUSE_END = re.compile(r";|,\s+(?:while|whereas|but|although|though)\b|\bwhile\b|\bwhereas\b|\bbut\b")
# Bare "improves" needs its object close by ("improves CLIP by 7%"), unlike "outperforms".
_BARE = {"improves", "improve", "improving", "boosts", "boost"}
_BARE_REACH = 40


def _cue_pattern(phrases: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


def _negated(text_before: str, cues: Cues) -> bool:
    tail = " ".join(text_before.lower().split()[-3:])
    return any(re.search(rf"\b{re.escape(n)}\b", tail) for n in cues.negations)


def _self_ref(text: str, cues: Cues) -> bool:
    low = text.lower()
    return any(re.search(rf"\b{re.escape(s)}\b", low) for s in cues.self_refs)


def find_claims(doc: Doc, cands: list[Candidate], cues: Cues) -> list[Claim]:
    """Claims of every abstract sentence (the title, sentence 0, states none)."""
    improve_re, inverse_re = _cue_pattern(cues.improve_cues), _cue_pattern(cues.inverse_cues)
    proposed = []
    for c in cands:
        if c.proposed and c.text not in proposed:
            proposed.append(c.text)
    claims: list[Claim] = []
    for s_idx, sent in enumerate(doc.sents):
        if s_idx == 0:
            continue
        here = [c for c in cands if c.sent == s_idx]
        methods = [c for c in here if c.kind == "method"]
        datasets = [c for c in here if c.kind == "dataset"]
        text = sent.text.strip()
        base = sent.start_char
        claims += _evaluations(text, methods, datasets, proposed, cues)
        claims += _improvements(text, base, methods, proposed, cues, improve_re, inverse_re)
    return claims


def _evaluations(text, methods, datasets, proposed, cues) -> list[Claim]:
    words = {w.lower() for w in re.findall(r"[\w-]+", text)}
    if not datasets or not words & cues.eval_cues:
        return []
    named_proposed = [m.text for m in methods if m.proposed]
    if named_proposed:
        subjects, conf = named_proposed, 0.8
    elif proposed and _self_ref(text, cues):
        subjects, conf = proposed, 0.7
    elif not proposed:
        # An analysis paper: the models it runs on the benchmark are the subjects.
        subjects, conf = [m.text for m in methods], 0.55
    else:
        subjects, conf = [], 0.0
    out, seen = [], set()
    for s in subjects:
        for d in datasets:
            if (s, d.text) not in seen:
                seen.add((s, d.text))
                out.append(Claim(s, "evaluatesOn", d.text, text, conf))
    return out


def _improvements(text, base, methods, proposed, cues, improve_re, inverse_re) -> list[Claim]:
    out: list[Claim] = []
    for pattern, inverse in ((inverse_re, True), (improve_re, False)):
        for m in pattern.finditer(text):
            left, right = text[: m.start()], text[m.end():]
            if _negated(left, cues):
                continue
            end = _CLAUSE_END.search(right)
            if end:
                right = right[: end.start()]
            cut = base + m.start()
            lefts = [c for c in methods if c.end - base <= m.start()]
            rights = [c for c in methods if c.start >= base + m.end() and c.start - base < m.end() + len(right)]
            if m.group(0).lower() in _BARE:
                rights = [c for c in rights if c.start - (base + m.end()) <= _BARE_REACH][:1]
            if lefts:
                subject, conf = lefts[-1].text, 0.8
            elif proposed and _self_ref(left, cues):
                subject, conf = proposed[0], 0.7
            else:
                continue
            for obj in rights:
                if obj.text == subject or obj.proposed or (lefts and lefts[-1].start > cut):
                    continue
                better, worse = (obj.text, subject) if inverse else (subject, obj.text)
                claim = Claim(better, "improvesOver", worse, text, conf)
                if all((c.subject, c.object) != (better, worse) for c in out):
                    out.append(claim)
        if out:
            break  # "is outperformed by" was read as inverse; do not read "outperform" again
    return out
