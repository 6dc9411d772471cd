"""The map's data block: every node, edge and claim of a Snapshot in compact columns, and the overview to draw.

Nodes are numbered as in the snapshot (sorted IRIs) and everything refers to them by that number,
so the page can search all nodes and draw any neighbourhood without another file. Columns are
plain JSON arrays (one value per node, edge, claim or paper); text is cleaned for reading here
(kg.export.html.text), once, so the page only puts it on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import numpy as np
from scipy.sparse import coo_matrix

from kg.analyze.snapshot_views import paper_counts
from kg.analyze.support import among, sorted_unique
from kg.defaults import NODE_KINDS, RELATIONS, RESOURCE_BASE
from kg.export.html.layout import layout_pairs
from kg.export.html.text import MARKUP_CHARS, display_date, display_text, period_key, period_label, safe_url
from kg.graph.snapshot import KIND_CODE, REL_CODE, Snapshot

__all__ = ["map_data_lazy", "materialized", "Lazy", "co_mention_pairs", "ABSTRACT_MAX_CHARS"]

_PAPER = KIND_CODE["paper"]
_REPO = KIND_CODE["repo"]
#: Abstracts are cut to this many characters (at a word), with a link to the paper for the rest:
#: whole ones would make a 10,000-paper map three times larger (the RDF keeps them whole).
ABSTRACT_MAX_CHARS = 400
#: Each drawn entity is linked to at most this many others it shares papers with (its closest ones),
#: so the overview has structure without a hairball of every co-mention.
CO_PER_NODE = 3
#: Above this many months of dated papers, the period filter steps by year.
MAX_MONTHS = 36
#: Values converted from an array to Python ints at a time (see _ints).
_BLOCK = 1 << 16
#: Clusters given their own colour and a legend entry (the rest share "other").
CLUSTER_COLOURS = 10


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + " \u2026"


def _abstract(text: str) -> str:
    """_cut(display_text(text), ABSTRACT_MAX_CHARS), cleaning only the start of a long abstract without
    markup: display_text then only collapses whitespace, so that of a prefix is a prefix of the whole's."""
    if len(text) > 2 * ABSTRACT_MAX_CHARS and not any(c in text for c in MARKUP_CHARS):
        start = display_text(text[:2 * ABSTRACT_MAX_CHARS])
        if len(start) > ABSTRACT_MAX_CHARS:
            return _cut(start, ABSTRACT_MAX_CHARS)
    return _cut(display_text(text), ABSTRACT_MAX_CHARS)


def _iri(iri: str) -> str:
    return iri[len(RESOURCE_BASE):] if iri.startswith(RESOURCE_BASE) else iri


def _name(snap: Snapshot, i: int) -> str:
    iri = snap.nodes[i]
    if snap.kind[i] == _PAPER:
        d = snap.papers.get(iri) or {}
        return display_text(d.get("title") or d.get("label") or iri)
    label = str((snap.attrs.get(iri) or {}).get("label") or iri)
    if snap.kind[i] == _REPO:
        for prefix in ("https://", "http://", "www."):
            label = label[len(prefix):] if label.startswith(prefix) else label
    return display_text(label)


def co_mention_pairs(snap: Snapshot, drawn: np.ndarray, papers: np.ndarray, per_node: int = CO_PER_NODE) -> list[tuple]:
    """(a, b, shared papers) for drawn entities a < b that are among each other's `per_node` closest:
    most shared papers first when any pair shares two or more, then cosine (shared / sqrt(papers_a
    papers_b)), then node id. Pairs already joined by an edge of the graph are left out."""
    src, dst = snap.links()
    entities = drawn[snap.kind[drawn] != _PAPER]
    if len(entities) < 2:
        return []
    col = np.full(len(snap.nodes), -1, dtype=np.int64)
    col[entities] = np.arange(len(entities))
    hit = (col[dst] >= 0) & (snap.kind[src] == _PAPER)
    M = coo_matrix((np.ones(int(hit.sum())), (src[hit], col[dst[hit]])), shape=(len(snap.nodes), len(entities))).tocsr()
    C = (M.T @ M).tocoo()
    off = C.row != C.col
    rows, cols, shared = C.row[off], C.col[off], C.data[off].astype(np.int64)
    if not len(rows):
        return []
    count = papers[entities].astype(np.float64)
    cosine = np.round(shared / np.sqrt(np.maximum(count[rows] * count[cols], 1.0)), 9)
    order = np.lexsort((cols, -cosine, shared < 2, rows))
    rows, cols, shared = rows[order], cols[order], shared[order]
    first = np.searchsorted(rows, rows, side="left")
    top = (np.arange(len(rows)) - first) < per_node
    a, b = entities[rows[top]], entities[cols[top]]
    # Pairs joined by an edge, found by binary search among the edges' (low end, high end) keys: a set
    # of every edge as Python tuples took seconds on a large graph.
    n = len(snap.nodes)
    linked = sorted_unique(np.minimum(snap.src, snap.dst).astype(np.int64) * n + np.maximum(snap.src, snap.dst))
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    free = ~among(lo * n + hi, linked)
    out: dict[tuple[int, int], int] = {}
    for s, t, k in zip(lo[free].tolist(), hi[free].tolist(), shared[top][free].tolist()):
        out[(s, t)] = k
    return [(s, t, k) for (s, t), k in sorted(out.items())]


