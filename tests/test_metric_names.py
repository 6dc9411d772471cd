"""Metric rules of kg.extract.metric_names: each must fire where it should and stay quiet elsewhere.

Every sentence here is invented for the tests; none is taken from the sample corpus or the dev sets.
Each switch of MetricSettings is also turned off once, to show the test depends on it.
"""

from __future__ import annotations

import dataclasses

import pytest

import kg.extract.metric_names as metric_names
from conftest import run_extraction as run


def metrics(nlp, abstract: str, title: str = "Small Detectors for Phones") -> set[str]:
    _, kinds = run(nlp, title, abstract)
    return set(kinds.get("metric", {}))


@pytest.fixture
def switched(monkeypatch):
    """Set one MetricSettings switch for the test."""
    def set_(**kw):
        monkeypatch.setattr(metric_names, "SETTINGS", dataclasses.replace(metric_names.MetricSettings(), **kw))
    return set_


# --- a known metric spelled with capitals inside ------------------------------------------------

def test_map_the_word_is_no_metric(nlp):
    assert "map" not in metrics(nlp, "We let the planner draw a coarse map of the maze before it acts.")


def test_map_the_word_is_read_as_a_metric_without_the_case_rule(nlp, switched):
    switched(case=False)
    assert "map" in metrics(nlp, "We let the planner draw a coarse map of the maze before it acts.")


@pytest.mark.parametrize("sentence,metric", [
    ("Our detector FooDet reaches 41.2 mAP on the detection benchmark.", "mAP"),
    ("Our ranker QuuxRank raises MAP by 3 points over lexical search.", "MAP"),
])
def test_the_metric_with_its_capitals_is_kept(nlp, sentence, metric):
    assert metric in metrics(nlp, sentence)


# --- metrics of the motivation only -------------------------------------------------------------

MOTIVATION = "Edge devices need detectors with low latency and high accuracy. "


def test_a_metric_named_only_before_the_paper_speaks_of_itself_is_dropped(nlp):
    found = metrics(nlp, MOTIVATION + "We propose FooNet, a pruned detector that runs on phones.")
    assert not found & {"latency", "accuracy"}


def test_the_same_metric_reported_later_is_kept(nlp):
    found = metrics(nlp, MOTIVATION + "We propose FooNet, which cuts latency by 40% on phones.")
    assert "latency" in found and "accuracy" not in found


def test_a_metric_in_the_title_is_kept(nlp):
    found = metrics(nlp, MOTIVATION + "We propose FooNet, a pruned detector.", title="Latency of Small Detectors")
    assert "Latency" in found


def test_an_abstract_that_never_speaks_of_itself_keeps_its_metrics(nlp):
    # No sentence says "we", "our" or "this paper": nothing is known to be motivation only.
    assert "latency" in metrics(nlp, MOTIVATION + "FooNet halves the cost of each frame.")


def test_motivation_metrics_are_kept_without_the_background_rule(nlp, switched):
    switched(background=False)
    assert "latency" in metrics(nlp, MOTIVATION + "We propose FooNet, a pruned detector that runs on phones.")


# --- an owner noun before a measure ------------------------------------------------------------

OWNED = "We show that the quantized weights keep a model accuracy of 76.1% on the test split."


def test_model_accuracy_is_accuracy(nlp):
    found = metrics(nlp, OWNED)
    assert "accuracy" in found and "model accuracy" not in found


def test_model_accuracy_without_the_owner_rule(nlp, switched):
    switched(owner=False)
    assert "model accuracy" in metrics(nlp, OWNED)


# --- a known metric in the plural, and glued to a number -----------------------------------------

PLURAL = "We find that our agents reach higher success rates against scripted opponents."
GLUED = "We show that our probe separates the two classes well (AUROC=0.91)."


def test_plural_of_a_known_metric(nlp):
    assert "success rate" in metrics(nlp, PLURAL)


def test_plural_without_the_rule(nlp, switched):
    switched(known_plural=False)
    assert "success rate" not in metrics(nlp, PLURAL)


def test_a_known_metric_glued_to_its_number(nlp):
    assert "AUROC" in metrics(nlp, GLUED)


def test_glued_without_the_rule(nlp, switched):
    switched(glued=False)
    assert "AUROC" not in metrics(nlp, GLUED)


@pytest.mark.parametrize("sentence,word", [
    ("We set the constant C=3 in the bound and k=5 neighbours.", "C"),  # a symbol with a value
    ("We find that our agents reach higher learning rates in the sweep.", "learning rate"),  # not known
])
def test_glued_and_plural_need_a_known_metric(nlp, sentence, word):
    assert word not in metrics(nlp, sentence)
