"""Rule families of the extractor, each with an example that must fire and one that must not.

Every text here is written for the tests; none is taken from the sample corpus.
"""

from __future__ import annotations

import pytest

from conftest import claim_pairs as claims
from conftest import run_extraction as run
from kg.extract.abbreviations import find_abbreviations
from kg.extract.repos import find_repos

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


# --- lexicon hits: case, versions, sizes ---------------------------------------------------

def test_common_words_need_their_capitalisation(nlp):
    ex, _ = run(nlp, "On Robustness", "Zero gradients and an adam-like rule; a complex loss.")
    assert not [m for m in ex.mentions if m.kind == "method"]


def test_known_optimizer_and_metric_are_found(nlp):
    _, kinds = run(nlp, "Faster Training", "We train with Adam and report FID and top-1 accuracy on CIFAR-10.")
    assert "Adam" in kinds["method"] and not kinds["method"]["Adam"].proposed
    assert {"FID", "top-1 accuracy"} <= set(kinds["metric"])
    assert "CIFAR-10" in kinds["dataset"]


def test_size_tag_keeps_the_family_as_alias_but_versions_stay_apart(nlp):
    _, kinds = run(nlp, "A Study of Chat Models", "We compare Llama 2 7B with GPT-4o and GPT-4.")
    assert "Llama 2" in kinds["method"]["Llama 2 7B"].aliases
    assert {"GPT-4o", "GPT-4"} <= set(kinds["method"])


def test_glued_edition_of_a_benchmark_is_a_dataset(nlp):
    _, kinds = run(nlp, "Math Solving", "Results on AIME24 and GSM8K improve.")
    assert {"AIME24", "GSM8K"} <= set(kinds["dataset"])


def test_derived_name_of_a_benchmark_is_a_dataset(nlp):
    _, kinds = run(nlp, "Math Solving", "We also report results on MMLU-Zorb.")
    assert "MMLU-Zorb" in kinds["dataset"]


# --- shape filters -------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Prior work (Smith and Jones, 2020) studied this in Paris.",
    "Results hold for R^d with AUC=0.75 and 10B--40B tokens.",
    "We compare LRMs and MDPs in general.",
    "A KD-based approach uses GPU-hours of compute.",
])
def test_person_places_maths_and_plural_acronyms_are_not_methods(nlp, sentence):
    ex, _ = run(nlp, "A Study", sentence)
    assert not [m.text for m in ex.mentions if m.kind == "method"]


def test_modifier_tail_is_stripped_from_a_name(nlp):
    _, kinds = run(nlp, "A Study", "A FooNet-based detector and a CLIP-guided editor.")
    assert {"FooNet", "CLIP"} <= set(kinds["method"])


def test_slash_pairs_are_two_names(nlp):
    _, kinds = run(nlp, "A Study", "We fine-tune Mistral-7B/24B models.")
    assert "Mistral-7B" in kinds["method"]
    assert not any("/" in t for t in kinds["method"])


def test_acronym_of_a_concept_is_no_method(nlp):
    ex, _ = run(nlp, "Causal Bounds", "We bound the average treatment effect (ATE) of a policy. The ATE is small.")
    assert not [m for m in ex.mentions if m.kind == "method"]


def test_acronym_defined_by_long_form_takes_its_kind(nlp):
    _, kinds = run(nlp, "Pretraining Vision", "Masked autoencoders (MAE) learn features; MAE scales well.")
    assert "MAE" not in kinds.get("metric", {})


# --- proposed: more cues -----------------------------------------------------------------

def test_name_after_a_preposition_in_a_propose_sentence_is_not_proposed(nlp):
    _, kinds = run(nlp, "Better Prompts", "We propose a simple fix for QuuxPT that needs no labels.")
    assert not kinds["method"]["QuuxPT"].proposed


def test_title_prefix_of_a_known_name_is_proposed(nlp):
    _, kinds = run(nlp, "FastSpeech 2: Faster Speech Synthesis", "We improve speed.")
    assert kinds["method"]["FastSpeech 2"].proposed


def test_benchmarking_subtitle_makes_a_dataset(nlp):
    _, kinds = run(nlp, "ZorbIQ: Benchmarking Abstract Reasoning in Models", "We test models.")
    assert "ZorbIQ" in kinds["dataset"]


