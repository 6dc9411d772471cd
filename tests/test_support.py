"""Support PageRank, the default method ranking: known values, and papers outweighing one paper's claims."""

from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.analyze.centrality import AnalysisError, centrality, method_centrality, ranking
from kg.analyze.support import graph_support, support_pagerank
from kg.cli import cli
from kg.export.rdf import write_rdf


def graph(papers: dict[str, str], claims=(), proposes=()) -> nx.MultiDiGraph:
    """papers: {paper: the methods it mentions, one letter each}; claims: (better, worse, paper)."""
    G = nx.MultiDiGraph()
    for p, methods in papers.items():
        G.add_node(p, kind="paper")
        for m in methods:
            G.add_node(m, kind="method", label=m)
            G.add_edge(p, m, key="mentions")
    for p, m in proposes:
        G.add_edge(p, m, key="proposes")
    for a, b, p in claims:
        data = G.get_edge_data(a, b, key="improvesOver") or {"claims": ()}
        G.add_edge(a, b, key="improvesOver", claims=(*data["claims"], {"paper": p}))
    return G


def test_one_paper_one_method_known_value():
    # The walk alternates paper and method; jumps land on the method: m = 0.15 / (1 - 0.85^2).
    s = graph_support(graph({"p": "m"}))
    assert s["m"] == pytest.approx(0.15 / (1 - 0.85 ** 2)) and s["p"] == pytest.approx(0.85 * s["m"])


def test_a_proposed_method_takes_twice_its_papers_share():
    s = graph_support(graph({"p": "ab"}, proposes=[("p", "a")]))
    x_p = 0.85 * 0.15 / (1 - 0.85 ** 2)
    assert s["p"] == pytest.approx(x_p)
    assert s["a"] == pytest.approx(0.85 * 2 / 3 * x_p + 0.075)
    assert s["b"] == pytest.approx(0.85 * 1 / 3 * x_p + 0.075)


def test_many_papers_outrank_one_paper_listing_many_comparisons():
    # A is mentioned by three papers; B by one paper that claims B beats five methods (and A).
    papers = {"p1": "AX", "p2": "AY", "p3": "AZ", "q": "BCDEFGA"}
    G = graph(papers, claims=[("B", c, "q") for c in "CDEFGA"], proposes=[("q", "B")])
    support = method_centrality(G)
    assert ranking(support)[0][0] == "A"
    # PageRank on the whole graph counts every claim edge once, and puts B first.
    assert ranking(method_centrality(G, measure="pagerank", on="full"))[0][0] == "B"


def test_claims_lift_a_one_paper_method():
    # X and Y each have one paper that also mentions A and B; only X's paper claims something (X beats B).
    G = graph({"p1": "A", "p2": "A", "px": "XAB", "py": "YAB"}, claims=[("X", "B", "px")])
    s = method_centrality(G)
    assert s["X"] > s["Y"] and s["A"] > s["X"]


def test_array_core_checks_its_input_and_handles_empty_graphs():
    assert support_pagerank(0, [], [], []).tolist() == []
    assert support_pagerank(3, [], [], []).tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(AnalysisError, match="within 0..1"):
        support_pagerank(2, [7], [], [])
    with pytest.raises(AnalysisError, match="not on a projection"):
        centrality(nx.path_graph(3), measure="support")
    with pytest.raises(AnalysisError, match="does not apply"):
        method_centrality(graph({"p": "a"}), on="full")


def test_cli_states_the_measure_and_refuses_on(tiny_graph, tmp_path):
    write_rdf(tiny_graph, tmp_path / "g.ttl")
    runner = CliRunner()
    res = runner.invoke(cli, ["centrality", "--graph", str(tmp_path / "g.ttl")])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0].split() == ["rank", "method", "support_pagerank", "papers"]
    res = runner.invoke(cli, ["centrality", "--graph", str(tmp_path / "g.ttl"), "--on", "full"])
    assert res.exit_code == 2 and "--on applies to the other measures" in res.output
    res = runner.invoke(cli, ["centrality", "--graph", str(tmp_path / "g.ttl"), "--measure", "pagerank", "--on", "full"])
    assert res.exit_code == 0 and "pagerank" in res.output.splitlines()[0]
    assert "support" in runner.invoke(cli, ["centrality", "--help"]).output
