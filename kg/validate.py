"""Check a built graph against schema/shapes.ttl with pyshacl; one readable line per problem."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from kg.defaults import SCHEMA_DIR
from kg.errors import GraphError, KGError
from kg.vocab import PREFIXES

__all__ = ["SHAPES_PATH", "ONTOLOGY_PATH", "validate_graph"]

SHAPES_PATH = SCHEMA_DIR / "shapes.ttl"
ONTOLOGY_PATH = SCHEMA_DIR / "ontology.ttl"
_SH = "http://www.w3.org/ns/shacl#"


def _load(path_or_graph):
    import rdflib

    if isinstance(path_or_graph, rdflib.Graph):
        return path_or_graph
    if isinstance(path_or_graph, nx.Graph):
        from kg.export.rdf import to_rdf

        return to_rdf(path_or_graph)
    path = Path(path_or_graph)
    if not path.is_file():
        raise GraphError(f"graph file {path} not found; run `kg build` first or pass --graph")
    fmt = rdflib.util.guess_format(str(path)) or "turtle"
    try:
        return rdflib.Graph().parse(path, format=fmt)
    except Exception as e:  # rdflib's parsers raise many unrelated types
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise GraphError(f"{path} is not readable {fmt}: {first}") from e


def _short(term) -> str:
    import rdflib

    if isinstance(term, rdflib.BNode):
        return "[]"
    if isinstance(term, rdflib.Literal):
        # json.dumps quotes and escapes, so a newline in paper text cannot split a report line.
        text = json.dumps(str(term), ensure_ascii=False)
        return text + (f"^^{_short(term.datatype)}" if term.datatype else f"@{term.language}" if term.language else "")
    s = str(term)
    for prefix, ns in PREFIXES.items():
        if s.startswith(ns) and s[len(ns):] and "/" not in s[len(ns):]:
            return f"{prefix}:{s[len(ns):]}"
    return f"<{s}>"


def validate_graph(path_or_graph, *, shapes: str | Path = SHAPES_PATH) -> tuple[bool, list[str]]:
    """Validate a graph file, rdflib.Graph or networkx graph; return (conforms, report lines).

    Each line reads `Violation: <focus node> <path>: <message> (value ...)`, sorted. Warnings
    are reported but do not make the graph non-conforming.
    """
    try:
        import pyshacl
    except ImportError as e:  # an optional extra: the rest of paperkg works without it
        raise KGError("SHACL validation needs pyshacl: pip install 'paperkg[shacl]' (or pip install pyshacl)") from e
    import rdflib

    data = _load(path_or_graph)
    shapes_graph = rdflib.Graph().parse(shapes, format="turtle")
    ontology = rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")
    # The ontology is mixed in so that sh:class sees rdfs:subClassOf (kg:Method -> kg:Entity).
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph, ont_graph=ontology, inference="none", allow_warnings=True,
        advanced=False, meta_shacl=False,
    )
    sh = rdflib.Namespace(_SH)
    lines = set()
    for r in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        severity = str(results.value(r, sh.resultSeverity) or sh.Violation).removeprefix(_SH)
        focus = results.value(r, sh.focusNode)
        path = results.value(r, sh.resultPath)
        message = results.value(r, sh.resultMessage) or "constraint not met"
        value = results.value(r, sh.value)
        line = f"{severity}: {_short(focus)}" + (f" {_short(path)}" if path is not None else "") + f": {message}"
        if value is not None and value != focus:
            line += f" (value {_short(value)})"
        lines.add(line)
    return bool(conforms), sorted(lines, key=lambda x: (not x.startswith("Violation"), x))
