"""Proposed names the rules used to miss, the proposed method carried to later sentences, and the
learned method decision (kg.extract.decision). Every text is invented for these tests."""

from __future__ import annotations

import json

import numpy as np
import pytest

import kg.extract.decision as decision
from conftest import claim_pairs as claims
from conftest import run_extraction as run

T = "Counting Zebras Quickly"


def _proposed(by_kind) -> set[str]:
    return {t for t, m in by_kind.get("method", {}).items() if m.proposed}


# --- "the Name" after the paper's own propose verb --------------------------------------------

@pytest.mark.parametrize("abstract,name", [
    ("We propose the Transformer, a network that counts zebras. The Transformer beats QuokkaNet on FrobBench.",
     "Transformer"),
    ("We present a new sequence architecture, the Transformer, based only on attention.", "Transformer"),
    ("This paper introduces the Autoencoder, which learns zebra stripes.", "Autoencoder"),
])
def test_a_generic_capitalised_name_the_paper_introduces_is_its_method(nlp, abstract, name):
    _, by_kind = run(nlp, T, abstract)
    assert name in _proposed(by_kind)


@pytest.mark.parametrize("abstract", [
    "We study the Transformer and find that it miscounts zebras on FrobBench.",
    "We propose a new loss for the Transformer that counts zebras.",
    "Prior work proposes the Transformer for zebras; we analyse it.",
    "We present the Diffusion Model of zebra stripes.",  # two capitalised class words: no name
])
def test_a_generic_word_someone_else_made_or_uses_stays_no_name(nlp, abstract):
    _, by_kind = run(nlp, T, abstract)
    assert not _proposed(by_kind) & {"Transformer", "Diffusion Model", "Diffusion"}


def test_the_introduced_generic_name_takes_the_comparison(nlp):
    ex, _ = run(nlp, T, "We propose the Transformer, a network for zebras. The Transformer outperforms "
                        "QuokkaNet on FrobBench.")
    assert ("Transformer", "QuokkaNet") in claims(ex, "improvesOver")


@pytest.mark.parametrize("abstract,proposed", [
    ("We propose Whittling, which prunes zebra networks. Whittling beats BarNet.", {"Whittling"}),
    ("We introduce Whittling which prunes zebra networks.", {"Whittling"}),
    ("We study Whittling, which prunes zebra networks.", set()),  # not ours
    ("We propose Whittling zebra networks with care.", set()),  # no clause says it is a name
])
def test_one_capitalised_word_after_we_propose_with_a_relative_clause(nlp, abstract, proposed):
    _, by_kind = run(nlp, T, abstract)
    assert _proposed(by_kind) == proposed


def test_the_name_rules_can_be_switched_off(nlp, monkeypatch):
    import kg.extract.coined as coined

    monkeypatch.setattr(coined, "SETTINGS", coined.CoinedSettings(the_generic=False, the_lower=False))
    _, by_kind = run(nlp, T, "We propose the Transformer, a network that counts zebras.")
    assert "Transformer" not in _proposed(by_kind)
    _, by_kind = run(nlp, T, "We present the quokkator gradients algorithm, a new way to learn symbols.")
    assert "quokkator gradients" not in _proposed(by_kind)


# --- lower-case coined names between "the" and a kind noun ---------------------------------

def test_a_lower_case_coined_name_before_a_kind_noun_is_proposed(nlp):
    ex, by_kind = run(nlp, T, "We present the quokkator gradients algorithm, a new way to learn symbols. "
                              "Experiments show that the quokkator gradients algorithm outperforms BarNet.")
    assert "quokkator gradients" in _proposed(by_kind)
    assert ("quokkator gradients", "BarNet") in claims(ex, "improvesOver")


@pytest.mark.parametrize("abstract", [
    "We present the first algorithm for counting zebras.",  # only common words
    "We propose the gradient descent method for zebras.",
    "Earlier work proposed the quokkator gradients algorithm; we study its limits.",  # not ours
])
def test_common_words_or_another_authors_method_are_not_proposed(nlp, abstract):
    _, by_kind = run(nlp, T, abstract)
    assert not _proposed(by_kind)


