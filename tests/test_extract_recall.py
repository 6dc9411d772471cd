"""Recall rules of issue 12: proposed names, acronym long forms, metrics and comparisons.

Each rule family has a sentence it must fire on and one it must not. Every text here is
invented for the tests; none is taken from the sample corpus or the labelled dev sets.
"""

from __future__ import annotations

import pytest

from conftest import claim_pairs as claims
from conftest import run_extraction as run
from kg.extract.abbreviations import find_abbreviations


def proposed(ex):
    return {m.text for m in ex.mentions if m.proposed} | {a for m in ex.mentions if m.proposed for a in m.aliases}


# --- a title's catchy head ---------------------------------------------------------------------

def test_catchy_title_phrase_the_abstract_never_uses_is_not_proposed(nlp):
    ex, _ = run(nlp, "Quiet Rivers: Why Small Networks Forget Slowly", "We study forgetting in small networks.")
    assert "Quiet Rivers" not in proposed(ex)


def test_title_phrase_the_abstract_uses_again_is_proposed(nlp):
    ex, _ = run(nlp, "Quiet Rivers: Slow Forgetting for Small Networks",
                "We propose quiet rivers, a replay schedule for small networks.")
    assert "Quiet Rivers" in proposed(ex)


def test_single_coined_word_title_head_is_proposed(nlp):
    ex, _ = run(nlp, "Zephyrine: Fast Decoding for Language Models", "We study decoding.")
    assert "Zephyrine" in proposed(ex)


# --- acronym long forms --------------------------------------------------------------------------

def test_long_form_whose_initials_spell_the_acronym_wins_over_the_shortest_match():
    (ab,) = find_abbreviations("We propose a solver—Sparse Shared Cubic Tree (SSCT)—for convex problems.")
    assert (ab.short, ab.long) == ("SSCT", "Sparse Shared Cubic Tree")


def test_hyphenated_long_form_keeps_its_first_word():
    (ab,) = find_abbreviations("Online Test-Time Mixing (OTTM) adapts the model.")
    assert ab.long == "Online Test-Time Mixing"


def test_em_dash_parts_a_name_from_the_word_before(nlp):
    ex, kinds = run(nlp, "Faster Solvers", "We propose a new solver—QuadStep—for convex problems.")
    assert "QuadStep" in proposed(ex)
    assert not [m for m in kinds["method"] if "—" in m]


# --- proposed names ------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,name", [
    # the participle marks the new thing
    ("The model ranks words by a proposed Quill Context Weight (QCW) module.", "QCW"),
    # a fresh name between "novel" and a kind noun
    ("We train the agent with a novel ZarNet neural network architecture.", "ZarNet"),
    # a coined name in parentheses after a description, in a sentence of ours
    ("We propose a training-free feature pooling framework (Pool2Zed) by averaging features.", "Pool2Zed"),
    ("We also introduce a noise schedule with closed-form steps (Closed-Init) for sampling.", "Closed-Init"),
    # the subject of a coordinated verb
    ("We first construct a new corpus and propose a novel Zeta Blend Transfer framework (ZBT-Net) for prompts.",
     "ZBT-Net"),
    # verbs of making
    ("We create a retrieval algorithm QuillRank that expands queries.", "QuillRank"),
    ("We formulate a robust algorithm, VeloCount, which learns to count.", "VeloCount"),
])
def test_proposed_name_cues_fire(nlp, sentence, name):
    ex, _ = run(nlp, "Better Models", sentence)
    assert name in proposed(ex)


@pytest.mark.parametrize("sentence,name", [
    # an acronym of what a preposition governs
    ("This paper presents a study on the role of Gated Blend Sampling (GBS) in diffusion.", "GBS"),
    # a verb of a relative clause, not of the paper
    ("First, we study the loss, which introduces Inverse Key Weighting (IKW) to sparse vectors.", "IKW"),
    # glued parentheses are notation
    ("We ask models to propose answers and score the probability P(Yes) that they hold.", "Yes"),
    # a known kind noun after "novel", but the naming cue names another thing
    ("We propose a novel QuuxPT method, named DeltaQPT, that needs no labels.", "QuuxPT"),
])
def test_proposed_name_cues_do_not_fire(nlp, sentence, name):
    ex, _ = run(nlp, "Better Models", sentence)
    assert name not in proposed(ex)


