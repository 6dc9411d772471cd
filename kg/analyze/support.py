"""Support PageRank, the default method ranking: how much of the literature involves a method, by papers and claims.

A reader walks between entities (methods, datasets, tasks, metrics) and the papers that involve
them: from an entity to one of its papers (each equally likely), from a paper to one of the
entities it involves, in proportion to how much the paper says about it. A paper's weight for an
entity is 1 when it mentions it, 1 more when it makes a claim about it (improves over, evaluated
on) and 1 more when it proposes it. With probability 1 - alpha the reader jumps to an entity
picked in proportion to the number of papers involving it. An entity's score is the share of
time the reader spends on it.

Why this and not PageRank over the whole graph: there every edge counts once, so one paper that
lists twenty comparisons puts its method among the most central, and a method named in a paper
about little else takes all of that paper's weight. Here each paper hands on only what it has,
split among all it involves, and the jumps follow the papers: a method mentioned by one paper
ranks high only when that paper's claims tie it to well-supported ones.

The walk is built from (paper, entity) pairs, never from entity-entity cliques, so its memory is
the number of mentions and claims; kg.analyze.centrality.method_centrality (networkx) and
kg.analyze.snapshot_views.snapshot_method_scores (the build's arrays) both hand the same sorted
pairs to `support_pagerank`, so they give the same floats.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from kg.defaults import CLAIM_RELATIONS, PAGERANK_ALPHA
from kg.errors import AnalysisError

__all__ = ["SUPPORT_RELS", "support_pagerank", "support_keys", "graph_support", "sorted_unique", "among"]

#: Paper -> entity edges that make a paper involve an entity (hasCode goes to repos, not entities).
SUPPORT_RELS = ("mentions", "proposes")
_MAX_ITER, _TOL = 1000, 1.0e-13


def support_pagerank(n: int, involved, proposed, claimed, *, alpha: float = PAGERANK_ALPHA) -> np.ndarray:
    """Support PageRank of nodes 0..n-1 from the keys paper * n + entity of three kinds of pair.

    `involved`: every (paper, entity) pair where the paper mentions, proposes or makes a claim
    about the entity; `proposed` and `claimed` the pairs (among those) that propose it or claim
    something about it. Keys may repeat and come in any order. Papers and nodes in no pair score 0.

    >>> n = 4  # papers 0 and 1; entities 2 and 3; paper 0 claims something about 2
    >>> s = support_pagerank(n, [0 * n + 2, 0 * n + 3, 1 * n + 2], [], [0 * n + 2])
    >>> bool(s[2] > s[3] > 0), float(s[[0, 1]].sum() + s[[2, 3]].sum()).__round__(9)
    (True, 1.0)
    """
    keys = sorted_unique(involved)
    if keys.size and (keys[0] < 0 or keys[-1] >= n * n):
        raise AnalysisError(f"support pairs must lie within 0..{n - 1}")
    if n == 0 or keys.size == 0:
        return np.zeros(n)
    import scipy as sp

    weight = 1.0 + among(keys, sorted_unique(proposed)) + among(keys, sorted_unique(claimed))
    paper, entity = np.divmod(keys, n)
    per_paper = np.bincount(paper, weights=weight, minlength=n)
    papers_of = np.bincount(entity, minlength=n).astype(float)
    # Paper -> entity by weight, entity -> paper uniformly: one sparse matrix over all nodes.
    rows = np.concatenate([paper, entity])
    cols = np.concatenate([entity, paper])
    vals = np.concatenate([weight / per_paper[paper], 1.0 / papers_of[entity]])
    # x @ M, computed as M.T @ x on M.T in CSR form: the same products summed in the same order
    # (each column's entries by row), a faster kernel than the row vector times a CSR matrix.
    MT = sp.sparse.csr_array((vals, (cols, rows)), shape=(n, n))
    jump = papers_of / papers_of.sum()
    x = jump.copy()
    for _ in range(_MAX_ITER):
        last = x
        x = alpha * (MT @ x) + (1 - alpha) * jump
        if np.absolute(x - last).sum() < _TOL:
            return x
    raise nx.PowerIterationFailedConvergence(_MAX_ITER)


def among(keys: np.ndarray, members: np.ndarray) -> np.ndarray:
    """np.isin(keys, members) for a sorted `members`, by binary search (np.isin hashes or sorts both)."""
    if not members.size:
        return np.zeros(keys.shape, dtype=bool)
    at = np.minimum(np.searchsorted(members, keys), members.size - 1)
    return members[at] == keys


def sorted_unique(keys) -> np.ndarray:
    """The sorted distinct keys (np.unique hashes int arrays in numpy 2: slower than a sort here)."""
    keys = np.sort(np.asarray(keys, dtype=np.int64))
    return keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if keys.size else keys


def support_keys(G: nx.MultiDiGraph, index: dict[str, int]) -> tuple[list[int], list[int], list[int]]:
    """(involved, proposed, claimed) pair keys of `G` for `support_pagerank`, nodes numbered by `index`.

    >>> G = nx.MultiDiGraph(); G.add_node("p", kind="paper"); G.add_node("m", kind="method")
    >>> _ = G.add_edge("p", "m", key="proposes")
    >>> support_keys(G, {"m": 0, "p": 1})
    ([2], [2], [])
    """
    n = len(index)
    involved, proposed, claimed = [], [], []
    kinds = G.nodes
    for u, v, k, d in G.edges(keys=True, data=True):
        if k in SUPPORT_RELS and kinds[u].get("kind") == "paper":
            involved.append(index[u] * n + index[v])
            if k == "proposes":
                proposed.append(index[u] * n + index[v])
        elif k in CLAIM_RELATIONS:
            for c in d.get("claims", ()):
                p = c.get("paper")
                if p in index and kinds[p].get("kind") == "paper":
                    claimed += (index[p] * n + index[u], index[p] * n + index[v])
    return involved + claimed, proposed, claimed


def graph_support(G: nx.MultiDiGraph) -> dict[str, float]:
    """Support PageRank of every node of `G` (sorted by IRI), unrounded; papers included.

    >>> G = nx.MultiDiGraph(); G.add_node("p", kind="paper"); G.add_node("m", kind="method")
    >>> _ = G.add_edge("p", "m", key="mentions")
    >>> {k: round(v, 3) for k, v in graph_support(G).items()}
    {'m': 0.541, 'p': 0.459}
    """
    nodes = sorted(G.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    return dict(zip(nodes, support_pagerank(len(nodes), *support_keys(G, index)).tolist()))
