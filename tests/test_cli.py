"""The `kg` command through click's runner: exit codes, messages and the files each command writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import EXIT_ERROR, EXIT_SKIPPED, EXIT_USAGE, cli

FIX = Path(__file__).parent / "fixtures" / "inputs"


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build of the fixture inputs, shared by the read-only commands."""
    out = tmp_path_factory.mktemp("out")
    result = run("build", FIX, "--out", out, "--rdf-format", "turtle,ntriples")
    assert result.exit_code == 0, result.output
    return out, result


def test_build_writes_every_view_and_a_summary(built):
    out, result = built
    for name in ("graph.ttl", "graph.nt", "graph.html", "centrality.csv", "top_methods.svg", "trends.svg"):
        assert (out / name).stat().st_size > 0, name
    assert '<a href="top_methods.svg">top methods</a>' in (out / "graph.html").read_text(encoding="utf-8")
    assert "records read:      11" in result.output and "papers kept:       11" in result.output
    assert "records skipped:   0" in result.output and "seconds:" in result.output
    assert "nodes:             paper 11, method " in result.output


def test_build_is_deterministic(built, tmp_path):
    out, _ = built
    assert run("build", FIX, "--out", tmp_path, "--rdf-format", "turtle,ntriples").exit_code == 0
    for name in ("graph.ttl", "graph.nt", "centrality.csv"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_missing_file_is_skipped_and_the_rest_built(tmp_path):
    result = run("build", tmp_path / "missing.jsonl", FIX / "papers.jsonl", "--out", tmp_path / "o")
    assert result.exit_code == 0
    assert f"skipped {tmp_path / 'missing.jsonl'}: no such file or folder" in result.output
    assert "papers kept:       2" in result.output and "records skipped:   1 (1 no such file or folder)" in result.output


def test_malformed_record_names_file_and_line_and_strict_fails(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "Fine", "abstract": "Fine."}\n{"title": oops}\n', encoding="utf-8")
    result = run("build", bad, "--out", tmp_path / "o")
    assert result.exit_code == 0 and f"skipped {bad}:2: malformed JSON" in result.output
    strict = run("build", bad, "--out", tmp_path / "o", "--strict")
    assert strict.exit_code == EXIT_SKIPPED and "--strict" in strict.output


def test_nothing_readable_is_an_error(tmp_path):
    result = run("build", tmp_path / "nope", "--out", tmp_path / "o")
    assert result.exit_code == EXIT_ERROR and "Error: no paper could be read" in result.output
    assert not (tmp_path / "o" / "graph.ttl").exists()


def test_unknown_input_format_is_a_usage_error(tmp_path):
    result = run("build", FIX, "--format", "yaml", "--out", tmp_path)
    assert result.exit_code == EXIT_USAGE and "Invalid value for '--format'" in result.output


def test_unknown_rdf_format_is_a_usage_error(tmp_path):
    result = run("build", FIX, "--rdf-format", "turtle,rdfxml", "--out", tmp_path)
    assert result.exit_code == EXIT_USAGE and "RDF format 'rdfxml' is invalid" in result.output


def test_query_prints_rows(built):
    out, _ = built
    result = run("query", "SELECT ?t WHERE { ?p a kg:Paper ; dcterms:title ?t } ORDER BY ?t LIMIT 2",
                 "--graph", out / "graph.ttl", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]  # SPARQL 1.1 Query Results JSON
    assert [r["t"]["value"] for r in rows] == ["A Study of Benchmark Leakage", "An arXiv Paper with a Folded Title"]


def test_query_on_a_missing_graph_is_one_clear_error(tmp_path):
    result = run("query", "ASK { ?s ?p ?o }", "--graph", tmp_path / "none.ttl")
    assert result.exit_code == EXIT_ERROR and result.output.startswith("Error: ") and "none.ttl" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_bad_sparql_is_one_clear_error(built):
    out, _ = built
    result = run("query", "SELECT WHERE {", "--graph", out / "graph.ttl")
    assert result.exit_code == EXIT_ERROR and result.output.startswith("Error: ")


def test_centrality_ranks_methods(built):
    out, _ = built
    result = run("centrality", "--graph", out / "graph.ttl", "--top", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert 1 <= len(rows) <= 3 and [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert all("/method/" in r["iri"] for r in rows)
    assert rows == sorted(rows, key=lambda r: -r["score"])


def test_every_command_has_help_with_examples():
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0 and "Example" in result.output, name
    assert "Examples" in run("--help").output


def test_html_redraws_the_map_with_clusters(built, tmp_path):
    out, _ = built
    target = tmp_path / "map.html"
    result = run("html", "--graph", out / "graph.ttl", "--out", target, "--max-nodes", "5", "--color-by", "cluster")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {target}: 5 nodes drawn, ") and "hidden" in result.output
    assert "<html" in target.read_text(encoding="utf-8")


def test_eval_with_a_missing_gold_file_is_one_clear_error(built, tmp_path):
    out, _ = built
    result = run("eval", tmp_path / "gold.jsonl", "--graph", out / "graph.ttl")
    assert result.exit_code == EXIT_ERROR and result.output.strip() == f"Error: {tmp_path / 'gold.jsonl'}: no such gold file"


# --- kg query's rough edges (issue 15): compact tables, --list formats, clear refusals ---

def test_query_table_compacts_iris_and_cuts_long_cells(built):
    out, _ = built
    result = run("query", "SELECT ?m ?long WHERE { ?m a kg:Method BIND(CONCAT(STR(?m), STR(?m)) AS ?long) } LIMIT 3",
                 "--graph", out / "graph.ttl")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2].startswith("method:") and "https://w3id.org" not in lines[2].split()[0]
    cells = lines[2].split()
    assert len(cells[1]) == 60 and cells[1].endswith("…")
    assert "cells cut at 60 characters" in lines[-1]
    # csv keeps the whole IRI
    csv_out = run("query", "SELECT ?m WHERE { ?m a kg:Method } LIMIT 1", "--graph", out / "graph.ttl",
                  "--format", "csv").output
    assert "https://w3id.org/paperkg/resource/method/" in csv_out


def test_query_list_honours_the_format():
    saved = json.loads(run("query", "--list", "--format", "json").output)
    by_name = {d["name"]: d for d in saved}
    assert by_name["claim-evidence"]["params"] == ["subject", "object"] and by_name["top-tasks"]["description"]
    csv_lines = run("query", "--list", "--format", "csv").output.splitlines()
    assert csv_lines[0] == "name,description,params" and len(csv_lines) == len(saved) + 1
    assert run("query", "--list").output.splitlines()[0].startswith("claim-evidence ")


def test_query_unknown_prefix_is_one_line(built):
    out, _ = built
    result = run("query", "SELECT * WHERE { ?s foo:bar ?o }", "--graph", out / "graph.ttl")
    assert result.exit_code == EXIT_ERROR
    assert result.output.startswith("Error: unknown prefix foo: in the query; declare it (PREFIX foo: <...>)")
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("update", ["DELETE WHERE { ?s ?p ?o }", "INSERT DATA { <http://e/a> <http://e/b> 1 }",
                                    "PREFIX e: <http://e/#>\n# a comment\nDROP ALL", "load <http://e/x>"])
def test_query_updates_are_not_supported(built, update):
    out, _ = built
    before = (out / "graph.ttl").read_bytes()
    result = run("query", update, "--graph", out / "graph.ttl")
    assert result.exit_code == EXIT_USAGE
    assert "Error: updates are not supported: this is a" in result.output
    assert (out / "graph.ttl").read_bytes() == before


def test_bad_turtle_names_the_file_and_line(tmp_path):
    bad = tmp_path / "graph.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/paperkg/ontology#> .\n<a:b> kg:x <a:c> .\n<a:b> zz:y <a:c> .\n",
                   encoding="utf-8")
    for command in (["query", "ASK { ?s ?p ?o }"], ["centrality"], ["validate"]):
        result = run(*command, "--graph", bad)
        assert result.exit_code == EXIT_ERROR, command
        assert result.output.startswith(f"Error: {bad}:3: not readable turtle: "), result.output
        assert "zz" in result.output and "<>" not in result.output


def test_query_iris_from_a_table_work_in_the_next_query(built):
    out, _ = built
    first = run("query", "SELECT ?m WHERE { ?m a kg:Method } ORDER BY ?m LIMIT 1", "--graph", out / "graph.ttl")
    iri = first.output.splitlines()[2].strip()
    assert iri.startswith("method:")
    again = run("query", f"ASK {{ {iri} a kg:Method }}", "--graph", out / "graph.ttl")
    assert again.exit_code == 0 and again.output.strip() == "true"