@pytest.mark.parametrize("sentence,names", [
    ('We propose "quiet replay", a schedule for small networks.', {"quiet replay"}),
    ("In this paper we present ‘copy beacons’ to detect leaks.", {"copy beacons"}),
    ("We introduce two methods: QuuxA and QuuxB.", {"QuuxA", "QuuxB"}),
])
def test_quoted_and_listed_names_are_proposed(nlp, sentence, names):
    ex, _ = run(nlp, "Better Models", sentence)
    assert names <= proposed(ex)


@pytest.mark.parametrize("sentence,name", [
    ('The "hard" examples are those we call "tricky".', "tricky"),  # one plain quoted word is a label
    ('Prior work calls this "quiet replay" and studies it.', "quiet replay"),  # someone else's term
])
def test_quoted_words_that_are_no_new_names(nlp, sentence, name):
    ex, _ = run(nlp, "Better Models", sentence)
    assert name not in proposed(ex)


# --- metrics outside the lexicon --------------------------------------------------------------

@pytest.mark.parametrize("sentence,metric", [
    ("FooNet raises the pass@5 of the coder to 61%.", "pass@5"),
    ("On the benchmark, QuuxRank improves Hits@7 and MRR.", "Hits@7"),
    ("The agent reaches a capture rate of 83% against scripted bots.", "capture rate"),
    ("It lowers the transcription error to 4.1% on noisy audio.", "transcription error"),
    ("The planner achieves lower regret than greedy search.", "regret"),
    ("Our ranker attains a recall of 91% on the queries.", "recall"),
    # named twice without a number: a measure the abstract is about (plural made singular)
    ("We bound the drift rate of the sampler. The drift rate shrinks with depth.", "drift rate"),
    ("The bots gain higher win rates; win rates hold on new maps.", "win rate"),
])
def test_metric_forms_fire(nlp, sentence, metric):
    _, kinds = run(nlp, "Better Models", sentence)
    assert metric in kinds.get("metric", {})


@pytest.mark.parametrize("sentence,word", [
    # a training objective, no number reported
    ("We train the encoder with a contrastive loss and a masking ratio schedule.", "contrastive loss"),
    # hyper-parameters are no metrics, even with a number
    ("We set the learning rate to 0.001 and the dropout rate to 0.1.", "learning rate"),
    # an ordinary word: recall without precision and without a number
    ("We recall the definitions of the kernel before the proof.", "recall"),
    # an e-mail address holds an @ but no metric
    ("Write to ann@lab.org for the data.", "ann@lab"),
    # named once, in passing, with no number
    ("A drift rate is chosen before training starts.", "drift rate"),
    # the tail of a possessive is no name
    ("The sampler's drift rate of 3% is low, and the drift rate matters.", "s drift rate"),
])
def test_metric_forms_do_not_fire(nlp, sentence, word):
    _, kinds = run(nlp, "Better Models", sentence)
    assert word not in kinds.get("metric", {})


# --- comparisons -----------------------------------------------------------------------------

def test_comparison_without_a_subject_in_a_result_clause_is_the_proposed_methods(nlp):
    ex, _ = run(nlp, "Faster Sampling", "We propose FooNet, a sampler. Experiments on ImageNet show that the approach "
                                         "consistently outperforms BarNet.")
    assert ("FooNet", "BarNet") in claims(ex, "improvesOver")


def test_comparison_without_a_subject_about_others_work_is_not_the_proposed_methods(nlp):
    ex, _ = run(nlp, "Faster Sampling", "We propose FooNet, a sampler. Previous studies show that scaling "
                                         "consistently outperforms BarNet.")
    assert ("FooNet", "BarNet") not in claims(ex, "improvesOver")


def test_a_name_after_gains_over_is_a_method_not_a_dataset(nlp):
    ex, kinds = run(nlp, "Faster Sampling", "We propose FooNet, a sampler. Experiments show that FooNet brings "
                                             "large gains over BarNet on ImageNet.")
    assert "BarNet" in kinds["method"]
    assert ("FooNet", "BarNet") in claims(ex, "improvesOver")


def test_a_name_after_gains_on_is_still_a_dataset(nlp):
    _, kinds = run(nlp, "Faster Sampling", "We propose FooNet. Experiments show large gains on QuuxSet-9 for FooNet.")
    assert "QuuxSet-9" in kinds.get("dataset", {})


def test_them_and_both_after_a_comparison_are_the_methods_of_the_sentence_before(nlp):
    ex, _ = run(nlp, "Faster Sampling", "We propose FooNet. We compare it with BarNet and BazNet. "
                                         "FooNet outperforms both on every task.")
    assert {("FooNet", "BarNet"), ("FooNet", "BazNet")} <= claims(ex, "improvesOver")


