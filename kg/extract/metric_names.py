"""Metric names outside the lexicon: "X@k" forms and lower-case phrases reported with a number or named twice."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from kg.defaults import PATTERN_DIR
from kg.extract.candidate import Candidate
from kg.extract.sentences import sentence_at

__all__ = ["metric_phrases", "NUMBER_AFTER"]


@lru_cache(maxsize=1)
def _metric_forms() -> tuple[re.Pattern, re.Pattern, frozenset[str], frozenset[str], frozenset[str]]:
    """The metric-phrase rule's patterns, from patterns/metric_forms.json (data, not code)."""
    raw = json.loads((PATTERN_DIR / "metric_forms.json").read_text(encoding="utf-8"))
    heads = sorted(raw["heads"], key=len, reverse=True)
    # Led by the heads' first letters as a character class, so the regex engine skips in C to
    # the next place a head can start.
    firsts = "".join(sorted({h[0] for h in heads}))
    head = re.compile(r"(?=[" + firsts + r"])(?<![\w-])(?:" + "|".join(heads) + r")\b(?!-)")
    before = re.compile(r"(?:" + "|".join(re.escape(c) for c in sorted(raw["before_cues"], key=len, reverse=True))
                        + r")\s+(?:(?:the|a|an|its|their|our)\s+)?$")
    return head, before, frozenset(raw["not_modifiers"]), frozenset(("regret",)), frozenset(raw["heads"])


# "pass@1", "Hits@10", "NDCG@k": a word, "@" and a cut-off is a ranking or sampling metric.
_AT_K = re.compile(r"(?<![\w@.])([A-Za-z][A-Za-z0-9-]{0,15}@(?:\d{1,4}|[kKnN]))(?![\w@])")
# What follows a metric that is being reported: a number, maybe after "of", "by", "=", "(".
NUMBER_AFTER = re.compile(r"s?\s*(?:of|by|to|from|at|=|:|\(|is|was|reaches|drops to)?\s*(?:about|around|only|just|"
                          r"nearly|roughly|approximately|over|up to|below|above)?\s*[~≈<>≤≥]?\s*[-+]?\d")
# The (at most two) words right before a metric's head word.
_MODIFIERS = re.compile(r"(?<![\w-])((?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*\s){1,2})$")
# Adjective endings: "sublinear regret", "adversarial loss" name no metric by their adjective.
_ADJECTIVE = re.compile(r"(?:al|ar|ic|ous|ive|ible|able|ful|less|ly|ed)$")


def metric_phrases(text: str, starts: list[int]) -> list[Candidate]:
    """Metric names outside the lexicon: "X@k", and lower-case "<noun> rate / error / loss /
    accuracy / score / gap" reported with a number ("a capture rate of 83%") or named again
    ("the entropy rate ... entropy rates", singular); "regret" also after a comparison ("lower regret").

    The head words are found first and the rest is asked only of those (this runs on every paper).

    >>> [c.text for c in metric_phrases("It lowers the win rate to 40% and pass@5.", [0])]
    ['pass@5', 'win rate']
    """
    out = [Candidate(m.group(1), m.start(1), m.end(1), sentence_at(starts, m.start(1)), "metric", 0.6, "shape")
           for m in _AT_K.finditer(text)] if "@" in text else []
    low = text.lower()
    if len(low) != len(text):
        return out
    heads, before_cue, not_mod, alone, head_words = _metric_forms()
    for m in heads.finditer(low):
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
        if not reported and (not keep or low.count(low[start:m.start()] + head.rstrip("s")) < 2):
            # Not reported with a number: a measure the abstract comes back to ("the entropy rate
            # ... entropy rates") is one; a passing phrase ("a compression rate") is not.
            continue
        if head.endswith("s") and head[:-1] in head_words:
            end -= 1  # "win rates": the metric is the win rate
        out.append(Candidate(text[start:end], start, end, sentence_at(starts, start), "metric", 0.6, "shape"))
    return out
