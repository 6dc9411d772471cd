"""Benchmark editions (kg.extract.editions): a year, task or track after a benchmark's name is part of it."""

from __future__ import annotations

import pytest

from conftest import claim_pairs as claims
from conftest import run_extraction as run
from kg.extract import editions
from kg.extract.editions import edition_end, shared_task_spans


def _extended(text: str, name: str) -> str:
    start = text.index(name)
    return text[start:edition_end(text, start + len(name))]


@pytest.mark.parametrize("text, name, expected", [
    ("results on WidgetEval 2016 show", "WidgetEval", "WidgetEval 2016"),
    ("on WidgetEval 2013 Task 2.", "WidgetEval", "WidgetEval 2013 Task 2"),
    ("on WidgetEval 2013 task 9.1 and", "WidgetEval", "WidgetEval 2013 task 9.1"),
    ("the WidgetEval 2019 shared task", "WidgetEval", "WidgetEval 2019"),
    ("the WidgetEval 2019 Shared Task 1 on", "WidgetEval", "WidgetEval 2019 Shared Task 1"),
    ("on the WidgetEval 2002 datasets", "WidgetEval", "WidgetEval 2002"),
    ("on WidgetEval 2016, WidgetQA", "WidgetEval", "WidgetEval 2016"),
])
def test_a_year_after_a_known_benchmark_is_its_edition(text, name, expected):
    assert _extended(text, name) == expected


@pytest.mark.parametrize("text, name", [
    ("on WidgetEval 2000 images", "WidgetEval"),  # a count, no year
    ("on WidgetEval 12 times", "WidgetEval"),
    ("on WidgetEval 1850 and", "WidgetEval"),  # no year of a benchmark
    ("on WidgetEval 20161 and", "WidgetEval"),
    ("on WidgetEval 2016.5 and", "WidgetEval"),
    ("on WidgetEval in 2016 we", "WidgetEval"),
    ("on WidgetEval-2016", "WidgetEval"),  # glued editions are the lexicon rule's
])
def test_no_edition_without_a_year_right_after_the_name(text, name):
    assert _extended(text, name) == name


@pytest.mark.parametrize("text, expected", [
    ("on the data of FOOB 2017 shared task on parallel text", ["FOOB 2017"]),
    ("winner of the WidgetNLP 2020 challenge", ["WidgetNLP 2020"]),
    ("on WidgetEval-2016 Task 3.", ["WidgetEval-2016 Task 3"]),
])
def test_an_unknown_name_a_year_and_shared_task_name_a_benchmark(text, expected):
    assert [text[a:b] for a, b in shared_task_spans(text)] == expected


@pytest.mark.parametrize("text", [
    "as presented at ICLR 2019 we show",  # a venue
    "In 2017 Challenge results were",  # no name before the year
    "the FOOB shared task",  # no year
    "our FOOB 2017 model",
])
def test_no_shared_task_name_without_its_parts(text):
    assert shared_task_spans(text) == []


def test_rules_can_be_switched_off(monkeypatch):
    monkeypatch.setattr(editions, "SETTINGS", editions.EditionSettings(known=False, shared_task=False))
    assert _extended("on WidgetEval 2016 show", "WidgetEval") == "WidgetEval"
    assert shared_task_spans("of FOOB 2017 shared task") == []


# --- end to end (known families from the datasets lexicon) --------------------------------------

def test_a_known_benchmark_with_a_year_is_one_dataset(nlp):
    ex, kinds = run(nlp, "Faster Tagging", "We propose FooTagger, a tagger. Experiments on TREC 2019 "
                                            "show that FooTagger is accurate.")
    assert "TREC 2019" in kinds.get("dataset", {})
    assert "TREC" not in kinds.get("dataset", {})
    assert ("FooTagger", "TREC 2019") in claims(ex, "evaluatesOn")


def test_an_unknown_shared_task_with_a_year_is_a_dataset_not_a_method(nlp):
    ex, kinds = run(nlp, "Faster Mining", "We propose FooMiner. FooMiner obtains state-of-the-art results "
                                           "on the FOOB 2017 shared task.")
    assert "FOOB 2017" in kinds.get("dataset", {})
    assert "FOOB" not in kinds.get("method", {})
    assert ("FooMiner", "FOOB 2017") in claims(ex, "evaluatesOn")
