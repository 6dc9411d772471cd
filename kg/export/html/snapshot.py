"""The HTML map of a kg.graph.snapshot.Snapshot: the same bytes as kg.export.html.page, without the whole networkx graph."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import networkx as nx
import numpy as np

from kg.analyze.snapshot_views import snapshot_pagerank
from kg.defaults import HTML_MAX_NODES, NODE_KINDS, RELATIONS
from kg.export.html.layout import select_indices
from kg.export.html.page import PANEL_MAX_ITEMS, HtmlStats, render_page, write_page
from kg.graph.snapshot import KIND_CODE, Snapshot

__all__ = ["render_html_snapshot", "write_html_snapshot"]

_PAPER = KIND_CODE["paper"]


def _centrality(snap: Snapshot, scores: dict[str, float] | None, pagerank: dict[str, float] | None) -> np.ndarray:
    """kg.export.html.layout.node_centrality, as an array over the snapshot's nodes."""
    if pagerank is None:
        pagerank = snapshot_pagerank(snap)
    cent = np.array([round(float(pagerank.get(n, 0.0)), 9) for n in snap.nodes], dtype=np.float64)
    index = snap.index
    for n, s in (scores or {}).items():
        if n in index:
            cent[index[n]] = float(s)
    return cent


def _papers_of(snap: Snapshot, entities: np.ndarray) -> dict[int, tuple[str, ...]]:
    """Snapshot.papers_of for many entities at once: one pass over the edge arrays, not one per entity."""
    wanted = np.zeros(len(snap.nodes), dtype=bool)
    wanted[entities] = True
    src, dst = snap.links()
    hit = wanted[dst]
    pairs = np.sort(dst[hit].astype(np.int64) * len(snap.nodes) + src[hit])  # by entity, then paper
    ents, papers = (pairs // len(snap.nodes)).tolist(), (pairs % len(snap.nodes)).tolist()
    out: dict[int, list[str]] = {int(e): [] for e in entities.tolist()}
    nodes = snap.nodes
    for e, p in zip(ents, papers):
        out[e].append(nodes[p])
    return {e: tuple(ps) for e, ps in out.items()}


def _add_named(D: nx.MultiDiGraph, snap: Snapshot, n: str) -> None:
    """Add `n`, an undrawn node that a panel may name (a claim's end, a listed paper), unless it is in
    `D` already or not in the snapshot (kg.export.html.page then shows the bare IRI, as for the whole graph)."""
    i = snap.index.get(n)
    if n in D or i is None:
        return
    kind = NODE_KINDS[int(snap.kind[i])]
    if kind == "paper":
        D.add_node(n, **snap.papers[n])
    else:
        D.add_node(n, kind=kind, **snap.attrs[n])  # all but `papers`, which only a drawn node's panel reads


def _display_graph(snap: Snapshot, drawn: np.ndarray) -> nx.MultiDiGraph:
    """What kg.export.html.page.render_page reads of snap.to_graph() for these drawn nodes, and nothing more:
    the drawn nodes with all their attributes and the edges among them, every claim edge that touches
    a drawn node or cites a drawn paper (its ends with their labels), and the papers panels list."""
    nodes = snap.nodes
    D = nx.MultiDiGraph()
    drawn = np.sort(drawn)
    is_paper = snap.kind[drawn] == _PAPER
    papers_of = _papers_of(snap, drawn[~is_paper])
    listed: list[str] = []  # papers a drawn entity's panel lists (the first PANEL_MAX_ITEMS of them)
    for i, paper in zip(drawn.tolist(), is_paper.tolist()):
        n = nodes[i]
        if paper:
            D.add_node(n, **snap.papers[n])
        else:
            # As Snapshot.node_attrs builds them, with `papers` from the one pass above.
            d = {"kind": NODE_KINDS[int(snap.kind[i])], **snap.attrs[n], "papers": papers_of[i]}
            d.setdefault("aliases", ())
            D.add_node(n, **d)
            listed.extend(papers_of[i][:PANEL_MAX_ITEMS])
    is_drawn = np.zeros(len(nodes), dtype=bool)
    is_drawn[drawn] = True
    among = np.flatnonzero(is_drawn[snap.src] & is_drawn[snap.dst])
    for s, t, r in zip(snap.src[among].tolist(), snap.dst[among].tolist(), snap.rel[among].tolist()):
        u, v, rel = nodes[s], nodes[t], RELATIONS[r]
        D.add_edge(u, v, key=rel, **snap.edge_attrs(u, v, rel))
    drawn_iris = set(D)
    drawn_papers = {nodes[i] for i in drawn[is_paper].tolist()}
    # Edges without claims are never listed (those among drawn nodes are in D already).
    shown = sorted((e, claims) for e, claims in snap.claims.items() if claims and (
        e[0] in drawn_iris or e[1] in drawn_iris
        or (drawn_papers and not drawn_papers.isdisjoint([c.get("paper") for c in claims]))))
    for (u, v, rel), claims in shown:
        _add_named(D, snap, u)
        _add_named(D, snap, v)
        D.add_edge(u, v, key=rel, **snap.edge_attrs(u, v, rel))
        listed.extend(c.get("paper") for c in claims)
    for p in listed:
        _add_named(D, snap, p)
    return D


def render_html_snapshot(
    snap: Snapshot,
    *,
    max_nodes: int = HTML_MAX_NODES,
    scores: dict[str, float] | None = None,
    build_date: str | None = None,
    pagerank: dict[str, float] | None = None,
    links: Sequence[tuple[str, str]] = (),
) -> tuple[str, dict[str, int]]:
    """The map of `snap`: the very string and counts of ``render_html(snap.to_graph(), ...)``.

    The selection runs on the snapshot's arrays (`select_indices`, as render_html's does), and the
    page is made from a small graph of what it shows (`_display_graph`) and the snapshot's counts.
    `pagerank`: PageRank of every node over the "full" projection; pass it, since without it the
    projection is built here (seconds on a large build). `scores`: method IRI -> centrality.
    """
    cent = _centrality(snap, scores, pagerank)
    drawn = select_indices(snap.kind == _PAPER, cent, snap.src, snap.dst, max_nodes)
    D = _display_graph(snap, drawn)
    names = [snap.nodes[i] for i in drawn.tolist()]
    return render_page(D, names, dict(zip(names, cent[drawn].tolist())), nodes_total=len(snap.nodes),
                       edges_total=len(snap.src), kind_counts=snap.kind_counts(), rel_counts=snap.rel_counts(),
                       build_date=build_date, links=links)


def write_html_snapshot(
    snap: Snapshot,
    path: str | Path,
    *,
    max_nodes: int = HTML_MAX_NODES,
    scores: dict[str, float] | None = None,
    build_date: str | None = None,
    pagerank: dict[str, float] | None = None,
    links: Sequence[tuple[str, str]] = (),
) -> HtmlStats:
    """Write the map of `snap` to `path` (atomically): the bytes ``write_html(snap.to_graph(), ...)`` writes."""
    html, stats = render_html_snapshot(snap, max_nodes=max_nodes, scores=scores, build_date=build_date,
                                       pagerank=pagerank, links=links)
    return write_page(html, stats, path)
