"""Acronym definitions `long form (SF)` and `SF (long form)`: Schwartz & Hearst (2003).

A. S. Schwartz and M. A. Hearst, "A simple algorithm for identifying abbreviation definitions
in biomedical text", PSB 2003. The short form must start with a letter or digit, hold a letter,
and every one of its characters must match, right to left, a character of the long form; the
first must start a word of the long form. The long form spans at most min(|SF|+5, 2|SF|) words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Abbreviation", "find_abbreviations", "match_long_form"]

_PAREN = re.compile(r"\(([^()]{1,40})\)")


@dataclass(frozen=True, slots=True)
class Abbreviation:
    short: str
    long: str
    short_start: int  # character offsets in the text
    long_start: int


def _is_short_form(s: str) -> bool:
    return (
        2 <= len(s) <= 12
        and len(s.split()) <= 2
        and s[0].isalnum()
        and any(c.isalpha() for c in s)
        and any(c.isupper() for c in s)  # "(e.g.", "(see" and lower-case asides are not acronyms
    )


def match_long_form(short: str, candidate: str) -> str | None:
    """The shortest tail of `candidate` whose characters spell `short` (S&H's backward match).

    >>> match_long_form("QAM", "we call it Quorra adaptive mixing")
    'Quorra adaptive mixing'
    >>> match_long_form("RL", "offline-to-online reinforcement learning") is not None
    True
    """
    s, l = short.lower(), candidate.lower()
    si, li = len(s) - 1, len(l) - 1
    while si >= 0:
        c = s[si]
        if not c.isalnum():
            si -= 1
            continue
        # The first character of the short form must start a word of the long form.
        while li >= 0 and (l[li] != c or (si == 0 and li > 0 and l[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
        si -= 1
    start = li + 1
    # Extend to the start of the word the match begins in.
    while start > 0 and not candidate[start - 1].isspace():
        start -= 1
    long = candidate[start:].strip()
    return long if len(long) > len(short) else None


_INITIAL_WORDS = (re.compile(r"[^\s—]+"), re.compile(r"[^\s—-]+"))


def _initials_long_form(short: str, candidate: str) -> str | None:
    """The last words of `candidate` whose first letters are the short form's letters, if any.

    S&H's backward match takes the shortest tail, which can start inside the right phrase
    ("Sparse Shared Cubic Tree (SSCT)" -> "Shared Cubic Tree", two S's from one word); words
    whose initials spell the acronym are the surer reading. Hyphenated parts may count as words.

    >>> _initials_long_form("SSCT", "a solver—Sparse Shared Cubic Tree")
    'Sparse Shared Cubic Tree'
    """
    letters = [c for c in short.lower() if c.isalpha()]
    if len(letters) < 2 or not all(c.isalnum() or c in "-" for c in short):
        return None
    for pattern in _INITIAL_WORDS:
        words = list(pattern.finditer(candidate))
        if len(words) < len(letters):
            continue
        tail = words[-len(letters):]
        if [w.group()[0].lower() for w in tail] == letters:
            start = tail[0].start()
            # A hyphenated word counts whole: "Test-Time Adaptation (TTA)".
            while start > 0 and not candidate[start - 1].isspace() and candidate[start - 1] != "—":
                start -= 1
            long = candidate[start:].strip()
            if " " in long or "-" in long:
                return long
    return None


def _last_words_start(text: str, end: int, n: int) -> int:
    """Where the last `n` words (\\S+ runs) of text[:end] start (the first word's start when there
    are fewer), or -1 when there is none; read from a window that grows backwards.

    Scanning the whole text before every parenthesis would make long abstracts quadratic. The
    words are split off in C and only the last n are placed, from the end (a match object per
    word of the window cost more than the rest of the rule).
    """
    size = 64 * (n + 1)
    while True:
        lo = max(0, end - size)
        words = text[lo:end].split()
        # The first word of a window that does not start the text may be cut short: it is
        # never among the last n when more than n words are in the window.
        if lo == 0 or len(words) > n:
            if not words:
                return -1
            pos = end
            for w in reversed(words[-n:]):
                # Only white space stands between a word and pos: its last occurrence is the word.
                pos = text.rfind(w, lo, pos)
            return pos
        size *= 4


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Every `long form (SF)` definition in `text` (and `SF (long form)` when the first fails)."""
    found: list[Abbreviation] = []
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip()
        inner = re.split(r"[;,]\s", inner)[0].strip()  # "(QAM; ours)" -> "QAM"
        # `before` is text[:end], trailing white space off (offsets, not a copy of the prefix).
        end = m.start()
        while end > 0 and text[end - 1].isspace():
            end -= 1
        if _is_short_form(inner):
            n = min(len(inner) + 5, 2 * len(inner))
            cand_start = _last_words_start(text, end, n)
            if cand_start < 0:
                continue
            # A long form never crosses a sentence or clause boundary.
            for sep in (". ", "; ", ": ", ", "):
                k = text.rfind(sep, cand_start, end)
                if k >= 0:
                    cand_start = max(cand_start, k + len(sep))
            long = match_long_form(inner, text[cand_start:end])
            if long is None or len(long.replace("—", " ").split()) != sum(ch.isalpha() for ch in inner):
                # (one word per letter is already the initials' reading: no need to look again)
                long = _initials_long_form(inner, text[cand_start:end]) or long
            if long and len(long.split()) > 1 or (long and "-" in long):
                found.append(Abbreviation(inner, long, m.start(1), text.rfind(long, 0, end)))
        else:
            # SF (long form): the token before the parenthesis is the short form.
            start = end
            while start > 0 and not text[start - 1].isspace():
                start -= 1
            short = text[start:end]
            if short and _is_short_form(short) and len(inner.split()) > 1:
                long = match_long_form(short, inner)
                if long == inner:
                    found.append(Abbreviation(short, inner, start, m.start(1)))
    return found