# --- proposed: acronym definitions, second names, subjects ---------------------------------

@pytest.mark.parametrize("sentence,name", [
    ("We introduce a method called Gradient Echo Sampling (GES) for planning.", "GES"),
    ("We propose Quux Blend Networks (QBN) to mix audio.", "QBN"),
    ("We propose a continual mixing approach~(CoMix) for audio.", "CoMix"),
    ("Here we devise a label-free Quux Blend training (QBT) method for audio.", "QBT"),
])
def test_cue_before_an_acronyms_long_form_proposes_it(nlp, sentence, name):
    _, kinds = run(nlp, "Audio Mixing at Scale", sentence)
    assert kinds["method"][name].proposed


@pytest.mark.parametrize("sentence", [
    "We introduce the notion of quux blend entropy (QBE) into training.",
    "We propose a detector of gravitational wave (GW) signals.",
])
def test_acronym_after_of_or_of_a_concept_is_not_proposed(nlp, sentence):
    ex, _ = run(nlp, "Audio Mixing at Scale", sentence)
    assert not [m.text for m in ex.mentions if m.proposed]


def test_both_names_of_a_proposed_list_are_proposed(nlp):
    _, kinds = run(nlp, "Audio Mixing at Scale", "We propose two mixers, FlowMixer and WaveMixer, for audio.")
    assert kinds["method"]["FlowMixer"].proposed and kinds["method"]["WaveMixer"].proposed


def test_a_list_after_compare_with_is_not_proposed(nlp):
    _, kinds = run(nlp, "Audio Mixing at Scale", "We propose FlowMixer and compare it with WaveMixer and BarMixer.")
    assert kinds["method"]["FlowMixer"].proposed
    assert not kinds["method"]["WaveMixer"].proposed


@pytest.mark.parametrize("sentence,name", [
    ("Our method, FlowMixer, handles long audio.", "FlowMixer"),
    ("We develop an online mixing approach, FlowMixer, that handles long audio.", "FlowMixer"),
    ("Our novel FlowMixer handles long audio.", "FlowMixer"),
    ("We propose a new fusion method termed as FlowMixer.", "FlowMixer"),
])
def test_appositions_and_our_name_the_new_method(nlp, sentence, name):
    _, kinds = run(nlp, "Audio Mixing at Scale", sentence)
    assert kinds["method"][name].proposed


@pytest.mark.parametrize("sentence", [
    "The recently proposed WaveMixer does not help.",
    "Prior work introduced WaveMixer for speech.",
    "We study a grid designed for WaveMixer users.",
])
def test_proposals_by_others_are_not_ours(nlp, sentence):
    ex, _ = run(nlp, "Audio Mixing at Scale", sentence)
    assert not [m.text for m in ex.mentions if m.proposed]


def test_a_name_used_before_the_propose_sentence_is_not_proposed(nlp):
    _, kinds = run(nlp, "Audio Mixing at Scale",
                   "WaveMixer is widely used for audio. We propose extending WaveMixer with a gate.")
    assert not kinds["method"]["WaveMixer"].proposed


def test_named_method_wins_over_a_class_acronym_in_its_sentence(nlp):
    _, kinds = run(nlp, "Audio Mixing at Scale",
                   "Quux prompt tuning (QPT) adapts prompts. We propose a novel QPT method, named FlowQPT, for audio.")
    assert kinds["method"]["FlowQPT"].proposed
    assert not any(m.proposed for t, m in kinds["method"].items() if t != "FlowQPT")


def test_modifier_tail_name_is_not_what_is_proposed(nlp):
    ex, _ = run(nlp, "Audio Mixing at Scale", "We introduce the QBE-aware mixing loss for audio.")
    assert not [m.text for m in ex.mentions if m.proposed]


def test_title_case_phrase_right_after_propose_is_a_name(nlp):
    _, kinds = run(nlp, "Faster Decoding", "Observing that tokens recur, we propose Token Juggling. It is fast.")
    assert kinds["method"]["Token Juggling"].proposed


def test_title_case_phrase_after_an_article_is_not_a_name(nlp):
    ex, _ = run(nlp, "Faster Decoding", "Observing that tokens recur, we propose a Bayesian Treatment of caching.")
    assert not [m.text for m in ex.mentions if m.proposed]


