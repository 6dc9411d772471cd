"""The abstract's task grammar (kg.extract.tasks): "a method for X" and "tasks: X, Y", each must fire,
must not fire, and its switch off; and the weight of a curated lexicon task.

Every title and abstract here is written for these tests; none is taken from the sample corpus.
"""

from __future__ import annotations

import dataclasses

import pytest

import kg.extract.tasks as tasks
from kg.extract import extract
from kg.records import Paper

TITLE = "A Closer Look at Small Networks"  # names no task: the abstract's grammar must find it


def tasks_of(nlp, abstract, title=TITLE):
    ex = extract(Paper("k", title, abstract, "test:1"), nlp)
    return {m.text for m in ex.mentions if m.kind == "task"}


def switched_off(monkeypatch, **change):
    monkeypatch.setattr(tasks, "SETTINGS", dataclasses.replace(tasks.SETTINGS, **change))


# --- "a method for X", "results on X" ---------------------------------------------------------------

@pytest.mark.parametrize("abstract", [
    "Small networks are cheap. We present a lightweight method for glyph segmentation of clay tablets.",
    "Small networks are cheap. They give strong results on glyph segmentation of clay tablets.",
    "Small networks are cheap. We show how they can be applied to glyph segmentation at scale.",
])
def test_the_phrase_a_method_or_result_is_for_is_a_task(nlp, abstract, monkeypatch):
    assert "glyph segmentation" in tasks_of(nlp, abstract)
    switched_off(monkeypatch, purpose=0)
    assert "glyph segmentation" not in tasks_of(nlp, abstract)


@pytest.mark.parametrize("abstract", [
    "Small networks are cheap. We present a method for the first time in years.",  # no task head
    "Small networks are cheap. Our method for noisy clay glyph tablets helps.",  # the head is not last
    "Small networks are cheap. We report results on TabletBench and GlyphSet.",  # names, not tasks
])
def test_no_task_after_a_purpose_without_a_task_phrase(nlp, abstract):
    assert tasks_of(nlp, abstract) == set()


# --- "three tasks: X, Y and Z" -----------------------------------------------------------------------

@pytest.mark.parametrize("mark", [":", " —", "—"])
def test_a_list_after_a_frame_noun_and_a_colon_holds_tasks(nlp, monkeypatch, mark):
    abstract = f"Small networks are cheap. We test them on two tasks{mark} glyph segmentation and rune classification."
    assert {"glyph segmentation", "rune classification"} <= tasks_of(nlp, abstract)
    switched_off(monkeypatch, colon_list=False)
    assert "rune classification" not in tasks_of(nlp, abstract)


def test_a_colon_after_no_frame_noun_opens_no_list(nlp):
    abstract = "Small networks are cheap. The network has two parts: a glyph segmentation head and a rune encoder."
    assert "glyph segmentation" not in tasks_of(nlp, abstract)


# --- the weight of a curated lexicon task (chosen by cross-validation) ----------------------------

def test_a_lexicon_task_named_once_counts_by_its_weight(nlp, monkeypatch):
    abstract = "Small networks are cheap. Some of them once served machine translation."
    assert "machine translation" in tasks_of(nlp, abstract)
    switched_off(monkeypatch, lexicon=0.5)  # below the evidence a task needs (MIN_SCORE)
    assert "machine translation" not in tasks_of(nlp, abstract)