def _periods(dates: list) -> tuple[list[str], list[int]]:
    """Period labels (sorted) and each paper's period index (-1 undated): months, or years past MAX_MONTHS."""
    keys = [period_key(d) for d in dates]
    years = {k[:4] for k in keys if k and not k.startswith("--")}
    months = {k for k in keys if k}
    if len(months) > MAX_MONTHS and years:
        keys = [period_key(d, by_year=True) for d in dates]
    order = sorted({k for k in keys if k})
    index = {k: i for i, k in enumerate(order)}
    return [period_label(k) for k in order], [index[k] if k else -1 for k in keys]


def _claims(snap: Snapshot) -> dict:
    """Every claim as columns: subject, object, relation, paper (-1 unknown), confidence, sentence
    (index into `texts`, -1 none), and for curated facts metric (node, -1), value and source."""
    index = snap.index
    cols: dict[str, list] = {k: [] for k in ("s", "t", "r", "p", "conf", "text", "metric", "value", "source")}
    texts: list[str] = []
    text_ix: dict[str, int] = {}
    for (u, v, rel), claims in sorted(snap.claims.items()):
        if u not in index or v not in index:
            continue
        for c in claims:
            evidence = display_text(c["evidence"]) if c.get("evidence") else ""
            if evidence and evidence not in text_ix:
                text_ix[evidence] = len(texts)
                texts.append(evidence)
            conf = c.get("confidence")
            cols["s"].append(index[u])
            cols["t"].append(index[v])
            cols["r"].append(REL_CODE[rel])
            cols["p"].append(index.get(c.get("paper"), -1))
            cols["conf"].append(round(float(conf), 3) if isinstance(conf, (int, float)) else None)
            cols["text"].append(text_ix[evidence] if evidence else -1)
            cols["metric"].append(index.get(c.get("metric"), -1) if c.get("metric") else -1)
            cols["value"].append(display_text(c["value"]) if c.get("value") not in (None, "") else None)
            cols["source"].append(str(c["source"]) if c.get("source") else None)
    for key in ("metric", "value", "source"):  # columns no claim uses are left out
        if all(x in (-1, None) for x in cols[key]):
            del cols[key]
    cols["texts"] = texts
    return cols


def _paper_column(snap: Snapshot, ids: list[int], cell) -> Iterator:
    """One paper column, a cell per paper made as it is written: the whole column is never held."""
    papers, nodes = snap.papers, snap.nodes
    return (cell(papers.get(nodes[i]) or {}) for i in ids)


def _url(d: Mapping) -> str | None:
    arxiv = f"https://arxiv.org/abs/{d['arxiv_id']}" if d.get("arxiv_id") else None
    return safe_url(d.get("url")) or safe_url(arxiv)


def _papers(snap: Snapshot) -> dict:
    """The paper columns: periods now (the page's header needs to know whether there are any), the
    text columns as generators."""
    ids = np.flatnonzero(snap.kind == _PAPER).tolist()
    dates = list(_paper_column(snap, ids, lambda d: d.get("date")))  # short strings: kept for the date column
    labels, periods = _periods(dates)
    return {
        "node": ids,
        "date": (display_date(d) for d in dates),
        "authors": _paper_column(snap, ids, lambda d: [display_text(a) for a in d.get("authors") or ()]),
        "url": _paper_column(snap, ids, _url),
        "abstract": _paper_column(snap, ids, lambda d: _abstract(d.get("abstract") or "")),
        "period": periods,
        "periods": labels,
    }


