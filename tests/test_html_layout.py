"""The map's layout: networkx's spring layout for small components, the grid force layout for large ones
(seeded, the same on every run, and a layout: linked nodes end up nearer than unlinked ones)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from kg.export.html import layout as html_layout
from kg.export.html.layout import LARGE_COMPONENT, force_layout, layout


def _bipartite(n_papers: int, n_entities: int, seed: int = 3) -> nx.MultiDiGraph:
    """Papers each mentioning 1-4 entities, popular ones more often (as a corpus does), all connected."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, n_entities + 1)
    weights /= weights.sum()
    G = nx.MultiDiGraph()
    for e in range(n_entities):
        G.add_node(f"e{e:04d}", kind="method")
    for p in range(n_papers):
        G.add_node(f"p{p:04d}", kind="paper")
        chosen = {0} if p == 0 else set()
        chosen |= set(rng.choice(n_entities, size=int(rng.integers(1, 5)), p=weights, replace=False).tolist())
        for e in sorted(chosen):
            G.add_edge(f"p{p:04d}", f"e{e:04d}", key="mentions", rel="mentions")
    for e in range(n_entities):  # no entity left alone
        G.add_edge(f"p{e % n_papers:04d}", f"e{e:04d}", key="mentions", rel="mentions")
    return G


@pytest.fixture(scope="module")
def big():
    G = _bipartite(450, 250)
    assert nx.is_weakly_connected(G) and len(G) >= LARGE_COMPONENT
    return G


def test_large_component_does_not_use_networkx_spring_layout(big, monkeypatch):
    """networkx's spring layout loops in Python per node per round past 500 nodes (310 s for 10,000)."""
    def refuse(H, **kw):
        assert len(H) < LARGE_COMPONENT, f"spring_layout on {len(H)} nodes"
        return nx.circular_layout(H, scale=kw.get("scale", 1))

    monkeypatch.setattr(nx, "spring_layout", refuse)
    pos = layout(big, sorted(big))
    assert len(pos) == len(big) and len(set(pos.values())) > 0.95 * len(big)  # nodes spread, not piled up


def test_same_graph_same_positions(big):
    drawn = sorted(big)
    assert layout(big, drawn) == layout(big, drawn)


def test_force_layout_is_seeded_and_lays_linked_nodes_near():
    G = nx.Graph(_bipartite(450, 250, seed=5))
    nodes = sorted(G)
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array(sorted((index[u], index[v]) for u, v in G.edges()))
    a = force_layout(len(nodes), edges[:, 0], edges[:, 1])
    assert np.array_equal(a, force_layout(len(nodes), edges[:, 0], edges[:, 1]))
    assert not np.array_equal(a, force_layout(len(nodes), edges[:, 0], edges[:, 1], seed=8))
    linked = np.linalg.norm(a[edges[:, 0]] - a[edges[:, 1]], axis=1).mean()
    rng = np.random.default_rng(0)
    i, j = rng.integers(0, len(nodes), 5000), rng.integers(0, len(nodes), 5000)
    anywhere = np.linalg.norm(a[i] - a[j], axis=1).mean()
    assert linked < 0.5 * anywhere


def test_small_components_keep_the_spring_layout(tiny_graph):
    """Below LARGE_COMPONENT nodes the map is what it was (the sample's graph.html keeps its bytes)."""
    drawn = sorted(tiny_graph)
    pos = layout(tiny_graph, drawn)
    H = nx.Graph()
    H.add_nodes_from(drawn)
    H.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in tiny_graph.edges() if u != v}))
    expected = nx.spring_layout(html_layout._ordered_subgraph(H, drawn), k=5 / len(drawn) ** 0.5,
                                seed=html_layout.LAYOUT_SEED, scale=len(drawn) ** 0.5)
    assert pos == {n: (round(float(x) * html_layout.LAYOUT_SPACING), round(float(y) * html_layout.LAYOUT_SPACING))
                   for n, (x, y) in expected.items()}
