"""Where the URLs of a text are (their words are no names; kg.extract.repos reads the links themselves)."""

from __future__ import annotations

import re

__all__ = ["url_spans"]

_URL = re.compile(r"(?:https?://|www\.|\b[\w.-]+\.(?:com|org|io|net|ai)/)\S*")

# What every _URL match holds: a match runs to the next white space (its "\S*"), so it lies in one
# white-space-free chunk, and only a chunk holding one of these can hold one.
_URL_ANCHORS = ("://", "www.", ".com/", ".org/", ".io/", ".net/", ".ai/")


def url_spans(text: str) -> list[tuple[int, int]]:
    """The spans of `_URL.finditer(text)`, the regex run only on the chunks that can hold a URL
    (its `\\b[\\w.-]+\\.com/` alternative, tried at every word of a whole abstract, was the cost)."""
    chunks = set()
    for anchor in _URL_ANCHORS:
        p = text.find(anchor)
        while p >= 0:
            a = p
            while a > 0 and not text[a - 1].isspace():
                a -= 1
            chunks.add(a)
            p = text.find(anchor, p + 1)
    spans = []
    n = len(text)
    for a in sorted(chunks):
        b = a
        while b < n and not text[b].isspace():
            b += 1
        spans.extend(u.span() for u in _URL.finditer(text, a, b))
    return spans
