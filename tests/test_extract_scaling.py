"""Extraction on long texts: the linear-time rewrites give the answers the simple versions gave (no timing)."""

import random

from kg.extract.abbreviations import find_abbreviations
from kg.extract.cues import _word_pattern, whole_word_test
from kg.extract.entities import Candidate, _resolve_overlaps

SOURCES = ("abbreviation", "title", "lexicon", "shape")
PRIORITY = {"abbreviation": 4, "title": 3, "lexicon": 2, "shape": 1}


def reference_overlaps(cands):
    """The plain quadratic rule: longer first, then surer source, then earlier; keep what overlaps nothing kept."""
    order = sorted(cands, key=lambda c: (-(c.end - c.start), -PRIORITY[c.source], c.start))
    kept = []
    for c in order:
        if not any(c.start < k.end and k.start < c.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def make(start, end, source="shape"):
    return Candidate(f"w{start}-{end}", start, end, 0, None, 0.5, source)


def test_many_overlapping_spans_resolve_like_the_reference():
    rnd = random.Random(7)
    for _ in range(50):
        spans = []
        for _ in range(rnd.randint(0, 300)):
            a = rnd.randint(0, 400)
            spans.append((a, a + rnd.randint(1, 25), rnd.choice(SOURCES)))
        want = [(c.start, c.end, c.source) for c in reference_overlaps([make(*s) for s in spans])]
        got = [(c.start, c.end, c.source) for c in _resolve_overlaps([make(*s) for s in spans])]
        assert got == want


def test_a_long_text_of_nested_spans_keeps_only_the_outermost():
    # 5,000 names, each with three spans inside it: the quadratic version compared every pair.
    cands = []
    for i in range(5000):
        s = i * 20
        cands += [make(s + 2, s + 6, "lexicon"), make(s, s + 12, "shape"), make(s + 1, s + 12, "abbreviation"),
                  make(s + 8, s + 10, "title")]
    kept = _resolve_overlaps(cands)
    assert [(c.start, c.end) for c in kept] == [(i * 20, i * 20 + 12) for i in range(5000)]


def test_equal_spans_prefer_the_surer_source_and_touching_spans_both_stay():
    kept = _resolve_overlaps([make(0, 5, "shape"), make(0, 5, "title"), make(5, 9, "lexicon")])
    assert [(c.start, c.end, c.source) for c in kept] == [(0, 5, "title"), (5, 9, "lexicon")]


def test_empty_spans_are_judged_as_by_the_reference():
    spans = [(3, 3, "shape"), (0, 6, "lexicon"), (6, 6, "title"), (6, 9, "shape"), (12, 12, "shape"), (10, 14, "title")]
    want = [(c.start, c.end) for c in reference_overlaps([make(*s) for s in spans])]
    assert [(c.start, c.end) for c in _resolve_overlaps([make(*s) for s in spans])] == want


def test_acronym_definitions_deep_in_a_long_text_keep_their_offsets():
    filler = "We then report several further results on the held out split. " * 400
    parts, expected = [], []
    for i, (long, short) in enumerate([("Gradient Echo Sampling", "GES"), ("Sparse Token Mixing", "STM"),
                                       ("Quantized Rotary Attention", "QRA")] * 20):
        prefix = "".join(parts) + filler + f"In part {i} we use "
        expected.append((short, long, len(prefix) + len(long) + 2, len(prefix)))
        parts.append(filler + f"In part {i} we use {long} ({short}). ")
    found = find_abbreviations("".join(parts))
    assert [(a.short, a.long, a.short_start, a.long_start) for a in found] == expected


def test_short_form_before_its_long_form_after_a_long_prefix():
    text = "x " * 20000 + "Our method, GES (Gradient Echo Sampling), is fast."
    (ab,) = find_abbreviations(text)
    assert (ab.short, ab.long, text[ab.short_start:ab.short_start + 3]) == ("GES", "Gradient Echo Sampling", "GES")


def test_eval_cue_lookup_answers_as_the_alternation_does():
    words = frozenset({"results", "state-of-the-art", "test", "show"})
    test = whole_word_test(words)
    pattern = _word_pattern(words)
    for text in ["the results hold", "resultsx", "pre-test", "test-time", "a state-of-the-art model", "shows",
                 "we show_", "show", "", "state-of-the-artist", "(test)"]:
        assert test(text) == (pattern.search(text) is not None), text


def test_repo_urls_are_found_where_the_plain_scan_finds_them():
    from kg.extract.repos import _REPO_URL, _repo_urls

    for text in ["see https://www.github.com/a/b and http://gitlab.com/c/d.", "xhttps://github.com/o/r",
                 "github.org/a/b", "wwww.github.com/a/b", "https://GitHub.COM/A/B/tree", "bitbucket.org/x", "a.com/ github.com/o/r.git",
                 "https://github.com/https://github.com/a/b", ""]:
        assert [m.span() for m in _repo_urls(text)] == [m.span() for m in _REPO_URL.finditer(text)], text


def test_variant_spellings_of_a_proposed_name_are_found_as_by_the_regex():
    import re

    from kg.extract.variants import _GAP, VariantFinder

    keys = ("foonet3", "foonet")
    regex = re.compile(r"(?<![a-z0-9])(?:" + "|".join(_GAP.join(k) for k in keys) + r")(?![a-z0-9])")
    for low in ["we use foo-net 3 here", "foo net and foonet3", "xfoonet", "foonets", "f\"oo net", "foo  net",
                "f.-.oonet", "foonet-3", ""]:
        assert VariantFinder(keys).spans(low) == [m.span() for m in regex.finditer(low)], low


def test_text_only_and_tokenized_pipelines_extract_the_same():
    from kg.extract import extract
    from kg.extract.pipeline import build_nlp
    from kg.records import Paper

    paper = Paper("k", "ZephyrNet: Tiny Models", "We propose ZephyrNet (ZN).  It outperforms FooNet on the Zorblax "
                  "benchmark.\nCode: https://github.com/org/zephyr.", "test:1")
    assert extract(paper, build_nlp()) == extract(paper, build_nlp(tokenize=True))
    doc = build_nlp(tokenize=True)("A Title\n\nWe use e.g. BERT. It works!")
    assert [s.text.strip() for s in doc.sents] == ["A Title", "We use e.g. BERT.", "It works!"]
