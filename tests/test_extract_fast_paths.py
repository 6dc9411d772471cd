"""The extractor's fast paths give what the plain regex each one replaces gives (invented strings, seeded fuzz)."""

from __future__ import annotations

import random
import re

import pytest

from kg.extract.abbreviations import _last_words_start
from kg.extract.compared import is_compared
from kg.extract.cues import load_cues
from kg.extract.junk import _is_person
from kg.extract.metric_names import _head_matches, _metric_forms
from kg.extract.urls import _URL, url_spans


def _fuzz(pieces: list[str], n: int, longest: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, longest))) for _ in range(n)]


def test_url_spans_are_the_regex_spans():
    pieces = ["http://", "https://", "www.", "github.com/", "lab.io/", "x.ai/", "a.org/", "net/", "Foo", "bar",
              " ", "\n", "\u2003", ".", "-", "_", "/", "(", ")", "é"]
    texts = ["Code: https://github.com/lab/FooNet_cvpr and www.foo.org.", "see lab.ai/x, or foo.com/bar baz.com"]
    for text in texts + _fuzz(pieces, 3000, 12, 1):
        assert url_spans(text) == [m.span() for m in _URL.finditer(text)], text


def _last_words_reference(text: str, end: int, n: int) -> int:
    """The rule as it was: a match object per word of the window."""
    size = 64 * (n + 1)
    while True:
        lo = max(0, end - size)
        words = list(re.compile(r"\S+").finditer(text, lo, end))
        if lo == 0 or len(words) > n:
            last = words[-n:]
            return last[0].start() if last else -1
        size *= 4


def test_last_words_start_is_where_the_last_n_words_start():
    assert _last_words_start("we use masked  image modeling", 29, 3) == 7
    assert _last_words_start("   ", 3, 2) == -1
    pieces = ["a", "bc", "x-y", " ", "  ", "\t", "\n", "\xa0", "\u2003", "(", "é"]
    for text in _fuzz(pieces, 3000, 300, 2):
        for end in {0, len(text), len(text) // 2}:
            for n in (1, 3, 7):
                assert _last_words_start(text, end, n) == _last_words_reference(text, end, n), (text, end, n)


def _is_person_reference(name: str, text: str) -> bool:
    n = re.escape(name)
    return re.search(rf"\b{n}(?:\s+et\s+al\b|\s*\(\d{{4}}|\s+and\s+[A-Z][a-z]+\s*\(?\d{{4}}|['’]s\b)", text) is not None


@pytest.mark.parametrize("text, cited", [
    ("as shown by Harlow et al. (2019)", True), ("Harlow (2019) shows", True), ("Harlow and Lee (2019)", True),
    ("Harlow's rule", True), ("McHarlow et al.", False), ("Harlow is a model", False), ("xHarlow et al", False),
])
def test_a_cited_surname_is_a_person(text, cited):
    assert _is_person("Harlow", text) is cited


def test_is_person_agrees_with_one_compiled_pattern_per_name():
    pieces = ["Harlow", "McCoy", "O'Neil", " et al", " (2019)", "(2020", " and Smith (2019)", "'s", "’s", "x", "_",
              " ", "é", "-"]
    for text in _fuzz(pieces, 3000, 8, 3):
        for name in ("Harlow", "McCoy", "O'Neil"):
            assert _is_person(name, text) == _is_person_reference(name, text), (name, text)


def test_metric_heads_are_the_regex_matches():
    heads = _metric_forms()[0]
    pieces = ["accuracy", "error", "errors", "rate", "rates", "ratio", "score", "loss", "gap", "regret", "accurate",
              "-", " ", "x", "top-", "1", "_"]
    for low in ["the error rate of 4% and a win rates gap", "low-loss, generate scores"] + _fuzz(pieces, 3000, 10, 4):
        assert [m.span() for m in _head_matches(heads, low)] == [m.span() for m in heads.finditer(low)], low


def test_is_compared_reads_a_cue_of_any_length():
    cues = load_cues()
    assert is_compared(["clearly", "outperforms"], [], cues)
    assert is_compared(["outperforms", "the"], [], cues)  # "the", "both", "all" may stand between
    assert not is_compared(["we", "use"], ["for", "training"], cues)
