"""Metric names outside the lexicon ("X@k", lower-case phrases reported with a number or named twice,
a known metric in the plural or glued to "= number"), and the screen of metric mentions that are no evaluation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from kg.defaults import PATTERN_DIR
from kg.extract.candidate import Candidate
from kg.extract.lexicon import Lexicon, norm_key
from kg.extract.sentences import sentence_at

__all__ = ["metric_phrases", "screen_metrics", "MetricSettings", "SETTINGS", "NUMBER_AFTER"]


@dataclass(frozen=True)
class MetricSettings:
    """Switchable metric rules (scripts/crossval.py).

    `case`: a known metric written with capitals inside ("mAP") needs a capital inside in the text
    ("map" is a word). `background`: a metric named only in the sentences before the paper first
    speaks of itself is a motivation ("... while maintaining accuracy"), not one it reports.
    `owner`: "model accuracy" is the accuracy of a model (the owner noun is no part of the name).
    `known_plural`: "win rates" is the known win rate, named or not with a number.
    `glued`: "AUC=0.75" reports the known AUC.
    """

    case: bool = True
    background: bool = True
    owner: bool = True
    known_plural: bool = True
    glued: bool = True


#: Read at extraction time (worker processes are forked after scripts/crossval.py sets it).
SETTINGS = MetricSettings()


@lru_cache(maxsize=1)
def _metric_forms() -> tuple[re.Pattern, re.Pattern, frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """The metric-phrase rule's patterns, from patterns/metric_forms.json (data, not code)."""
    raw = json.loads((PATTERN_DIR / "metric_forms.json").read_text(encoding="utf-8"))
    heads = sorted(raw["heads"], key=len, reverse=True)
    # Led by the heads' first letters as a character class, so the regex engine skips in C to
    # the next place a head can start.
    firsts = "".join(sorted({h[0] for h in heads}))
    head = re.compile(r"(?=[" + firsts + r"])(?<![\w-])(?:" + "|".join(heads) + r")\b(?!-)")
    before = re.compile(r"(?:" + "|".join(re.escape(c) for c in sorted(raw["before_cues"], key=len, reverse=True))
                        + r")\s+(?:(?:the|a|an|its|their|our)\s+)?$")
    # The owner nouns ("model accuracy", "system latency") are no part of a metric's name either.
    not_mod = frozenset(raw["not_modifiers"])
    return head, before, not_mod, not_mod | frozenset(raw["owner_nouns"]), frozenset(("regret",)), frozenset(raw["heads"])


# "pass@1", "Hits@10", "NDCG@k": a word, "@" and a cut-off is a ranking or sampling metric.
_AT_K = re.compile(r"(?<![\w@.])([A-Za-z][A-Za-z0-9-]{0,15}@(?:\d{1,4}|[kKnN]))(?![\w@])")
# What follows a metric that is being reported: a number, maybe after "of", "by", "=", "(".
NUMBER_AFTER = re.compile(r"s?\s*(?:of|by|to|from|at|=|:|\(|is|was|reaches|drops to)?\s*(?:about|around|only|just|"
                          r"nearly|roughly|approximately|over|up to|below|above)?\s*[~≈<>≤≥]?\s*[-+]?\d")
# The (at most two) words right before a metric's head word.
_MODIFIERS = re.compile(r"(?<![\w-])((?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*\s){1,2})$")
# Adjective endings: "sublinear regret", "adversarial loss" name no metric by their adjective.
_ADJECTIVE = re.compile(r"(?:al|ar|ic|ous|ive|ible|able|ful|less|ly|ed)$")
# "AUC=0.75", "F1: 91.2": a name glued to a reported number (the lexicon's match stops at "=").
_GLUED = re.compile(r"(?<![\w@.-])([A-Za-z][\w@-]{0,15})\s?[=:]\s?[-+]?\d")
_GLUED_TAIL = re.compile(r"[=:]\s?[-+]?\d")  # the part of _GLUED after the name
# The paper speaking of itself: the sentences before the first of these are its motivation.
_SELF = re.compile(r"\b(?:we|our|ours|us|this (?:paper|work|study|article|report|letter|thesis)|the proposed)\b")


