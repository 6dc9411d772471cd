"""Centrality on small graphs with known answers."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.analyze.centrality import method_centrality, project, ranking


def star(n_leaves=4):
    """One hub method that every other method improves over."""
    G = nx.MultiDiGraph()
    G.add_node("hub", kind="method")
    for i in range(n_leaves):
        G.add_node(f"m{i}", kind="method")
        G.add_edge(f"m{i}", "hub", key="improvesOver", claims=({"paper": "p"},))
    return G


def test_pagerank_on_improves_ranks_the_beaten_baseline_first():
    scores = method_centrality(star(), measure="pagerank", on="improves")
    assert ranking(scores)[0][0] == "hub"
    assert sum(scores.values()) == pytest.approx(1.0)


def test_degree_on_improves_known_values():
    scores = method_centrality(star(4), measure="degree", on="improves")
    assert scores["hub"] == pytest.approx(1.0) and scores["m0"] == pytest.approx(0.25)


def test_betweenness_on_a_path():
    G = nx.MultiDiGraph()
    for n in "abc":
        G.add_node(n, kind="method")
    G.add_edge("a", "b", key="improvesOver", claims=({},))
    G.add_edge("b", "c", key="improvesOver", claims=({},))
    scores = method_centrality(G, measure="betweenness", on="improves")
    # b is on the one shortest path a -> c; directed normalisation divides by (n-1)(n-2) = 2.
    assert scores == {"a": 0.0, "b": pytest.approx(0.5), "c": 0.0}


def test_only_methods_are_ranked(tiny_graph):
    scores = method_centrality(tiny_graph, measure="pagerank", on="full")
    assert {tiny_graph.nodes[n]["kind"] for n in scores} == {"method"}


def test_cooccurrence_counts_shared_papers(tiny_graph):
    H = project(tiny_graph, "cooccurrence")
    fast, slow = (n for n in sorted(H) if n.endswith(("fastnet", "slownet")))
    assert H[fast][slow]["weight"] == 1


def test_ranking_breaks_ties_by_id():
    assert ranking({"b": 1.0, "a": 1.0, "c": 2.0}) == [("c", 2.0), ("a", 1.0), ("b", 1.0)]


# --- measures on named graphs with published values, and the fast engine agreeing with networkx ---

import kg.analyze.engines as engines  # noqa: E402
from kg.analyze.centrality import (  # noqa: E402
    PROJECTION_MEASURES,
    PROJECTIONS,
    AnalysisError,
    CentralityUndefinedError,
)
from kg.analyze.engines import EngineUnavailableError  # noqa: E402

HAS_RX = engines.engine_available("rustworkx")


def as_kg(H, key="improvesOver"):
    """Every node of `H` a method, every edge one `key` relation (one claim)."""
    G = nx.MultiDiGraph()
    for n in H:
        G.add_node(f"m{n:02d}", kind="method")
    for u, v in H.edges():
        G.add_edge(f"m{u:02d}", f"m{v:02d}", key=key, claims=({},))
    return G


# Krackhardt (1990) kite, as tabulated in networkx's own centrality tests.
KITE = {
    "degree": [0.444, 0.444, 0.333, 0.667, 0.333, 0.556, 0.556, 0.333, 0.222, 0.111],
    "betweenness": [0.023, 0.023, 0.000, 0.102, 0.000, 0.231, 0.231, 0.389, 0.222, 0.000],
    "closeness": [0.529, 0.529, 0.500, 0.600, 0.500, 0.643, 0.643, 0.600, 0.429, 0.310],
    "eigenvector": [0.352, 0.352, 0.286, 0.481, 0.286, 0.398, 0.398, 0.196, 0.048, 0.011],
}


@pytest.mark.parametrize("measure", sorted(KITE))
@pytest.mark.parametrize("engine", ["networkx", pytest.param("rustworkx", marks=pytest.mark.skipif(
    not HAS_RX, reason="rustworkx not installed"))])
def test_krackhardt_kite_published_values(measure, engine):
    scores = method_centrality(as_kg(nx.krackhardt_kite_graph()), measure=measure, on="full", engine=engine)
    got = [scores[f"m{i:02d}"] for i in range(10)]
    assert got == pytest.approx(KITE[measure], abs=1e-3)


def test_star_hub_wins_every_measure_on_full():
    G = as_kg(nx.star_graph(5))
    for measure in PROJECTION_MEASURES:
        assert ranking(method_centrality(G, measure=measure, on="full"))[0][0] == "m00", measure
    assert method_centrality(G, measure="betweenness", on="full")["m00"] == 1.0
    assert method_centrality(G, measure="closeness", on="full")["m01"] == pytest.approx(5 / 9)


def test_path_closeness_and_betweenness_known_values():
    G = as_kg(nx.path_graph(5))
    assert list(method_centrality(G, measure="betweenness", on="full").values()) == [0.0, 0.5, 0.666666667, 0.5, 0.0]
    assert list(method_centrality(G, measure="closeness", on="full").values()) == [0.4, 0.571428571, 0.666666667,
                                                                                     0.571428571, 0.4]


def test_eigenvector_per_component_on_a_disconnected_graph():
    # A triangle and a separate edge: networkx's power iteration would zero the edge out.
    H = nx.Graph([(0, 1), (1, 2), (2, 0), (3, 4)])
    s = method_centrality(as_kg(H), measure="eigenvector", on="full")
    tri, pair = s["m00"], s["m03"]
    assert tri == pytest.approx((1 / 3) ** 0.5 * (3 / 5) ** 0.5) and pair == pytest.approx(0.5 ** 0.5 * (2 / 5) ** 0.5)
    assert sum(v * v for v in s.values()) == pytest.approx(1.0)


def test_eigenvector_isolated_nodes_and_empty_graphs_do_not_crash():
    G = as_kg(nx.empty_graph(3))
    assert method_centrality(G, measure="eigenvector", on="full") == {"m00": 0.0, "m01": 0.0, "m02": 0.0}
    assert method_centrality(nx.MultiDiGraph(), measure="eigenvector") == {}


def test_eigenvector_on_improves_without_a_cycle_is_a_clear_error():
    with pytest.raises(CentralityUndefinedError, match="no cycle.*pagerank"):
        method_centrality(star(), measure="eigenvector", on="improves")


def test_eigenvector_on_improves_with_a_cycle_is_defined():
    s = method_centrality(as_kg(nx.cycle_graph(4, create_using=nx.DiGraph)), measure="eigenvector", on="improves")
    assert set(s.values()) == {0.5}


def test_sampled_betweenness_is_seeded_and_reproducible():
    G = as_kg(nx.gnm_random_graph(60, 150, seed=4))
    a = method_centrality(G, measure="betweenness", k=10, seed=7)
    assert a == method_centrality(G, measure="betweenness", k=10, seed=7)
    # No seed means seed 0, so a sampled run repeats by default.
    assert method_centrality(G, measure="betweenness", k=10) == method_centrality(
        G, measure="betweenness", k=10, seed=0)
    # k at least the node count is the exact value.
    assert method_centrality(G, measure="betweenness", k=10**6) == method_centrality(G, measure="betweenness")


def test_bad_options_raise_analysis_error():
    G = star()
    with pytest.raises(AnalysisError, match="measure 'katz' is invalid"):
        method_centrality(G, measure="katz")
    with pytest.raises(AnalysisError, match="projection 'nope'"):
        method_centrality(G, on="nope")
    with pytest.raises(AnalysisError, match="engine 'gpu'"):
        method_centrality(G, measure="betweenness", engine="gpu")


def test_missing_engine_falls_back_on_auto_and_errors_when_named(monkeypatch):
    monkeypatch.setattr(engines, "engine_available", lambda name: name == "networkx")
    monkeypatch.setattr(engines, "AUTO_MIN_NODES", 0)
    assert engines.choose_engine("auto", "betweenness", 10**6) == "networkx"
    G = as_kg(nx.krackhardt_kite_graph())
    assert method_centrality(G, measure="betweenness", engine="auto")["m07"] == pytest.approx(0.389, abs=1e-3)
    with pytest.raises(EngineUnavailableError, match="pip install rustworkx"):
        method_centrality(G, measure="betweenness", engine="rustworkx")


@pytest.mark.skipif(not HAS_RX, reason="rustworkx not installed")
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("on", PROJECTIONS)
def test_engines_agree_on_random_graphs(seed, on):
    R = nx.gnm_random_graph(80, 160, seed=seed, directed=True)
    G = as_kg(R, key="improvesOver")
    for u, v in list(R.edges())[::3]:  # some evaluatesOn edges too, so every projection has edges
        G.add_edge(f"m{u:02d}", f"m{v:02d}", key="evaluatesOn", claims=({},))
    for measure in PROJECTION_MEASURES:
        if measure == "eigenvector" and on == "improves" and nx.is_directed_acyclic_graph(project(G, on)):
            continue
        a = method_centrality(G, measure=measure, on=on, engine="networkx")
        b = method_centrality(G, measure=measure, on=on, engine="rustworkx")
        assert [n for n, _ in ranking(a)] == [n for n, _ in ranking(b)], (measure, on)
        assert max(abs(a[n] - b[n]) for n in a) <= 1e-6, (measure, on)


def test_results_are_deterministic(tiny_graph):
    assert method_centrality(tiny_graph) == method_centrality(tiny_graph)
    for measure in PROJECTION_MEASURES:
        for on in ("full", "evaluation", "cooccurrence"):
            assert method_centrality(tiny_graph, measure=measure, on=on) == method_centrality(
                tiny_graph, measure=measure, on=on)
