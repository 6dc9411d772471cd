"""Method names from general knowledge: classic methods (methods_classic.jsonl) and known long forms in lower case."""

from __future__ import annotations

import json

import pytest

import kg.extract.entities as entities
import kg.extract.lexicon as lexicon
from conftest import run_extraction
from kg.defaults import LEXICON_DIR
from kg.extract.lexicon import load_lexicon, norm_key


def _methods(nlp, title: str, abstract: str) -> set[str]:
    return set(run_extraction(nlp, title, abstract)[1].get("method", {}))


@pytest.mark.parametrize("abstract, name", [
    ("We regularise the QuokkaNet policy with dropout and report results on FrobBench.", "dropout"),
    ("Sentences are decoded with beam search, which we compare with sampling.", "beam search"),
    ("Posterior samples are drawn by Gibbs sampling over the latent topics.", "Gibbs sampling"),
    ("A tagger built on an LSTM-CRF labels the tokens of each review.", "LSTM-CRF"),
])
def test_classic_methods_are_found(nlp, abstract, name):
    assert name in _methods(nlp, "Zebra Tagging", abstract)


@pytest.mark.parametrize("abstract, name", [
    ("Adding batch normalization to every block of QuokkaNet speeds up training.", "batch normalization"),
    ("We protect old tasks with elastic weight consolidation while learning new ones.", "elastic weight consolidation"),
])
def test_a_known_long_form_is_found_in_lower_case(nlp, abstract, name):
    assert name in _methods(nlp, "Zebra Memory", abstract)


@pytest.mark.parametrize("abstract, absent", [
    ("We fine-tune a vision transformer on aerial zebra photographs.", "vision transformer"),
    ("We compare latent diffusion models with autoregressive samplers.", "latent diffusion models"),
    ("A falcon hunting zebras is tracked by QuokkaNet in aerial video.", "falcon"),  # one word: Falcon only
])
def test_generic_classes_and_plain_words_are_no_lower_case_names(nlp, abstract, absent):
    assert absent not in {m.lower() for m in _methods(nlp, "Zebra Vision", abstract)}


def test_the_lower_case_rule_has_a_switch(nlp):
    abstract = "We protect old tasks with elastic weight consolidation while learning new ones."
    saved = entities.SETTINGS
    entities.SETTINGS = entities.EntitySettings(lower_long_forms=False)
    try:
        assert "elastic weight consolidation" not in _methods(nlp, "Zebra Memory", abstract)
    finally:
        entities.SETTINGS = saved


def test_the_classic_list_has_a_switch_and_never_takes_a_curated_name():
    saved = lexicon.SETTINGS
    try:
        lexicon.SETTINGS = lexicon.LexiconSettings(classic=False)
        assert load_lexicon().lookup("beam search") is None
        lexicon.SETTINGS = lexicon.LexiconSettings()
        assert load_lexicon().lookup("beam search").kind == "method"
    finally:
        lexicon.SETTINGS = saved
    def labels(name: str) -> set[str]:
        lines = (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines()
        return {norm_key(json.loads(line)["label"]) for line in lines if line.strip()}

    classic = labels("methods_classic.jsonl")
    assert classic and not classic & labels("methods.jsonl")