def test_lower_case_coined_name_with_a_method_apposition(nlp):
    _, kinds = run(nlp, "Faster Decoding", "We introduce proxy-blending, a lightweight decoding-time algorithm.")
    assert kinds["method"]["proxy-blending"].proposed


def test_lower_case_hyphenated_words_without_apposition_are_no_names(nlp):
    ex, _ = run(nlp, "Faster Decoding", "We introduce decoding-time blending into the sampler.")
    assert not [m.text for m in ex.mentions if m.kind == "method"]


def test_acronym_spelling_out_the_title_prefix_is_one_entity(nlp):
    _, kinds = run(nlp, "Quux Blend Networks: Mixing Audio", "We propose QuBNet, which mixes audio fast.")
    proposed = [m for m in kinds["method"].values() if m.proposed]
    assert len(proposed) == 1 and "Quux Blend Networks" in {proposed[0].text, *proposed[0].aliases}


def test_a_new_known_acronym_with_its_own_long_form_is_proposed(nlp):
    # CoTTA is a lexicon entry; a paper that spells it out after `we propose` is its origin.
    _, kinds = run(nlp, "Adapting Online", "We propose a continual test-time adaptation approach (CoTTA).")
    assert kinds["method"]["CoTTA"].proposed


def test_an_acronym_of_a_known_long_form_is_not_proposed(nlp):
    ex, _ = run(nlp, "Bandits", "We propose an informed Thompson sampling (TS) algorithm for bandits.")
    assert not [m.text for m in ex.mentions if m.proposed]


def test_a_tuned_known_model_is_not_proposed(nlp):
    ex, _ = run(nlp, "Tuning Chat Models", "Our Llama-3-8B-Zorb tuned on web data matches larger models.")
    assert not [m.text for m in ex.mentions if m.proposed]


# --- datasets the paper introduces ----------------------------------------------------------

@pytest.mark.parametrize("sentence,name", [
    ("We introduce a new multi-domain quux retail (MQR) benchmark with six domains.", "MQR"),
    ("We build the Quux Retail Prompts dataset (QRP) and propose FlowMixer.", "QRP"),
    ("We propose a dataset, which we call ZorbSet, of 4,000 images.", "ZorbSet"),
])
def test_introduced_datasets_are_datasets_not_proposed_methods(nlp, sentence, name):
    ex, kinds = run(nlp, "Audio Mixing at Scale", sentence)
    assert name in kinds.get("dataset", {})
    assert name not in {m.text for m in ex.mentions if m.proposed}


# --- junk -------------------------------------------------------------------------------------

def test_latex_commands_glued_to_words_are_no_names(nlp):
    ex, _ = run(nlp, "Scaling scriptsizeLaws: Limits of Sampling", "We study sampling.")
    assert not [m.text for m in ex.mentions if m.kind == "method"]


def test_size_tag_is_an_alias_but_chat_and_mini_variants_are_not(nlp):
    _, kinds = run(nlp, "A Study of Chat Models", "We compare Llama 2-Chat, Llama 2 70B and GPT-4o mini.")
    assert kinds["method"]["Llama 2-Chat"].aliases == ()
    assert "Llama 2" in kinds["method"]["Llama 2 70B"].aliases
    assert "GPT-4o" not in {a for m in kinds["method"].values() for a in m.aliases}


def test_lower_cased_known_model_with_a_size_tag(nlp):
    _, kinds = run(nlp, "Small Models", "We fine-tune mistral-7b and vicuna-13b on chat data.")
    assert {"mistral-7b", "vicuna-13b"} <= set(kinds["method"])


def test_lower_cased_known_model_word_alone_is_no_name(nlp):
    ex, _ = run(nlp, "Winds", "A mistral wind and a vicuna herd were observed.")
    assert not [m for m in ex.mentions if m.kind == "method"]


def test_words_of_urls_and_subscripts_are_no_names(nlp):
    ex, _ = run(nlp, "A Study", "Net-zero CO_2 targets. Code: https://github.com/acme/FooNet_cvpr and www.acme.org/BarNet-Page.")
    assert not [m.text for m in ex.mentions if m.kind == "method"]
