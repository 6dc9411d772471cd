"""Subject blocks of the owners an update changed, rendered as the writers would: what kg.export.rdf.splice splices."""

from __future__ import annotations

import json
from collections.abc import Container

import networkx as nx

from kg.defaults import CLAIM_RELATIONS
from kg.errors import FormatError, value_invalid_msg
from kg.export.rdf.terms import RDF_FORMATS
from kg.export.rdf.triples import _grouped, _SnapshotSource
from kg.export.rdf.writers import _WRITERS, _JsonLD
from kg.graph.snapshot import Snapshot


def _owned_part(G: nx.MultiDiGraph, owners, claims: Container | None) -> nx.MultiDiGraph:
    """The owners in `G` with their attributes and out-edges; other edge targets bare, so they add no subject.
    With `claims`, the claim edges not in it lose their claims."""
    H = nx.MultiDiGraph()
    own = [n for n in owners if n in G]
    H.add_nodes_from((n, G.nodes[n]) for n in own)
    for n in own:
        for v, keyed in G.succ[n].items():
            if v not in H:
                H.add_node(v)
            for k, ed in keyed.items():
                if claims is not None and ed.get("rel", k) in CLAIM_RELATIONS and (n, v, k) not in claims:
                    ed = {**ed, "claims": ()}
                H.add_edge(n, v, key=k, **ed)
    return H


class _Sink:
    """A write()-able list, so one writer formats one subject at a time for the caller to take."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def writelines(self, lines) -> None:
        self.parts.extend(lines)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def _writer(fmt: str):
    if fmt not in _WRITERS:
        raise FormatError(value_invalid_msg("RDF format", fmt, RDF_FORMATS))
    sink = _Sink()
    return _WRITERS[fmt](sink), sink


def file_frame(fmt: str) -> tuple[str, str]:
    """The text a full write of format `fmt` puts before its first subject block and after its last.

    JSON-LD's separators are not part of the frame: the first block follows "\\n", every other ",\\n".

    >>> file_frame("jsonld")
    ('{"@graph": [', '\\n]}\\n')
    """
    w, sink = _writer(fmt)
    head = sink.take()
    w.end()
    return head, sink.take()


def owned_blocks(G: nx.MultiDiGraph | Snapshot, owners, fmt: str, *, include_abstracts: bool = True) -> dict[str, str]:
    """Every subject the nodes `owners` own -> its text in format `fmt`, exactly as a full write has it.

    A node owns its own subject (with its out-edges), a paper its author-list cells, and a node the
    reified claims of its out-edges. `G`: the graph's Snapshot, or a networkx graph that may be a
    part of the graph: the owners with their attributes and out-edges (with claims); edge targets
    need no attributes. Owners not in `G` own nothing.
    A Turtle block includes its leading "\\n"; a JSON-LD object comes without its separator.
    The text is exact when every node whose IRI (safe_iri) equals an owner's is an owner too.
    """
    return owned_blocks_by_format(G, owners, (fmt,), include_abstracts=include_abstracts)[fmt]


def _owned(G: nx.MultiDiGraph | Snapshot, owners, claims: Container | None):
    return _SnapshotSource(G, owners, claims) if isinstance(G, Snapshot) else _owned_part(G, owners, claims)


def owned_blocks_by_format(G: nx.MultiDiGraph | Snapshot, owners, formats, *, include_abstracts: bool = True,
                           claims: Container[tuple[str, str, str]] | None = None) -> dict[str, dict[str, str]]:
    """`owned_blocks` for several formats at once, {format: {subject: text}}: the triples are built once.

    `claims`: only the claim edges in it state their claims, so a popular entity's
    thousands of unchanged statements are not written again (an update passes the changed ones)."""
    writers = {fmt: _writer(fmt) for fmt in formats}
    for _, sink in writers.values():
        sink.take()  # the file header
    out: dict[str, dict[str, str]] = {fmt: {} for fmt in formats}
    for s, po in _grouped(_owned(G, owners, claims), include_abstracts):
        for fmt, (w, sink) in writers.items():
            if isinstance(w, _JsonLD):
                w.sep = ""  # the caller places separators
            w.subject(s, po)
            out[fmt][s] = sink.take()
    return out


def owned_subjects(G: nx.MultiDiGraph | Snapshot, owners, *, claims: Container[tuple[str, str, str]] | None = None) -> set[str]:
    """The subjects (N-Triples terms) the nodes `owners` own in `G`: the keys of `owned_blocks`."""
    return {s for s, _ in _grouped(_owned(G, owners, claims), False)}


def count_block_triples(text: str | bytes, fmt: str) -> int:
    """The number of triples in one subject block (as `owned_blocks` gives it) of format `fmt`.

    >>> count_block_triples('<http://x/a> <http://x/p> "1" .\\n<http://x/a> <http://x/q> "2" .\\n', "ntriples")
    2
    """
    b = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    if fmt == "ntriples":
        return b.count(b"\n")
    if fmt == "turtle":
        # Literals hold no raw newline, so " ;\n" and " ,\n" only ever separate pairs.
        return 1 + b.count(b" ;\n") + b.count(b" ,\n") if b.strip() else 0
    if fmt == "jsonld":
        b = b.lstrip(b",\n")
        return sum(len(v) for k, v in json.loads(b).items() if k != "@id") if b else 0
    raise FormatError(value_invalid_msg("RDF format", fmt, RDF_FORMATS))
