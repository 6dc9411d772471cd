"""Which nodes the HTML map draws, and where: centrality, a budgeted selection and a seeded layout."""

from __future__ import annotations

import heapq
import math

import networkx as nx

from kg.analyze import project
from kg.defaults import PAGERANK_ALPHA
from kg.errors import KGError

__all__ = ["node_centrality", "select_nodes", "layout"]

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
        pagerank = nx.pagerank(H, alpha=PAGERANK_ALPHA) if len(H) else {}
    cent = {n: round(float(pagerank.get(n, 0.0)), 9) for n in G}
    cent.update({n: float(s) for n, s in (scores or {}).items() if n in cent})
    return cent


def _covering_papers(G: nx.MultiDiGraph, papers: list[str], kept: set[str], cent: dict[str, float],
                     budget: int) -> list[str]:
    """Up to `budget` papers linked to `kept` entities, picked greedily so that as many kept entities as
    possible get a paper on the map: next comes the paper linking the most not-yet-linked entities, then
    the most entities, then the most central, then the smallest id (a lazy greedy set cover)."""
    targets = {p: frozenset(v for v in G.successors(p) if v in kept) for p in papers}
    heap = [(-len(t), -len(t), -cent.get(p, 0.0), p) for p, t in targets.items() if t]
    heapq.heapify(heap)
    covered: set[str] = set()
    chosen: list[str] = []
    while heap and len(chosen) < budget:
        neg_new, neg_all, neg_cent, p = heapq.heappop(heap)
        new = len(targets[p] - covered)
        if new != -neg_new:  # stale: others covered some of its entities since it was pushed
            heapq.heappush(heap, (-new, neg_all, neg_cent, p))
            continue
        chosen.append(p)
        covered |= targets[p]
    return chosen


def select_nodes(G: nx.MultiDiGraph, cent: dict[str, float], max_nodes: int) -> list[str]:
    """The nodes to draw, most central first: all of them if they fit, else

    1. entities (methods, datasets, tasks, metrics, repos), most central first, fill
       ``ENTITY_SHARE`` of the budget (more if there are too few papers for the rest);
    2. papers linked to those entities fill the rest, picked so that as many kept entities as
       possible get a paper beside them (`_covering_papers`), which keeps the map connected;
    3. budget no linked paper can use goes to the next entities, then to the other papers.

    Ties are broken by node id, so the choice is stable.
    """
    if max_nodes < 1:
        raise KGError(f"max_nodes must be at least 1, got {max_nodes}; pass a positive number of nodes to draw.")

    def rank(n: str) -> tuple[float, str]:
        return (-cent.get(n, 0.0), n)

    if len(G) <= max_nodes:
        return sorted(G, key=rank)
    papers = [n for n, d in G.nodes(data=True) if d.get("kind") == "paper"]
    entities = sorted((n for n, d in G.nodes(data=True) if d.get("kind") != "paper"), key=rank)
    n_ent = min(len(entities), max(max_nodes - len(papers), math.ceil(max_nodes * ENTITY_SHARE)))
    kept = entities[:n_ent]
    linked = _covering_papers(G, papers, set(kept), cent, max_nodes - n_ent)
    spare = max_nodes - n_ent - len(linked)
    more = entities[n_ent : n_ent + spare]
    spare -= len(more)
    chosen = set(linked)
    unlinked = sorted((p for p in papers if p not in chosen), key=rank)[:spare]
    return sorted(kept + linked + more + unlinked, key=rank)


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
