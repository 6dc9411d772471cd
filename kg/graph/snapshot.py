"""The graph in compact form: sorted node IRIs, edge arrays and small attribute tables, kept for `--update`.

It is the graph of a build: kg.graph.assemble.build_snapshot makes it directly, every file of the
build (RDF, the map, the CSV, the charts) is written from it, and it is stored in the cache so that a
later `kg build --update` loads it in a fraction of a second and patches the few papers that
changed. networkx is made from it only when an analysis asks (`to_graph`, the graph
kg.graph.assemble.build_graph gives); `Snapshot.from_graph(G).to_graph()` equals `G`.

Layout:
    nodes     every node IRI, sorted; a node's index is its position
    kind      int8 per node: its index in kg.defaults.NODE_KINDS
    src, dst  int32 per edge, rel int8 per edge (index in kg.defaults.RELATIONS), sorted by (src, dst, rel)
    attrs     entity and repo IRI -> {"label", "aliases", "confidence"} (repos: label only)
    claims    (u, v, rel) -> the claims tuple of that evaluatesOn / improvesOver edge
    curated   (u, v, rel) -> the sources of a mentions / hasCode edge a curator gives (kg.graph.facts)
    papers    paper IRI -> its node attributes (kg.graph.assemble.paper_attrs); not stored, the build's papers give them
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice

import networkx as nx
import numpy as np

from kg.defaults import CLAIM_RELATIONS, NODE_KINDS, RELATIONS

__all__ = ["Snapshot", "SortedIndex", "KIND_CODE", "REL_CODE", "PAPER_RELS"]

KIND_CODE = {k: i for i, k in enumerate(NODE_KINDS)}
REL_CODE = {r: i for i, r in enumerate(RELATIONS)}
#: Edges sort by (source, target, relation name), as kg.graph.assemble.build_graph adds them.
_REL_RANK = np.argsort(np.argsort(np.array(RELATIONS, dtype=object))).astype(np.int8)
#: Edges that make a paper one of an entity's (or repo's) `papers`.
PAPER_RELS = ("mentions", "hasCode")


@dataclass(eq=False)
class Snapshot:
    nodes: list[str]
    kind: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    rel: np.ndarray
    attrs: dict[str, dict] = field(default_factory=dict)
    claims: dict[tuple[str, str, str], tuple[dict, ...]] = field(default_factory=dict)
    papers: Mapping[str, dict] = field(default_factory=dict)
    curated: dict[tuple[str, str, str], tuple[str, ...]] = field(default_factory=dict)
    _index: Mapping[str, int] | None = field(default=None, repr=False)
    _by_node: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_graph(cls, G: nx.MultiDiGraph) -> Snapshot:
        """The snapshot of a graph made by kg.graph.assemble.build_graph."""
        nodes = sorted(G.nodes)
        index = {n: i for i, n in enumerate(nodes)}
        node_data = G.nodes
        kind = np.fromiter((KIND_CODE[node_data[n]["kind"]] for n in nodes), dtype=np.int8, count=len(nodes))
        m = G.number_of_edges()
        src = np.empty(m, dtype=np.int32)
        dst = np.empty(m, dtype=np.int32)
        rel = np.empty(m, dtype=np.int8)
        claims: dict[tuple[str, str, str], tuple[dict, ...]] = {}
        curated: dict[tuple[str, str, str], tuple[str, ...]] = {}
        for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)):
            src[i], dst[i], rel[i] = index[u], index[v], REL_CODE[k]
            if k in CLAIM_RELATIONS:
                claims[(u, v, k)] = tuple(d.get("claims", ()))
            if d.get("curated"):
                curated[(u, v, k)] = tuple(d["curated"])
        attrs, papers = {}, {}
        for n in nodes:
            d = node_data[n]
            if d["kind"] == "paper":
                papers[n] = d
            else:
                attrs[n] = _entity_attrs(d)
        snap = cls(nodes, kind, src, dst, rel, attrs, claims, papers, curated, index)
        snap._sort_edges()
        return snap

    @classmethod
    def from_edges(cls, nodes: list[str], kind: np.ndarray, src: np.ndarray, dst: np.ndarray, rel: np.ndarray,
                   attrs: dict[str, dict], claims: dict, papers: Mapping[str, dict], curated: dict,
                   index: dict[str, int] | None = None) -> Snapshot:
        """A snapshot of edges given in any order, an edge given twice kept once (kg.graph.assemble.build_snapshot)."""
        snap = cls(nodes, kind, src.astype(np.int32), dst.astype(np.int32), rel.astype(np.int8), attrs, claims,
                   papers, curated, index)
        snap._sort_edges()
        s, d, r = snap.src, snap.dst, snap.rel
        first = np.ones(len(s), dtype=bool)
        first[1:] = (s[1:] != s[:-1]) | (d[1:] != d[:-1]) | (r[1:] != r[:-1])
        if not first.all():
            snap.src, snap.dst, snap.rel = s[first], d[first], r[first]
        return snap

    def _sort_edges(self) -> None:
        order = np.lexsort((_REL_RANK[self.rel], self.dst, self.src))
        self.src, self.dst, self.rel = self.src[order], self.dst[order], self.rel[order]
        self._by_node = None

    # -- lookups ------------------------------------------------------------------------------

    @property
    def index(self) -> Mapping[str, int]:
        """IRI -> node index: found by bisection in the sorted node list (a dict of every IRI would
        cost a build of a million papers a hundred bytes a node for the whole run)."""
        if self._index is None:
            nodes = self.nodes
            in_order = all(a < b for a, b in zip(nodes, islice(nodes, 1, None)))
            self._index = SortedIndex(nodes) if in_order else {n: i for i, n in enumerate(nodes)}
        return self._index

    def kind_of(self, iri: str, at: int | None = None) -> str:
        """The kind of node `iri` (`at`: its index, when the caller knows it)."""
        return NODE_KINDS[int(self.kind[self.index[iri] if at is None else at])]

    def node_attrs(self, iri: str, *, papers: bool = True, at: int | None = None) -> dict:
        """The networkx node attributes of `iri` (entities' and repos' `papers` included unless not `papers`)."""
        kind = self.kind_of(iri, at)
        if kind == "paper":
            return dict(self.papers[iri])
        a = self.attrs[iri]
        # The keys in kg.graph.assemble's order (kind, label, aliases, papers, confidence), so that
        # to_graph() gives node dicts that iterate like build_graph's did (GraphML writes them in order).
        d = {"kind": kind, "label": a.get("label"), "aliases": a.get("aliases", ())}
        if papers:
            d["papers"] = self.papers_of(iri)
        if "confidence" in a:
            d["confidence"] = a["confidence"]
        return d

    def links(self, rels: Iterable[str] = PAPER_RELS) -> tuple[np.ndarray, np.ndarray]:
        """(source, target) index arrays of the edges of relations `rels`, each pair once, in edge order.

        A paper that both mentions and proposes an entity links it once: edges are sorted by
        (source, target), so the edges of one pair are adjacent.
        """
        mask = np.isin(self.rel, [REL_CODE[r] for r in rels])
        src, dst = self.src[mask], self.dst[mask]
        first = np.ones(len(src), dtype=bool)
        first[1:] = (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])
        return src[first], dst[first]

    def papers_of(self, iri: str) -> tuple[str, ...]:
        """Sorted IRIs of the papers that mention an entity (or link a repo)."""
        if self._by_node is None:
            src, dst = self.links()
            order = np.lexsort((src, dst))
            self._by_node = (dst[order], src[order])
        targets, papers = self._by_node
        i = self.index[iri]
        lo, hi = targets.searchsorted(np.array([i, i + 1], dtype=targets.dtype))
        return tuple(self.nodes[j] for j in papers[lo:hi].tolist())

    def out_edges(self, iri: str, at: int | None = None) -> list[tuple[str, str, str]]:
        """(u, v, rel) of the edges leaving `iri` (`at`: its index, when the caller knows it), sorted."""
        i = self.index[iri] if at is None else at
        # src is sorted. Keys of src's own dtype: int64 keys would make numpy cast all of src on every call.
        lo, hi = self.src.searchsorted(np.array([i, i + 1], dtype=self.src.dtype))
        return [(iri, self.nodes[int(v)], RELATIONS[int(r)]) for v, r in zip(self.dst[lo:hi], self.rel[lo:hi])]

    def edge_attrs(self, u: str, v: str, rel: str) -> dict:
        attrs: dict = {"rel": rel}
        if rel in CLAIM_RELATIONS:
            attrs["claims"] = self.claims.get((u, v, rel), ())
        if (u, v, rel) in self.curated:
            attrs["curated"] = self.curated[(u, v, rel)]
        return attrs

    # -- back to networkx ---------------------------------------------------------------------

    def to_graph(self) -> nx.MultiDiGraph:
        """The whole graph, as kg.graph.assemble.build_graph makes it (same node and edge order)."""
        G = nx.MultiDiGraph()
        kinds = [NODE_KINDS[int(k)] for k in self.kind]
        papers = [n for n, k in zip(self.nodes, kinds) if k == "paper"]
        for n in papers:
            G.add_node(n, **self.papers[n])
        entities = [n for n, k in zip(self.nodes, kinds) if k not in ("paper", "repo")]
        for n in entities + [n for n, k in zip(self.nodes, kinds) if k == "repo"]:
            G.add_node(n, **self.node_attrs(n))
        for s, t, r in zip(self.src.tolist(), self.dst.tolist(), self.rel.tolist()):
            u, v, rel = self.nodes[s], self.nodes[t], RELATIONS[r]
            G.add_edge(u, v, key=rel, **self.edge_attrs(u, v, rel))
        return G

    # -- counts -------------------------------------------------------------------------------

    def kind_counts(self) -> dict[str, int]:
        counts = np.bincount(self.kind, minlength=len(NODE_KINDS))
        return {k: int(counts[i]) for i, k in enumerate(NODE_KINDS)}

    def rel_counts(self) -> dict[str, int]:
        counts = np.bincount(self.rel, minlength=len(RELATIONS))
        return {r: int(counts[i]) for i, r in enumerate(RELATIONS)}

    def equals(self, other: Snapshot) -> bool:
        """Same graph (paper attributes compared too)."""
        return (self.nodes == other.nodes and np.array_equal(self.kind, other.kind)
                and np.array_equal(self.src, other.src) and np.array_equal(self.dst, other.dst)
                and np.array_equal(self.rel, other.rel) and self.attrs == other.attrs
                and self.claims == other.claims and dict(self.papers) == dict(other.papers)
                and self.curated == other.curated)

    # -- storage ------------------------------------------------------------------------------

    def to_blobs(self) -> dict[str, bytes]:
        """Named byte strings to store (JSON and raw little-endian arrays; never pickle).

        The claims (every evidence sentence) and the node IRIs are encoded a slice at a time: neither
        a list of every claim as JSON arrays nor the whole text as a str is ever made, only the bytes."""
        claims = ([u, v, r, list(self.claims[(u, v, r)])] for u, v, r in sorted(self.claims))
        return {
            "nodes": _joined_lines(self.nodes),
            "kind": self.kind.astype("<i1").tobytes(),
            "src": self.src.astype("<i4").tobytes(),
            "dst": self.dst.astype("<i4").tobytes(),
            "rel": self.rel.astype("<i1").tobytes(),
            "attrs": _dumps(self.attrs),
            "claims": _dumps_array(claims),
            "curated": _dumps([[u, v, r, list(cs)] for (u, v, r), cs in sorted(self.curated.items())]),
        }

    @classmethod
    def from_blobs(cls, blobs: Mapping[str, bytes], papers: Mapping[str, dict]) -> Snapshot:
        text = blobs["nodes"].decode("utf-8")
        nodes = text.split("\n") if text else []
        attrs = json.loads(blobs["attrs"])
        for d in attrs.values():
            if "aliases" in d:
                d["aliases"] = tuple(d["aliases"])
        claims = {(u, v, r): tuple(cs) for u, v, r, cs in json.loads(blobs["claims"])}
        curated = {(u, v, r): tuple(cs) for u, v, r, cs in json.loads(blobs.get("curated", b"[]"))}
        arr = lambda name, dt: np.frombuffer(blobs[name], dtype=dt).astype(dt[1:])  # noqa: E731
        return cls(nodes, arr("kind", "<i1"), arr("src", "<i4"), arr("dst", "<i4"), arr("rel", "<i1"),
                   attrs, claims, papers, curated)


class SortedIndex(Mapping):
    """item -> its position in a sorted list of distinct strings, by bisection; holds nothing but the list."""

    __slots__ = ("_items",)

    def __init__(self, items: list[str]) -> None:
        self._items = items

    def get(self, key, default=None):
        items = self._items
        if not isinstance(key, str):
            return default
        i = bisect_left(items, key)
        return i if i < len(items) and items[i] == key else default

    def __getitem__(self, key) -> int:
        i = self.get(key)
        if i is None:
            raise KeyError(key)
        return i

    def __contains__(self, key) -> bool:
        return self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


def _entity_attrs(d: Mapping) -> dict:
    out = {"label": d.get("label")}
    if d.get("kind") != "repo":
        out["aliases"] = tuple(d.get("aliases", ()))
        out["confidence"] = d.get("confidence")
    return out


def _dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False).encode("utf-8")


#: Items encoded at a time by _dumps_array and _joined_lines.
_SLICE = 4096


def _dumps_array(items: Iterable) -> bytes:
    """_dumps(list(items)), byte for byte, encoding `items` a slice at a time into one buffer."""
    out = bytearray(b"[")
    part: list = []
    for item in items:
        part.append(item)
        if len(part) == _SLICE:
            out += _dumps(part)[1:-1] + b","
            part = []
    if part:
        out += _dumps(part)[1:-1]
    elif len(out) > 1:
        del out[-1]  # the comma after the last full slice
    out += b"]"
    return bytes(out)


def _joined_lines(lines: list[str]) -> bytes:
    """"\\n".join(lines) as UTF-8, encoded a slice at a time."""
    out = bytearray()
    for i in range(0, len(lines), _SLICE):
        if i:
            out += b"\n"
        out += "\n".join(lines[i:i + _SLICE]).encode("utf-8")
    return bytes(out)
