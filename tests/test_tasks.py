"""Task rule families (kg.extract.tasks): phrases that must and must not become tasks.

Every title and abstract here is written for these tests; none is taken from the sample corpus.
"""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.extract.cues import load_cues
from kg.extract.task_phrases import normalise_task, task_phrases, title_phrases
from kg.extract.tasks import MAX_TASKS
from kg.records import Paper

HEADS = load_cues().task_heads


def tasks_of(nlp, title, abstract):
    ex = extract(Paper("k", title, abstract, "test:1"), nlp)
    return {m.text: m for m in ex.mentions if m.kind == "task"}


# --- phrase shape ------------------------------------------------------------------------------

@pytest.mark.parametrize("words,expected", [
    (["Image", "Classifications"], "image classification"),
    (["LLM", "Reasoning"], "LLM reasoning"),
    (["Contextual", "Bandits"], "contextual bandit"),
    (["Query", "Strategies"], "query strategy"),
])
def test_normalised_lower_case_singular_acronyms_kept(words, expected):
    assert normalise_task(words) == expected


@pytest.mark.parametrize("text,expected", [
    ("Efficient Robust Semi-Supervised Node Classification", ["semi-supervised node classification"]),
    ("Novel Diverse Data Augmentation", ["data augmentation"]),
    ("Parameter Efficient Fine-Tuning of Speech Models", ["parameter efficient fine-tuning"]),
    ("several various image captioning", ["image captioning"]),
    ("Summarization", ["summarization"]),
])
def test_phrases_drop_evaluative_openers_and_quantifiers(text, expected):
    assert task_phrases(text, HEADS) == expected


def test_a_gerund_opening_a_longer_phrase_is_its_verb():
    assert task_phrases("Understanding Gradient Noise Estimation", HEADS) == ["gradient noise estimation"]
    assert task_phrases("Understanding Likelihood Overfitting", HEADS) == []


def test_like_and_including_split_phrases():
    assert task_phrases("domains like coding", HEADS) == ["coding"]


@pytest.mark.parametrize("text", ["Learning", "Generation", "On Inference", "Efficient Training"])
def test_a_bare_broad_head_is_no_task(text):
    assert task_phrases(text, HEADS) == []


def test_a_coined_name_is_no_part_of_a_task():
    assert task_phrases("ZephyrNet Image Segmentation", HEADS) == ["image segmentation"]


def test_title_phrases_know_the_word_before_them():
    assert title_phrases("Video Captioning via Token Merging", HEADS) == [
        ("video captioning", "", "via"), ("token merging", "via", "")]


# --- sources of evidence ---------------------------------------------------------------------

def test_the_title_task_is_found(nlp):
    got = tasks_of(nlp, "Robust Semi-Supervised Node Classifications with Noisy Graphs", "We study graphs.")
    assert any("node classification" in t for t in got)


def test_the_means_in_a_title_is_no_task_alone(nlp):
    got = tasks_of(nlp, "Sparse Image Retrieval via Token Merging", "We study retrieval at scale.")
    assert "token merging" not in got
    assert any("image retrieval" in t for t in got)


def test_an_acronym_defined_task_is_named_by_its_long_form(nlp):
    got = tasks_of(nlp, "Fast Adaptation at Scale",
                   "Test-time adaptation (TTA) adjusts a model to new data. TTA methods are brittle.")
    assert "test-time adaptation" in got
    assert "TTA" in got["test-time adaptation"].aliases


def test_a_framed_phrase_in_the_abstract_is_a_task(nlp):
    got = tasks_of(nlp, "A Closer Look at Small Networks",
                   "We evaluate on three table captioning tasks. Table captioning tasks are hard.")
    assert "table captioning" in got


def test_tasks_listed_after_such_as(nlp):
    got = tasks_of(nlp, "A Closer Look at Small Networks",
                   "Small networks help downstream tasks such as summarization and slot filling extraction.")
    forms = {f for t, m in got.items() for f in (t, *m.aliases)}
    assert {"summarization", "slot filling extraction"} <= forms


