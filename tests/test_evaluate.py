"""`kg eval`: scores on a graph with known contents, and the gold file's errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import make_tiny_graph
from kg.cli import cli
from kg.errors import InputError
from kg.evaluate.goldsets import GOLD_SETS
from kg.evaluate.score import KINDS, _norm, evaluate, evaluate_graph, load_gold
from kg.export.rdf import read_graph, write_rdf
from kg.ingest.papers import read_papers

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


def _reference_scorer():
    """The project's reference scorer (tests/fixtures/score_reference.py), imported from its file."""
    import importlib.util

    path = Path(__file__).parent / "fixtures" / "score_reference.py"
    spec = importlib.util.spec_from_file_location("score_reference", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# Invented labels that exercise every matching rule: aliases, the lenient task match, a proposed
# method counted as a method, relations through aliases, a repo URL in another form, a paper
# missing from the graph.
GOLD_MORE = [
    GOLD,
    {"title": "A <b>study</b> of SlowNet", "proposed": [], "methods": [{"name": "Slow Net", "aliases": []}],
     "datasets": [{"name": "ToySet", "aliases": ["Toy Set"]}, {"name": "OtherSet", "aliases": []}],
     "tasks": [], "metrics": [{"name": "accuracy", "aliases": []}],
     "evaluates_on": [["Slow Net", "Toy Set"]], "improves_over": [], "repos": []},
    {"title": "Not in the graph at all", "methods": [{"name": "GhostNet", "aliases": []}],
     "evaluates_on": [["GhostNet", "ToySet"]]},
]


def test_eval_gives_the_reference_scorers_numbers(tmp_path):
    graph, gold = tmp_path / "g.ttl", tmp_path / "gold.jsonl"
    write_rdf(make_tiny_graph(), graph)
    gold.write_text("".join(json.dumps(r) + "\n" for r in GOLD_MORE), encoding="utf-8")
    ref = _reference_scorer()
    expected, _ = ref.score(str(gold), ref.load_graph(str(graph)))
    report = evaluate_graph(read_graph(graph), load_gold(gold))
    assert report.found == expected["papers_found"] == 2
    for kind in KINDS:
        s, e = report.scores[kind], expected[kind]
        got = {"P": round(s.precision, 3), "R": round(s.recall, 3), "F1": round(s.f1, 3), "gold": s.gold, "pred": s.pred}
        assert got == e, kind


def test_eval_names_the_gold_papers_it_could_not_match(tmp_path):
    graph, gold = tmp_path / "g.ttl", tmp_path / "gold.jsonl"
    write_rdf(make_tiny_graph(), graph)
    gold.write_text("".join(json.dumps(r) + "\n" for r in GOLD_MORE), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(gold), "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "papers matched by title: 2/3"
    assert lines[-2:] == ["not matched by title: 1 gold papers (scored as misses), e.g.", "  Not in the graph at all"]


@pytest.mark.parametrize("args, message", [
    ([], "give either a GOLD file or --gold dev|era"),
    (["labels.jsonl", "--gold", "dev"], "give either a GOLD file or --gold dev|era"),
    (["--gold", "nope"], "Invalid value for '--gold'"),
])
def test_eval_usage_errors(args, message):
    result = CliRunner().invoke(cli, ["eval", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_eval_of_a_missing_gold_file_is_an_error(tmp_path):
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'none.jsonl'}: no such gold file"


@pytest.mark.parametrize("name, papers", [("dev", 168), ("era", 100)])
def test_every_shipped_gold_paper_is_among_its_sets_papers(name, papers):
    labelled = GOLD_SETS[name]
    gold = load_gold(labelled.gold)
    titles = {_norm(p.title) for p in read_papers([labelled.papers]).papers}
    assert len(gold) == papers
    assert [r["title"] for r in gold if _norm(r["title"]) not in titles] == []


def test_eval_gold_scores_a_given_graph_against_the_shipped_labels(tmp_path):
    graph = tmp_path / "g.ttl"
    write_rdf(make_tiny_graph(), graph)
    result = CliRunner().invoke(cli, ["eval", "--gold", "era", "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "papers matched by title: 0/100"
    assert "not matched by title: 100 gold papers (scored as misses), e.g." in result.output


def _readme_eval_block(name: str) -> list[str]:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split(f"    $ kg eval --gold {name}\n", 1)[1]
    return [line[4:] for line in block.split("\n\n", 1)[0].splitlines()]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dev", "era"])
def test_the_readme_table_is_what_kg_eval_gives_on_the_shipped_dev_set(name):
    # Builds the set's papers: the README's figures must be the current extractor's.
    result = CliRunner().invoke(cli, ["eval", "--gold", name])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == _readme_eval_block(name)
