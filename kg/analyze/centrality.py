"""Pure analysis functions over the graph: projections and method centrality (support PageRank by default)."""

from __future__ import annotations

from itertools import combinations
from typing import Literal

import networkx as nx
import numpy as np

from kg.analyze.engines import ENGINES, AnalysisError, Engine, choose_engine, rx_centrality
from kg.analyze.support import graph_support
from kg.defaults import PAGERANK_ALPHA
from kg.errors import value_invalid_msg

__all__ = [
    "MEASURES",
    "DEFAULT_MEASURE",
    "PROJECTION_MEASURES",
    "MEASURE_NAMES",
    "PROJECTIONS",
    "ENGINES",
    "AnalysisError",
    "CentralityUndefinedError",
    "project",
    "cooccurrence",
    "method_centrality",
    "method_scores",
    "centrality",
    "pagerank_arrays",
    "rounded_scores",
    "ranking",
]

MEASURES = ("support", "pagerank", "degree", "betweenness", "eigenvector", "closeness")
DEFAULT_MEASURE = "support"
#: The measures that run on a projection (`--on`); support walks the papers instead.
PROJECTION_MEASURES = MEASURES[1:]
#: How each measure is named in a file's header and a chart's title.
MEASURE_NAMES = {"support": "support PageRank (papers and claims)", "pagerank": "PageRank", "degree": "degree",
                 "betweenness": "betweenness", "eigenvector": "eigenvector centrality", "closeness": "closeness"}
PROJECTIONS = ("full", "improves", "evaluation", "cooccurrence")

Measure = Literal["support", "pagerank", "degree", "betweenness", "eigenvector", "closeness"]
Projection = Literal["full", "improves", "evaluation", "cooccurrence"]

#: Components up to this size get an exact dense eigensolver; larger ones ARPACK.
_DENSE_EIGEN_MAX = 500


class CentralityUndefinedError(AnalysisError):
    """A centrality measure has no meaningful value on the graph it was asked for."""


def _claim_weight(data: dict) -> int:
    return max(1, len(data.get("claims", ())))


def _nodes_of(G: nx.MultiDiGraph, kinds) -> list[str]:
    return sorted(n for n, d in G.nodes(data=True) if d.get("kind") in kinds)


def cooccurrence(G: nx.MultiDiGraph, kinds=("method",)) -> nx.Graph:
    """Undirected graph of the entities of `kinds`, linked with weight = papers mentioning both.

    Every entity of those kinds is a node, even one that shares no paper with another.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p", kind="paper"); G.add_node("a", kind="method"); G.add_node("d", kind="dataset")
    >>> _ = G.add_edge("p", "a", key="mentions"); _ = G.add_edge("p", "d", key="mentions")
    >>> H = cooccurrence(G, kinds=("method", "dataset")); H["a"]["d"]["weight"]
    1
    """
    H = nx.Graph()
    H.add_nodes_from(_nodes_of(G, kinds))
    for p in _nodes_of(G, ("paper",)):
        ents = sorted({v for _, v, k in G.out_edges(p, keys=True) if k in ("mentions", "proposes") and v in H})
        for a, b in combinations(ents, 2):
            w = H[a][b]["weight"] + 1 if H.has_edge(a, b) else 1
            H.add_edge(a, b, weight=w)
    return H


