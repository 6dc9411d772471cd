"""Atari game titles as benchmark environments, read only where the text names the Atari benchmark.

A paper on the Arcade Learning Environment reports results per game ("gains on Frostbite and
Ms. Pacman"); the game is then the environment the method is evaluated on, a dataset. The titles
are data (kg/data/lexicon/atari_games.txt). Outside such a text "Pong" or "Tennis" is no dataset,
so the rule is gated on a mention of Atari / ALE; a title must be written with a capital.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.defaults import LEXICON_DIR
from kg.extract.candidate import Candidate
from kg.extract.lexicon import load_wordlist
from kg.extract.sentences import sentence_at

__all__ = ["GameSettings", "SETTINGS", "game_candidates"]


@dataclass(frozen=True)
class GameSettings:
    enabled: bool = True


#: Read at extraction time (scripts/crossval.py switches it before worker processes are forked).
SETTINGS = GameSettings()

# "Atari", "ATARI", "Arcade Learning Environment" or "ALE" as a word: led by the letter, so the
# regex engine skips in C to the next "A" (a leading word boundary is tried at every character).
_GATE = re.compile(r"A(?<!\w.)(?:tari\b|TARI\b|rcade Learning Environment\b|LE\b)")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_SEP = r"[\s\-'’.*!]*"  # "Ms. Pac-Man" = "Ms Pacman" = "MsPacman"; "Montezuma’s Revenge"


@lru_cache(maxsize=1)
def _games() -> tuple[re.Pattern, dict[str, str]]:
    """One pattern of every title spelling, and the title of each spelling's key."""
    title_of: dict[str, str] = {}
    forms = []
    for line in load_wordlist(LEXICON_DIR / "atari_games.txt"):
        spellings = [f.strip() for f in line.split("\t") if f.strip()]
        for form in spellings:
            tokens = _TOKEN.findall(form)
            title_of["".join(tokens).lower()] = spellings[0]
            forms.append(_SEP.join(re.escape(t) for t in tokens))
    forms.sort(key=len, reverse=True)  # longest first: "Ms. Pac-Man" before a shorter spelling
    return re.compile(r"(?<![\w\-])(?:" + "|".join(forms) + r")(?![\w\-])", re.IGNORECASE), title_of


def game_candidates(text: str, starts: list[int]) -> list[Candidate]:
    """The Atari game titles of a text that names the Atari benchmark, as dataset candidates."""
    if not SETTINGS.enabled or ("TARI" not in text and "tari" not in text and "ALE" not in text and "Arcade" not in text):
        return []
    if not _GATE.search(text):
        return []
    pattern, title_of = _games()
    out = []
    for m in pattern.finditer(text):
        surface = m.group().rstrip(".")
        if not surface[:1].isupper():
            continue  # "breakout", "tennis": words, not titles
        title = title_of.get("".join(_TOKEN.findall(surface)).lower(), surface)
        aliases = [title] if title != surface else []
        out.append(Candidate(surface, m.start(), m.start() + len(surface), sentence_at(starts, m.start()),
                             "dataset", 0.85, "lexicon", aliases=aliases, lexical=True))
    return out
