"""Topic clusters: seeded Louvain communities of the entity co-occurrence graph."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from kg.analyze.centrality import cooccurrence
from kg.analyze.engines import AnalysisError

__all__ = ["Community", "communities", "node_community", "LABEL_NAMES", "LABEL_SEPARATOR"]

#: How many of a community's names make its label, and what joins them.
LABEL_NAMES = 3
LABEL_SEPARATOR = " · "


@dataclass(frozen=True)
class Community:
    """One cluster: `id` (0 = largest), its member IRIs (sorted), a label and its size."""

    id: int
    members: tuple[str, ...]
    label: str
    size: int


def communities(
    G: nx.MultiDiGraph,
    *,
    kinds: tuple[str, ...] = ("method", "task", "dataset"),
    seed: int = 0,
    resolution: float = 1.0,
) -> list[Community]:
    """Clusters of entities that papers mention together.

    Entities of `kinds` are linked when a paper mentions both, weighted by how many papers do,
    and split by Louvain modularity (networkx, seeded). An entity no paper shares with another
    is a cluster of its own.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The knowledge graph (kg.graph.assemble schema).
    kinds : tuple of str
        Which entity kinds take part.
    seed : int
        Louvain's seed; the same graph and seed give the same clusters.
    resolution : float
        Above 1 favours more, smaller clusters; below 1 fewer, larger ones.

    Returns
    -------
    list of Community
        Largest first, ties by label then members; `id` is the position in this list. A label
        joins the LABEL_NAMES best-connected members' names (weighted degree, ties by name).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for p, ents in {"p1": "ab", "p2": "ab", "p3": "cd"}.items():
    ...     G.add_node(p, kind="paper")
    ...     for e in ents:
    ...         G.add_node(e, kind="method", label=e.upper())
    ...         _ = G.add_edge(p, e, key="mentions")
    >>> [(c.id, c.label, c.members) for c in communities(G)]
    [(0, 'A · B', ('a', 'b')), (1, 'C · D', ('c', 'd'))]
    """
    if resolution <= 0:
        raise AnalysisError(f"resolution {resolution!r} is invalid; it must be greater than 0")
    H = cooccurrence(G, kinds)
    if len(H) == 0:
        return []
    parts = nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed)
    strength = dict(H.degree(weight="weight"))
    found = []
    for part in parts:
        members = tuple(sorted(part))
        names = sorted((-strength[n], _label(G, n)) for n in members)
        label = LABEL_SEPARATOR.join(name for _, name in names[:LABEL_NAMES])
        found.append((members, label))
    found.sort(key=lambda ml: (-len(ml[0]), ml[1], ml[0]))
    return [Community(i, members, label, len(members)) for i, (members, label) in enumerate(found)]


def _label(G: nx.MultiDiGraph, n: str) -> str:
    return str(G.nodes[n].get("label") or n)


def node_community(found: list[Community]) -> dict[str, int]:
    """{member IRI: community id}, e.g. to colour the HTML map by cluster.

    >>> node_community([Community(0, ("a", "b"), "A · B", 2), Community(1, ("c",), "C", 1)])
    {'a': 0, 'b': 0, 'c': 1}
    """
    return {n: c.id for c in found for n in c.members}
