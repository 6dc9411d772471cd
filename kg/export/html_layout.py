"""Which nodes the HTML map draws, and where: centrality, a budgeted selection and a seeded layout."""

from __future__ import annotations

import heapq
import math

import networkx as nx
import numpy as np

from kg.analyze import centrality, project
from kg.errors import KGError

__all__ = ["node_centrality", "select_nodes", "select_indices", "layout"]

#: Share of the node budget reserved for entities before papers are added.
ENTITY_SHARE = 0.6
#: Seed of the spring layout (computed here, so the browser runs no physics).
LAYOUT_SEED = 7
#: Pixels per unit of the layout (about one node's share of the plane).
LAYOUT_SPACING = 45


def node_centrality(G: nx.MultiDiGraph, scores: dict[str, float] | None = None, *,
                    pagerank: dict[str, float] | None = None) -> dict[str, float]:
    """PageRank of every node over the whole graph; `scores` replace it for the nodes they name.

    `pagerank`: that PageRank when the caller has it already (kg.analyze.centrality over
    project(G, "full")), so it is not computed twice.
    """
    if pagerank is None:
        H = project(G, "full")
        pagerank = centrality(H, measure="pagerank")  # the array PageRank kg.snapshot_views runs too
    cent = {n: round(float(pagerank.get(n, 0.0)), 9) for n in G}
    cent.update({n: float(s) for n, s in (scores or {}).items() if n in cent})
    return cent


def _covering_papers(is_paper: np.ndarray, kept: np.ndarray, neg_cent: np.ndarray, src: np.ndarray,
                     dst: np.ndarray, budget: int) -> list[int]:
    """Up to `budget` papers linked to `kept` entities, picked greedily so that as many kept entities as
    possible get a paper on the map: next comes the paper linking the most not-yet-linked entities, then
    the most entities, then the most central, then the smallest id (a lazy greedy set cover).

    Nodes are indices in id order; `src`, `dst` are edges, of which only paper -> kept entity count.
    A heap of every linked paper would be pushed in Python one by one; instead the papers sit in an
    array sorted by their first key, and only those found stale (others covered some of their
    entities since) go to a heap: popping the smaller head of the two is popping the one heap.
    """
    n = len(is_paper)
    links = is_paper[src] & kept[dst]
    pairs = np.unique(src[links].astype(np.int64) * n + dst[links])  # a paper may mention and propose one entity
    psrc, pdst = pairs // n, pairs % n
    papers, starts, counts = np.unique(psrc, return_index=True, return_counts=True)
    order = np.lexsort((papers, neg_cent[papers], -counts))
    keys = list(zip((-counts[order]).tolist(), (-counts[order]).tolist(), neg_cent[papers[order]].tolist(),
                    papers[order].tolist()))
    slot = dict(zip(papers.tolist(), zip(starts.tolist(), counts.tolist())))
    stale: list[tuple[int, int, float, int]] = []
    covered: set[int] = set()
    chosen: list[int] = []
    i = 0
    while (i < len(keys) or stale) and len(chosen) < budget:
        if stale and (i == len(keys) or stale[0] < keys[i]):
            neg_new, neg_all, neg_c, p = heapq.heappop(stale)
        else:
            neg_new, neg_all, neg_c, p = keys[i]
            i += 1
        lo, k = slot[p]
        targets = set(pdst[lo : lo + k].tolist())
        new = len(targets - covered)
        if new != -neg_new:
            heapq.heappush(stale, (-new, neg_all, neg_c, p))
            continue
        chosen.append(p)
        covered |= targets
    return chosen


def select_indices(is_paper: np.ndarray, cent: np.ndarray, src: np.ndarray, dst: np.ndarray,
                   max_nodes: int) -> np.ndarray:
    """`select_nodes` on arrays: node i is the i-th node in id order, `is_paper` and `cent` (float) are per
    node, and `src`, `dst` the edges (those from a paper give its linked entities; others are ignored).

    Returns the indices to draw, most central first (ties: smaller index first).
    """
    if max_nodes < 1:
        raise KGError(f"max_nodes must be at least 1, got {max_nodes}; pass a positive number of nodes to draw.")
    n = len(is_paper)
    neg_cent = -np.asarray(cent, dtype=np.float64) + 0.0  # + 0.0: -0.0 becomes 0.0, as Python's == sees it
    ranked = np.lexsort((np.arange(n), neg_cent))
    if n <= max_nodes:
        return ranked
    is_paper = np.asarray(is_paper, dtype=bool)
    entities = ranked[~is_paper[ranked]]
    n_papers = n - len(entities)
    n_ent = min(len(entities), max(max_nodes - n_papers, math.ceil(max_nodes * ENTITY_SHARE)))
    keep = np.zeros(n, dtype=bool)
    keep[entities[:n_ent]] = True
    linked = _covering_papers(is_paper, keep.copy(), neg_cent, np.asarray(src), np.asarray(dst), max_nodes - n_ent)
    keep[linked] = True
    spare = max_nodes - n_ent - len(linked)
    more = entities[n_ent : n_ent + spare]
    keep[more] = True
    spare -= len(more)
    if spare > 0:
        unlinked = ranked[is_paper[ranked] & ~keep[ranked]]
        keep[unlinked[:spare]] = True
    return ranked[keep[ranked]]


