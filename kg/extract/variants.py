"""A paper's own names found again in any spelling that keeps their letters and digits."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.lexicon import norm_key

__all__ = ["variant_finder", "VariantFinder"]


@lru_cache(maxsize=1024)
def variant_finder(names: tuple[str, ...]) -> tuple[VariantFinder, dict[str, str]] | None:
    """The proposed names in any spelling that keeps their letters and digits ("Z\\"OLA 2" = "ZÖLA 2")."""
    keys = {norm_key(n): n for n in names if len(norm_key(n)) >= 3}
    if not keys:
        return None
    return VariantFinder(tuple(sorted(keys, key=len, reverse=True))), keys


# Between two characters of a name a variant spelling puts at most two marks and a space.
_GAP = "[^a-z0-9\\s]{0,2}\\s?"
_GAP_RE = re.compile(_GAP)
_ALNUM_RUN = re.compile(r"[a-z0-9]+")


class VariantFinder:
    """Finds the keys (longest first) in a lower-cased text as the regex
    `(?<![a-z0-9])(?:k1|k2...)(?![a-z0-9])` would, with _GAP between any two characters.

    Each paper has its own proposed names, so compiling that regex cost more than everything
    else the relation rules do. Keys of [a-z0-9] only are found instead in the text's
    letters-and-digits skeleton (str.find), and each hit checked where it stands in the text;
    other keys fall back to the regex.
    """

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys
        self.pattern = None
        if not all(_ALNUM_RUN.fullmatch(k) for k in keys):
            alts = [_GAP.join(re.escape(ch) for ch in k) for k in keys]
            self.pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(alts) + r")(?![a-z0-9])")

    def spans(self, low: str) -> list[tuple[int, int]]:
        """(start, end) of each match, as `pattern.finditer(low)` gives them."""
        if self.pattern is not None:
            return [m.span() for m in self.pattern.finditer(low)]
        skeleton = "".join(_ALNUM_RUN.findall(low))
        if not any(k in skeleton for k in self.keys):
            return []
        at = [i for m in _ALNUM_RUN.finditer(low) for i in range(m.start(), m.end())]  # skeleton -> text
        n = len(low)
        hits = []
        for rank, k in enumerate(self.keys):
            i = skeleton.find(k)
            while i >= 0:
                start, end = at[i], at[i + len(k) - 1] + 1
                if ((start == 0 or not _is_alnum(low[start - 1])) and (end == n or not _is_alnum(low[end]))
                        and all(at[j + 1] == at[j] + 1 or _GAP_RE.fullmatch(low, at[j] + 1, at[j + 1])
                                for j in range(i, i + len(k) - 1))):
                    hits.append((start, rank, end))
                i = skeleton.find(k, i + 1)
        # finditer: the leftmost match, of the first key that matches there, then on from its end.
        out: list[tuple[int, int]] = []
        pos = 0
        for start, _, end in sorted(hits):
            if start >= pos:
                out.append((start, end))
                pos = end
        return out


def _is_alnum(ch: str) -> bool:
    return "a" <= ch <= "z" or "0" <= ch <= "9"
