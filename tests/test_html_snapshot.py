"""The map of a Snapshot is byte for byte the map of its networkx graph, and the selection on arrays is the old one."""

from __future__ import annotations

import heapq
import math
import random

import networkx as nx
import numpy as np
import pytest
from test_html import probe_graph

from conftest import R, make_tiny_graph, outputs_under_hash_seeds
from kg.analyze.centrality import project
from kg.defaults import CLAIM_RELATIONS, PAGERANK_ALPHA
from kg.errors import KGError
from kg.export.html.layout import ENTITY_SHARE, node_centrality, select_indices, select_nodes
from kg.export.html.page import render_html, write_html
from kg.export.html.snapshot import render_html_snapshot, write_html_snapshot
from kg.graph.snapshot import Snapshot

ENTITY_KINDS = ("method", "dataset", "task", "metric")


def random_graph(seed: int, n_papers: int = 120, n_entities: int = 50, n_repos: int = 6) -> nx.MultiDiGraph:
    """A graph shaped as kg.graph.assemble.build_graph makes one (same attributes, same insertion order).

    Mentions are skewed (a few entities are in most papers, more than a panel lists), labels hold
    markup and non-ASCII text, some papers have no url, and claims pile up on a few edges.
    """
    rng = random.Random(seed)
    ents = [(f"{R}{ENTITY_KINDS[i % 4]}/e{i:03d}", ENTITY_KINDS[i % 4]) for i in range(n_entities)]
    repos = [f"https://github.com/org{i}/r\u00e9po{i}" for i in range(n_repos)]
    weights = [1 / (i + 1) for i in range(n_entities)]
    keys = [f"k{i:04d}" for i in range(n_papers)]
    mentioned_by: dict[str, set[str]] = {}
    edges: dict[tuple[str, str, str], list[dict]] = {}
    for key in keys:
        p = f"{R}paper/{key}"
        for iri, _ in sorted(set(rng.choices(ents, weights, k=rng.randint(0, 6)))):  # sorted: no hash order
            mentioned_by.setdefault(iri, set()).add(p)
            edges[(p, iri, "mentions")] = []
            if rng.random() < 0.2:
                edges[(p, iri, "proposes")] = []
        if rng.random() < 0.15:
            url = rng.choice(repos)
            mentioned_by.setdefault(url, set()).add(p)
            edges[(p, url, "hasCode")] = []
        for _ in range(rng.choice((0, 0, 1, 3))):
            u, v = rng.choices(ents[: n_entities // 2], weights[: n_entities // 2], k=2)
            if u == v:
                continue
            rel = "evaluatesOn" if v[1] == "dataset" else "improvesOver"
            edges.setdefault((u[0], v[0], rel), []).append(
                {"paper": p, "evidence": f"{key}: <i>{u[0][-4:]}</i> & \u201c{v[0][-4:]}\u201d \u2028.",
                 "confidence": round(rng.random(), 3)})

    G = nx.MultiDiGraph()
    for i, key in enumerate(keys):
        title = rng.choice(("Plain", "<script>x</script> title", "T\u00edtulo \u00fcber \U0001d4af", "A & B")) + f" {i}"
        G.add_node(f"{R}paper/{key}", kind="paper", label=title, aliases=(), title=title, abstract="...",
                   url=None if i % 3 == 0 else f"https://arxiv.org/abs/{i}", date=f"2024-01-{i % 28 + 1:02d}",
                   authors=("A. \u00c5uthor",) if i % 2 else (), arxiv_id=None, id=key, source=f"t:{i}")
    for i, (iri, kind) in enumerate(ents):
        if iri in mentioned_by:
            G.add_node(iri, kind=kind, label=f"Ent\u00eft\u00e9 <b>{i}</b> with a long name that gets cut",
                       aliases=tuple(sorted({f"E{i}", f"e-{i}"})) if i % 2 else (),
                       papers=tuple(sorted(mentioned_by[iri])), confidence=round(0.5 + i / 200, 3))
    for url in sorted(u for u in mentioned_by if not u.startswith(R)):
        G.add_node(url, kind="repo", label=url, aliases=(), papers=tuple(sorted(mentioned_by[url])))
    for (u, v, rel), claims in sorted(edges.items()):
        if u not in G or v not in G:
            continue
        attrs = {"rel": rel}
        if rel in CLAIM_RELATIONS:
            best: dict[str, dict] = {}
            for c in claims:
                if c["paper"] not in best or c["confidence"] > best[c["paper"]]["confidence"]:
                    best[c["paper"]] = c
            attrs["claims"] = tuple(best[p] for p in sorted(best))
        G.add_edge(u, v, key=rel, **attrs)
    return G


def papers_only_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for i in range(7):
        G.add_node(f"{R}paper/z{i}", kind="paper", label=f"Z{i}", aliases=(), title=f"Z{i}", abstract="",
                   url=None, date=None, authors=(), arxiv_id=None, id=None, source=f"t:{i}")
    return G


def full_pagerank(G):
    return nx.pagerank(project(G, "full"), alpha=PAGERANK_ALPHA)


def assert_same_page(G, **kwargs):
    snap = Snapshot.from_graph(G)
    expected = render_html(G, **kwargs)
    assert render_html(snap.to_graph(), **kwargs) == expected  # the fixture survives the round trip
    got = render_html_snapshot(snap, **kwargs)
    assert got[1] == expected[1]
    assert got[0] == expected[0]


@pytest.mark.parametrize("max_nodes", [1, 2, 3, 4, 5, 6, 7, 8, 300])
def test_tiny_graph(max_nodes):
    assert_same_page(make_tiny_graph(), max_nodes=max_nodes)


@pytest.mark.parametrize("max_nodes", [2, 5, 6])
def test_hostile_text_and_options(max_nodes):
    G = probe_graph()
    assert_same_page(G, max_nodes=max_nodes, build_date="2024-05-01", links=[("top <methods>", "top_methods.svg")],
                     scores={R + "method/slownet": 3.0, R + "method/nowhere": 9.0})


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("max_nodes", [1, 9, 40, 1000])
def test_random_graph(seed, max_nodes):
    G = random_graph(seed)
    assert len(G) > 40
    assert_same_page(G, max_nodes=max_nodes)


@pytest.mark.parametrize("max_nodes", [7, 25, 60])
def test_random_graph_with_pagerank_and_scores(max_nodes):
    G = random_graph(3, n_papers=200)
    pagerank = full_pagerank(G)
    methods = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "method")
    # Ties (one score for several methods), a negative zero, and a score for a node that is not there.
    scores = {m: [0.5, 0.5, 0.0, -0.0, 0.25][i % 5] for i, m in enumerate(methods)}
    scores[R + "method/absent"] = 1.0
    assert_same_page(G, max_nodes=max_nodes, pagerank=pagerank)
    assert_same_page(G, max_nodes=max_nodes, pagerank=pagerank, scores=scores)
    assert_same_page(G, max_nodes=max_nodes, scores=scores)
    # A pagerank that misses nodes (they count as 0) and names others.
    partial = {n: v for i, (n, v) in enumerate(sorted(pagerank.items())) if i % 3}
    partial["https://example.org/elsewhere"] = 0.5
    assert_same_page(G, max_nodes=max_nodes, pagerank=partial)


@pytest.mark.parametrize("max_nodes", [1, 3, 7, 20])
def test_no_claims_no_entities_no_nodes(max_nodes):
    G = random_graph(4)
    for u, v, k, d in G.edges(keys=True, data=True):
        if k in CLAIM_RELATIONS:
            d["claims"] = ()
    assert_same_page(G, max_nodes=max_nodes)
    assert_same_page(papers_only_graph(), max_nodes=max_nodes)
    assert_same_page(nx.MultiDiGraph(), max_nodes=max_nodes)


def test_write_same_bytes(tmp_path):
    G = random_graph(5)
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    stats = write_html(G, a, max_nodes=30, build_date="2024-01-01")
    assert write_html_snapshot(Snapshot.from_graph(G), b, max_nodes=30, build_date="2024-01-01") == stats
    assert a.read_bytes() == b.read_bytes()


def test_never_builds_the_whole_graph(monkeypatch):
    snap = Snapshot.from_graph(random_graph(6))
    pagerank = full_pagerank(snap.to_graph())

    def refuse(self):
        raise AssertionError("to_graph called")

    monkeypatch.setattr(Snapshot, "to_graph", refuse)
    html, stats = render_html_snapshot(snap, max_nodes=20, pagerank=pagerank)
    assert stats["nodes_drawn"] == 20 and stats["nodes_total"] == len(snap.nodes)


def test_bad_budget():
    with pytest.raises(KGError, match="max_nodes"):
        render_html_snapshot(Snapshot.from_graph(make_tiny_graph()), max_nodes=0)


# -- the selection on arrays is the selection written over networkx before -----------------------

def reference_select(G, cent, max_nodes):
    """select_nodes as it was, per node over networkx (kept here to pin select_indices to it)."""
    def rank(n):
        return (-cent.get(n, 0.0), n)

    if len(G) <= max_nodes:
        return sorted(G, key=rank)
    papers = [n for n, d in G.nodes(data=True) if d.get("kind") == "paper"]
    entities = sorted((n for n, d in G.nodes(data=True) if d.get("kind") != "paper"), key=rank)
    n_ent = min(len(entities), max(max_nodes - len(papers), math.ceil(max_nodes * ENTITY_SHARE)))
    kept = set(entities[:n_ent])
    targets = {p: frozenset(v for v in G.successors(p) if v in kept) for p in papers}
    heap = [(-len(t), -len(t), -cent.get(p, 0.0), p) for p, t in targets.items() if t]
    heapq.heapify(heap)
    covered, linked = set(), []
    while heap and len(linked) < max_nodes - n_ent:
        neg_new, neg_all, neg_cent, p = heapq.heappop(heap)
        new = len(targets[p] - covered)
        if new != -neg_new:
            heapq.heappush(heap, (-new, neg_all, neg_cent, p))
            continue
        linked.append(p)
        covered |= targets[p]
    spare = max_nodes - n_ent - len(linked)
    more = entities[n_ent : n_ent + spare]
    spare -= len(more)
    unlinked = sorted((p for p in papers if p not in set(linked)), key=rank)[:spare]
    return sorted(entities[:n_ent] + linked + more + unlinked, key=rank)


@pytest.mark.parametrize("seed", range(6))
def test_selection_matches_the_per_node_one(seed):
    G = random_graph(seed, n_papers=150 + 40 * seed, n_entities=30 + 10 * seed)
    rng = random.Random(seed)
    cents = [node_centrality(G),
             # coarse values: many ties, broken by id
             {n: float(rng.randint(0, 3)) for n in G},
             node_centrality(G, {n: 1.0 for n in G if n.endswith("5")})]
    for cent in cents:
        for max_nodes in (1, 2, 3, 5, 8, 13, 30, 60, 100, len(G) - 1, len(G)):
            assert select_nodes(G, cent, max_nodes) == reference_select(G, cent, max_nodes)


def test_select_indices_on_arrays():
    # Papers 0, 1; entities 2, 3, 4 (4 the most central). Paper 1 links 3 and 4, paper 0 only 4.
    is_paper = np.array([True, True, False, False, False])
    cent = np.array([0.1, 0.0, 0.2, 0.3, 0.9])
    src, dst = np.array([0, 1, 1, 1]), np.array([4, 3, 4, 4])
    assert select_indices(is_paper, cent, src, dst, 3).tolist() == [4, 3, 1]
    assert select_indices(is_paper, cent, src, dst, 9).tolist() == [4, 3, 2, 0, 1]


@pytest.mark.slow  # two fresh interpreters
def test_same_bytes_whatever_the_hash_seed(tmp_path):
    code = ("import sys; sys.path.insert(0, 'tests'); from test_html_snapshot import random_graph; "
            "from kg.graph.snapshot import Snapshot; from kg.export.html.snapshot import write_html_snapshot; "
            "write_html_snapshot(Snapshot.from_graph(random_graph(7)), sys.argv[1], max_nodes=35)")
    outs = outputs_under_hash_seeds(code, tmp_path / "g.html")
    assert outs[0] == outs[1]
