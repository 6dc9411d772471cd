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

__all__ = ["LexEntry", "Lexicon", "LexiconSettings", "load_lexicon", "norm_key", "load_wordlist", "form_pattern"]

# "+" is kept: CFG++ and C++ are other things than CFG and C.
_NON_ALNUM = re.compile(r"[^a-z0-9+]+")
_KIND_FILES = {"dataset": "datasets.jsonl", "method": "methods.jsonl", "metric": "metrics.jsonl",
               "task": "tasks.jsonl"}
# Broad lists after the curated ones; datasets first, so a benchmark the taxonomy also lists as a
# task ("Natural Questions") stays a benchmark.
_PWC_FILES = {"dataset": "pwc_datasets.txt", "metric": "pwc_metrics.txt", "task": "pwc_tasks.txt"}


@dataclass(frozen=True)
class LexiconSettings:
    """Which kinds of the Papers with Code lists are read (scripts/crossval.py switches them)."""

    pwc: frozenset[str] = frozenset(_PWC_FILES)


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


@dataclass(slots=True)
class Lexicon:
    entries: list[LexEntry] = field(default_factory=list)
    generic: frozenset[str] = frozenset()  # norm_keys of phrases that never name an entity
    by_key: dict[str, LexEntry] = field(default_factory=dict)  # norm_key of label/alias -> entry
    prefixes: frozenset[str] = frozenset()  # every prefix of every key, to stop n-grams early
    pattern: re.Pattern | None = None  # one trie-shaped regex of every form (see form_pattern)
    # Answers of pure questions about one surface string (kg.extract.entities), kept per lexicon.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def finditer(self, text: str):
        """Every lexicon form in `text`, case ignored, leftmost-longest: (start, end) pairs."""
        if self.pattern is None:
            self.pattern = form_pattern([f for e in self.entries for f in (e.label, *e.aliases)])
        low = text.lower()
        if len(low) == len(text):
            # Matching lowered text with a case-sensitive regex is three times faster than re.I.
            return [m.span() for m in self.pattern.finditer(low)]
        return [m.span() for m in re.compile(self.pattern.pattern, re.IGNORECASE).finditer(text)]

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


# A form is split into units (letter runs, digit runs, runs of "+"; other symbols are ignored as norm_key does);
# between two units the text may put one separator or none, so "GPT-4" also finds "GPT4" and "Llama 2" finds "LLaMA-2".
_UNIT = re.compile(r"[^\W\d_]+|\d+|\++")
_SEP = r"(?:\s?[&+]\s?|[\s\-_./·'@()]|--)?"


def _units(form: str) -> tuple[str, ...]:
    return tuple(u.lower() for u in _UNIT.findall(form))


def form_pattern(forms: list[str]) -> re.Pattern:
    """One regex matching any of `forms`, built as a character trie so it fails fast at each word.

    Between two letter units the text must separate them as the form does (one space, hyphen,
    dot...); around a digit unit the separator is optional ("GPT4" = "GPT-4").

    >>> [m.group() for m in form_pattern(["GPT-4", "GPT-4o", "Llama 2", "MultiPL-E"]).finditer(
    ...     "gpt4o beats llama-2 and gpt-4 on multiple tasks.")]
    ['gpt4o', 'llama-2', 'gpt-4']
    """
    trie: dict = {}
    for f in forms:
        units = _units(f)
        if not units:
            continue
        seq: list[str] = []
        for i, u in enumerate(units):
            if i:
                both_alpha = u[0].isalpha() and units[i - 1][-1].isalpha()
                seq.append("\x01" if both_alpha else "\x02")  # mandatory / optional separator
            seq.extend(u)
        node = trie
        for ch in seq:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, prev: str) -> str:
        alts = []
        for k in sorted(k for k in node if k):
            child = node[k]
            if k == "\x01":
                head = _SEP_MANDATORY
            elif k == "\x02":
                head = _SEP
            else:
                head = re.escape(k)
            rest = emit(child, k) if any(child) else ""
            end = ""
            if "" in child and k not in ("\x01", "\x02"):
                # A form ends here: not inside a longer word ("Image" in "ImageNet").
                end = r"(?![^\W\d_])" if k.isalpha() else r"(?!\d)"
            if rest and "" in child:
                alts.append(f"{head}(?:{rest}|{end})")
            elif rest:
                alts.append(head + (rest if len(rest) == 1 or _single(child) else f"(?:{rest})"))
            else:
                alts.append(head + end)
        return "|".join(alts)

    return re.compile(r"(?<![\w\-])(?:" + emit(trie, "") + ")")


def _single(node: dict) -> bool:
    """True if the subtrie is one chain (so its regex needs no group)."""
    while True:
        keys = [k for k in node]
        if len(keys) != 1:
            return not keys
        if keys[0] == "":
            return True
        node = node[keys[0]]


_SEP_MANDATORY = r"(?:\s?[&+]\s?|[\s\-_./·'@()]|--)"


def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    """Read every lexicon file once; a later kind never steals a key an earlier kind owns."""
    return _load_lexicon(directory, SETTINGS.pwc)


@lru_cache(maxsize=4)
def _load_lexicon(directory: Path, pwc: frozenset[str]) -> Lexicon:
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
    for kind, name in _PWC_FILES.items():
        if kind in pwc:
            for line in load_wordlist(directory / name):
                _add_general(lex, kind, line)
    lex.prefixes = frozenset(k[:i] for k in lex.by_key for i in range(1, len(k) + 1))
    generic = load_wordlist(directory / "generic.txt") + load_wordlist(PATTERN_DIR / "generic_extra.txt")
    lex.generic = frozenset(norm_key(g) for g in generic if norm_key(g))
    return lex
