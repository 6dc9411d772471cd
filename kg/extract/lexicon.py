"""The lexicons of well-known datasets, methods, metrics and tasks, and the generic-phrase stoplist."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.defaults import LEXICON_DIR, PATTERN_DIR
from kg.errors import KGError

__all__ = ["LexEntry", "Lexicon", "load_lexicon", "norm_key", "load_wordlist"]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_KIND_FILES = {"dataset": "datasets.jsonl", "method": "methods.jsonl", "metric": "metrics.jsonl",
               "task": "tasks.jsonl"}


def norm_key(text: str) -> str:
    """Letters and digits only, lower case, accents folded: the key two spellings share.

    >>> norm_key("Stable-Diffusion") == norm_key("Stable Diffusion")
    True
    >>> norm_key("GPT-4") == norm_key("GPT-4o")
    False
    """
    if text.isascii():  # the common case, ten times faster
        return _NON_ALNUM.sub("", text.lower())
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return "".join(c for c in s if c.isalnum())


@dataclass(frozen=True, slots=True)
class LexEntry:
    label: str
    kind: str
    aliases: tuple[str, ...] = ()
    case_sensitive: bool = False


@dataclass(slots=True)
class Lexicon:
    entries: list[LexEntry] = field(default_factory=list)
    generic: frozenset[str] = frozenset()  # norm_keys of phrases that never name an entity
    by_key: dict[str, LexEntry] = field(default_factory=dict)  # norm_key of label/alias -> entry
    prefixes: frozenset[str] = frozenset()  # every prefix of every key, to stop n-grams early

    def lookup(self, text: str) -> LexEntry | None:
        return self.by_key.get(norm_key(text))

    def is_generic(self, text: str) -> bool:
        k = norm_key(text)
        return k in self.generic or (k.endswith("s") and k[:-1] in self.generic)


def load_wordlist(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a text file."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [l.strip() for l in lines if l.strip() and not l.lstrip().startswith("#")]


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    """Read every lexicon file once; a later kind never steals a key an earlier kind owns."""
    lex = Lexicon()
    for kind, name in _KIND_FILES.items():
        path = directory / name
        if not path.exists():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                entry = LexEntry(obj["label"], kind, tuple(obj.get("aliases", ())),
                                 bool(obj.get("case_sensitive", False)))
            except (ValueError, KeyError, TypeError) as e:
                raise KGError(f"{path}:{n}: bad lexicon entry ({e})") from e
            lex.entries.append(entry)
            for form in (entry.label, *entry.aliases):
                lex.by_key.setdefault(norm_key(form), entry)
    lex.prefixes = frozenset(k[:i] for k in lex.by_key for i in range(1, len(k) + 1))
    generic = load_wordlist(directory / "generic.txt") + load_wordlist(PATTERN_DIR / "generic_extra.txt")
    lex.generic = frozenset(norm_key(g) for g in generic if norm_key(g))
    return lex
