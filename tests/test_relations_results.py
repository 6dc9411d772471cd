"""Result sentences of kg.extract.relations and kg.extract.dataset_cues: a result number, words of running
experiments, "building on X", and a method's name before "dataset" (invented sentences)."""

from __future__ import annotations

import pytest
from test_relations import evals

from conftest import claim_pairs
from conftest import run_extraction as run
from kg.extract import dataset_cues, relations

TITLE = "Faster Parsing"


@pytest.mark.parametrize("sentence", [
    "On ZorbBench, the error of FooNet falls to 7.5% with half the labels.",
    "FooNet lowers the error on ZorbBench from 21.4 to 18.2.",
])
def test_a_result_number_makes_a_result_sentence(nlp, sentence):
    assert evals(nlp, sentence, datasets=("ZorbBench",), proposed=("FooNet",)) == {("FooNet", "ZorbBench")}


@pytest.mark.parametrize("sentence", [
    "FooNet queries QuuxLM-3.5 with prompts from ZorbBench.",  # a version number, no result
    "ZorbBench was collected from 12 forums by FooNet's authors.",  # a count, no result
])
def test_a_number_that_is_no_result_gives_nothing(nlp, sentence):
    assert evals(nlp, sentence, methods=("QuuxLM-3.5",), datasets=("ZorbBench",), proposed=("FooNet",)) == set()


def test_the_result_number_rule_can_be_switched_off(nlp, monkeypatch):
    monkeypatch.setattr(relations, "SETTINGS", relations.RelationSettings(result_numbers=False))
    assert evals(nlp, "On ZorbBench, the error of FooNet falls to 7.5%.", datasets=("ZorbBench",),
                 proposed=("FooNet",)) == set()


@pytest.mark.parametrize("sentence", [
    "We run ablations of BarNet across several suites, including ZorbBench and QuuxQA.",
    "We assess BarNet on ZorbBench and QuuxQA.",
])
def test_words_of_running_experiments_are_evaluation_cues(nlp, sentence):
    got = evals(nlp, sentence, methods=("BarNet",), datasets=("ZorbBench", "QuuxQA"))
    assert got == {("BarNet", "ZorbBench"), ("BarNet", "QuuxQA")}


def test_a_sentence_without_such_words_gives_nothing_and_the_cues_switch_off(nlp, monkeypatch):
    assert evals(nlp, "BarNet was released together with ZorbBench.", methods=("BarNet",),
                 datasets=("ZorbBench",)) == set()
    monkeypatch.setattr(relations, "SETTINGS", relations.RelationSettings(more_eval_cues=False))
    assert evals(nlp, "We assess BarNet on ZorbBench.", methods=("BarNet",), datasets=("ZorbBench",)) == set()


@pytest.mark.parametrize("abstract", [
    "We propose FooParser. Building on ZorbLM-7B, we reach 61% accuracy on QuuxQA.",
    "We propose FooParser. Training on ZorbLM-7B outputs, FooParser reaches 61% accuracy on QuuxQA.",
])
def test_what_a_model_is_built_on_is_no_dataset(nlp, abstract):
    ex, kinds = run(nlp, TITLE, abstract)
    assert "ZorbLM-7B" not in kinds.get("dataset", {})
    assert "QuuxQA" in kinds.get("dataset", {})
    assert not any(d == "ZorbLM-7B" for _, d in claim_pairs(ex, "evaluatesOn"))


def test_evaluated_on_still_makes_a_dataset(nlp):
    _, kinds = run(nlp, TITLE, "We propose FooParser. FooParser is evaluated on ZorbQA with 61% accuracy.")
    assert "ZorbQA" in kinds.get("dataset", {})


def test_the_built_on_forms_can_be_switched_off(nlp, monkeypatch):
    monkeypatch.setattr(dataset_cues, "SETTINGS", dataset_cues.DatasetCueSettings(not_on_forms=False))
    _, kinds = run(nlp, TITLE, "We propose FooParser. Building on ZorbLM-7B, we reach 61% accuracy on QuuxQA.")
    assert "ZorbLM-7B" in kinds.get("dataset", {})


@pytest.mark.parametrize("noun", ["dataset", "benchmark"])
def test_a_known_method_before_a_dataset_noun_names_a_dataset(nlp, noun):
    ex, kinds = run(nlp, TITLE, f"We propose FooParser. Experiments on the CycleGAN {noun} show that FooParser "
                                "is accurate.")
    assert "CycleGAN" in kinds.get("dataset", {}) and "CycleGAN" not in kinds.get("method", {})
    assert ("FooParser", "CycleGAN") in claim_pairs(ex, "evaluatesOn")


@pytest.mark.parametrize("abstract", [
    "We propose FooParser. FooParser outperforms CycleGAN on ZorbQA.",
    "We propose FooParser. We train CycleGAN models on ZorbQA.",
    "We propose FooParser. The CycleGAN data are noisy.",  # "data" is no dataset's name
])
def test_a_known_method_without_the_noun_stays_a_method(nlp, abstract):
    _, kinds = run(nlp, TITLE, abstract)
    assert "CycleGAN" in kinds.get("method", {}) and "CycleGAN" not in kinds.get("dataset", {})


def test_the_retyping_can_be_switched_off(nlp, monkeypatch):
    monkeypatch.setattr(dataset_cues, "SETTINGS", dataset_cues.DatasetCueSettings(noun_retypes=False))
    _, kinds = run(nlp, TITLE, "We propose FooParser. Experiments on the CycleGAN dataset show that FooParser "
                               "is accurate.")
    assert "CycleGAN" not in kinds.get("dataset", {})