def _clusters(snap: Snapshot, communities: Mapping[str, int], drawn: np.ndarray, rank: np.ndarray) -> dict:
    """Each node's cluster (-1 none), and the clusters with most drawn nodes: [cluster, label] where
    the label is the name of the cluster's most central entity (its most central node if none)."""
    of = [int(communities.get(n, -1)) for n in snap.nodes]
    drawn_count: dict[int, int] = {}
    for i in drawn.tolist():
        if of[i] >= 0:
            drawn_count[of[i]] = drawn_count.get(of[i], 0) + 1
    top = sorted(drawn_count, key=lambda c: (-drawn_count[c], c))[:CLUSTER_COLOURS]
    best: dict[int, tuple] = {}
    for i in range(len(of)):
        c = of[i]
        if c in drawn_count:
            key = (snap.kind[i] == _PAPER, int(rank[i]))
            if c not in best or key < best[c][0]:
                best[c] = (key, i)
    return {"of": of, "top": [[c, _name(snap, best[c][1])] for c in top]}


class Lazy:
    """A value of the data block made only when it is written, and dropped after."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], object]) -> None:
        self.make = make


def _ints(a: np.ndarray) -> Iterator[int]:
    """An integer array's values as Python ints, converted a block at a time (not one list of them all)."""
    for i in range(0, len(a), _BLOCK):
        yield from a[i:i + _BLOCK].tolist()


def _aliases(snap: Snapshot) -> list:
    """[node, [alias, ...]] for the nodes with aliases other than their shown name."""
    out = []
    for i, iri in enumerate(snap.nodes):
        given = (snap.attrs.get(iri) or {}).get("aliases") or ()
        if not given:
            continue
        name, shown = _name(snap, i), []
        for a in given:
            a = display_text(a)
            if a and a != name and a not in shown:
                shown.append(a)
        if shown:
            out.append([i, shown])
    return out


def map_data_lazy(snap: Snapshot, cent: np.ndarray, drawn: np.ndarray, *,
                  communities: Mapping[str, int] | None = None) -> dict:
    """The data block of the map of `snap` that first draws `drawn` (node indices, most central first),
    with its large columns as generators or Lazy values: a writer streams it (kg.export.html.page)
    so that the whole block, one value per node, edge and paper, is never held at once."""
    n = len(snap.nodes)
    order = np.lexsort((np.arange(n), -np.asarray(cent, dtype=np.float64) + 0.0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    papers = paper_counts(snap)
    co = co_mention_pairs(snap, drawn, papers)
    is_drawn = np.zeros(n, dtype=bool)
    is_drawn[drawn] = True
    among = is_drawn[snap.src] & is_drawn[snap.dst]
    pairs = {(min(s, t), max(s, t)) for s, t in zip(snap.src[among].tolist(), snap.dst[among].tolist()) if s != t}
    pos = layout_pairs(drawn.tolist(), sorted(pairs | {(a, b) for a, b, _ in co}))
    del pairs
    data = {
        "kinds": list(NODE_KINDS), "rels": list(RELATIONS),
        "node": {"name": (_name(snap, i) for i in range(n)), "kind": _ints(snap.kind), "papers": _ints(papers),
                 "iri": (_iri(x) for x in snap.nodes), "alias": Lazy(lambda: _aliases(snap)), "order": _ints(order)},
        # Edges are sorted by source: each node's number of out-edges says where its own start.
        "edge": {"out": _ints(np.bincount(snap.src, minlength=n)) if n else [], "t": _ints(snap.dst),
                 "r": _ints(snap.rel)},
        "claim": Lazy(lambda: _claims(snap)),
        "paper": _papers(snap),
        "view": {"nodes": drawn.tolist(), "x": [pos[i][0] for i in drawn.tolist()],
                 "y": [pos[i][1] for i in drawn.tolist()], "co": [x for triple in co for x in triple]},
        "stats": {"nodes_drawn": len(drawn), "nodes_total": n, "nodes_hidden": n - len(drawn),
                  "edges_drawn": int(among.sum()), "edges_total": len(snap.src), "co_drawn": len(co)},
    }
    if communities is not None:
        data["cluster"] = Lazy(lambda: _clusters(snap, communities, drawn, rank))
    return data


def materialized(obj: object) -> object:
    """A lazy data block (or part of one) made whole: generators as lists, Lazy values made."""
    if isinstance(obj, Lazy):
        obj = obj.make()
    if isinstance(obj, dict):
        return {k: materialized(v) for k, v in obj.items()}
    if isinstance(obj, Iterator):
        return list(obj)
    return obj
