"""Lexicon data and matching: versions stay apart, spellings meet, common words need their case.

Every text here is written for the tests; none is taken from the sample corpus.
"""

from __future__ import annotations

import json

import pytest

from kg.defaults import LEXICON_DIR
from kg.extract.lexicon import load_lexicon, norm_key
from kg.extract.phrase_index import FormIndex


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


@pytest.mark.parametrize("name", ["datasets", "methods", "metrics", "tasks"])
def test_lexicon_files_are_well_formed(name):
    lines = (LEXICON_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 100
    for line in lines:
        obj = json.loads(line)
        assert obj["label"] and isinstance(obj.get("aliases", []), list)


def test_spelling_variants_share_an_entry(lex):
    assert lex.lookup("GPT4") is lex.lookup("GPT-4")
    assert lex.lookup("LLaMA-2") is lex.lookup("Llama 2")


def test_versions_are_distinct_entries(lex):
    assert lex.lookup("GPT-4o") is not lex.lookup("GPT-4")
    assert lex.lookup("Llama 3") is not lex.lookup("Llama 2")


def test_generic_classes_are_stoplisted(lex):
    for phrase in ("large language models", "diffusion models", "CNNs", "reinforcement learning", "transformers"):
        assert lex.is_generic(phrase), phrase


def test_form_index_finds_separator_variants_and_not_inside_words():
    text = "ImageNet-XL and stable-diffusion beat gpt4 on imagenets"
    found = [text[s:e] for s, e in FormIndex(["ImageNet", "Stable Diffusion", "GPT-4"]).finditer(text)]
    assert found == ["ImageNet", "stable-diffusion", "gpt4"]


def test_every_form_is_found_by_the_trie(lex):
    # A regression guard for the form index: each label must match itself.
    for e in lex.entries[::7]:
        hits = lex.finditer(e.label)
        assert any(norm_key(e.label[s:t]) == norm_key(e.label) for s, t in hits), e.label


def test_versions_and_tuned_variants_are_not_aliases_of_each_other(lex):
    import re
    # An alias that adds a version number or a tuned-variant word to its label is another model.
    variant = re.compile(r"(?i)(?:\bchat\b|\binstruct\b|\bmini\b|\d\.\d)")
    for e in (e for e in lex.entries if e.kind == "method"):
        for a in e.aliases:
            if variant.search(a) and not variant.search(e.label):
                raise AssertionError(f"{a!r} is a variant of {e.label!r}, not a spelling")