def test_the_opening_sentence_names_the_task(nlp):
    got = tasks_of(nlp, "A Closer Look at Small Networks",
                   "Document layout parsing aims to recover structure. It remains hard.")
    assert "document layout parsing" in got


# --- what must not be a task -----------------------------------------------------------------

def test_a_passing_phrase_is_no_main_task(nlp):
    got = tasks_of(nlp, "A Closer Look at Small Networks",
                   "Small networks are cheap. Some of them use label smoothing regularization once.")
    assert got == {}


def test_a_method_name_is_no_task(nlp):
    got = tasks_of(nlp, "Gradient Echo Sampling: Fast Planning",
                   "We propose Gradient Echo Sampling (GES) for motion planning.")
    assert not any("sampling" in t for t in got)


def test_no_more_than_the_cap(nlp):
    abstract = ("We study image captioning tasks, speech recognition tasks, table parsing tasks, "
                "graph matching tasks, video tracking tasks and text summarization tasks. " * 2)
    got = tasks_of(nlp, "Object Detection and Semantic Segmentation", abstract)
    assert 1 <= len(got) <= MAX_TASKS


def test_tasks_carry_a_meaningful_confidence(nlp):
    got = tasks_of(nlp, "Robust Node Classification",
                   "Node classification is hard. We evaluate node classification tasks. "
                   "Some graph matching methods exist.")
    conf = {t: m.confidence for t, m in got.items()}
    assert 0 < min(conf.values()) <= max(conf.values()) <= 1
    assert conf["node classification"] == max(conf.values())


def test_a_passing_lexicon_task_next_to_a_main_task_is_dropped(nlp):
    got = tasks_of(nlp, "Robust Node Classification for Sparse Graphs",
                   "Node classification is hard on sparse graphs. We study node classification tasks "
                   "and propose a node classification method. Our encoder was once used for machine translation.")
    assert "node classification" in got
    assert "machine translation" not in got


# --- the Papers with Code lists as evidence ----------------------------------------------------

def test_a_task_on_the_broad_list_is_a_task(nlp, monkeypatch):
    import kg.extract.lexicon as lexicon

    title, abstract = "A Small Encoder for Dense Scenes", "The encoder also serves lane detection in our tests."
    assert "lane detection" in tasks_of(nlp, title, abstract)
    monkeypatch.setattr(lexicon, "SETTINGS", lexicon.LexiconSettings(pwc=frozenset()))
    assert "lane detection" not in tasks_of(nlp, title, abstract)


def test_a_head_that_ends_many_listed_tasks_ends_a_task_phrase(nlp, monkeypatch):
    import kg.extract.lexicon as lexicon
    import kg.extract.tasks as tasks

    title, abstract = "Sparse Kernels for Tabular Ordinal Regression", "We fit kernels quickly."
    assert "tabular ordinal regression" in tasks_of(nlp, title, abstract)
    monkeypatch.setattr(lexicon, "SETTINGS", lexicon.LexiconSettings(pwc=frozenset()))
    monkeypatch.setattr(tasks, "SETTINGS", tasks.TaskSettings(general_heads=False))
    assert "tabular ordinal regression" not in tasks_of(nlp, title, abstract)


def test_a_thing_on_the_broad_list_is_no_task(nlp):
    got = tasks_of(nlp, "A Small Encoder for Dense Scenes",
                   "We compare against a graph neural network and a large language model.")
    assert not any(t.endswith(("network", "model")) for t in got)


@pytest.mark.parametrize("words,expected", [
    (["Irregular", "Time", "Series"], "irregular time series"),
    (["Gaussian", "Processes"], "gaussian process"),
    (["Bounding", "Boxes"], "bounding box"),
])
def test_plurals_that_are_no_plain_s(words, expected):
    assert normalise_task(words) == expected


