"""The graph (a Snapshot, or networkx) as sorted (subject, [(predicate, object)]) groups of N-Triples terms,
the writers' single source."""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping
from itertools import groupby
from operator import itemgetter

import networkx as nx
import numpy as np

from kg.defaults import CLAIM_RELATIONS
from kg.export.rdf.terms import (
    _IRI_SAFE,
    _KIND_CLASS,
    _REL_PROP,
    DOI_BASE,
    REIFIED_RELS,
    SOURCE_AGENTS,
    T_ABSTRACT,
    T_ALT,
    T_ARXIV,
    T_ATTRIBUTED,
    T_AUTHOR,
    T_CODE,
    T_CONFIDENCE,
    T_CREATOR,
    T_DATE,
    T_DERIVED,
    T_EVIDENCE,
    T_FIRST,
    T_IDENT,
    T_LABEL,
    T_METRIC,
    T_MODIFIED,
    T_NIL,
    T_OBJ,
    T_PAPER,
    T_PRED,
    T_REST,
    T_SAME_AS,
    T_SOURCE,
    T_STATEMENT,
    T_SUBJ,
    T_TITLE,
    T_TYPE,
    T_URL,
    T_VALUE,
    _date,
    _decimal,
    _quote,
    claim_iri,
    safe_iri,
)
from kg.graph.snapshot import KIND_CODE, REL_CODE, Snapshot


def _paper_triples(d: dict, include_abstracts: bool) -> Iterator[tuple[str, str]]:
    yield T_TITLE, _quote(d.get("title") or d.get("label") or "")
    if include_abstracts and d.get("abstract"):
        yield T_ABSTRACT, _quote(d["abstract"])
    if d.get("id"):
        yield T_IDENT, _quote(str(d["id"]))
    if d.get("arxiv_id"):
        yield T_ARXIV, _quote(str(d["arxiv_id"]))
    if d.get("url"):
        yield T_URL, f"<{safe_iri(str(d['url']))}>"
    if d.get("doi"):
        yield T_SAME_AS, f"<{safe_iri(DOI_BASE + str(d['doi']))}>"
    if d.get("date"):
        yield T_DATE, _date(str(d["date"]))
    if d.get("revised"):
        yield T_MODIFIED, _date(str(d["revised"]))
    if d.get("source"):
        yield T_SOURCE, _quote(str(d["source"]))
    for a in d.get("authors") or ():
        yield T_CREATOR, _quote(a)


def _author_cells(stem: str, authors: tuple[str, ...]) -> Iterator[tuple[int, list]]:
    """schema:author's rdf:List cells (index, pairs), so the author order survives; blank-node labels are stable."""
    last = len(authors) - 1
    for i, a in enumerate(authors):
        yield i, [(T_FIRST, _quote(a)), (T_REST, f"{stem}{i + 1}" if i < last else T_NIL)]


def _author_stem(s: str) -> str:
    """The blank-node label of a paper's author list, less the cell index."""
    return "_:a" + hashlib.sha1(s.encode("utf-8", "replace")).hexdigest()[:16] + "n"


def _claim_paper(c: Mapping, iri: dict) -> str:
    return iri.get(c["paper"]) or f"<{safe_iri(str(c['paper']))}>"


def _claim_pairs(spo: tuple[str, str, str], c: Mapping, iri: dict) -> list:
    s, p, o = spo
    po = [(T_SUBJ, s), (T_PRED, p), (T_OBJ, o), (T_DERIVED, _claim_paper(c, iri))]
    if c.get("source"):  # a curated fact: its curator, and a result's metric and value, instead of a sentence
        po.append((T_ATTRIBUTED, f"<{SOURCE_AGENTS.get(c['source']) or safe_iri(c['source'])}>"))
    if c.get("metric"):
        po.append((T_METRIC, iri.get(c["metric"]) or f"<{safe_iri(str(c['metric']))}>"))
    if c.get("value") is not None:
        po.append((T_VALUE, _quote(str(c["value"]))))
    if c.get("evidence"):
        po.append((T_EVIDENCE, _quote(c["evidence"])))
    if c.get("confidence") is not None and (conf := _decimal(c["confidence"])):
        po.append((T_CONFIDENCE, conf))
    return po


def _node_pairs(d: dict, out: Iterable[tuple[str, str]], s: str, iri: Mapping[str, str],
                include_abstracts: bool) -> tuple[list, list]:
    """A node's rdf:type pairs and its other (predicate, object) pairs; `out`: its out-edges (target, relation)."""
    kind = d.get("kind")
    types: list = []
    po: list = []
    if kind == "paper":
        types.append((T_TYPE, T_PAPER))
        po.extend(_paper_triples(d, include_abstracts))
        if d.get("authors"):
            po.append((T_AUTHOR, _author_stem(s) + "0"))
    elif kind in _KIND_CLASS:
        types.append((T_TYPE, _KIND_CLASS[kind]))
        label = d.get("label") or ""
        po.append((T_LABEL, _quote(label)))
        po.extend((T_ALT, _quote(a)) for a in d.get("aliases") or () if a != label)
        if d.get("confidence") is not None and (c := _decimal(d["confidence"])):
            po.append((T_CONFIDENCE, c))
    elif kind == "repo":
        types.append((T_TYPE, T_CODE))
    for v, rel in out:
        p = _REL_PROP.get(rel)
        if p is not None:
            po.append((p, iri[v]))
    return types, po