def project(G: nx.MultiDiGraph, on: Projection = "full") -> nx.Graph:
    """The graph a centrality measure runs on; each answers a different question.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The knowledge graph (kg.graph.assemble schema).
    on : {"full", "improves", "evaluation", "cooccurrence"}
        full
            Everything, undirected: papers, methods, datasets, tasks, metrics and code repos,
            joined by every relation. A method scores high when it sits in the middle of the
            literature: mentioned by many papers that also mention much else.
        improves
            Methods only, one arrow from the better method to the one it beats, weighted by
            the number of papers that claim it. PageRank flows along the arrows, so it ranks
            the methods that many others beat: the strong baselines everyone compares against.
        evaluation
            Methods and the datasets they are evaluated on (a method-dataset bipartite graph,
            weighted by supporting papers): which methods are tested on the busy benchmarks.
        cooccurrence
            Methods only, linked when a paper mentions both, weighted by how many papers do:
            the hubs that are discussed together with many other methods.

    Returns
    -------
    nx.Graph or nx.DiGraph
        A new graph (directed only for "improves"); every method is a node, even isolated.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for n in "abc": G.add_node(n, kind="method")
    >>> _ = G.add_edge("a", "b", key="improvesOver", claims=({}, {}))
    >>> H = project(G, "improves"); sorted(H.edges(data="weight"))
    [('a', 'b', 2)]
    >>> sorted(project(G, "full").nodes)
    ['a', 'b', 'c']
    """
    if on not in PROJECTIONS:
        raise AnalysisError(value_invalid_msg("projection", on, PROJECTIONS))
    if on == "full":
        H = nx.Graph()
        H.add_nodes_from(sorted(G.nodes))
        H.add_edges_from(sorted({(u, v) if u < v else (v, u) for u, v in G.edges() if u != v}))
        return H
    if on == "cooccurrence":
        return cooccurrence(G, ("method",))
    rel = "improvesOver" if on == "improves" else "evaluatesOn"
    H = nx.DiGraph() if on == "improves" else nx.Graph()
    H.add_nodes_from(_nodes_of(G, ("method",)))
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[:3]):
        if k == rel and u != v:
            H.add_edge(u, v, weight=_claim_weight(d))
    return H


def _eigenvector(H: nx.Graph) -> dict:
    """Eigenvector centrality that is defined on every undirected graph.

    Each connected component gets its own leading eigenvector (exact, no power iteration to
    fail), scaled so its squared scores sum to the component's share of the nodes: on a
    connected graph this is networkx's answer; on a disconnected one no component is zeroed
    just because another has a larger eigenvalue. Isolated nodes score 0.
    """
    if H.is_directed():
        if nx.is_directed_acyclic_graph(H):
            raise CentralityUndefinedError(
                "eigenvector centrality is undefined on the 'improves' projection of this graph: "
                "its arrows form no cycle, so its adjacency matrix has no positive eigenvalue; "
                "use measure 'pagerank' (the damped form, always defined) or another projection"
            )
        try:
            return nx.eigenvector_centrality(H, max_iter=1000, tol=1e-9, weight="weight")
        except nx.PowerIterationFailedConvergence as e:
            raise CentralityUndefinedError(
                "eigenvector centrality did not converge on the 'improves' projection (no single "
                "leading eigenvector); use measure 'pagerank' or another projection"
            ) from e
    n = len(H)
    order = {x: i for i, x in enumerate(H)}
    scores = dict.fromkeys(H, 0.0)
    for comp in nx.connected_components(H):
        if len(comp) < 2:
            continue
        nodes = sorted(comp, key=order.__getitem__)
        A = nx.to_scipy_sparse_array(H, nodelist=nodes, weight="weight", dtype=float)
        if len(nodes) <= _DENSE_EIGEN_MAX:
            _, vecs = np.linalg.eigh(A.toarray())
            v = vecs[:, -1]
        else:
            from scipy.sparse.linalg import eigsh

            _, vecs = eigsh(A, k=1, which="LA", v0=np.ones(len(nodes)))
            v = vecs[:, 0]
        # The Perron vector of a connected component is positive; fix the solver's sign.
        v = np.abs(v) / np.linalg.norm(v) * np.sqrt(len(nodes) / n)
        scores.update(zip(nodes, v.tolist(), strict=True))
    return scores