def metric_phrases(text: str, starts: list[int], lex: Lexicon) -> list[Candidate]:
    """Metric names outside the lexicon: "X@k", and lower-case "<noun> rate / error / loss /
    accuracy / score / gap" reported with a number ("a capture rate of 83%") or named again
    ("the entropy rate ... entropy rates", singular); "regret" also after a comparison ("lower regret").

    The head words are found first and the rest is asked only of those (this runs on every paper).

    >>> from kg.extract.lexicon import load_lexicon
    >>> [c.text for c in metric_phrases("It lowers the win rate to 40% and pass@5.", [0], load_lexicon())]
    ['pass@5', 'win rate']
    """
    out = [Candidate(m.group(1), m.start(1), m.end(1), sentence_at(starts, m.start(1)), "metric", 0.6, "shape")
           for m in _AT_K.finditer(text)] if "@" in text else []
    settings = SETTINGS
    # (Every glued match holds "= number": the name is looked for only in the few texts with one.)
    if settings.glued and ("=" in text or ":" in text) and _GLUED_TAIL.search(text):
        for m in _GLUED.finditer(text):
            if _known_metric(lex, m.group(1)):
                out.append(Candidate(m.group(1), m.start(1), m.end(1), sentence_at(starts, m.start(1)), "metric", 0.8,
                                     "shape", lexical=True))
    low = text.lower()
    if len(low) != len(text):
        return out
    heads, before_cue, not_mod, with_owners, alone, head_words = _metric_forms()
    if settings.owner:
        not_mod = with_owners
    for m in _head_matches(heads, low):
        head, end = m.group(), m.end()
        reported = NUMBER_AFTER.match(low, end) is not None or (
            head in alone and before_cue.search(low, max(0, m.start() - 40), m.start()) is not None)
        mods = _MODIFIERS.search(low, max(0, m.start() - 50), m.start())
        # Keep only the modifiers right before the head that can be part of a name.
        keep: list[str] = []
        for w in reversed(mods.group(1).split() if mods else []):
            if w in not_mod or _ADJECTIVE.search(w) and not w.startswith("top-") or w.isdigit() or heads.fullmatch(w):
                break  # ("accuracy rates of 60%" is accuracy, named by the word before)
            keep.insert(0, w)
        if not keep and head not in alone or mods and heads.fullmatch(mods.group(1).split()[-1]):
            continue
        start = m.start() - sum(len(w) + 1 for w in keep)
        if keep and start >= 1 and low[start - 1] in "'’":
            continue  # "the model's accuracy": no name from the tail of a possessive
        if text[start:end] != low[start:end]:
            continue  # a capitalised word in it: a name, left to the other rules
        # "win rates": the plural of a known metric is that metric.
        known = (settings.known_plural and head.endswith("s") and keep
                 and _known_metric(lex, low[start:end - 1]))
        if not reported and not known and (not keep or low.count(low[start:m.start()] + head.rstrip("s")) < 2):
            # Not reported with a number: a measure the abstract comes back to ("the entropy rate
            # ... entropy rates") is one; a passing phrase ("a compression rate") is not.
            continue
        if head.endswith("s") and head[:-1] in head_words:
            end -= 1  # "win rates": the metric is the win rate
        out.append(Candidate(text[start:end], start, end, sentence_at(starts, start), "metric", 0.6, "shape"))
    return out


def _head_matches(heads: re.Pattern, low: str) -> Iterator[re.Match]:
    """`heads.finditer(low)`, tried only where a head word is (str.find scans several times faster
    than the regex engine steps through the text; a match needs one of the words where it starts)."""
    words = _head_literals()
    if words is None:
        yield from heads.finditer(low)
        return
    starts = set()
    for w in words:
        p = low.find(w)
        while p >= 0:
            starts.add(p)
            p = low.find(w, p + 1)
    last = 0
    for p in sorted(starts):
        if p >= last:
            m = heads.match(low, p)  # (its look-behind sees the text before p)
            if m is not None:
                last = m.end()
                yield m


@lru_cache(maxsize=1)
def _head_literals() -> tuple[str, ...] | None:
    """The head words no other head word starts (every head starts with one), or None when a
    head is a pattern rather than a plain word."""
    words = _metric_forms()[5]
    if any(not w or re.escape(w) != w for w in words):
        return None
    return tuple(sorted(w for w in words if not any(o != w and w.startswith(o) for o in words)))


def _known_metric(lex: Lexicon, name: str) -> bool:
    entry = lex.lookup(name)
    return entry is not None and entry.kind == "metric"


def _capitals_inside(form: str) -> bool:
    return any(c.isupper() for c in form[1:])


def screen_metrics(text: str, bounds: list[tuple[int, int]], cands: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """The candidates without the metric mentions that are no evaluation metric (see MetricSettings:
    `case` drops "map" read as mAP, `background` the metrics of the motivation only)."""
    settings = SETTINGS
    metrics = [c for c in cands if c.kind == "metric"]
    if not metrics:
        return cands
    drop: set[int] = set()
    if settings.case:
        for c in metrics:
            if c.source != "lexicon" or _capitals_inside(c.text):
                continue
            entry = lex.lookup(c.text)
            # Every form spelling this text is a lower-case prefix on capitals ("mAP", "nDCG"):
            # "map" or "Map" is a word.
            same = entry.forms_of(c.text) if entry is not None else []
            if same and all(f[:1].islower() and _capitals_inside(f) for f in same):
                drop.add(id(c))
    if settings.background:
        first_self = next((i for i in range(1, len(bounds))
                           if _SELF.search(text[bounds[i][0]:bounds[i][1]].lower())), None)
        if first_self is not None:
            # A metric is kept when any of its mentions is in the title or from that sentence on.
            seen = {norm_key(c.text) for c in metrics if c.sent == 0 or c.sent >= first_self}
            drop |= {id(c) for c in metrics if norm_key(c.text) not in seen}
    return [c for c in cands if id(c) not in drop] if drop else cands
