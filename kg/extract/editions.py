"""Editions of benchmark families: a year, task or track written after a benchmark's name.

Shared tasks and challenges are named by family and year ("CoNLL 2002", "SemEval 2013 Task 2",
"WMT 2016"); the year is part of the name, not a date. Two rules, each switchable for
scripts/crossval.py:

- `known`: a dataset the lexicon knows, then a space and a year (1980-2039), then optionally
  "Task N" / "Track N" / "Shared Task N", is one name. A number that counts something after it
  ("CIFAR-10 2000 images") is no year: a plural lower-case word after the number stops the rule.
- `shared_task`: an unknown name-shaped word and a year, then "shared task", "challenge" or
  "competition" ("on the FooEval 2017 shared task") or a task number ("FooEval-2017 Task 3"),
  name a benchmark: the name and year (and task) together are a dataset. A venue ("at ICLR
  2019") has no such words after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["EditionSettings", "SETTINGS", "edition_end", "shared_task_spans"]


@dataclass(frozen=True)
class EditionSettings:
    known: bool = True
    shared_task: bool = True


#: Read at extraction time (worker processes are forked after scripts/crossval.py sets it).
SETTINGS = EditionSettings()

_YEAR = r"(?:19[89]\d|20[0-3]\d)"
# " 2013", then " Task 9.1", " task 2", " Track 3", " Shared Task 1" (a task without a number is no part of the name).
_AFTER = re.compile(r" " + _YEAR + r"(?![\w.,]\d)(?: (?:[Ss]hared )?[Tt](?:ask|rack) \d+(?:\.\d+)?[A-Za-z]?(?!\w))?"
                    r"(?![\w-])")
# A plural lower-case word after the number: it counted things ("2000 images"), it was no year.
_COUNTED = re.compile(r" (?!(?:datasets|benchmarks|tasks|tracks|corpora|splits|sets|results|data)\b)[a-z]+s\b")
# (The capital comes first and the look-behind after it: a pattern led by a character class is
# skipped through in C to the next capital; led by a look-behind it is tried at every character.)
_SHARED = re.compile(r"[A-Z](?<![\w-].)[A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*(?:[ -]|'?)(?:" + _YEAR + r"|'\d\d)"
                     r"(?:(?= (?:[Ss]hared [Tt]asks?|[Cc]hallenges?|[Cc]ompetitions?)\b)| [Tt](?:ask|rack) \d+(?:\.\d+)?(?!\w))")


def edition_end(text: str, end: int) -> int:
    """Where a known dataset's name ending at `end` ends with its edition, or `end` if none follows."""
    if not SETTINGS.known or end >= len(text) or text[end] != " ":
        return end
    m = _AFTER.match(text, end)
    if m is None:
        return end
    if m.end() - end == 5 and _COUNTED.match(text, m.end()):  # a bare number counting things
        return end
    return m.end()


def shared_task_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of "Name YEAR" before "shared task" / "challenge" / "competition", or "Name YEAR Task N"."""
    if not SETTINGS.shared_task or not any(w in text for w in ("hared", "hallenge", "ompetition", "ask ", "rack ")):
        return []
    return [(m.start(), m.end()) for m in _SHARED.finditer(text)]
