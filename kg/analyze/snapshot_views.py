"""The build's analyses (PageRank, method scores, trend rows, counts) from a Snapshot.

Each function here equals its networkx counterpart on `snap.to_graph()` exactly (the same floats,
byte-identical files), but works on the snapshot's arrays, so `kg build` and `kg build --update`
compute the views of a 100,000-paper graph in about a second without building that graph (the
files drawn from them, centrality.csv and top_methods.svg, are written by kg.export.centrality and
kg.export.charts):

    snapshot_pagerank                 centrality(project(G, "full"), measure="pagerank")
    snapshot_method_scores            kg.analyze.centrality.method_centrality(G) (support PageRank)
    snapshot_method_pagerank          kg.analyze.centrality.method_scores(G, pagerank)
    trend_table_snapshot              kg.analyze.trends.trend_table(G, period=...)
    snapshot_summary_counts           the node, edge and claim counts of kg.pipeline.build.BuildSummary
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from kg.analyze.centrality import pagerank_arrays, rounded_scores
from kg.analyze.support import SUPPORT_RELS, sorted_unique, support_pagerank
from kg.analyze.trends import KINDS, Period, TrendRow, date_papers, trend_rows
from kg.defaults import NODE_KINDS, RELATIONS
from kg.graph.snapshot import KIND_CODE, REL_CODE, Snapshot

__all__ = [
    "snapshot_pagerank",
    "snapshot_method_scores",
    "snapshot_method_pagerank",
    "snapshot_support",
    "trend_table_snapshot",
    "snapshot_summary_counts",
    "node_label",
    "paper_counts",
]

#: Edges that make a paper count for an entity in the trends (kg.analyze.trends._mentions).
_MENTION_RELS = ("mentions", "proposes")


def snapshot_pagerank(snap: Snapshot) -> dict[str, float]:
    """PageRank of every node on the undirected "full" projection, unrounded.

    Equals `centrality(project(snap.to_graph(), "full"), measure="pagerank")` bit for bit: the
    same sorted node order and the same unique node pairs go into kg.analyze.centrality.pagerank_arrays.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("p", kind="paper", label="P"); G.add_node("q", kind="paper", label="Q")
    >>> G.add_node("m", kind="method", label="M", aliases=(), confidence=1.0)
    >>> _ = G.add_edge("p", "m", key="mentions"); _ = G.add_edge("p", "m", key="proposes")
    >>> {n: round(s, 4) for n, s in snapshot_pagerank(Snapshot.from_graph(G)).items()}
    {'m': 0.4651, 'p': 0.4651, 'q': 0.0698}
    """
    n = len(snap.nodes)
    keep = snap.src != snap.dst
    src, dst = snap.src[keep].astype(np.int64), snap.dst[keep].astype(np.int64)
    keys = sorted_unique(np.minimum(src, dst) * n + np.maximum(src, dst))
    rows, cols = np.divmod(keys, max(n, 1))
    return dict(zip(snap.nodes, pagerank_arrays(n, rows, cols).tolist()))


def _iris_of_kind(snap: Snapshot, kind: str) -> list[str]:
    """Sorted IRIs of the nodes of `kind` (snap.nodes is sorted)."""
    nodes = snap.nodes
    return [nodes[i] for i in np.flatnonzero(snap.kind == KIND_CODE[kind]).tolist()]


def snapshot_method_scores(snap: Snapshot) -> dict[str, float]:
    """The default method ranking, support PageRank, as method_centrality(snap.to_graph()) gives it:
    every method, sorted by IRI, rounded to 9 places."""
    return rounded_scores(_iris_of_kind(snap, "method"), dict(zip(snap.nodes, snapshot_support(snap).tolist())))


def snapshot_method_pagerank(snap: Snapshot, pagerank: dict) -> dict[str, float]:
    """`pagerank` cut down to the method nodes, sorted by IRI, rounded to 9 places (method_scores)."""
    return rounded_scores(_iris_of_kind(snap, "method"), pagerank)


def snapshot_support(snap: Snapshot) -> np.ndarray:
    """kg.analyze.support.graph_support of the snapshot's graph, as an array over its nodes.

    The same (paper, entity) keys as kg.analyze.support.support_keys finds in the graph: papers'
    mentions and proposals, and both ends of every claim with each claim's paper.
    """
    n = len(snap.nodes)
    src, dst = snap.src.astype(np.int64), snap.dst.astype(np.int64)
    from_paper = snap.kind[src] == KIND_CODE["paper"]
    keys = src * n + dst
    involved = keys[from_paper & np.isin(snap.rel, [REL_CODE[r] for r in SUPPORT_RELS])]
    proposed = keys[from_paper & (snap.rel == REL_CODE["proposes"])]
    index, kind, paper = snap.index, snap.kind, KIND_CODE["paper"]
    claimed = []
    for (u, v, _), claims in snap.claims.items():
        for c in claims:
            p = index.get(c.get("paper"))
            if p is not None and kind[p] == paper:
                claimed += (p * n + index[u], p * n + index[v])
    claimed = np.array(claimed, dtype=np.int64)
    return support_pagerank(n, np.concatenate([involved, claimed]), proposed, claimed)


def node_label(snap: Snapshot, iri: str):
    """The node's `label` attribute, as the networkx graph holds it."""
    d = snap.attrs.get(iri)
    return (d if d is not None else snap.papers[iri]).get("label")


def paper_counts(snap: Snapshot) -> np.ndarray:
    """len(snap.papers_of(node)) for every node index, in one pass over the edges."""
    return np.bincount(snap.links()[1], minlength=len(snap.nodes))


def trend_table_snapshot(snap: Snapshot, *, period: Period = "month", kinds=KINDS) -> list[TrendRow]:
    """kg.analyze.trends.trend_table of the snapshot's graph: papers per period mentioning each entity."""
    nodes, papers = snap.nodes, snap.papers
    dating = date_papers(((p, papers[p].get("date")) for p in _iris_of_kind(snap, "paper")), period=period)
    codes = [KIND_CODE[k] for k in kinds if k in KIND_CODE]
    src, dst = snap.links(_MENTION_RELS)  # a paper that mentions and proposes an entity counts once
    of_kinds = np.isin(snap.kind[dst], codes)
    kind = snap.kind

    def describe(i: int) -> tuple[str, str]:
        iri = nodes[i]
        return NODE_KINDS[int(kind[i])], str(node_label(snap, iri) or iri)

    return trend_rows(dating.periods, nodes, src[of_kinds], dst[of_kinds], describe, kinds=kinds)


def snapshot_summary_counts(snap: Snapshot) -> tuple[Counter, Counter, int]:
    """(nodes per kind, edges per relation, claims) as kg.pipeline.build counts them on the graph."""
    nodes = Counter({k: c for k, c in zip(NODE_KINDS, np.bincount(snap.kind, minlength=len(NODE_KINDS)).tolist()) if c})
    edges = Counter({r: c for r, c in zip(RELATIONS, np.bincount(snap.rel, minlength=len(RELATIONS)).tolist()) if c})
    return nodes, edges, sum(len(cs) for cs in snap.claims.values())
