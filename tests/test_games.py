"""Atari game titles (kg.extract.games): datasets only in a text that names the Atari benchmark."""

from __future__ import annotations

import pytest

from conftest import claim_pairs as claims
from conftest import run_extraction as run
from kg.extract import games
from kg.extract.games import game_candidates


def _found(text: str) -> list[tuple[str, list[str]]]:
    return [(c.text, c.aliases) for c in game_candidates(text, [0])]


@pytest.mark.parametrize("text, expected", [
    ("Gains on Atari, notably on Frostbite.", [("Frostbite", [])]),
    ("on several ATARI games (e.g. Ms. Pacman and Seaquest).", [("Ms. Pacman", ["Ms. Pac-Man"]), ("Seaquest", [])]),
    ("On the Arcade Learning Environment, Montezuma’s Revenge stays hard.",
     [("Montezuma’s Revenge", ["Montezuma's Revenge"])]),
    ("ALE results: Private Eye and Q*bert.", [("Private Eye", []), ("Q*bert", [])]),
])
def test_game_titles_in_an_atari_text_are_found(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize("text", [
    "We play Pong and Tennis against a robot arm.",  # no Atari benchmark named
    "On Atari, a breakout of tennis skills.",  # lower-case words, not titles
    "The Atari results on FooWorld improve.",
])
def test_no_game_without_the_benchmark_or_a_capitalised_title(text):
    assert _found(text) == []


def test_the_rule_can_be_switched_off(monkeypatch):
    monkeypatch.setattr(games, "SETTINGS", games.GameSettings(enabled=False))
    assert _found("Gains on Atari, notably on Frostbite.") == []


def test_a_game_is_a_dataset_the_proposed_method_is_evaluated_on(nlp):
    ex, kinds = run(nlp, "Planning with FooAgent", "We propose FooAgent, an agent that plans ahead. "
                                                   "Experiments on Atari games show that FooAgent improves "
                                                   "results on Frostbite and Seaquest.")
    assert {"Frostbite", "Seaquest"} <= set(kinds.get("dataset", {}))
    assert {("FooAgent", "Frostbite"), ("FooAgent", "Seaquest")} <= claims(ex, "evaluatesOn")
