"""Task forms (kg.extract.tasks): a title gerund as its task noun, phrases trimmed of a leading verb
before ranking, fields of study that are no task; each must fire, must not fire, and its switch off.

Every title and abstract here is written for these tests; none is taken from the sample corpus.
"""

from __future__ import annotations

import dataclasses

import pytest

import kg.extract.tasks as tasks
from kg.extract import extract
from kg.extract.task_phrases import gerund_noun
from kg.records import Paper


def tasks_of(nlp, title, abstract):
    ex = extract(Paper("k", title, abstract, "test:1"), nlp)
    return {m.text for m in ex.mentions if m.kind == "task"}


def switched_off(monkeypatch, **change):
    monkeypatch.setattr(tasks, "SETTINGS", dataclasses.replace(tasks.SETTINGS, **change))


# --- a title gerund as its task noun ------------------------------------------------------------------

@pytest.mark.parametrize(("word", "noun"), [
    ("Detecting", "detection"), ("Segmenting", "segmentation"), ("Estimating", "estimation"),
    ("Learning", None),  # a head itself: "learning word vectors" stays
    ("Teaching", None),  # the verb of no task head
])
def test_a_gerund_has_the_noun_of_its_task_head(word, noun):
    heads = frozenset({"detection", "segmentation", "estimation", "learning"})
    assert gerund_noun(word, heads) == noun


def test_a_title_gerund_becomes_its_task_noun(nlp, monkeypatch):
    title = "Detecting Hairline Cracks in Bridge Photos"
    assert "hairline crack detection" in tasks_of(nlp, title, "We inspect bridges.")
    switched_off(monkeypatch, nominal=False)
    assert "detecting hairline crack" in tasks_of(nlp, title, "We inspect bridges.")


def test_a_gerund_that_is_a_head_keeps_its_form(nlp):
    got = tasks_of(nlp, "Learning Sparse Tree Structures with Greedy Splits", "We fit trees quickly.")
    assert "learning sparse tree structure" in got


# --- words no noun phrase starts with, cut off before ranking ------------------------------------------

def test_a_leading_verb_is_cut_off_a_task_phrase(nlp, monkeypatch):
    abstract = "Lanterns are dim. In this paper we study introduce glyph segmentation for dim lanterns."
    got = tasks_of(nlp, "A Closer Look at Lanterns", abstract)
    assert "glyph segmentation" in got
    assert not any(t.startswith("introduce") for t in got)


def test_a_verb_with_one_word_after_it_gives_no_task(nlp):
    abstract = "Lanterns are dim. In this paper we study instead segmentation for dim lanterns."
    got = tasks_of(nlp, "A Closer Look at Lanterns", abstract)
    assert not any(t.startswith("instead") for t in got) and "segmentation" not in got


# --- fields of study are no task --------------------------------------------------------------------

@pytest.mark.parametrize("field_name", ["natural language processing", "signal processing"])
def test_a_field_of_study_is_no_task(nlp, monkeypatch, field_name):
    abstract = f"Lanterns are dim. We study {field_name} for dim lanterns and glyph segmentation."
    title = f"Lantern Glyph Segmentation in {field_name.title()}"
    assert field_name not in tasks_of(nlp, title, abstract)
    switched_off(monkeypatch, fields=False)
    assert field_name in tasks_of(nlp, title, abstract)


def test_a_task_inside_a_field_stays(nlp):
    abstract = "Lanterns are dim. We study named entity recognition for natural language processing."
    assert "named entity recognition" in tasks_of(nlp, "Lantern Names", abstract)
