"""The build's views from a Snapshot equal the same views from its networkx graph, exactly."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from conftest import make_tiny_graph
from kg.analyze.centrality import AnalysisError, centrality, method_centrality, method_scores, pagerank_arrays, project
from kg.analyze.snapshot_views import (
    snapshot_method_pagerank,
    snapshot_method_scores,
    snapshot_pagerank,
    snapshot_summary_counts,
    trend_table_snapshot,
)
from kg.analyze.trends import trend_table
from kg.export.centrality import write_centrality_csv, write_centrality_csv_snapshot
from kg.export.charts import write_top_methods_chart, write_top_methods_chart_snapshot
from kg.graph.snapshot import Snapshot
from kg.pipeline.build import build

R = "https://w3id.org/paperkg/resource/"
FIX = Path(__file__).parent / "fixtures" / "inputs"


def paper(G, key, date):
    G.add_node(R + f"paper/{key}", kind="paper", label=f"Paper {key}", aliases=(), title=f"Paper {key}",
               abstract="", url=None, date=date, authors=(), arxiv_id=None, id=key, source=f"t:{key}")
    return R + f"paper/{key}"


def schema_graph(dates, n_entities=12, seed=0) -> nx.MultiDiGraph:
    """A random graph in kg.graph.assemble's schema: papers with `dates` mention, propose and link entities and
    repos; claim edges between entities (never a self loop); unmentioned entities stay isolated."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    papers = [paper(G, f"p{i:03d}", d) for i, d in enumerate(dates)]
    kinds = ("method", "dataset", "task", "metric")
    ents = [R + f"{kinds[i % 4]}/e{i:02d}" for i in range(n_entities)]
    repos = [f"https://github.com/ex/r{i}" for i in range(3)]
    edges, mentioned = {}, {}
    for p in papers:
        for e in rng.sample(ents, min(len(ents), rng.randint(0, 4))):
            edges[(p, e, "mentions")] = None
            mentioned.setdefault(e, set()).add(p)
            if rng.random() < 0.3:
                edges[(p, e, "proposes")] = None
        if rng.random() < 0.3:
            r = rng.choice(repos)
            edges[(p, r, "hasCode")] = None
            mentioned.setdefault(r, set()).add(p)
    for e in ents:
        # A tie in label between two entities of one kind, and one entity with no label at all.
        label = None if e.endswith("e05") else ("Same" if e.endswith(("e00", "e04")) else f"Ent {e[-3:]}")
        G.add_node(e, kind=e[len(R):].split("/")[0], label=label, aliases=("alias",) if e.endswith("1") else (),
                   papers=tuple(sorted(mentioned.get(e, ()))), confidence=0.5)
    G.add_node(R + "method/zz-isolated", kind="method", label="Isolated", aliases=(), papers=(), confidence=0.5)
    for r in repos:
        if r in mentioned:
            G.add_node(r, kind="repo", label=r, aliases=(), papers=tuple(sorted(mentioned[r])))
    for _ in range(n_entities):
        u, v = rng.sample(ents, 2)
        rel = rng.choice(("evaluatesOn", "improvesOver"))
        claims = tuple({"paper": p, "evidence": f"{u} vs {v}", "confidence": 0.5}
                       for p in sorted(rng.sample(papers, min(len(papers), rng.randint(1, 2)))))
        edges[(u, v, rel)] = claims
    for (u, v, rel), claims in sorted(edges.items(), key=lambda kv: kv[0]):
        G.add_edge(u, v, key=rel, rel=rel, **({} if claims is None else {"claims": claims}))
    return G


def built_graph(tmp) -> nx.MultiDiGraph:
    G, _ = build([FIX], out_dir=tmp)
    return G


GRAPHS = {
    "mixed dates": lambda tmp: schema_graph(["2024-03-11", "--03-11", None, "2023-12-30", "2024-03-02",
                                             "2024", "garbage", "2024-01-05T10:00:00Z"] * 5, seed=1),
    "yearless only": lambda tmp: schema_graph(["--03-11", "--03-12", "--04-01", None] * 4, seed=2),
    "no edges": lambda tmp: schema_graph(["2024-03-11"], n_entities=0),
    "tiny": lambda tmp: make_tiny_graph(),
    "built from fixtures": built_graph,
}


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def graph(request, tmp_path_factory) -> tuple[nx.MultiDiGraph, Snapshot]:
    G = GRAPHS[request.param](tmp_path_factory.mktemp("build"))
    snap = Snapshot.from_graph(G)
    # The contract is with the snapshot's own graph; it must also be G itself.
    assert nx.utils.graphs_equal(snap.to_graph(), G)
    return snap.to_graph(), snap