def test_a_comparison_with_unnamed_prior_work_names_no_earlier_method(nlp):
    ex, _ = run(nlp, "Faster Sampling", "We propose FooNet. BarNet is popular. FooNet outperforms prior work.")
    assert not claims(ex, "improvesOver")


def test_a_spelled_out_name_in_parentheses_is_no_second_proposed_name(nlp):
    ex, _ = run(nlp, "Better Models", "We propose QuuxVID (Quiet Unified Video Model), a new tuner.")
    assert "Quiet Unified Video Model" not in {m.text for m in ex.mentions if m.proposed}


def test_results_stated_before_the_method_is_named_are_not_its_results(nlp):
    ex, _ = run(nlp, "Noisy Pre-training", "We corrupt ImageNet and evaluate fifty models on it. "
                                            "Inspired by this, we propose a simple method, QuuxNoise (QN).")
    assert not claims(ex, "evaluatesOn") & {("QN", "ImageNet"), ("QuuxNoise", "ImageNet")}


@pytest.mark.parametrize("sentence,name", [
    ("We evaluate on QuuxVR^2 and report accuracy.", "QuuxVR^2"),
    ("We propose Zeta*, a search procedure for planning.", "Zeta*"),
])
def test_names_with_a_superscript_or_a_trailing_star_are_found(nlp, sentence, name):
    ex, _ = run(nlp, "Better Models", sentence)
    assert name in {m.text for m in ex.mentions}


@pytest.mark.parametrize("sentence,word", [
    ("The loss is x^y*z in closed form.", "x^y*z"),
    ("We bound a*b by the norm.", "a*b"),
])
def test_formulas_with_carets_and_stars_are_no_names(nlp, sentence, word):
    ex, _ = run(nlp, "Better Models", sentence)
    assert word not in {m.text for m in ex.mentions}


def test_one_capitalised_word_after_we_propose_with_an_apposition_is_proposed(nlp):
    ex, _ = run(nlp, "Better Planning", "To plan faster, we propose Lumora, a search procedure with memory.")
    assert "Lumora" in proposed(ex)


def test_one_capitalised_word_after_we_propose_without_an_apposition_is_not(nlp):
    ex, _ = run(nlp, "Better Planning", "To plan faster, we propose Bayesian updates of the memory.")
    assert "Bayesian" not in proposed(ex)


# --- an acronym compared with is a method --------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "QuillNet outperforms SFT on HumanEval.",
    "QuillNet is better than SFT on HumanEval.",
    "QuillNet surpasses both SFT and DPO on HumanEval.",
    "SFT is outperformed by QuillNet on HumanEval.",
    "SFT lags behind QuillNet on HumanEval.",
])
def test_an_acronym_on_either_side_of_a_comparison_is_a_method(nlp, sentence):
    ex, by_kind = run(nlp, "Quill networks for code",
                      "We study supervised fine-tuning (SFT) of code models. We propose QuillNet. " + sentence)
    assert "SFT" in by_kind.get("method", {})
    assert ("QuillNet", "SFT") in claims(ex, "improvesOver")
    # ... and its long form is still the task the paper studies.
    assert "supervised fine-tuning" in by_kind.get("task", {})


@pytest.mark.parametrize("sentence", [
    "QuillNet improves SFT on HumanEval.",  # bare "improves" takes tasks as objects
    "QuillNet is a new recipe for SFT on HumanEval.",
])
def test_an_acronym_not_compared_stays_a_task(nlp, sentence):
    ex, by_kind = run(nlp, "Quill networks for code",
                      "We study supervised fine-tuning (SFT) of code models. We propose QuillNet. " + sentence)
    assert "SFT" not in by_kind.get("method", {})
    assert "supervised fine-tuning" in by_kind.get("task", {})


def test_is_compared_reads_both_sides_of_a_cue():
    from kg.extract.compared import is_compared
    from kg.extract.cues import load_cues
    cues = load_cues()
    assert is_compared(["model", "outperforms"], ["on"], cues)
    assert is_compared(["outperforms", "both"], ["and"], cues)
    assert is_compared(["is", "superior", "to"], ["."], cues)
    assert is_compared(["the"], ["surpasses"], cues)
    assert not is_compared(["method", "improves"], ["on"], cues)
    assert not is_compared(["we", "study"], ["for"], cues)
