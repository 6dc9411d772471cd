"""The cue-word lists of the rule families, read once from patterns/ (data, not code)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.defaults import PATTERN_DIR
from kg.extract.lexicon import load_wordlist

__all__ = ["Cues", "load_cues", "whole_word_test"]


@dataclass(frozen=True, slots=True)
class Cues:
    propose_verbs: frozenset[str]
    naming_cues: tuple[str, ...]
    dataset_nouns: frozenset[str]
    dataset_suffixes: tuple[str, ...]
    eval_cues: frozenset[str]
    improve_cues: tuple[str, ...]
    inverse_cues: tuple[str, ...]
    negations: tuple[str, ...]
    self_refs: tuple[str, ...]
    task_heads: frozenset[str]

    def __hash__(self) -> int:
        # The rules' caches are keyed by the cues: hashing every field's tuple of phrases on each
        # call cost more than some of the cached answers. Equal cues have equal verb sets, and a
        # frozenset keeps its hash once made.
        return hash(self.propose_verbs)


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    raw = json.loads((PATTERN_DIR / "cues.json").read_text(encoding="utf-8"))
    # Longest phrases first, so "improves over" is tried before "improves".
    by_len = lambda xs: tuple(sorted(set(xs), key=lambda s: (-len(s), s)))  # noqa: E731
    return Cues(
        propose_verbs=frozenset(raw["propose_verbs"]),
        naming_cues=by_len(raw["naming_cues"]),
        dataset_nouns=frozenset(raw["dataset_nouns"]),
        dataset_suffixes=tuple(raw["dataset_suffixes"]),
        eval_cues=frozenset(raw["eval_cues"]),
        improve_cues=by_len(raw["improve_cues"]),
        inverse_cues=by_len(raw["inverse_cues"]),
        negations=by_len(raw["negations"]),
        self_refs=by_len(raw["self_refs"]),
        task_heads=frozenset(load_wordlist(PATTERN_DIR / "task_heads.txt")),
    )


@lru_cache(maxsize=4)
def _word_pattern(words: frozenset[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?![\w-])")


_RUN = re.compile(r"[\w-]+")


@lru_cache(maxsize=4)
def whole_word_test(words: frozenset[str]):
    """Does a lower-cased text hold one of `words` as a whole word (see _word_pattern)?

    Words made of word characters and hyphens only are whole [\\w-]+ runs of the text, so a
    set lookup of the runs answers, far faster than the alternation's try at every character.
    """
    if all(_RUN.fullmatch(w) for w in words):
        return lambda low: not words.isdisjoint(_RUN.findall(low))
    pattern = _word_pattern(words)
    return lambda low: pattern.search(low) is not None