def select_nodes(G: nx.MultiDiGraph, cent: dict[str, float], max_nodes: int) -> list[str]:
    """The nodes to draw, most central first: all of them if they fit, else

    1. entities (methods, datasets, tasks, metrics, repos), most central first, fill
       ``ENTITY_SHARE`` of the budget (more if there are too few papers for the rest);
    2. papers linked to those entities fill the rest, picked so that as many kept entities as
       possible get a paper beside them (`_covering_papers`), which keeps the map connected;
    3. budget no linked paper can use goes to the next entities, then to the other papers.

    Ties are broken by node id, so the choice is stable. (`select_indices` does the work, on arrays,
    for this graph and for kg.export.html_snapshot alike.)
    """
    nodes = sorted(G)
    index = {v: i for i, v in enumerate(nodes)}
    is_paper = np.fromiter((G.nodes[v].get("kind") == "paper" for v in nodes), dtype=bool, count=len(nodes))
    values = np.fromiter((cent.get(v, 0.0) for v in nodes), dtype=np.float64, count=len(nodes))
    src: list[int] = []
    dst: list[int] = []
    if len(nodes) > max_nodes:  # else every node is drawn and the links do not matter
        for i in np.flatnonzero(is_paper).tolist():
            for v in G.successors(nodes[i]):
                src.append(i)
                dst.append(index[v])
    chosen = select_indices(is_paper, values, np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), max_nodes)
    return [nodes[i] for i in chosen.tolist()]


def _ordered_subgraph(H: nx.Graph, nodes: list[str]) -> nx.Graph:
    """H restricted to `nodes`, in that order: a `subgraph` view iterates a set, so its order (and a
    seeded layout of it) would change with the string hash seed."""
    keep = set(nodes)
    S = nx.Graph()
    S.add_nodes_from(nodes)
    S.add_edges_from(sorted((u, v) for u in nodes for v in H[u] if v in keep and u < v))
    return S


def layout(G: nx.MultiDiGraph, drawn: list[str]) -> dict[str, tuple[int, int]]:
    """Pixel positions: a seeded spring layout per connected component, the largest in the middle and
    the others on rings around it (one spring layout of everything flings small components to the
    rim and squeezes the main one into a dot; networkx's gravity method is ~6x slower)."""
    H = nx.Graph()
    H.add_nodes_from(drawn)
    H.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in G.subgraph(drawn).edges() if u != v}))
    rank = {n: i for i, n in enumerate(drawn)}
    comps = sorted((sorted(c, key=rank.get) for c in nx.connected_components(H)), key=lambda c: (-len(c), rank[c[0]]))
    pos: dict[str, tuple[float, float]] = {}
    ring, ring_r, angle, widest = 0, 0.0, 0.0, 0.0
    for i, comp in enumerate(comps):
        radius = max(0.6, math.sqrt(len(comp)))  # in units of one node's spacing
        # A k several times networkx's default 1/sqrt(n) evens out the dense core of hubs and papers.
        sub = (nx.spring_layout(_ordered_subgraph(H, comp), k=5 / math.sqrt(len(comp)), seed=LAYOUT_SEED, scale=radius)
               if len(comp) > 1 else {comp[0]: (0, 0)})
        if i == 0:
            cx = cy = 0.0
            ring_r, widest = radius, 0.0
        else:
            if ring == 0 or angle + radius / ring_r > 2 * math.pi:
                ring, ring_r, angle = ring + 1, ring_r + widest + radius + 1.5, 0.0
                widest = 0.0
            angle += radius / ring_r  # half of this component's arc before it, half after
            cx, cy = ring_r * math.cos(angle), ring_r * math.sin(angle)
            angle += (radius + 0.75) / ring_r
            widest = max(widest, radius)
        for n in comp:
            x, y = sub[n]
            pos[n] = (cx + float(x), cy + float(y))
    return {n: (round(x * LAYOUT_SPACING), round(y * LAYOUT_SPACING)) for n, (x, y) in pos.items()}
