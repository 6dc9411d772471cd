"""Rule families of the extractor, each with an example that must fire and one that must not.

Every text here is written for the tests; none is taken from the sample corpus.
"""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.extract.abbreviations import find_abbreviations
from kg.extract.repos import find_repos
from kg.nlp import build_nlp
from kg.records import Paper


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def run(nlp, title, abstract):
    ex = extract(Paper("k", title, abstract, "test:1"), nlp)
    by_kind = {}
    for m in ex.mentions:
        by_kind.setdefault(m.kind, {})[m.text] = m
    return ex, by_kind


def claims(ex, predicate):
    return {(c.subject, c.object) for c in ex.claims if c.predicate == predicate}


# --- repositories -------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("Code: https://github.com/acme/FooNet.", ["https://github.com/acme/FooNet"]),
    ("(see github.com/acme/foo-net)", ["https://github.com/acme/foo-net"]),
    ("at https://github.com/acme/foo.git/tree/main/src", ["https://github.com/acme/foo"]),
    ("mirrored at https://gitlab.com/lab/tool and bitbucket.org/team/x_y.", ["https://gitlab.com/lab/tool", "https://bitbucket.org/team/x_y"]),
])
def test_repo_urls_in_odd_forms_are_normalised(text, expected):
    assert find_repos(text) == expected


@pytest.mark.parametrize("text", [
    "Project page: https://acme.github.io/foonet/",
    "Weights: https://huggingface.co/acme/foonet",
    "See https://github.com/topics/diffusion for more.",
])
def test_project_pages_and_hubs_are_not_repos(text):
    assert find_repos(text) == []


# --- abbreviations ------------------------------------------------------------------------

def test_long_form_then_acronym():
    (ab,) = find_abbreviations("We present Gradient Echo Sampling (GES) for planning.")
    assert (ab.short, ab.long) == ("GES", "Gradient Echo Sampling")


def test_acronym_then_long_form():
    (ab,) = find_abbreviations("Our method, GES (Gradient Echo Sampling), is fast.")
    assert (ab.short, ab.long) == ("GES", "Gradient Echo Sampling")


@pytest.mark.parametrize("text", ["a loss (e.g., hinge) is used", "the model (see below) works", "results (Table 2) show"])
def test_asides_in_parentheses_are_not_acronyms(text):
    assert find_abbreviations(text) == []


def test_acronym_and_long_form_are_one_entity(nlp):
    _, kinds = run(nlp, "Fast Planning", "We propose Gradient Echo Sampling (GES). GES is simple.")
    (m,) = kinds["method"].values()
    assert m.text == "GES" and "Gradient Echo Sampling" in m.aliases and m.proposed


# --- proposed methods ---------------------------------------------------------------------

def test_title_prefix_names_the_proposed_method(nlp):
    _, kinds = run(nlp, "ZephyrNet: Tiny Models for Edge Vision", "We study small networks.")
    assert kinds["method"]["ZephyrNet"].proposed


def test_title_prefix_of_a_benchmark_is_a_dataset_not_proposed(nlp):
    _, kinds = run(nlp, "QuuxBench: A Benchmark for Table Reasoning", "We evaluate models on it.")
    assert "QuuxBench" in kinds["dataset"]
    assert not any(m.proposed for m in kinds.get("method", {}).values())


@pytest.mark.parametrize("sentence", [
    "We introduce FlowMixer, a model for audio.",
    "We propose a simple framework, termed FlowMixer, for audio.",
    "Our FlowMixer handles long audio.",
])
def test_propose_cues(nlp, sentence):
    _, kinds = run(nlp, "Audio Mixing at Scale", sentence)
    assert kinds["method"]["FlowMixer"].proposed


def test_a_known_baseline_is_not_proposed(nlp):
    _, kinds = run(nlp, "Audio Mixing at Scale", "We propose FlowMixer and compare it with ResNet-50.")
    assert kinds["method"]["FlowMixer"].proposed
    assert not kinds["method"]["ResNet-50"].proposed


# --- generic phrases are never entities -------------------------------------------------

@pytest.mark.parametrize("phrase", ["LLMs", "Large Language Models", "Transformers", "Our method", "State-of-the-art methods"])
def test_generic_phrases_are_not_entities(nlp, phrase):
    ex, _ = run(nlp, "A Study", f"{phrase} are widely used. In contrast, {phrase} often fail.")
    assert all(m.text.lower() != phrase.lower() for m in ex.mentions)


def test_title_cased_compounds_are_not_names(nlp):
    ex, _ = run(nlp, "Training-Free Zero-Shot Test-Time Adaptation", "We study adaptation.")
    assert not any(m.kind == "method" for m in ex.mentions)


# --- datasets -----------------------------------------------------------------------------

def test_dataset_by_cue_word_and_list(nlp):
    _, kinds = run(nlp, "Better Parsing", "Experiments on the Zorblax dataset, FooCorp and QuuxQA show gains.")
    assert {"Zorblax", "QuuxQA"} <= set(kinds["dataset"])


def test_based_on_a_model_is_not_a_dataset(nlp):
    _, kinds = run(nlp, "Better Parsing", "Our parser is built on FooBERT and evaluated carefully.")
    assert "FooBERT" in kinds["method"]


# --- tasks --------------------------------------------------------------------------------

def test_task_from_title_phrase_is_normalised(nlp):
    _, kinds = run(nlp, "Robust Semi-Supervised Node Classification with Noisy Graphs", "We study graphs.")
    assert any("node classification" in t for t in kinds["task"])


def test_bare_head_is_not_a_task(nlp):
    _, kinds = run(nlp, "On Learning", "Learning is hard.")
    assert "learning" not in kinds.get("task", {})


# --- relations ----------------------------------------------------------------------------

def test_outperforms_two_baselines_gives_two_claims(nlp):
    ex, _ = run(nlp, "ZephyrNet: Tiny Models", "ZephyrNet outperforms FooNet and BarNet on the Zorblax benchmark.")
    assert claims(ex, "improvesOver") == {("ZephyrNet", "FooNet"), ("ZephyrNet", "BarNet")}
    assert ("ZephyrNet", "Zorblax") in claims(ex, "evaluatesOn")
    (c, *_) = [c for c in ex.claims if c.object == "FooNet"]
    assert c.evidence.startswith("ZephyrNet outperforms") and 0 < c.confidence <= 1


def test_underperforms_reverses_the_direction(nlp):
    ex, _ = run(nlp, "A Study of Baselines", "FooNet underperforms BarNet in every setting.")
    assert claims(ex, "improvesOver") == {("BarNet", "FooNet")}


def test_negated_comparison_gives_no_claim(nlp):
    ex, _ = run(nlp, "A Study of Baselines", "FooNet does not outperform BarNet.")
    assert claims(ex, "improvesOver") == set()


def test_self_reference_resolves_to_the_proposed_method(nlp):
    ex, _ = run(nlp, "ZephyrNet: Tiny Models", "Our method outperforms FooNet by a wide margin.")
    assert claims(ex, "improvesOver") == {("ZephyrNet", "FooNet")}


def test_unnamed_competitors_give_no_claim(nlp):
    ex, _ = run(nlp, "ZephyrNet: Tiny Models", "ZephyrNet outperforms state-of-the-art methods.")
    assert claims(ex, "improvesOver") == set()
