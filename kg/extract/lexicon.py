"""The lexicons of well-known datasets, methods, metrics and tasks, and the generic-phrase stoplist.

Two layers: the curated lists (`<kind>s.jsonl`) and, below them, the broad name lists derived
from the Papers with Code task taxonomy (`pwc_<kind>s.txt`, see scripts/make_pwc_lexicon.py),
whose entries are marked `general` and never take a key a curated entry owns.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.defaults import LEXICON_DIR, PATTERN_DIR
from kg.errors import KGError
from kg.extract.phrase_index import FormIndex

__all__ = ["LexEntry", "Lexicon", "LexiconSettings", "load_lexicon", "norm_key", "load_wordlist"]

# "+" is kept: CFG++ and C++ are other things than CFG and C.
_NON_ALNUM = re.compile(r"[^a-z0-9+]+")
_KIND_FILES = {"dataset": "datasets.jsonl", "method": "methods.jsonl", "metric": "metrics.jsonl",
               "task": "tasks.jsonl"}
# Broad lists after the curated ones; datasets first, so a benchmark the taxonomy also lists as a
# task ("Natural Questions") stays a benchmark.
_PWC_FILES = {"dataset": "pwc_datasets.txt", "metric": "pwc_metrics.txt", "task": "pwc_tasks.txt"}
# Classic methods (2015-2021 textbook algorithms, often written in lower case), after every curated kind.
_CLASSIC_FILE = "methods_classic.jsonl"


@dataclass(frozen=True)
class LexiconSettings:
    """Which kinds of the Papers with Code lists are read (scripts/crossval.py switches them)."""

    pwc: frozenset[str] = frozenset(_PWC_FILES)
    classic: bool = True  # read methods_classic.jsonl


#: Read when a lexicon is loaded; the loaded lexicon is cached per setting.
SETTINGS = LexiconSettings()


@lru_cache(maxsize=1 << 17)  # called on the same few thousand names over and over
def norm_key(text: str) -> str:
    """Letters, digits and "+" only, lower case, accents folded: the key two spellings share.

    >>> norm_key("Stable-Diffusion") == norm_key("Stable Diffusion")
    True
    >>> norm_key("GPT-4") == norm_key("GPT-4o"), norm_key("CFG++") == norm_key("CFG")
    (False, False)
    """
    if text.isascii():  # the common case, ten times faster
        return _NON_ALNUM.sub("", text.lower())
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return "".join(c for c in s if c.isalnum() or c == "+")


@dataclass(frozen=True, slots=True)
class LexEntry:
    label: str
    kind: str
    aliases: tuple[str, ...] = ()
    case_sensitive: bool = False
    general: bool = False  # from the broad Papers with Code lists, not the curated ones

    def forms_of(self, text: str) -> list[str]:
        """The entry's label and aliases that `text` spells (same norm_key), in that order."""
        key = norm_key(text)
        return [f for f in (self.label, *self.aliases) if norm_key(f) == key]


@dataclass(slots=True)
class Lexicon:
    entries: list[LexEntry] = field(default_factory=list)
    generic: frozenset[str] = frozenset()  # norm_keys of phrases that never name an entity
    by_key: dict[str, LexEntry] = field(default_factory=dict)  # norm_key of label/alias -> entry
    index: FormIndex | None = None  # every form, made on the first finditer
    # Answers of pure questions about one surface string (kg.extract.entities), kept per lexicon.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def finditer(self, text: str) -> list[tuple[int, int]]:
        """Every lexicon form in `text`, case ignored, leftmost-longest: (start, end) pairs (see FormIndex)."""
        if self.index is None:
            self.index = FormIndex(f for e in self.entries for f in (e.label, *e.aliases))
        return self.index.finditer(text)

    def lookup(self, text: str) -> LexEntry | None:
        return self.by_key.get(norm_key(text))

    def is_generic(self, text: str) -> bool:
        k = norm_key(text)
        return k in self.generic or (k.endswith("s") and k[:-1] in self.generic)


def _add_general(lex: Lexicon, kind: str, line: str) -> None:
    """One line of a broad list ("name" or "name<TAB>acronym"): an entry with the forms no one owns."""
    forms = [f.strip() for f in line.split("\t") if f.strip()]
    free = [f for f in forms if norm_key(f) and norm_key(f) not in lex.by_key]
    if not free or norm_key(forms[0]) in lex.by_key:
        return  # a curated entry knows this name (maybe as another kind): it decides
    # A dataset or metric written with capitals inside ("BLEURT", "GenEval") needs them in the text.
    case = kind != "task" and sum(c.isupper() for c in free[0]) >= 2
    entry = LexEntry(free[0], kind, tuple(free[1:]), case, general=True)
    lex.entries.append(entry)
    for f in free:
        lex.by_key[norm_key(f)] = entry


def load_wordlist(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a text file."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [l.strip() for l in lines if l.strip() and not l.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def common_english() -> tuple[str, ...]:
    """The most frequent English words, most frequent first (lexicon/english_common.txt; see its README)."""
    return tuple(load_wordlist(LEXICON_DIR / "english_common.txt"))


@lru_cache(maxsize=1)
def common_english_words() -> frozenset[str]:
    """common_english() as a set, for membership tests."""
    return frozenset(common_english())


def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    """Read every lexicon file once; a later kind never steals a key an earlier kind owns."""
    return _load_lexicon(directory, SETTINGS.pwc, SETTINGS.classic)


@lru_cache(maxsize=4)
def _load_lexicon(directory: Path, pwc: frozenset[str], classic: bool = True) -> Lexicon:
    lex = Lexicon()
    for kind, name in [*_KIND_FILES.items(), *([("method", _CLASSIC_FILE)] if classic else [])]:
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
    for kind, name in _PWC_FILES.items():
        if kind in pwc:
            for line in load_wordlist(directory / name):
                _add_general(lex, kind, line)
    generic = load_wordlist(directory / "generic.txt") + load_wordlist(PATTERN_DIR / "generic_extra.txt")
    lex.generic = frozenset(norm_key(g) for g in generic if norm_key(g))
    return lex
