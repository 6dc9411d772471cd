"""Check a built graph against schema/shapes.ttl with pyshacl; one readable line per problem.

Nothing is fetched: JSON-LD is read with pyoxigraph, which refuses remote `@context` URLs (rdflib's
parser would download them), and a graph without paperkg data is an error, not a pass.
"""

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


def _rdflib_term(term):
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if not isinstance(term, ox.Literal):
        raise GraphError("the file holds an RDF 1.2 triple term, which no paperkg graph has")
    dt = term.datatype.value if term.datatype else None
    plain = term.language or dt == PREFIXES["xsd"] + "string"
    return rdflib.Literal(term.value, lang=term.language, datatype=None if plain else dt)


def _read_jsonld(path: Path):
    """A JSON-LD file as an rdflib Graph, read by pyoxigraph: remote contexts are refused, not fetched."""
    import pyoxigraph as ox
    import rdflib

    g = rdflib.Graph()
    try:
        with open(path, "rb") as f:
            for q in ox.parse(f, format=ox.RdfFormat.JSON_LD):
                g.add((_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object)))
    except (SyntaxError, ValueError, OSError) as e:
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        if "loaddocumentcallback" in first.lower() or "remote" in first.lower():
            raise GraphError(f"{path} refers to a remote JSON-LD @context; paperkg does not fetch it "
                             "(put the context in the file)") from e
        raise GraphError(f"{path} is not readable json-ld: {first}") from e
    return g


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
    if fmt == "json-ld":
        return _read_jsonld(path)
    try:
        return rdflib.Graph().parse(path, format=fmt)
    except Exception as e:  # rdflib's parsers raise many unrelated types
        from kg.export.rdf.reader import rdf_syntax_msg

        raise GraphError(rdf_syntax_msg(path, fmt, e)) from e


def _check_has_paperkg_data(data, name: str) -> None:
    """An empty graph, or one with no kg: class or property, trivially "conforms": say what it is instead."""
    import rdflib

    if len(data) == 0:
        raise GraphError(f"{name} has no triples; there is nothing to validate")
    kg = PREFIXES["kg"]
    if not any(str(p).startswith(kg) for p in data.predicates(unique=True)) and not any(
            str(o).startswith(kg) for o in data.objects(None, rdflib.RDF.type, unique=True)):
        raise GraphError(f"{name} has no paperkg data (no class or property of {kg}); is it a graph from kg build?")


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

    A graph with no triples, or none of the paperkg vocabulary, raises GraphError.

    Each line reads `Violation: <focus node> <path>: <message> (value ...)`, sorted. Warnings
    are reported but do not make the graph non-conforming.
    """
    try:
        import pyshacl
    except ImportError as e:  # an optional extra: the rest of paperkg works without it
        raise KGError("SHACL validation needs pyshacl: pip install 'paperkg[shacl]' (or pip install pyshacl)") from e
    import rdflib

    data = _load(path_or_graph)
    _check_has_paperkg_data(data, str(path_or_graph) if isinstance(path_or_graph, (str, Path)) else "the graph")
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
