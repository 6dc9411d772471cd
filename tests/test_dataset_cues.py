"""Dataset cues of kg.extract.dataset_cues: a plural dataset noun before a name, a dataset apposition after it."""

from __future__ import annotations

import pytest

from conftest import claim_pairs as claims
from conftest import run_extraction as run
from kg.extract import dataset_cues

TITLE = "Faster Parsing"


@pytest.mark.parametrize("abstract, names", [
    ("We propose FooParser. Experimental results on benchmarks ZorbFlat and QuuxMaps show that FooParser is "
     "effective.", {"ZorbFlat", "QuuxMaps"}),
    ("We propose FooParser. We report results on the datasets ZorbFlat, QuuxMaps and BlipLogs.",
     {"ZorbFlat", "QuuxMaps", "BlipLogs"}),
    ("The benchmarks ZorbFlat and QuuxMaps hold questions about maps.", {"ZorbFlat", "QuuxMaps"}),
    ("We evaluate two parsers on the ZorbBank, an English corpus of spoken dialogues.", {"ZorbBank"}),
    ("We study ZorbBank, a new dataset of naturally occurring questions.", {"ZorbBank"}),
])
def test_dataset_cues_fire(nlp, abstract, names):
    _, kinds = run(nlp, TITLE, abstract)
    assert names <= set(kinds.get("dataset", {}))


@pytest.mark.parametrize("abstract, name", [
    ("We propose ZorbNet, a model trained on a large dataset of questions.", "ZorbNet"),
    ("We propose ZorbNet, a framework that builds datasets from logs.", "ZorbNet"),
    ("We compare ZorbNet, which needs no dataset, with BlipNet.", "ZorbNet"),
    ("Unlike prior datasets, ZorbNet needs no labels.", "ZorbNet"),  # the noun is not right before it
])
def test_dataset_cues_do_not_fire(nlp, abstract, name):
    _, kinds = run(nlp, TITLE, abstract)
    assert name not in kinds.get("dataset", {})


def test_the_proposed_method_is_evaluated_on_benchmarks_named_after_the_noun(nlp):
    ex, _ = run(nlp, TITLE, "We propose FooParser. Experimental results on benchmarks ZorbFlat and QuuxMaps show "
                            "that FooParser is effective.")
    assert {("FooParser", "ZorbFlat"), ("FooParser", "QuuxMaps")} <= claims(ex, "evaluatesOn")


def test_the_cues_can_be_switched_off(nlp, monkeypatch):
    monkeypatch.setattr(dataset_cues, "SETTINGS", dataset_cues.DatasetCueSettings(noun_before=False,
                                                                                  apposition=False))
    _, kinds = run(nlp, TITLE, "We study ZorbBank, a new dataset of naturally occurring questions.")
    assert "ZorbBank" not in kinds.get("dataset", {})
    _, kinds = run(nlp, TITLE, "We propose FooParser. Experimental results on benchmarks ZorbFlat and QuuxMaps "
                               "show that FooParser is effective.")
    assert not {"ZorbFlat", "QuuxMaps"} & set(kinds.get("dataset", {}))


@pytest.mark.parametrize("abstract, method", [
    ("We propose FooParser. On ZorbBank, BlipNet is outperformed by FooParser.", "BlipNet"),
    ("We propose FooParser. In our experiments on ZorbBank, QuuxNet is beaten by FooParser.", "QuuxNet"),
])
def test_a_name_after_a_leading_on_phrase_is_no_list_member(nlp, abstract, method):
    ex, kinds = run(nlp, TITLE, abstract)
    assert method in kinds.get("method", {}) and "ZorbBank" in kinds.get("dataset", {})
    assert ("FooParser", "ZorbBank") in claims(ex, "evaluatesOn")
    assert ("FooParser", method) not in claims(ex, "evaluatesOn")


@pytest.mark.parametrize("abstract, names", [
    ("We propose FooParser and test it on ZorbBank, QuuxMaps and BlipLogs.", {"ZorbBank", "QuuxMaps", "BlipLogs"}),
    # The list goes on past the second name with names no rule finds (lower case).
    ("FooParser keeps its accuracy on common tests such as SQuAD, QuuxMaps, blip and blop.", {"SQuAD", "QuuxMaps"}),
])
def test_a_list_that_goes_on_still_shares_its_kind(nlp, abstract, names):
    _, kinds = run(nlp, TITLE, abstract)
    assert names <= set(kinds.get("dataset", {}))


def test_the_comma_pair_rule_has_a_switch(nlp, monkeypatch):
    monkeypatch.setattr(dataset_cues, "SETTINGS", dataset_cues.DatasetCueSettings(comma_pairs=False))
    _, kinds = run(nlp, TITLE, "We propose FooParser. On ZorbBank, BlipNet is outperformed by FooParser.")
    assert "BlipNet" in kinds.get("dataset", {})
