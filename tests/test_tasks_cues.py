"""More task cues (kg.extract.tasks): a modifier coordinated with a task's first word, a result number
before "on X", a prefixed head alone in a title, the object of a verb of improving and each conjunct
before a frame noun; each must fire, must not fire, and its switch off. And a pronoun is no part of a task.

Every title and abstract here is written for these tests; none is taken from the sample corpus.
"""

from __future__ import annotations

import dataclasses

import pytest

import kg.extract.tasks as tasks
from kg.extract import extract
from kg.records import Paper

TITLE = "A Closer Look at Small Networks"  # names no task: the abstract must give it


def tasks_of(nlp, abstract, title=TITLE):
    ex = extract(Paper("k", title, abstract, "test:1"), nlp)
    return {m.text for m in ex.mentions if m.kind == "task"}


def switched_off(monkeypatch, **change):
    monkeypatch.setattr(tasks, "SETTINGS", dataclasses.replace(tasks.SETTINGS, **change))


ABSTRACT = "We look at what small networks keep."

# --- "rune and glyph segmentation": the modifier shares the head ---------------------------------


def test_a_modifier_coordinated_with_a_tasks_first_word_shares_its_head(nlp, monkeypatch):
    abstract = "Small networks are cheap. We test them on rune and glyph segmentation tasks."
    assert {"rune segmentation", "glyph segmentation"} <= tasks_of(nlp, abstract)
    switched_off(monkeypatch, coordination=False)
    assert "rune segmentation" not in tasks_of(nlp, abstract)


@pytest.mark.parametrize("abstract", [
    # an item of a comma list is a task of its own
    "Small networks are cheap. We test them on tablet cleaning, rune and glyph segmentation tasks.",
    "Small networks are cheap. We test them on tablet cleaning, rune, and glyph segmentation tasks.",
    # a plural noun is no modifier of the head
    "Small networks are cheap. We test them on runes and glyph segmentation tasks.",
    # an evaluative word is no part of a task
    "Small networks are cheap. We test them on robust and glyph segmentation tasks.",
])
def test_no_head_shared_with_a_list_item_a_plural_or_an_evaluative_word(nlp, abstract):
    found = tasks_of(nlp, abstract)
    assert "glyph segmentation" in found
    assert not {"rune segmentation", "runes segmentation", "robust segmentation"} & found


# --- "gains 4.2% on glyph segmentation" -----------------------------------------------------------


@pytest.mark.parametrize("number", ["4.2%", "12", "3x"])
def test_a_result_number_before_on_makes_a_task(nlp, monkeypatch, number):
    abstract = f"Small networks are cheap. The small network gains {number} on glyph segmentation of old tablets."
    assert "glyph segmentation" in tasks_of(nlp, abstract)
    switched_off(monkeypatch, result_on=False)
    assert "glyph segmentation" not in tasks_of(nlp, abstract)


@pytest.mark.parametrize("abstract", [
    "Small networks are cheap. The small network gains 4.2% on GlyphBench and RuneSet.",  # names, no task head
    "Small networks are cheap. We train for many epochs on glyph segmentation data.",  # no number before
])
def test_no_task_after_on_without_a_result_number_or_a_task_phrase(nlp, abstract):
    assert "glyph segmentation" not in tasks_of(nlp, abstract)


# --- "Meta-Segmentation with Rune Priors": a prefixed head alone in a title -----------------------


def test_a_prefixed_head_alone_in_a_title_is_a_task(nlp, monkeypatch):
    title = "Meta-Segmentation with Rune Priors"
    assert "meta-segmentation" in tasks_of(nlp, ABSTRACT, title)
    switched_off(monkeypatch, compound=False)
    assert "meta-segmentation" not in tasks_of(nlp, ABSTRACT, title)


@pytest.mark.parametrize("title", ["Cross-Attention with Rune Priors",  # no task head
                                   "Learning with Rune Priors"])  # no prefix: a bare head
def test_no_task_from_a_title_part_without_a_prefixed_head(nlp, title):
    assert tasks_of(nlp, ABSTRACT, title) == set()


# --- "improves glyph segmentation" -------------------------------------------------------------


@pytest.mark.parametrize("verb", ["improves", "enhancing", "boosts", "accelerated"])
def test_the_object_of_a_verb_of_improving_is_a_task(nlp, monkeypatch, verb):
    abstract = f"Small networks are cheap. A cheap trick {verb} glyph segmentation of old tablets."
    assert "glyph segmentation" in tasks_of(nlp, abstract)
    switched_off(monkeypatch, improve=0)
    assert "glyph segmentation" not in tasks_of(nlp, abstract)


@pytest.mark.parametrize("abstract", [
    "Small networks are cheap. A cheap trick improves the small network by a wide margin.",  # no task head
    "Small networks are cheap. A cheap trick improves old tablets for glyph experts.",  # the head is not next
])
def test_no_task_after_a_verb_of_improving_without_a_task_phrase(nlp, abstract):
    assert tasks_of(nlp, abstract) == set()


# --- "rune parsing, glyph tagging and tablet segmentation tasks": each conjunct ----------------------


def test_a_frame_noun_after_a_coordination_frames_each_conjunct(nlp, monkeypatch):
    abstract = "Small networks are cheap. We test them on rune parsing, glyph tagging and tablet segmentation tasks."
    assert {"rune parsing", "glyph tagging", "tablet segmentation"} <= tasks_of(nlp, abstract)
    switched_off(monkeypatch, conjuncts=False)
    assert "rune parsing" not in tasks_of(nlp, abstract)


@pytest.mark.parametrize("abstract", [
    # joined by "with", not a coordination
    "Small networks are cheap. We test them on rune parsing with tablet segmentation tasks.",
    # a conjunct without a task head ends the coordination
    "Small networks are cheap. We test rune parsing, clay tablets and tablet segmentation tasks.",
])
def test_no_frame_for_a_phrase_outside_the_coordination(nlp, abstract):
    found = tasks_of(nlp, abstract)
    assert "tablet segmentation" in found and "rune parsing" not in found


# --- a pronoun is no part of a task ------------------------------------------------------------


@pytest.mark.parametrize("title", ["Rune Priors without Modeling Them", "Rune Priors without Tagging Us"])
def test_a_pronoun_is_no_object_of_a_title_gerund(nlp, title):
    assert tasks_of(nlp, ABSTRACT, title) == set()