# --- the proposed method carried to later sentences -----------------------------------------

@pytest.mark.parametrize("second", [
    "The proposed approach outperforms BarNet on FrobBench.",
    "Our model surpasses BarNet on FrobBench.",
    "It beats BarNet by three points on FrobBench.",
    "The new method improves over BarNet on FrobBench.",
])
def test_a_reference_to_the_proposed_method_takes_its_name(nlp, second):
    ex, _ = run(nlp, T, "We propose QuokkaNet, a network for zebras. " + second)
    assert claims(ex, "improvesOver") == {("QuokkaNet", "BarNet")}


def test_improves_over_a_name_makes_it_a_method_not_a_dataset(nlp):
    ex, by_kind = run(nlp, T, "We propose QuokkaNet, a network for zebras. QuokkaNet improves over BarNet "
                              "on FrobBench.")
    assert "BarNet" in by_kind["method"]
    assert ("QuokkaNet", "BarNet") not in claims(ex, "evaluatesOn")


def test_a_new_method_in_a_paper_that_proposes_none_is_no_one(nlp):
    ex, _ = run(nlp, T, "Prior work built BarNet. A new method, which we only survey, fails on FrobBench.")
    assert not claims(ex, "improvesOver")


# --- the learned method decision ------------------------------------------------------------

def test_the_shipped_weights_match_the_feature_list():
    raw = json.loads(decision.WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert tuple(raw["features"]) == decision.FEATURES
    assert len(raw["weights"]) == len(decision.FEATURES)
    assert decision.load_model() is not None


def _with(settings, fn):
    saved = decision.SETTINGS
    decision.SETTINGS = settings
    try:
        return fn()
    finally:
        decision.SETTINGS = saved


ABSTRACT = ("We propose QuokkaNet, a network for zebras. We train it with Adam. We report results on FrobBench "
            "with ZQX features.")


def test_the_decision_drops_a_name_its_model_rejects_and_keeps_proposed_and_compared_ones(nlp):
    # A model that rejects every non-proposed method name unless it is compared: Adam and ZQX go.
    w = [0.0] * len(decision.FEATURES)
    w[0] = -5.0
    w[decision.FEATURES.index("compared")] = 10.0
    model = decision.DecisionModel(tuple(w), 0.5)
    _, off = _with(decision.DecisionSettings(enabled=False), lambda: run(nlp, T, ABSTRACT))
    _, on = _with(decision.DecisionSettings(enabled=True, model=model), lambda: run(nlp, T, ABSTRACT))
    assert {"Adam", "ZQX"} <= set(off["method"])
    assert set(on["method"]) == {"QuokkaNet"}
    for sentence in ("It outperforms ZQX on FrobBench.", "Removing ZQX improves it on FrobBench."):
        _, cmp = _with(decision.DecisionSettings(enabled=True, model=model),
                       lambda s=sentence: run(nlp, T, "We propose QuokkaNet. " + s))
        assert "ZQX" in cmp["method"]  # a name in a comparison is left to the comparison rules


def test_features_read_the_rules_evidence(nlp):
    decision.RECORD = []
    try:
        _with(decision.DecisionSettings(enabled=False),
              lambda: run(nlp, T, "We propose QuokkaNet. We compare with the ZQX model on FrobBench."))
        feats = {k: dict(zip(decision.FEATURES, x)) for _, k, _, x in decision.RECORD}
    finally:
        decision.RECORD = None
    zqx = feats["zqx"]
    assert zqx["all_caps"] == 1 and zqx["kind_noun_after"] == 1 and zqx["lexical"] == 0
    assert "quokkanet" not in feats  # proposed names are not the decision's


def test_training_is_deterministic():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from train_decision import fit

    rng = np.random.default_rng(0)
    x = np.hstack([np.ones((60, 1)), rng.normal(size=(60, 3))])
    y = (x[:, 1] + 0.3 * rng.normal(size=60) > 0).astype(float)
    a, b = fit(x, y), fit(x, y)
    assert a.tobytes() == b.tobytes()
    assert a[1] > 1.0  # the informative feature gets a large positive weight