def pagerank_arrays(
    n: int, rows, cols, *, alpha: float = PAGERANK_ALPHA, max_iter: int = 100, tol: float = 1.0e-6
) -> np.ndarray:
    """PageRank of the undirected, unweighted simple graph on nodes 0..n-1 with edges (rows[i], cols[i]).

    The pairs must be unique, with rows[i] < cols[i], sorted. The power iteration is networkx's
    scipy PageRank operation for operation (the same sparse matrix and kernel, uniform start and
    teleport, dangling nodes spread uniformly, L1 test against n * tol), so it gives the values of
    `nx.pagerank` on that graph with nodes 0..n-1 (bit for bit with networkx 3.6) without building
    a networkx graph: a 125,000-node graph takes a fraction of a second.

    Raises
    ------
    AnalysisError
        Pairs out of range, not i < j, not sorted or repeated.
    networkx.PowerIterationFailedConvergence
        No convergence within `max_iter` iterations, as nx.pagerank raises it.

    Examples
    --------
    >>> pagerank_arrays(3, [0, 1], [1, 2]).round(6).tolist()
    [0.256757, 0.486486, 0.256757]
    """
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    if rows.ndim != 1 or rows.shape != cols.shape:
        raise AnalysisError(f"PageRank needs two equally long 1-d index arrays, not shapes {rows.shape}, {cols.shape}")
    if rows.size and (rows.min() < 0 or cols.max() >= n or not (rows < cols).all()
                      or not (np.diff(rows * n + cols) > 0).all()):
        raise AnalysisError(f"PageRank needs unique sorted node pairs i < j within 0..{n - 1}")
    if n == 0:
        return np.zeros(0)
    import scipy as sp

    # The matrix networkx builds: row i holds 1/degree(i) at each neighbour (Q @ A gives exactly that).
    r, c = np.concatenate([rows, cols]), np.concatenate([cols, rows])
    S = np.bincount(r, minlength=n).astype(float)
    S[S != 0] = 1.0 / S[S != 0]
    A = sp.sparse.csr_array((S[r], (r, c)), shape=(n, n))
    x = np.repeat(1.0 / n, n)
    p = np.repeat(1.0 / n, n)
    is_dangling = np.where(S == 0)[0]
    for _ in range(max_iter):
        xlast = x
        # networkx sums the dangling mass with builtin sum(), left to right; accumulate is the same sum, fast.
        dangling = np.add.accumulate(x[is_dangling])[-1] if is_dangling.size else 0
        x = alpha * (x @ A + dangling * p) + (1 - alpha) * p
        if np.absolute(x - xlast).sum() < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def _unit_pairs(H: nx.Graph) -> tuple[np.ndarray, np.ndarray] | None:
    """`H`'s edges as sorted index pairs (order: list(H)) when it is a simple undirected graph whose
    edges all weigh 1 (or carry no weight); None when PageRank needs networkx's general code."""
    if H.is_directed() or H.is_multigraph():
        return None
    index = {v: i for i, v in enumerate(H)}
    ends = []
    for u, v, w in H.edges(data="weight", default=1):
        if u == v or w != 1:
            return None
        ends += (index[u], index[v])
    pairs = np.sort(np.array(ends, dtype=np.int64).reshape(-1, 2), axis=1)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    return pairs[:, 0], pairs[:, 1]


def centrality(
    H: nx.Graph,
    *,
    measure: Measure = "pagerank",
    engine: Engine = "auto",
    seed: int | None = None,
    k: int | None = None,
) -> dict:
    """`measure` of every node of the (projected) graph `H`, unrounded.

    See method_centrality for the options; this is the measure alone, for any networkx graph
    ("support" is not a measure of a projection: it walks the papers, see kg.analyze.support).

    >>> centrality(nx.path_graph(3), measure="closeness")
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}
    """
    if measure not in MEASURES:
        raise AnalysisError(value_invalid_msg("measure", measure, MEASURES))
    if measure == "support":
        raise AnalysisError("measure 'support' runs on the papers and the entities they involve, not on a "
                            "projection; use method_centrality(G, measure='support')")
    if k is not None and k < 1:
        raise AnalysisError(f"k {k!r} is invalid; the betweenness sample must hold at least 1 node")
    sampled = measure == "betweenness" and k is not None and k < len(H)
    if choose_engine(engine, measure, len(H), sampled=sampled) == "rustworkx":
        return rx_centrality(H, measure)
    if len(H) == 0:
        return {}
    if measure == "pagerank":
        # Unweighted undirected graphs (the "full" projection) take the array PageRank, which the
        # build also runs on its compact snapshot: `kg centrality` and the build agree to the bit.
        if (pairs := _unit_pairs(H)) is not None:
            return dict(zip(H, pagerank_arrays(len(H), *pairs).tolist()))
        return nx.pagerank(H, alpha=PAGERANK_ALPHA, weight="weight")
    if measure == "degree":
        return nx.degree_centrality(H) if len(H) > 1 else {n: 0.0 for n in H}
    if measure == "betweenness":
        # Sampled betweenness is reproducible by default: no seed means seed 0.
        return nx.betweenness_centrality(H, k=k if sampled else None, normalized=True,
                                         seed=(0 if seed is None else seed) if sampled else None)
    if measure == "closeness":
        return nx.closeness_centrality(H)
    return _eigenvector(H)