# --- general candidate forms (title "X of Y", task gerunds, problem nouns) -------------------

def test_a_title_head_keeps_its_of_object(nlp):
    got = tasks_of(nlp, "Fast Estimation of Rare Event Probabilities", "We give a new estimator.")
    assert "estimation of rare event probability" in got
    got = tasks_of(nlp, "Unsupervised Learning of Sparse Dynamical Systems", "We fit latent states.")
    assert "unsupervised learning of sparse dynamical system" in got


def test_an_of_object_after_a_non_head_is_no_task(nlp):
    got = tasks_of(nlp, "Hidden Costs of Sparse Dynamical Systems", "We fit latent states.")
    assert not any(" of " in t for t in got)


def test_an_of_object_with_a_coined_name_is_no_task(nlp):
    got = tasks_of(nlp, "Fast Estimation of ZorbNet Outputs", "We give a new estimator.")
    assert not any("zorbnet" in t.lower() for t in got)


def test_a_task_gerund_opening_a_title_part_names_a_task(nlp):
    got = tasks_of(nlp, "Learning Sparse Tree Structures with Greedy Splits", "We fit trees quickly.")
    assert "learning sparse tree structure" in got
    got = tasks_of(nlp, "Segmenting Flooded Fields from Radar Images", "We map fields.")
    assert "flooded field segmentation" in got  # the gerund as its task noun (tests/test_tasks_forms.py)


@pytest.mark.parametrize("title", [
    "Teaching Small Robots New Tricks",  # "teaching" is the verb of no task head
    "Training Small Networks Twice",  # too broad an activity
    "Tiny Models via Learning Sparse Trees",  # after "via": the means
    "Learning ZorbNet Weights Quickly",  # a coined name in the object
])
def test_other_gerunds_give_no_task(nlp, title):
    got = tasks_of(nlp, title, "We fit trees quickly.")
    assert not any(t.split()[0].endswith("ing") for t in got), got


def test_a_problem_noun_heads_a_task(nlp):
    got = tasks_of(nlp, "Measuring Subgroup Fairness in Loan Decisions", "We audit lenders.")
    assert "subgroup fairness" in got
    assert "interpretability" in tasks_of(nlp, "Interpretability at Scale", "We audit lenders.")


def test_a_problem_noun_that_needs_a_qualifier_is_no_task_alone(nlp):
    assert "collapse" not in tasks_of(nlp, "Collapse at Scale", "We audit lenders.")


def test_the_general_forms_can_be_switched_off(nlp, monkeypatch):
    import kg.extract.tasks as tasks

    monkeypatch.setattr(tasks, "SETTINGS", tasks.TaskSettings(title_of=0, title_gerund=0, problem_heads=False))
    assert "estimation of rare event probability" not in tasks_of(
        nlp, "Fast Estimation of Rare Event Probabilities", "We give a new estimator.")
    assert "learning sparse tree structure" not in tasks_of(nlp, "Learning Sparse Tree Structures", "We fit trees.")
    assert "subgroup fairness" not in tasks_of(nlp, "Measuring Subgroup Fairness in Loan Decisions", "We audit.")


@pytest.mark.parametrize("acronym, task", [("T2I", "text-to-image generation"), ("SRL", "semantic role labeling")])
def test_a_task_acronym_is_a_task_not_a_method(nlp, acronym, task):
    # Task acronyms are general knowledge (lexicon/tasks.jsonl aliases), not coined method names.
    title, abstract = f"Faster Sampling for {acronym}", f"We propose QuokkaNet for {acronym}. QuokkaNet is fast on {acronym}."
    ex = extract(Paper("k", title, abstract, "test:1"), nlp)
    assert task in {m.text for m in ex.mentions if m.kind == "task"}
    assert acronym not in {m.text for m in ex.mentions if m.kind == "method"}