# What a subject entry stands for: a node, a reified claim, or the cells of a paper's author list.
_NODE, _CLAIM, _CELLS = 0, 1, 2


def _claim_entries(out: list, u: str, v: str, rel: str, claims, curated, iri: Mapping[str, str]) -> None:
    """The entries of one edge's reified statements: its claims (a proposes edge: one, by its paper) and
    one per curator of a curated edge."""
    claims = claims or (({"paper": u},) if rel == "proposes" else ())
    if curated:  # a curated mentions / hasCode edge: one statement per curator
        claims = (*claims, *({"paper": u, "source": src} for src in curated))
    if claims and (rel in REIFIED_RELS or curated):
        # The subject of a proposes or curated edge is a paper: its term is made, not kept (see _Terms).
        spo = (iri[u] if rel in CLAIM_RELATIONS else _term(iri, u), _REL_PROP[rel], iri[v])
        for c in claims:
            more = (c["source"], str(c.get("metric", "")), str(c.get("value", ""))) if c.get("source") else ()
            st = claim_iri(spo[0][1:-1], spo[1][1:-1], spo[2][1:-1], _claim_paper(c, iri)[1:-1], *more)
            out.append((f"<{st}>", _CLAIM, spo, c))


class _GraphSource:
    """A networkx graph as the writers read it (any graph shaped like kg.graph.assemble's)."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self.iri = {n: f"<{safe_iri(str(n))}>" for n in G.nodes}

    def entries(self) -> list[tuple[str, int, object, object]]:
        out: list = []
        for u, v, k, ed in self.G.edges(keys=True, data=True):
            _claim_entries(out, u, v, ed.get("rel", k), ed.get("claims"), ed.get("curated"), self.iri)
        for n, d in self.G.nodes(data=True):
            s = self.iri[n]
            out.append((s, _NODE, n, d))
            if d.get("kind") == "paper" and d.get("authors"):
                out.append((_author_stem(s), _CELLS, n, tuple(d["authors"])))
        return out

    def node(self, n, d) -> tuple[dict, Iterable[tuple[str, str]]]:
        return d, ((v, ed.get("rel", k)) for v, keyed in self.G.succ[n].items() for k, ed in keyed.items())


def _term(iri: Mapping[str, str], n: str) -> str:
    """The term of `n`, from `iri` if it holds it, else made and not kept."""
    term = iri.get(n)
    return term if term is not None else f"<{safe_iri(n)}>"


class _Terms(dict):
    """IRI -> its N-Triples term, made when first asked for (`get` gives None for one never asked for).

    A paper's term is asked for only where its own subjects are written, so a Snapshot's papers are
    not kept in it (_term): at a million papers that is a string and a slot per paper less."""

    def __missing__(self, n: str) -> str:
        term = self[n] = f"<{safe_iri(n)}>"
        return term


class _SnapshotSource:
    """A Snapshot as the writers read it: a node's attributes are made only when its subject is written.

    With `owners`, only the subjects those nodes own (kg.export.rdf.blocks.owned_blocks); with `claims`
    too, only the claim edges in it state their claims (the others' statements are left as written).
    """

    def __init__(self, snap: Snapshot, owners: Iterable[str] | None = None,
                 claims: Container[tuple[str, str, str]] | None = None) -> None:
        self.snap = snap
        self.iri = _Terms()
        self.owners = None if owners is None else sorted({o for o in owners if o in snap.index})
        self.claims = claims
        self._papers: np.ndarray | None = None  # the papers streamed(), set by entries()

    def streamed(self) -> Iterator[tuple[str, int, object, object]]:
        """The papers' node entries, sorted, made as they are read (not in entries()); none when
        paper_order() found their terms out of order or entries() is of `owners` only."""
        if self._papers is None:
            return
        nodes = self.snap.nodes
        for lo in range(0, len(self._papers), 4096):
            for i in self._papers[lo:lo + 4096].tolist():
                n = nodes[i]
                yield f"<{n}>", _NODE, n, i

    def _paper_order(self) -> np.ndarray | None:
        """The papers' node indices when their terms are `<IRI>` and sort as the IRIs do (the build's
        papers: one prefix, then 16 hex digits), so their entries can be streamed; else None."""
        nodes = self.snap.nodes
        papers = np.flatnonzero(self.snap.kind == KIND_CODE["paper"])
        previous = ""
        for lo in range(0, len(papers), 4096):
            for i in papers[lo:lo + 4096].tolist():
                n = nodes[i]
                term = f"<{n}>"
                if term <= previous or not _IRI_SAFE.fullmatch(n):
                    return None
                previous = term
        return papers

    def entries(self) -> list[tuple[str, int, object, object]]:
        """The entries to sort: claims, author lists and nodes, less the papers streamed()."""
        snap, iri, out = self.snap, self.iri, []
        self._papers = self._paper_order() if self.owners is None else None
        nodes, kinds, wanted = snap.nodes, snap.kind.tolist(), self.claims
        if self.owners is None:
            proposes = snap.rel == REL_CODE["proposes"]
            own = range(len(nodes))
            claims, curated = snap.claims.items(), snap.curated.items()
        else:
            own = [snap.index[o] for o in self.owners]
            owned = np.zeros(len(nodes), dtype=bool)
            owned[own] = True
            proposes = (snap.rel == REL_CODE["proposes"]) & owned[snap.src]
            owner_set = set(self.owners)
            claims = [(e, cs) for e, cs in snap.claims.items() if e[0] in owner_set and (wanted is None or e in wanted)]
            curated = [(e, cs) for e, cs in snap.curated.items() if e[0] in owner_set]
        for u, v in zip(snap.src[proposes].tolist(), snap.dst[proposes].tolist()):
            _claim_entries(out, nodes[u], nodes[v], "proposes", (), (), iri)
        for (u, v, rel), cs in claims:
            _claim_entries(out, u, v, rel, cs, snap.curated.get((u, v, rel)), iri)
        for (u, v, rel), sources in curated:
            if (u, v, rel) not in snap.claims:
                _claim_entries(out, u, v, rel, (), sources, iri)
        papers, paper, streamed = snap.papers, KIND_CODE["paper"], self._papers is not None
        for i in own:
            n = nodes[i]
            if streamed and kinds[i] == paper:
                s = f"<{n}>"
            else:
                s = iri[n]
                out.append((s, _NODE, n, i))
            if kinds[i] == paper and (authors := papers[n].get("authors")):
                out.append((_author_stem(s), _CELLS, n, tuple(authors)))
        return out

    def node(self, n: str, i: int) -> tuple[dict, Iterable[tuple[str, str]]]:
        # The entry carries the node's index: no lookup of its IRI.
        return self.snap.node_attrs(n, papers=False, at=i), ((v, rel) for _, v, rel in self.snap.out_edges(n, at=i))


def _merged(s: str, types: list, po: list) -> tuple[str, list]:
    if len(types) > 1:
        types = sorted(set(types))
    return s, types + sorted(set(po))


def _grouped(G: nx.MultiDiGraph | Snapshot | _SnapshotSource, include_abstracts: bool) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Subjects sorted, each with its (predicate, object) pairs: rdf:type first, then sorted, no duplicates.

    Only the subject keys are sorted up front; each subject's triples are built as it is yielded,
    so a writer holds one subject's text at a time, not the whole graph's. A Snapshot (the build's
    graph) is read as it is; a networkx graph (a graph read back, or made by hand) the same way.
    A paper's author-list cells share one entry keyed by their common label stem: no other
    subject starts with that stem, so the cells sort together exactly where each would alone.
    """
    source = G if isinstance(G, _SnapshotSource) else _SnapshotSource(G) if isinstance(G, Snapshot) else _GraphSource(G)
    iri = source.iri
    entries = source.entries()
    entries.sort(key=itemgetter(0))
    # A Snapshot's papers come sorted from a stream of their own, merged in (a tie: the list's first).
    merged = heapq.merge(entries, source.streamed(), key=itemgetter(0)) if isinstance(source, _SnapshotSource) \
        else iter(entries)
    # One group per subject: two node keys with one IRI, or a claim stated twice, share one.
    for key, group in groupby(merged, key=itemgetter(0)):
        same = list(group)
        if same[0][1] == _CELLS:
            yield from _cells(key, [b for _, _, _, b in same])
        else:
            types: list = []
            po: list = []
            for _, what, a, b in same:
                if what == _CLAIM:
                    types.append((T_TYPE, T_STATEMENT))
                    po.extend(_claim_pairs(a, b, iri))
                else:
                    d, out = source.node(a, b)
                    t, p = _node_pairs(d, out, key, iri, include_abstracts)  # a node entry's key is its term
                    types += t
                    po += p
            if types or po:
                yield _merged(key, types, po)


def _cells(stem: str, lists: list[tuple[str, ...]]) -> Iterator[tuple[str, list]]:
    """The author-list cells under `stem` in label order ("n10" sorts before "n2"), merged across papers."""
    cells: dict[int, list] = defaultdict(list)
    for authors in lists:
        for i, po in _author_cells(stem, authors):
            cells[i] += po
    for i in sorted(cells, key=str):
        yield _merged(f"{stem}{i}", [], cells[i])


def triples(G: nx.MultiDiGraph | Snapshot, *, include_abstracts: bool = True) -> Iterator[tuple[str, str, str]]:
    """Every triple of `G`'s RDF view, sorted, each term in N-Triples syntax (`<iri>`, `"lit"`, `_:b`)."""
    for s, po in _grouped(G, include_abstracts):
        for p, o in po:
            yield s, p, o