def method_centrality(
    G: nx.MultiDiGraph,
    *,
    measure: Measure = DEFAULT_MEASURE,
    on: Projection | None = None,
    engine: Engine = "auto",
    seed: int | None = None,
    k: int | None = None,
) -> dict[str, float]:
    """Centrality of every method node: support PageRank, or a measure on the projection `on`.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The knowledge graph (kg.graph.assemble schema).
    measure : {"support", "pagerank", "degree", "betweenness", "eigenvector", "closeness"}
        support (the default) walks between papers and the entities they involve, weighted by
        mentions, claims and proposals (kg.analyze.support): a method's place reflects the papers
        and claims that involve it; `on` does not apply to it.
        pagerank is weighted (alpha = kg.defaults.PAGERANK_ALPHA); degree, betweenness and
        closeness count hops (edge weights are strengths, not distances); eigenvector is
        weighted and computed per connected component (see `_eigenvector`).
    on : {"full", "improves", "evaluation", "cooccurrence"}, optional
        The graph the measure runs on (default "full"); see `project`. Not with "support".
    engine : {"auto", "networkx", "rustworkx"}
        Who computes betweenness and closeness. "auto" uses rustworkx when it is installed and
        the projection has at least kg.analyze.engines.AUTO_MIN_NODES nodes, else networkx; both give
        the same values. Other measures always run on networkx (already scipy-backed).
    seed : int, optional
        Seed of the sample when `k` is given (default 0, so results repeat).
    k : int, optional
        Estimate betweenness from `k` sampled source nodes (networkx) instead of all of them.

    Returns
    -------
    dict
        {method IRI: score} for every method node, sorted by IRI; scores rounded to 9 places.

    Raises
    ------
    AnalysisError
        An unknown option; EngineUnavailableError when engine="rustworkx" is not installed;
        CentralityUndefinedError for eigenvector on an "improves" graph with no cycle.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for n in "abc": G.add_node(n, kind="method")
    >>> _ = G.add_edge("a", "b", key="improvesOver", claims=({},))
    >>> _ = G.add_edge("c", "b", key="improvesOver", claims=({},))
    >>> s = method_centrality(G, measure="pagerank", on="improves"); max(s, key=s.get)
    'b'
    >>> method_centrality(G, measure="closeness", on="full")
    {'a': 0.666666667, 'b': 1.0, 'c': 0.666666667}
    """
    if measure == "support":
        if on is not None:
            raise AnalysisError(f"projection {on!r} does not apply to measure 'support', which walks the papers")
        return method_scores(G, graph_support(G))
    H = project(G, on or "full")
    return method_scores(G, centrality(H, measure=measure, engine=engine, seed=seed, k=k))


def method_scores(G: nx.MultiDiGraph, scores: dict) -> dict[str, float]:
    """`scores` (a `centrality` result, over any projection) cut down to `G`'s method nodes, sorted by
    IRI and rounded to 9 places, as `method_centrality` returns them: for a caller that also needs
    the unrounded scores of the other nodes and so computes the measure once.

    >>> G = nx.MultiDiGraph(); G.add_node("b", kind="method"); G.add_node("a", kind="method"); G.add_node("p", kind="paper")
    >>> method_scores(G, {"b": 0.1234567891234, "p": 0.5})
    {'a': 0.0, 'b': 0.123456789}
    """
    return rounded_scores(_nodes_of(G, ("method",)), scores)


def rounded_scores(nodes, scores: dict) -> dict[str, float]:
    """{node: its score rounded to 9 places (0.0 when it has none)} for `nodes`, in their order.

    >>> rounded_scores(["a", "b"], {"a": -1e-12})
    {'a': 0.0, 'b': 0.0}
    """
    # "+ 0.0" turns a rounded -0.0 into 0.0, so equal graphs print equal files.
    return {n: round(float(scores.get(n, 0.0)), 9) + 0.0 for n in nodes}


def ranking(scores: dict[str, float], top: int | None = None) -> list[tuple[str, float]]:
    """Scores sorted high to low, ties by node id, so the order is stable.

    >>> ranking({"b": 1.0, "a": 1.0, "c": 2.0}, top=2)
    [('c', 2.0), ('a', 1.0)]
    """
    items = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return items[:top] if top else items
