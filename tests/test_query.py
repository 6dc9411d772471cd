"""Saved queries, safe parameter binding and result formats, on both engines."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
from click.testing import CliRunner

from conftest import make_tiny_graph
from kg.cli import cli
from kg.errors import GraphError, QueryError, QueryTimeoutError, ServiceRefusedError
from kg.export.rdf import write_rdf
from kg.sparql.guard import find_service
from kg.sparql.query import (
    ENGINES,
    format_result,
    list_queries,
    load_graph,
    query_params,
    resolve_query_arg,
    run_query,
    stream_result,
)
from kg.sparql.worker import QueryPool

R = "https://w3id.org/paperkg/resource/"
EVIL = 'Evil" } UNION { ?d ?p ?name } # DROP ALL ; SELECT'


def chain_graph():
    """The tiny graph plus TurboNet > FastNet (> SlowNet) from a third paper, and a dataset with an evil name."""
    G = make_tiny_graph()
    p3, turbo, evil = R + "paper/p3", R + "method/turbonet", R + "dataset/evil"
    G.add_node(p3, kind="paper", label="TurboNet", aliases=(), title="TurboNet", abstract="TurboNet beats FastNet.",
               url=None, date=None, authors=(), arxiv_id=None, id=None, source="t:4")
    G.add_node(turbo, kind="method", label="TurboNet", aliases=("TN",), papers=(p3,), confidence=0.9)
    G.add_node(evil, kind="dataset", label=EVIL, aliases=(), papers=(p3,), confidence=0.5)
    G.nodes[R + "dataset/toyset"]["aliases"] = ("Toy Set v1",)
    for e in (turbo, R + "method/fastnet", evil):
        G.add_edge(p3, e, key="mentions", rel="mentions")
    G.add_edge(p3, turbo, key="proposes", rel="proposes")
    G.add_edge(turbo, R + "method/fastnet", key="improvesOver", rel="improvesOver",
               claims=({"paper": p3, "evidence": "TurboNet beats FastNet.", "confidence": 0.7},))
    G.add_edge(turbo, evil, key="evaluatesOn", rel="evaluatesOn",
               claims=({"paper": p3, "evidence": "TurboNet beats FastNet.", "confidence": 0.6},))
    return G


@pytest.fixture(scope="module")
def graph_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "graph.ttl"
    write_rdf(chain_graph(), path)
    return path


@pytest.fixture(scope="module", params=ENGINES)
def store(request, graph_path):
    return load_graph(graph_path, engine=request.param)


def rows(store, name, **bindings):
    """Rows as tuples of plain values (IRIs and literals alike)."""
    res = run_query(store, resolve_query_arg(name), bindings=bindings)
    return [tuple(None if t is None else t.value for t in row) for row in res.rows]


def test_methods_on_dataset_matches_label_and_alias_ignoring_case(store):
    expected = [("toy set v1", R + "method/fastnet", "FastNet", "1"),
                ("toy set v1", R + "method/slownet", "SlowNet", "1")]
    assert rows(store, "methods-on-dataset", dataset="toy set v1") == expected
    assert [r[2] for r in rows(store, "methods-on-dataset", dataset="TOYSET")] == ["FastNet", "SlowNet"]
    assert rows(store, "methods-on-dataset", dataset="nothing") == []


def test_improves_over(store):
    assert rows(store, "improves-over", method="slownet") == [("slownet", R + "method/fastnet", "FastNet", "1")]
    assert [r[2] for r in rows(store, "improves-over", method="FastNet")] == ["TurboNet"]


def test_improvement_chains_follow_paths(store):
    assert rows(store, "improvement-chains") == [
        ("FastNet", "SlowNet", "true"), ("TurboNet", "FastNet", "true"), ("TurboNet", "SlowNet", "false")]


def test_datasets_by_methods(store):
    assert [(r[1], r[2]) for r in rows(store, "datasets-by-methods")] == [("ToySet", "2"), (EVIL, "1")]


def test_papers_with_code(store):
    assert rows(store, "papers-with-code") == [
        (R + "paper/p1", "FastNet: Fast Networks", "https://github.com/example/fastnet")]


def test_claim_evidence(store):
    got = rows(store, "claim-evidence", subject="tn", object="FastNet")
    assert got == [("tn", "FastNet", "https://w3id.org/paperkg/ontology#improvesOver", "TurboNet beats FastNet.",
                    "TurboNet", R + "paper/p3", "0.7")]


def test_top_tasks(store):
    assert rows(store, "top-tasks") == [(R + "task/image-classification", "image classification", "1")]


def test_values_are_bound_never_pasted(store):
    # The evil name matches its own dataset only, as a literal; it neither breaks nor widens the query.
    assert [r[2] for r in rows(store, "methods-on-dataset", dataset=EVIL)] == ["TurboNet"]
    for value in ['"', "'", "}", "{", "\\", "?d", "$d", "<http://x>", "\n", "DELETE WHERE { ?s ?p ?o }"]:
        assert rows(store, "methods-on-dataset", dataset=value) == []


def test_engines_agree(graph_path):
    stores = {e: load_graph(graph_path, engine=e) for e in ENGINES}
    for name, _ in list_queries():
        text = resolve_query_arg(name)
        bindings = {p: "FastNet" for p in query_params(text)}
        results = [run_query(s, text, bindings=bindings) for s in stores.values()]
        assert results[0] == results[1], name
    ask = [run_query(s, "ASK { ?m kg:improvesOver+ ?x }").boolean for s in stores.values()]
    assert ask == [True, True]


def test_list_queries_all_described():
    names = dict(list_queries())
    assert {"methods-on-dataset", "improves-over", "improvement-chains", "datasets-by-methods",
            "papers-with-code", "claim-evidence", "top-tasks"} <= set(names)
    assert all(desc for desc in names.values())
    assert query_params(resolve_query_arg("claim-evidence")) == ["subject", "object"]


def test_resolve_query_arg(tmp_path):
    assert resolve_query_arg("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?s ?p ?o }")
    assert resolve_query_arg(str(f)) == "ASK { ?s ?p ?o }"
    with pytest.raises(QueryError, match="not found"):
        resolve_query_arg(str(tmp_path / "missing.rq"))
    with pytest.raises(QueryError, match="no saved query named 'top-taks'.*top-tasks"):
        resolve_query_arg("top-taks")


def test_errors(store, graph_path, tmp_path):
    with pytest.raises(QueryError, match=r"syntax error at line 2, column"):
        run_query(store, "SELECT ?x WHERE {\n ?x ?y }")
    with pytest.raises(QueryError, match="--param dataset=VALUE"):
        run_query(store, resolve_query_arg("methods-on-dataset"))
    with pytest.raises(QueryError, match="not a variable of the query"):
        run_query(store, "SELECT ?s WHERE { ?s ?p ?o }", bindings={"zz": "1"})
    with pytest.raises(QueryError, match="SELECT list"):
        run_query(store, "SELECT ?s WHERE { ?s rdfs:label ?l }", bindings={"l": "FastNet"})
    with pytest.raises(GraphError, match="not found"):
        load_graph(tmp_path / "nope.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    with pytest.raises(GraphError, match="not readable"):
        load_graph(bad)


def test_format_result(store):
    res = run_query(store, "SELECT ?l ?m WHERE { ?m rdfs:label ?l ; rdfs:label 'FastNet' }", bindings={})
    table = format_result(res, "table").splitlines()
    assert table[0].split() == ["l", "m"] and table[-1] == "(1 row)"
    assert format_result(res, "csv") == "l,m\r\nFastNet," + R + "method/fastnet"
    data = json.loads(format_result(res, "json"))
    assert data["head"]["vars"] == ["l", "m"]
    assert data["results"]["bindings"][0]["m"] == {"type": "uri", "value": R + "method/fastnet"}
    assert format_result(run_query(store, "ASK { ?s ?p ?o }"), "json") == '{"head": {}, "boolean": true}'
    nt = format_result(run_query(store, "CONSTRUCT { ?m a kg:Method } WHERE { ?m rdfs:label 'TurboNet' }"), "table")
    assert nt == (f"<{R}method/turbonet> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                  "<https://w3id.org/paperkg/ontology#Method> .")


def test_table_escapes_control_characters(tmp_path):
    G = make_tiny_graph()
    G.nodes[R + "method/fastnet"]["label"] = "Fast\x1b[31mNet\nX"
    path = tmp_path / "g.nt"
    write_rdf(G, path, fmt="ntriples")
    res = run_query(load_graph(path), "SELECT ?l WHERE { ?m a kg:Method ; rdfs:label ?l } ORDER BY ?l")
    out = format_result(res, "table")
    assert "\x1b" not in out and "Fast\\x1b[31mNet\\nX" in out


# ---------------------------------------------------------------- SERVICE, row caps, time limits (issue 11)

def service_queries(url):
    """SERVICE written every way the grammar allows; each would reach `url` if it ran."""
    return [
        f"SELECT * WHERE {{ SERVICE <{url}plain> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}silent> {{ ?s ?p ?o }} }}",
        f"PREFIX remote: <{url}> SELECT * WHERE {{ SeRvIcE remote:prefixed {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?g {{ <{url}variable> }} SERVICE ?g {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}subquery> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}exists> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}optional> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ # a comment }} SERVICE\n SERVICE <{url}comment> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}escaped> {{ ?s ?p ?o }} }}",
        # rdflib cannot parse LATERAL (Oxigraph can): the keyword check still finds SERVICE.
        f"SELECT * WHERE {{ ?a ?b ?c LATERAL {{ SERVICE <{url}lateral> {{ ?s ?p ?o }} }} }}",
    ]


def test_service_is_refused_and_nothing_is_contacted(store, recorder):
    for q in service_queries(recorder.url):
        with pytest.raises(ServiceRefusedError, match=r"SERVICE.*--allow-service"):
            run_query(store, q)
    assert recorder.hits == []


def test_allow_service_does_reach_the_network(store, recorder):
    # The recorder sees a query that is allowed to run, so the test above can fail.
    res = run_query(store, f"SELECT ?x WHERE {{ SERVICE <{recorder.url}ok> {{ ?x ?p ?o }} }}", allow_service=True)
    assert [r[0].value for r in res.rows] == ["secret"] and recorder.hits


def test_service_in_strings_comments_and_names_is_not_a_clause(store):
    q = ('SELECT ?s WHERE { ?s rdfs:label ?l FILTER(?l != "SERVICE <http://x/> { }") } # SERVICE <http://x/> {}\n'
         "ORDER BY ?s LIMIT 1")
    assert find_service(q) is None and len(run_query(store, q).rows) == 1
    assert find_service("PREFIX service: <http://e/> SELECT * WHERE { ?s service:x ?o }") is None
    # SPARQL 1.2 that only Oxigraph parses still runs when it does not mention SERVICE at all.
    assert find_service("SELECT * WHERE { ?a ?b ?c LATERAL { SELECT ?x WHERE { ?x ?y ?z } LIMIT 1 } }") is None


def test_max_rows_caps_and_says_so(store):
    product = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 20000000"
    res = run_query(store, product, max_rows=7)
    assert len(res.rows) == 7 and res.truncated
    res = run_query(store, "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c }", max_rows=3)
    assert len(res.triples) == 3 and res.truncated
    res = run_query(store, "SELECT ?m WHERE { ?m a kg:Method }", max_rows=3)
    assert len(res.rows) == 3 and not res.truncated


def test_stream_result_is_the_formatted_result(store):
    res = run_query(store, "SELECT ?m ?l ?x WHERE { ?m a kg:Method ; rdfs:label ?l OPTIONAL { ?m kg:nothing ?x } }")
    assert json.loads("".join(stream_result(res, "json", batch=2))) == json.loads(format_result(res, "json"))
    assert "".join(stream_result(res, "csv", batch=2)) == format_result(res, "csv") + "\r\n"


HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_timeout_kills_the_worker_and_the_pool_recovers(graph_path):
    with QueryPool(load_graph(graph_path), workers=1) as pool:
        [before] = pool.pids()
        with pytest.raises(QueryTimeoutError, match="time limit of 0.5 s"):
            pool.result(HOSTILE, timeout=0.5)
        with pytest.raises(ProcessLookupError):  # killed and reaped: it uses no more CPU
            os.kill(before, 0)
        assert pool.pids() != [before]
        assert pool.result("ASK { ?m a kg:Method }", timeout=10).boolean is True
        with pytest.raises(ServiceRefusedError):
            pool.result("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", timeout=10)


def test_cli_query_timeout_and_service(graph_path, recorder):
    runner = CliRunner()
    res = runner.invoke(cli, ["query", HOSTILE, "--graph", str(graph_path), "--timeout", "0.5"])
    assert res.exit_code == 1 and "time limit of 0.5 s" in res.output
    res = runner.invoke(cli, ["query", f"SELECT * WHERE {{ SERVICE SILENT <{recorder.url}> {{ ?s ?p ?o }} }}",
                              "--graph", str(graph_path)])
    assert res.exit_code == 1 and "--allow-service" in res.output and recorder.hits == []
    res = runner.invoke(cli, ["query", f"SELECT ?x WHERE {{ SERVICE <{recorder.url}> {{ ?x ?p ?o }} }}",
                              "--graph", str(graph_path), "--allow-service", "--format", "csv"])
    assert res.exit_code == 0 and res.output.split() == ["x", "secret"] and recorder.hits
    assert "--allow-service" in runner.invoke(cli, ["query", "--help"]).output


FORMULAS = """SELECT ?x WHERE { VALUES ?x { "=HYPERLINK(\\"http://evil\\")" "@SUM(A1)" "+1+2" "-0.5" "C++" } }"""
SAFE_COLUMN = ["x", "'=HYPERLINK(\"http://evil\")", "'@SUM(A1)", "'+1+2", "-0.5", "C++"]


def test_csv_results_never_write_a_formula(store):
    # Paper text is untrusted: a cell a spreadsheet would run is quoted, in the whole and the streamed CSV.
    res = run_query(store, FORMULAS)
    for text in (format_result(res, "csv"), "".join(stream_result(res, "csv", batch=2))):
        assert [row[0] for row in csv.reader(io.StringIO(text))] == SAFE_COLUMN


def test_cli_query_csv_never_writes_a_formula(graph_path):
    r = CliRunner().invoke(cli, ["query", FORMULAS, "--graph", str(graph_path), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert [row[0] for row in csv.reader(io.StringIO(r.output))] == SAFE_COLUMN
