"""Proposed names away from their propose verb (kg.extract.proposals, used by kg.extract.roles).

Numbered parts of the paper's method, names given later ("we refer to ... as X"), "(i.e., X)",
and the stricter readings of the cues. Each rule has sentences it must and must not fire on; every
text is invented for these tests, none taken from the sample corpus or the labelled dev sets.
"""

from __future__ import annotations

import pytest

import kg.extract.proposals as proposals
from conftest import claim_pairs as claims
from conftest import run_extraction as run

TITLE = "Better Image Models"


def proposed(ex):
    return {m.text for m in ex.mentions if m.proposed} | {a for m in ex.mentions if m.proposed for a in m.aliases}


PARTS = [
    # numbered items after "N part-nouns:" in a sentence of ours
    ("We present ZorGen, an image generator. Our method has two novel branches: 1) Shape Mixing Branch keeps "
     "the layout; 2) Tone Mixing Branch keeps the colours.", {"Shape Mixing Branch", "Tone Mixing Branch"}),
    # an item's acronym stands for it; a hyphenated one-word name
    ("We present ZorGen, a route planner. Our planner combines two simple techniques: 1) Quill-step: it prunes "
     "dead ends early. Quill-step costs little; 2) Dual Quill Tuning (DQT): DQT tunes both costs.", {"Quill-step", "DQT"}),
    # the "Name: what it does" form, a name right after the colon, a part-name holding a known one
    ("We present ZorGen, a route planner. We add two modules:Cost-Aware Edge Sampling: it samples "
     "edges.Ring Memory Pooling: it pools states.", {"Cost-Aware Edge Sampling", "Ring Memory Pooling"}),
]


@pytest.mark.parametrize("abstract,names", PARTS)
def test_numbered_parts_of_our_method_are_proposed(nlp, abstract, names):
    ex, _ = run(nlp, TITLE, abstract)
    assert names <= proposed(ex)


@pytest.mark.parametrize("abstract,name", [
    # someone else's method
    ("Prior detectors use two branches: 1) Shape Mixing Branch keeps the layout; 2) Tone Mixing Branch keeps "
     "the colours.", "Shape Mixing Branch"),
    # a count of benchmarks is no list of parts
    ("We evaluate ZorGen on two benchmarks: 1) Quill Scenes holds photos; 2) Tone Scenes holds drawings.",
     "Quill Scenes"),
    # an item beyond the count
    ("Our model has two modules: 1) Shape Mixing keeps the layout; 2) Tone Mixing keeps colours; 3) Edge Mixing "
     "keeps edges.", "Edge Mixing"),
])
def test_numbered_items_that_are_no_parts_of_ours(nlp, abstract, name):
    ex, _ = run(nlp, TITLE, abstract)
    assert name not in proposed(ex)


def test_methods_listed_with_clauses_after_two_methods_are_proposed_and_evaluated(nlp):
    ex, _ = run(nlp, TITLE, "We propose two methods: QuuxA, which prunes heads, and QuuxB, which merges layers. "
                "Experiments on ZedScenes show large gains.")
    assert {"QuuxA", "QuuxB"} <= proposed(ex)
    # methods, not parts of one: both are the subjects of the paper's results
    assert {("QuuxA", "ZedScenes"), ("QuuxB", "ZedScenes")} <= claims(ex, "evaluatesOn")


def test_parts_are_no_subject_of_our_results(nlp):
    ex, _ = run(nlp, TITLE, PARTS[0][0] + " Experiments on ZedScenes show that ZorGen is accurate.")
    pairs = claims(ex, "evaluatesOn")
    assert ("ZorGen", "ZedScenes") in pairs
    assert not {s for s, _ in pairs} & PARTS[0][1]


def test_numbered_parts_switch_off(nlp, monkeypatch):
    monkeypatch.setattr(proposals, "SETTINGS", proposals.ProposalSettings(numbered_parts=False))
    ex, _ = run(nlp, TITLE, PARTS[0][0])
    assert not PARTS[0][1] & proposed(ex)


@pytest.mark.parametrize("abstract,name", [
    ("We prune a large student network layer by layer. We refer to the pruned student as ZedNet-S.", "ZedNet-S"),
    ("We mix two samplers at every step. We call this simple approach QuillMix.", "QuillMix"),
    ("We design a ranking loss for hard pairs (i.e., MarginRank-Z).", "MarginRank-Z"),
])
def test_names_given_away_from_the_verb_are_proposed(nlp, monkeypatch, abstract, name):
    ex, _ = run(nlp, TITLE, abstract)
    assert name in proposed(ex)
    off = proposals.ProposalSettings(named_later=False, ie_paren=False)
    monkeypatch.setattr(proposals, "SETTINGS", off)
    ex, _ = run(nlp, TITLE, abstract)
    assert name not in proposed(ex)  # ... by these rules, not others


@pytest.mark.parametrize("abstract,name", [
    # a naming cue whose object is a dataset names a dataset
    ("We collect hard questions. We refer to this benchmark as ZedQuiz.", "ZedQuiz"),
    # "i.e." in a sentence that is not ours
    ("Earlier rankers were trained with a margin loss (i.e., ZetaRank).", "ZetaRank"),
    # a word that ends in a naming cue
    ("We ask whether solvers with the so-called ZSIDS heuristic are complete.", "ZSIDS"),
    # what a preposition governs, past its article
    ("We introduce a method for the Q9Zed robot arm.", "Q9Zed"),
    ("We also develop a new variant of the Q9Zed solver.", "Q9Zed"),
    # someone else's name between our verb and the name
    ("We build a planner on a recent search pipeline ZetaDet with two heuristics.", "ZetaDet"),
])
def test_names_that_are_not_ours(nlp, abstract, name):
    ex, _ = run(nlp, TITLE, abstract)
    assert name not in proposed(ex)


@pytest.mark.parametrize("abstract,name", [
    ("We ask whether solvers with the so-called ZSIDS heuristic are complete.", "ZSIDS"),
    ("We introduce a method for the Q9Zed robot arm.", "Q9Zed"),
    ("We build a planner on a recent search pipeline ZetaDet with two heuristics.", "ZetaDet"),
])
def test_strict_cues_switch_off(nlp, monkeypatch, abstract, name):
    monkeypatch.setattr(proposals, "SETTINGS", proposals.ProposalSettings(strict_cues=False))
    ex, _ = run(nlp, TITLE, abstract)
    assert name in proposed(ex)


def test_named_later_lifts_the_evaluation_to_the_new_name(nlp):
    ex, _ = run(nlp, TITLE, "We prune a large student network layer by layer. We refer to the pruned "
                "student as ZedNet-S. Experiments on ZedScenes show large gains.")
    assert ("ZedNet-S", "ZedScenes") in claims(ex, "evaluatesOn")
