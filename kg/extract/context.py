"""Context: the lower-cased words around a candidate name, inside its sentence (read by the role rules)."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.candidate import Candidate

__all__ = ["Context"]

_TOKEN = re.compile(r"[\w][\w'\-.]*[\w]|[\w]|[^\w\s]")


class Context:
    """Lower-cased words around a candidate, inside its sentence."""

    def __init__(self, text: str, bounds: list[tuple[int, int]]) -> None:
        self.text = text
        self.bounds = bounds
        self._low: dict[int, str] = {}

    def sent_low(self, i: int) -> str:
        s = self._low.get(i)
        if s is None:
            b = self.bounds[i]
            s = self._low[i] = self.text[b[0]:b[1]].lower()
        return s

    def before(self, c: Candidate, n: int, at: int = -1) -> list[str]:
        """The n words before the candidate (or before offset `at` of its sentence)."""
        b0 = self.bounds[c.sent][0]
        pos = (c.start if at < 0 else at) - b0
        return self._window(c.sent, max(0, pos - 12 * n), pos)[-n:]

    def after(self, c: Candidate, n: int) -> list[str]:
        b0 = self.bounds[c.sent][0]
        return self._window(c.sent, c.end - b0, c.end - b0 + 12 * n)[:n]

    def _window(self, sent: int, lo: int, hi: int) -> list[str]:
        """The words of sentence `sent`'s lower-cased text [lo:hi] (callers get slices, never this list)."""
        return _words_of(self.sent_low(sent)[lo:hi])


@lru_cache(maxsize=1 << 16)
def _words_of(window: str) -> list[str]:
    """The words of a window of text. Cached: the rules read the same windows around a candidate
    several times, and short windows (", a", " model") recur across papers. The list is shared:
    Context hands out slices of it only."""
    return _TOKEN.findall(window)