def test_pagerank_is_the_full_projection_pagerank_bit_for_bit(graph):
    G, snap = graph
    pr = snapshot_pagerank(snap)
    expected = centrality(project(G, "full"), measure="pagerank")
    assert list(pr) == sorted(G) and pr == expected
    reference = nx.pagerank(project(G, "full"), alpha=0.85)
    assert max(abs(pr[n] - reference[n]) for n in G) <= 1e-12
    assert sum(pr.values()) == pytest.approx(1.0)


def test_method_scores(graph):
    # The build's ranking (support PageRank on the arrays) is `kg centrality`'s default, float for float.
    G, snap = graph
    scores = snapshot_method_scores(snap)
    assert scores == method_centrality(G) and list(scores) == list(method_centrality(G))
    pr = snapshot_pagerank(snap)
    assert snapshot_method_pagerank(snap, pr) == method_scores(G, pr)


def expected_csv(G, scores) -> list[list[str]]:
    """centrality.csv's rows as the graph's attributes give them (best first, ties by IRI)."""
    rows = [["rank", "label", "support_pagerank", "papers", "iri"]]
    for rank, (n, s) in enumerate(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])), 1):
        label = G.nodes[n]["label"]
        label = "'" + label if label[:1] in "=+-@\t\r" and label else label
        rows.append([str(rank), label, f"{s:.9f}", str(len(G.nodes[n].get("papers", ()))), n])
    return rows


def test_centrality_csv_lists_the_graphs_attributes(graph, tmp_path):
    G, snap = graph
    scores = snapshot_method_scores(snap)
    write_centrality_csv_snapshot(snap, tmp_path / "s.csv", scores)
    with open(tmp_path / "s.csv", newline="", encoding="utf-8") as f:
        assert list(csv.reader(f)) == expected_csv(G, scores)
    # Every node kind, not just methods, counts its papers the way the graph lists them (the one
    # unlabelled entity of the random graphs cannot be written).
    everything = {n: 1.0 for n, d in G.nodes(data=True) if d.get("label")}
    write_centrality_csv(G, tmp_path / "g.csv", everything)
    with open(tmp_path / "g.csv", newline="", encoding="utf-8") as f:
        assert list(csv.reader(f)) == expected_csv(G, everything)


def test_top_methods_chart_is_byte_identical(graph, tmp_path):
    G, snap = graph
    scores = snapshot_method_scores(snap)
    for top in (15, 3):
        write_top_methods_chart(G, scores, tmp_path / "g.svg", top=top)
        write_top_methods_chart_snapshot(snap, scores, tmp_path / "s.svg", top=top)
        assert (tmp_path / "s.svg").read_bytes() == (tmp_path / "g.svg").read_bytes()


@pytest.mark.parametrize("period", ["day", "month", "year"])
def test_trend_table(graph, period):
    G, snap = graph
    assert trend_table_snapshot(snap, period=period) == trend_table(G, period=period)
    kinds = ("dataset", "method")
    assert trend_table_snapshot(snap, period=period, kinds=kinds) == trend_table(G, period=period, kinds=kinds)


def test_summary_counts(graph):
    G, snap = graph
    nodes, edges, claims = snapshot_summary_counts(snap)
    assert dict(nodes) == dict(Counter(d["kind"] for _, d in G.nodes(data=True)))
    assert dict(edges) == dict(Counter(k for _, _, k in G.edges(keys=True)))
    assert claims == sum(len(d.get("claims", ())) for _, _, d in G.edges(data=True))


def test_mixed_dates_are_really_mixed():
    G = GRAPHS["mixed dates"](None)
    rows = trend_table(G, period="month")
    assert {r.period for r in rows} == {"2023-12", "2024-01", "2024-03"} and len(rows) > 5
    assert {r.period for r in trend_table(GRAPHS["yearless only"](None), period="day")} >= {"--03-11", "--04-01"}


