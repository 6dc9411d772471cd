"""Which nodes the HTML map draws, and where: centrality, a budgeted selection and a seeded layout."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from scipy.signal import fftconvolve
from scipy.spatial import cKDTree

from kg.errors import KGError

__all__ = ["select_overview", "layout", "layout_pairs", "force_layout"]

#: Each entity kind's guaranteed share of the overview's node budget (its most central nodes).
KIND_MIN_SHARE = 0.05
#: At most this share of the overview's budget goes to papers, and only budget no entity needs.
PAPER_SHARE = 0.25
PAPER_KIND = 0  # kg.defaults.NODE_KINDS[0]
#: Seed of the spring layout (computed here, so the browser runs no physics).
LAYOUT_SEED = 7
#: Pixels per unit of the layout (about one node's share of the plane).
LAYOUT_SPACING = 45
#: Components with at least this many nodes get `force_layout` instead of networkx's spring layout,
#: which from 500 nodes on takes a Python loop per node per iteration (310 s for 10,000 nodes).
LARGE_COMPONENT = 500
#: Rounds of `force_layout`; its grid (cells a side) for the push of far nodes; how near (in edge
#: lengths) a pair must be to be pushed apart exactly as well.
FORCE_ITERATIONS = 100
FORCE_GRID = 64
FORCE_REACH = 1.0


def select_overview(kind: np.ndarray, cent: np.ndarray, max_nodes: int) -> np.ndarray:
    """The nodes the map's overview draws, most central first (ties: smaller index first).

    `kind` holds each node's index in kg.defaults.NODE_KINDS (0 = paper), `cent` its centrality.
    Everything when it fits; else entities (methods, datasets, tasks, metrics, repos) lead:
    each kind present first gets its most central ``KIND_MIN_SHARE`` of the budget (so repos and
    metrics are on the map however PageRank ranks them), the rest of the entity budget goes by
    centrality, and papers only take budget the entities leave, at most ``PAPER_SHARE`` of it
    (papers are a click away: a node's panel lists them and "expand" draws them).
    """
    if max_nodes < 1:
        raise KGError(f"max_nodes must be at least 1, got {max_nodes}; pass a positive number of nodes to draw.")
    kind = np.asarray(kind)
    n = len(kind)
    neg_cent = -np.asarray(cent, dtype=np.float64) + 0.0  # + 0.0: -0.0 becomes 0.0, as Python's == sees it
    ranked = np.lexsort((np.arange(n), neg_cent))
    if n <= max_nodes:
        return ranked
    keep = np.zeros(n, dtype=bool)
    quota = math.ceil(max_nodes * KIND_MIN_SHARE)
    for k in np.unique(kind[kind != PAPER_KIND]).tolist():
        keep[ranked[kind[ranked] == k][:quota]] = True
    entities = ranked[(kind[ranked] != PAPER_KIND) & ~keep[ranked]]
    room = max_nodes - int(keep.sum())
    keep[entities[: max(room, 0)]] = True
    room = max_nodes - int(keep.sum())
    if room > 0:
        papers = ranked[kind[ranked] == PAPER_KIND]
        keep[papers[: min(room, math.floor(max_nodes * PAPER_SHARE))]] = True
    chosen = ranked[keep[ranked]]
    return chosen[:max_nodes]  # the quotas alone can exceed a budget smaller than kinds x quota


def _ordered_subgraph(H: nx.Graph, nodes: list[str]) -> nx.Graph:
    """H restricted to `nodes`, in that order: a `subgraph` view iterates a set, so its order (and a
    seeded layout of it) would change with the string hash seed."""
    keep = set(nodes)
    S = nx.Graph()
    S.add_nodes_from(nodes)
    S.add_edges_from(sorted((u, v) for u in nodes for v in H[u] if v in keep and u < v))
    return S


def force_layout(n: int, src: np.ndarray, dst: np.ndarray, *, seed: int = LAYOUT_SEED,
                 iterations: int = FORCE_ITERATIONS) -> np.ndarray:
    """Positions (n x 2) of a connected graph of n nodes and edges src[i] - dst[i]: Fruchterman-Reingold
    forces (pull d^2 along edges, push 1/d between nodes) in about n log n a round instead of n^2.

    The push between all nodes is taken from a grid: masses spread on FORCE_GRID x FORCE_GRID cells,
    one FFT convolution with the 1/d kernel, the field read back at each node (cloud-in-cell both
    ways, so nodes do not snap to the cells). Near pairs, which the grid blurs, are pushed exactly as
    well (found with a k-d tree, within FORCE_REACH). A fixed number of rounds with a linear cooling,
    from seeded random positions: the same graph gives the same positions on every run. Edge
    length is about 1; the caller scales.
    """
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)  # about one node per unit of area, what the forces settle at
    pos = rng.random((n, 2)) * side
    src = np.asarray(src, dtype=np.intp)
    dst = np.asarray(dst, dtype=np.intp)
    g = FORCE_GRID
    offsets = np.arange(-(g - 1), g, dtype=np.float64)
    ox, oy = np.meshgrid(offsets, offsets, indexing="ij")
    temperature = side / 10
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        # Far field: cell size h fits the current extent; the kernel is softened by one cell.
        lo = pos.min(axis=0)
        h = max(float((pos.max(axis=0) - lo).max()) / g, 1e-9) * (1 + 1e-9)
        u = (pos - lo) / h - 0.5
        corner = np.clip(np.floor(u).astype(np.intp), 0, g - 2)
        frac = np.clip(u - corner, 0.0, 1.0)
        shares = [(((1 - frac[:, 0]) if a == 0 else frac[:, 0]) * ((1 - frac[:, 1]) if b == 0 else frac[:, 1]),
                   (corner[:, 0] + a) * g + corner[:, 1] + b) for a in (0, 1) for b in (0, 1)]
        mass = np.zeros(g * g)
        for w, cell in shares:
            mass += np.bincount(cell, w, g * g)
        r2 = (ox * ox + oy * oy + 1.0) * (h * h)
        disp = np.zeros((n, 2))
        for axis, kernel in ((0, ox * h / r2), (1, oy * h / r2)):
            field = fftconvolve(mass.reshape(g, g), kernel, mode="same").ravel()
            for w, cell in shares:
                disp[:, axis] += w * field[cell]
        # Near field, exactly; the pairs sorted so the sums add in one order however the tree found them.
        pairs = cKDTree(pos).query_pairs(FORCE_REACH, output_type="ndarray").astype(np.int64)
        key = np.sort(pairs[:, 0] * n + pairs[:, 1])  # one int sort: ~10x cheaper than lexsort
        i, j = key // n, key % n
        delta = pos[i] - pos[j]
        push = delta / np.maximum(np.einsum("ij,ij->i", delta, delta), 1e-6)[:, None]  # 1/d along delta
        delta = pos[src] - pos[dst]
        pull = delta * np.sqrt(np.einsum("ij,ij->i", delta, delta))[:, None]  # d^2 along delta
        for axis in (0, 1):
            disp[:, axis] += (np.bincount(i, push[:, axis], n) - np.bincount(j, push[:, axis], n)
                              - np.bincount(src, pull[:, axis], n) + np.bincount(dst, pull[:, axis], n))
        length = np.maximum(np.sqrt(np.einsum("ij,ij->i", disp, disp)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return pos


def _component_layout(H: nx.Graph, comp: list[str], radius: float) -> dict[str, tuple[float, float]]:
    """One connected component laid out in a disc of `radius` (networkx's spring layout below
    LARGE_COMPONENT nodes, whose output the small maps keep; force_layout from there on)."""
    if len(comp) == 1:
        return {comp[0]: (0.0, 0.0)}
    if len(comp) < LARGE_COMPONENT:
        # A k several times networkx's default 1/sqrt(n) evens out the dense core of hubs and papers.
        return nx.spring_layout(_ordered_subgraph(H, comp), k=5 / math.sqrt(len(comp)), seed=LAYOUT_SEED, scale=radius)
    index = {v: i for i, v in enumerate(comp)}
    edges = np.array(sorted((index[u], index[v]) for u in comp for v in H[u] if index[u] < index[v]), dtype=np.intp)
    pos = force_layout(len(comp), edges[:, 0], edges[:, 1])
    pos -= pos.mean(axis=0)  # as networkx's rescale_layout: centred, the farthest coordinate at `radius`
    pos *= radius / max(float(np.abs(pos).max()), 1e-9)
    return {v: (float(x), float(y)) for v, (x, y) in zip(comp, pos.tolist())}


def layout(G: nx.MultiDiGraph, drawn: list[str]) -> dict[str, tuple[int, int]]:
    """`layout_pairs` of the drawn nodes of `G` and the edges among them."""
    keep = set(drawn)
    pairs = sorted({tuple(sorted((u, v))) for u, v in G.edges() if u != v and u in keep and v in keep})
    return layout_pairs(drawn, pairs)


def layout_pairs(drawn: list, pairs: list[tuple]) -> dict:
    """Pixel positions of `drawn` (most important first) linked by the undirected `pairs` (sorted):
    a seeded force layout per connected component (`_component_layout`), the largest in the middle
    and the others on rings around it (one spring layout of everything flings small components to
    the rim and squeezes the main one into a dot; networkx's gravity method is ~6x slower)."""
    H = nx.Graph()
    H.add_nodes_from(drawn)
    H.add_edges_from(pairs)
    rank = {n: i for i, n in enumerate(drawn)}
    comps = sorted((sorted(c, key=rank.get) for c in nx.connected_components(H)), key=lambda c: (-len(c), rank[c[0]]))
    pos: dict[str, tuple[float, float]] = {}
    ring, ring_r, angle, widest = 0, 0.0, 0.0, 0.0
    for i, comp in enumerate(comps):
        radius = max(0.6, math.sqrt(len(comp)))  # in units of one node's spacing
        sub = _component_layout(H, comp, radius)
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
