"""Names that stand on either side of a comparison cue, which makes them methods.

"FooNet outperforms SFT", "better than SFT", "is outperformed by SFT", "SFT lags behind": what
a method is compared with is a method, even when its long form reads like a task
("supervised fine-tuning (SFT)"). Cues come from cues.json; bare "improves" / "boosts" are left
out, since what they take as object is most often a task or a metric ("improves reasoning").
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.cues import Cues

_WORD = re.compile(r"[a-z]+")
# Cue words whose object is a task or a metric as often as a method.
_OPEN_OBJECT = frozenset("improve improves improving improved boost boosts dominates".split())
# Words that may stand between a cue and the compared name ("outperforms both FooA and FooB").
_SKIP = frozenset("the both all".split())


@lru_cache(maxsize=4)
def _cue_words(cues: Cues) -> tuple[tuple[str, ...], ...]:
    """The comparison cues as word tuples, longest first."""
    out: set[tuple[str, ...]] = set()
    for cue in (*cues.improve_cues, *cues.inverse_cues):
        words = tuple(_WORD.findall(cue.lower()))
        if words and not (len(words) == 1 and words[0] in _OPEN_OBJECT):
            out.add(words)
    return tuple(sorted(out, key=len, reverse=True))


@lru_cache(maxsize=4)
def _cue_words_by_length(cues: Cues) -> tuple[tuple[int, frozenset[tuple[str, ...]]], ...]:
    """_cue_words grouped by their number of words: one set lookup per length, not a compare per cue."""
    words = _cue_words(cues)
    return tuple((n, frozenset(w for w in words if len(w) == n)) for n in sorted({len(w) for w in words}, reverse=True))


def is_compared(before: list[str], after: list[str], cues: Cues) -> bool:
    """Whether the words just before or after a name make it a side of a comparison."""
    while before and before[-1] in _SKIP:
        before = before[:-1]
    return any(tuple(before[-n:]) in ws or tuple(after[:n]) in ws for n, ws in _cue_words_by_length(cues))