@pytest.mark.slow
def test_sample_corpus_build(tmp_path):
    G, _ = build([], out_dir=tmp_path)
    snap = Snapshot.from_graph(G)
    pr = snapshot_pagerank(snap)
    assert pr == centrality(project(G, "full"), measure="pagerank")
    assert trend_table_snapshot(snap) == trend_table(G)
    write_centrality_csv_snapshot(snap, tmp_path / "s.csv", snapshot_method_scores(snap))
    assert (tmp_path / "s.csv").read_bytes() == (tmp_path / "centrality.csv").read_bytes()
    # The default ranking follows the papers: the sample has dozens of methods with two papers or
    # more, so none mentioned by a single paper makes the top 20 (PageRank on the whole graph put
    # two there, each from one paper listing many comparisons).
    with open(tmp_path / "centrality.csv", newline="", encoding="utf-8") as f:
        top = list(csv.DictReader(f))[:20]
    assert len(top) == 20 and min(int(r["papers"]) for r in top) >= 2


# --- pagerank_arrays against networkx ---


def random_pairs(n: int, m: int, seed: int) -> np.ndarray:
    e = np.random.default_rng(seed).integers(0, n, size=(m, 2))
    e = np.sort(e[e[:, 0] != e[:, 1]], axis=1)
    return np.unique(e, axis=0)


@pytest.mark.parametrize("n,m,seed", [(1, 0, 0), (2, 1, 0), (30, 10, 1), (200, 600, 2), (500, 400, 3)])
def test_pagerank_arrays_matches_networkx(n, m, seed):
    pairs = random_pairs(n, m, seed)
    H = nx.Graph()
    H.add_nodes_from(range(n))
    H.add_edges_from(pairs.tolist())
    expected = nx.pagerank(H, alpha=0.85)
    got = pagerank_arrays(n, pairs[:, 0], pairs[:, 1])
    assert np.abs(got - np.array([expected[i] for i in range(n)])).max() <= 1e-12
    assert got.sum() == pytest.approx(1.0)


def test_centrality_pagerank_keeps_node_order_and_networkx_values():
    pairs = random_pairs(300, 500, 4)
    order = np.random.default_rng(4).permutation(300).tolist()
    H = nx.Graph()
    H.add_nodes_from(f"n{i}" for i in order)
    H.add_edges_from((f"n{a}", f"n{b}") for a, b in pairs.tolist())
    got, expected = centrality(H, measure="pagerank"), nx.pagerank(H, alpha=0.85)
    assert list(got) == list(H) and max(abs(got[k] - expected[k]) for k in H) <= 1e-12


def test_pagerank_arrays_star_and_empty():
    # A star's hub: (1 - a)/n + a * (sum of leaves' full shares); networkx's closed-form test values.
    got = pagerank_arrays(5, [0, 0, 0, 0], [1, 2, 3, 4])
    star = nx.pagerank(nx.star_graph(4))
    assert got.tolist() == pytest.approx([star[i] for i in range(5)], abs=1e-12)
    assert pagerank_arrays(0, [], []).size == 0


def test_pagerank_arrays_raises_like_networkx_when_it_does_not_converge():
    with pytest.raises(nx.PowerIterationFailedConvergence):
        pagerank_arrays(3, [0], [1], max_iter=1)
    with pytest.raises(nx.PowerIterationFailedConvergence):
        nx.pagerank(nx.Graph([(0, 1), (1, 2)]), max_iter=1)


@pytest.mark.parametrize("rows,cols", [([1], [0]), ([0], [0]), ([0, 0], [1, 1]), ([0, 0], [2, 1]), ([0], [3])])
def test_pagerank_arrays_rejects_bad_pairs(rows, cols):
    with pytest.raises(AnalysisError, match="unique sorted node pairs"):
        pagerank_arrays(3, rows, cols)


def test_centrality_uses_networkx_for_weighted_and_directed_graphs():
    W = nx.Graph()
    W.add_edge("a", "b", weight=3)
    W.add_edge("b", "c", weight=1)
    assert centrality(W, measure="pagerank") == nx.pagerank(W, alpha=0.85)
    D = nx.DiGraph([("a", "b"), ("c", "b")])
    assert centrality(D, measure="pagerank") == nx.pagerank(D, alpha=0.85)
    L = nx.Graph([("a", "a"), ("a", "b")])  # a self loop: networkx's matrix counts it
    assert centrality(L, measure="pagerank") == nx.pagerank(L, alpha=0.85)
    U = nx.Graph([("b", "a"), ("c", "a")])
    U.add_node("z")
    U["a"]["c"]["weight"] = 1.0  # weight 1 is unweighted
    got = centrality(U, measure="pagerank")
    assert list(got) == list(U) and got == pytest.approx(nx.pagerank(U, alpha=0.85), abs=1e-12)
