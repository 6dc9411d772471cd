"""The graph as files other tools open: GraphML, GEXF, VOSviewer JSON and CSV node/edge lists."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from kg.analyze.centrality import cooccurrence
from kg.analyze.communities import Community, node_community
from kg.atomic import atomic_open
from kg.csvsafe import safe_cell

__all__ = ["flatten", "write_graphml", "write_gexf", "write_vosviewer_json", "write_csv_lists", "VOSVIEWER_KINDS"]

#: Entity kinds that become VOSviewer items (papers and repos are the links' evidence, not items).
VOSVIEWER_KINDS = ("method", "dataset", "task", "metric")
JOIN = "; "
# Characters XML 1.0 forbids; paper text may carry them, and a GraphML/GEXF reader would choke.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Node attributes networkx's GEXF writer consumes itself (a paper's "id" would replace its node id).
_GEXF_RESERVED = frozenset({"id", "pid", "start", "end", "parents", "spells", "slices", "viz"})


def _scalar(value):
    if isinstance(value, str):
        return _XML_BAD.sub("", value)
    if isinstance(value, (tuple, list, set, frozenset)):
        return _XML_BAD.sub("", JOIN.join(map(str, value)))
    return value


def flatten(G: nx.MultiDiGraph, *, reserved=frozenset()) -> nx.MultiDiGraph:
    """A copy with only scalar attributes, as GraphML, GEXF and CSV need.

    Tuples become "; "-joined strings and None values are dropped. An edge's `claims` become
    `claims` (their count), `evidence` (the first claim's sentence), `claim_papers` (joined)
    and `confidence` (the best). Edge keys become unique ids e0, e1, ... in sorted edge order;
    the relation stays in `rel`. Node attributes named in `reserved` get a "kg_" prefix.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="method", aliases=("A1", "A2"), url=None); G.add_node("b", kind="method")
    >>> claim = {"paper": "p", "evidence": "a beats b", "confidence": 0.9}
    >>> _ = G.add_edge("a", "b", key="improvesOver", claims=(claim,))
    >>> F = flatten(G); F.nodes["a"], list(F.edges(keys=True, data=True))
    ({'kind': 'method', 'aliases': 'A1; A2'}, [('a', 'b', 'e0', {'rel': 'improvesOver', 'claims': 1, \
'evidence': 'a beats b', 'claim_papers': 'p', 'confidence': 0.9})])
    """
    F = nx.MultiDiGraph()
    for n in sorted(G.nodes):
        attrs = {}
        for name, value in G.nodes[n].items():
            if value is not None:
                attrs[f"kg_{name}" if name in reserved else name] = _scalar(value)
        F.add_node(n, **attrs)
    for i, (u, v, k, d) in enumerate(sorted(G.edges(keys=True, data=True), key=lambda e: e[:3])):
        attrs = {"rel": d.get("rel", k)}
        for name, value in d.items():
            if name == "claims":
                claims = list(value)
                attrs["claims"] = len(claims)
                if claims:
                    attrs["evidence"] = _scalar(claims[0].get("evidence", ""))
                    attrs["claim_papers"] = _scalar([c.get("paper", "") for c in claims])
                    attrs["confidence"] = float(max(c.get("confidence", 0.0) for c in claims))
            elif value is not None and name != "rel":
                attrs[name] = _scalar(value)
        F.add_edge(u, v, key=f"e{i}", **attrs)
    return F


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> None:
    """GraphML (yEd, Gephi, Cytoscape): node ids are IRIs, attributes as in `flatten`."""
    buf = io.BytesIO()
    nx.write_graphml(flatten(G), buf, encoding="utf-8")
    with atomic_open(path, "wb") as f:
        f.write(buf.getvalue())


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> None:
    """GEXF 1.2 (Gephi); a paper's own `id` attribute is written as `kg_id`.

    The writer's "last modified" date is left out, so the same graph gives the same bytes.
    """
    text = "\n".join(nx.generate_gexf(flatten(G, reserved=_GEXF_RESERVED)))
    text = re.sub(r'<meta lastmodifieddate="[^"]*"', "<meta", text, count=1)
    with atomic_open(path) as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n")


def write_vosviewer_json(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    scores: Mapping[str, float] | None = None,
    communities: list[Community] | Mapping[str, int] | None = None,
    kinds: tuple[str, ...] = VOSVIEWER_KINDS,
) -> None:
    """A VOSviewer map file (JSON): entities as items, shared papers as link strength.

    Layout: {"network": {"items": [...], "links": [...]}}. Items are the entities of `kinds`
    sorted by IRI and numbered 1, 2, ... (VOSviewer wants integer ids); each has `id`,
    `label`, `description` (kind and aliases, HTML-escaped since VOSviewer renders it),
    `cluster`, `weights` {"Links", "Total link strength", "Papers"} and, with `scores`,
    `scores` {"Centrality"} (0 for items without a score). `cluster` is the community id + 1
    (entities in none get one cluster after the last) or, without `communities`, the kind's
    position in `kinds` + 1. Links join two items mentioned by the same papers; `strength`
    is how many. No x/y: VOSviewer lays the map out itself.
    """
    H = cooccurrence(G, kinds)
    ids = {n: i for i, n in enumerate(H, 1)}
    if communities is None:
        cluster = {n: kinds.index(G.nodes[n]["kind"]) + 1 for n in H}
    else:
        member = communities if isinstance(communities, Mapping) else node_community(communities)
        rest = max(member.values(), default=-1) + 2
        cluster = {n: member[n] + 1 if n in member else rest for n in H}
    items = []
    for n in H:
        d = G.nodes[n]
        desc = d["kind"].capitalize() + (". Also: " + JOIN.join(d.get("aliases", ())) if d.get("aliases") else "")
        item = {
            "id": ids[n],
            "label": str(d.get("label") or n),
            "description": html.escape(desc),
            "cluster": cluster[n],
            "weights": {
                "Links": H.degree(n),
                "Total link strength": H.degree(n, weight="weight"),
                "Papers": len(d.get("papers", ())),
            },
        }
        if scores is not None:
            item["scores"] = {"Centrality": float(scores.get(n, 0.0))}
        items.append(item)
    links = []
    for a, b, w in H.edges(data="weight"):
        s, t = sorted((ids[a], ids[b]))
        links.append({"source_id": s, "target_id": t, "strength": w})
    links.sort(key=lambda link: (link["source_id"], link["target_id"]))
    with atomic_open(path) as f:
        json.dump({"network": {"items": items, "links": links}}, f, indent=2, ensure_ascii=False)
        f.write("\n")


NODE_COLUMNS = ("id", "kind", "label", "aliases", "papers", "confidence", "date", "url")
EDGE_COLUMNS = ("source", "target", "relation", "claims", "confidence", "evidence", "claim_papers")


def write_csv_lists(G: nx.MultiDiGraph, nodes_path: str | Path, edges_path: str | Path) -> None:
    """Two CSV files: every node (NODE_COLUMNS) and every edge (EDGE_COLUMNS), sorted.

    `papers` is a count; tuples are "; "-joined; an edge's evidence is its first claim's. Every
    cell passes kg.csvsafe.safe_cell: a label or evidence from a paper ("=cmd|...") is not a formula.
    """
    F = flatten(G)
    with atomic_open(nodes_path) as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(NODE_COLUMNS)
        for n, d in F.nodes(data=True):
            papers = len(G.nodes[n].get("papers", ()))
            w.writerow(_safe_row([n, d.get("kind", ""), d.get("label", ""), d.get("aliases", ""),
                                  papers if d.get("kind") != "paper" else "", d.get("confidence", ""),
                                  d.get("date", ""), d.get("url", "")]))
    with atomic_open(edges_path) as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(EDGE_COLUMNS)
        for u, v, d in F.edges(data=True):
            w.writerow(_safe_row([u, v, d["rel"], d.get("claims", ""), d.get("confidence", ""),
                                  d.get("evidence", ""), d.get("claim_papers", "")]))


def _safe_row(cells: list) -> list[str]:
    # str() first, as csv.writer would; numbers come through unchanged (safe_cell leaves numbers be).
    return [safe_cell(c if isinstance(c, str) else "" if c is None else str(c)) for c in cells]
