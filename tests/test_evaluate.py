"""`kg eval`: scores on a graph with known contents, and the gold file's errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import make_tiny_graph
from kg.cli import cli
from kg.errors import InputError
from kg.evaluate import evaluate, load_gold
from kg.export.rdf import write_rdf

GOLD = {
    "title": "FastNet: fast networks",  # matched by normalised title
    "proposed": [{"name": "FastNet", "aliases": []}],
    "methods": [{"name": "SlowNet", "aliases": []}, {"name": "MissingNet", "aliases": []}],
    "datasets": [{"name": "Toy-Set", "aliases": []}],
    "tasks": [{"name": "image classification task", "aliases": []}],
    "metrics": [],
    "evaluates_on": [["FastNet", "Toy-Set"]],
    "improves_over": [["FastNet", "SlowNet"], ["FastNet", "MissingNet"]],
    "repos": ["https://github.com/example/fastnet.git"],
}


def test_scores_on_a_known_graph():
    scores, found = evaluate(make_tiny_graph(), [GOLD, {"title": "Not in the graph"}])
    assert found == 1
    assert (scores["proposed"].tp, scores["proposed"].gold, scores["proposed"].pred) == (1, 1, 1)
    # gold methods: SlowNet, MissingNet + proposed FastNet; predicted: FastNet, SlowNet
    assert (scores["methods"].tp, scores["methods"].gold, scores["methods"].pred) == (2, 3, 2)
    assert scores["datasets"].f1 == 1.0 and scores["repos"].f1 == 1.0
    assert scores["tasks"].tp == 0 and scores["tasks~"].tp == 1  # 2 of 3 words shared
    assert (scores["improves_over"].tp, scores["improves_over"].gold) == (1, 2)
    assert scores["evaluates_on"].precision == 1.0


def test_malformed_gold_line_is_named(tmp_path):
    f = tmp_path / "g.jsonl"
    f.write_text(json.dumps(GOLD) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"g.jsonl:2: malformed JSON"):
        load_gold(f)


def test_eval_command_prints_the_table(tmp_path):
    graph, gold = tmp_path / "g.ttl", tmp_path / "gold.jsonl"
    write_rdf(make_tiny_graph(), graph)
    gold.write_text(json.dumps(GOLD) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(gold), "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "papers matched by title: 1/1"
    assert lines[3].split() == ["methods", "1.000", "0.667", "0.800", "3", "2"]
