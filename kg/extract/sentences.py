"""Sentence boundaries of a title + abstract text, by one regex pass (no tokens touched)."""

from __future__ import annotations

import re
from bisect import bisect_right

__all__ = ["split_sentences", "sentence_at"]

# A sentence ends at . ! ? (maybe closed by a quote or bracket) before a capital, digit or
# opening mark, or at a line break. Led by one character class, so the regex engine skips in C
# to the next end mark instead of trying both branches at every character.
_END = re.compile(r"[.!?\n](?:(?<=[.!?])[\"')\]”’]*\s+(?=[A-Z0-9\"'(\[“‘])|(?<=\n)\s*)")
# Dotted abbreviations that never end a sentence ("e.g. BERT", "et al. (2020)").
_NO_END = re.compile(r"(?:\b(?:e\.g|i\.e|et al|vs|cf|Fig|Figs|Eq|Eqs|Sec|Tab|approx|resp|incl|No|Dr|Mr|Ms|St)|\b[A-Z])\.$")


def split_sentences(text: str, title_end: int) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence; sentence 0 is the title.

    >>> t = "A Title\\n\\nWe use e.g. BERT. It works! Done."
    >>> [t[s:e] for s, e in split_sentences(t, 7)]
    ['A Title', 'We use e.g. BERT.', 'It works!', 'Done.']
    """
    bounds = [(0, title_end)]
    start = title_end
    n = len(text)
    while start < n and text[start].isspace():
        start += 1
    for m in _END.finditer(text, start):
        end = m.start() + 1 if text[m.start()] in ".!?" else m.start()
        if text[m.start()] == "." and _NO_END.search(text, max(start, m.start() - 8), m.start() + 1):
            continue
        stop = m.end() - len(m.group()) + len(m.group().rstrip())  # end of the closing marks
        if stop > start and text[start:stop].strip():
            bounds.append((start, stop if text[m.start()] in ".!?" else end))
        start = m.end()
    if start < n and text[start:].strip():
        bounds.append((start, len(text.rstrip())))
    return bounds


def sentence_at(starts: list[int], offset: int) -> int:
    """Index of the sentence holding `offset`, given the sorted sentence starts."""
    return max(0, bisect_right(starts, offset) - 1)
