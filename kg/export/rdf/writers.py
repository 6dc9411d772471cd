"""Deterministic N-Triples, Turtle and JSON-LD writers over kg.export.rdf.triples.

The writers stream sorted text themselves (rdflib's Turtle serializer is slow on large graphs
and its blank-node and subject order varies between runs); every term is escaped per the
N-Triples/Turtle grammars, so the output parses with rdflib and pyoxigraph alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from pathlib import Path

import networkx as nx

from kg.atomic import atomic_open
from kg.errors import FormatError, value_invalid_msg
from kg.export.rdf.terms import _DECIMAL_DT, _RESOURCE_NT, RDF_FORMATS, T_TYPE
from kg.export.rdf.triples import _grouped
from kg.graph.snapshot import Snapshot
from kg.vocab import PREFIXES


class _NTriples:
    def __init__(self, f) -> None:
        self.f = f

    def subject(self, s: str, po: list) -> None:
        self.f.write("".join([f"{s} {p} {o} .\n" for p, o in po]))

    def end(self) -> None:
        pass


_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _prefixed(iri_nt: str) -> str:
    """`prefix:local` for a vocabulary IRI (in <...>) whose local part is a safe Turtle name."""
    iri = iri_nt[1:-1]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri_nt


class _TurtleTerms(dict):
    """N-Triples term -> Turtle term, computed once per distinct vocabulary IRI or datatype."""

    def __missing__(self, term: str) -> str:
        if term.startswith("<"):
            got = _prefixed(term)
        else:  # a typed literal: "lexical"^^<datatype>
            lexical, _, dt = term.rpartition("^^")
            got = f"{lexical}^^{_prefixed(dt)}"
        self[term] = got
        return got


class _Turtle:
    def __init__(self, f) -> None:
        self.f = f
        self.ttl = _TurtleTerms({T_TYPE: "a"})
        width = max(map(len, PREFIXES))
        f.writelines(f"@prefix {k + ':':<{width + 1}} <{v}> .\n" for k, v in PREFIXES.items())

    def subject(self, s: str, po: list) -> None:
        ttl = self.ttl
        parts = ["\n", s]
        last = None
        for p, o in po:
            if o[-1] == ">" and not o.startswith(_RESOURCE_NT):  # a vocabulary IRI or a typed literal
                o = o[1:-len(_DECIMAL_DT) - 1] if o.endswith(_DECIMAL_DT) else ttl[o]
            if p == last:
                parts.append(" ,\n        " + o)
            else:
                parts.append((" ;\n    " if last else " ") + ttl[p] + " " + o)
                last = p
        parts.append(" .\n")
        self.f.write("".join(parts))

    def end(self) -> None:
        pass


def _jsonld_term(term: str) -> str:
    """A term as expanded JSON-LD; our N-Triples quoting is valid JSON string syntax."""
    if term[0] == "<":
        return f'{{"@id": "{term[1:-1]}"}}'
    if term[0] == "_":
        return f'{{"@id": "{term}"}}'
    if term[-1] == ">":
        lexical, _, dt = term.rpartition("^^")
        return f'{{"@value": {lexical}, "@type": "{dt[1:-1]}"}}'
    return f'{{"@value": {term}}}'


class _JsonLD:
    # Expanded, flattened JSON-LD written as text: full IRIs everywhere, so no term can be misread,
    # and IRIs from safe_iri never hold '"' or '\\', so they need no JSON escaping.
    def __init__(self, f) -> None:
        self.f = f
        self.sep = "\n"
        f.write('{"@graph": [')

    def subject(self, s: str, po: list) -> None:
        props: dict[str, list[str]] = {}
        for p, o in po:
            if p == T_TYPE and o[0] == "<":
                props.setdefault("@type", []).append(f'"{o[1:-1]}"')
            else:
                props.setdefault(p[1:-1], []).append(_jsonld_term(o))
        body = ",\n  ".join(f'"{k}": [{", ".join(v)}]' for k, v in props.items())
        self.f.write(f'{self.sep}{{"@id": "{s[1:-1] if s[0] == "<" else s}",\n  {body}}}')
        self.sep = ",\n"

    def end(self) -> None:
        self.f.write("\n]}\n")


_WRITERS = {"turtle": _Turtle, "ntriples": _NTriples, "jsonld": _JsonLD}


def write_rdf(G: nx.MultiDiGraph | Snapshot, path: str | Path, *, fmt: str = "turtle", include_abstracts: bool = True) -> int:
    """Write `G`'s RDF view to `path` (atomically, byte-stable); return the number of triples.

    `G`: the build's Snapshot, or a networkx graph shaped as kg.graph.assemble.build_graph makes one;
    both give the same bytes for the same graph."""
    return write_rdf_formats(G, {fmt: path}, include_abstracts=include_abstracts)


def write_rdf_formats(G: nx.MultiDiGraph | Snapshot, paths: Mapping[str, str | Path], *, include_abstracts: bool = True) -> int:
    """Write `G`'s RDF view in several formats, {format: path}, building the sorted triples once;
    return the number of triples. Each file is what `write_rdf` writes for its format.
    """
    return write_subjects(_grouped(G, include_abstracts), paths)


def write_subjects(subjects: Iterable[tuple[str, list[tuple[str, str]]]], paths: Mapping[str, str | Path]) -> int:
    """Write sorted (subject, [(predicate, object)]) groups in several formats, {format: path}, each file
    atomically (an exception while `subjects` is read leaves the old files); return the number of triples."""
    unknown = [fmt for fmt in paths if fmt not in _WRITERS]
    if unknown:
        raise FormatError(value_invalid_msg("RDF format", ",".join(unknown), RDF_FORMATS))
    count = 0
    with ExitStack() as stack:
        # Every file is written in the one pass over the subjects, so no format needs the whole
        # graph's text in memory. Opened in reverse: the stack then replaces them in `paths` order.
        files = {fmt: stack.enter_context(atomic_open(path)) for fmt, path in reversed(paths.items())}
        writers = [_WRITERS[fmt](files[fmt]) for fmt in paths]
        for s, po in subjects:
            count += len(po)
            for w in writers:
                w.subject(s, po)
        for w in writers:
            w.end()
    return count


def to_ntriples(G: nx.MultiDiGraph | Snapshot, *, include_abstracts: bool = True) -> str:
    """`G`'s RDF view as one sorted N-Triples string."""
    import io

    buf = io.StringIO()
    w = _NTriples(buf)
    for s, po in _grouped(G, include_abstracts):
        w.subject(s, po)
    return buf.getvalue()


def to_rdf(G: nx.MultiDiGraph | Snapshot, *, include_abstracts: bool = True):
    """`G`'s RDF view as an rdflib.Graph with the paperkg prefixes bound."""
    import rdflib

    g = rdflib.Graph()
    for k, v in PREFIXES.items():
        g.bind(k, v, override=True, replace=True)
    g.parse(data=to_ntriples(G, include_abstracts=include_abstracts), format="nt")
    return g
