"""SPARQL over a built graph: load it, resolve saved queries, bind parameters safely, format results.

pyoxigraph is the engine (fast to load and query); rdflib is kept as a second engine so the two
can be compared (scripts/bench_rdf.py, tests/test_query.py). Values given with `--param` are
bound as literals by the engine (pyoxigraph `substitutions`, rdflib `initBindings`), never
pasted into the query text. SERVICE clauses (federation, which reaches the network) are refused
unless allowed (kg.sparql.guard); kg.sparql.worker runs queries under a time limit.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Literal as TLiteral
from typing import NamedTuple

from kg.csvsafe import safe_cell
from kg.defaults import NODE_KINDS, QUERY_DIR, RESOURCE_BASE
from kg.errors import GraphError, QueryError, value_invalid_msg
from kg.export.rdf import graph_file_format
from kg.export.rdf.reader import rdf_syntax_msg
from kg.sparql.guard import prefixes_used, refuse_service, refuse_update
from kg.vocab import PREFIXES

__all__ = [
    "Term", "QueryResult", "ENGINES", "RESULT_FORMATS",
    "load_graph", "resolve_query_arg", "query_params", "run_query", "format_result", "stream_result",
    "list_queries",
]

ENGINES = ("oxigraph", "rdflib")
RESULT_FORMATS = ("table", "csv", "json")
_PARAM_LINE = re.compile(r"^#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\b", re.MULTILINE)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
#: Prefixes every query may use undeclared, and tables show IRIs with: the vocabulary's and one per kind
#: of paperkg resource (method:bert, paper:0a17...), so an IRI from a table can be pasted into a query.
QUERY_PREFIXES = {**PREFIXES, **{k: f"{RESOURCE_BASE}{k}/" for k in NODE_KINDS if k != "repo"}}
#: A local name that SPARQL's prefixed-name grammar takes unescaped (the ASCII part of PN_LOCAL).
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
#: A table cell longer than this is cut (csv and json keep every character).
TABLE_CELL_MAX = 60


class Term(NamedTuple):
    """One RDF term of a result, engine-neutral: kind is "uri", "literal" or "bnode"."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    def nt(self) -> str:
        """The term in N-Triples syntax."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        from kg.export.rdf.terms import _quote

        q = _quote(self.value)
        if self.lang:
            return f"{q}@{self.lang}"
        if self.datatype and self.datatype != PREFIXES["xsd"] + "string":
            return f"{q}^^<{self.datatype}>"
        return q


@dataclass
class QueryResult:
    """A query's answer: SELECT rows, an ASK boolean or CONSTRUCT/DESCRIBE triples.

    `truncated` is true when rows or triples were cut at run_query's `max_rows`.
    """

    kind: TLiteral["select", "ask", "construct"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False


# ---------------------------------------------------------------- loading


def load_graph(path: str | Path, *, engine: str = "oxigraph"):
    """Load a graph file (.ttl, .nt, .jsonld) into an in-memory store of `engine`."""
    if engine not in ENGINES:
        raise QueryError(value_invalid_msg("engine", engine, ENGINES))
    path = Path(path)
    fmt = graph_file_format(path)
    try:
        if engine == "oxigraph":
            import pyoxigraph as ox

            store = ox.Store()
            fmts = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
            store.bulk_load(path=str(path), format=fmts[fmt])
            return store
        import rdflib

        return rdflib.Graph().parse(path, format={"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}[fmt])
    except GraphError:
        raise
    except Exception as e:  # the parsers raise SyntaxError, ValueError, OSError, BadSyntax...
        raise GraphError(rdf_syntax_msg(path, fmt, e)) from e


# ---------------------------------------------------------------- queries


def _saved(name: str) -> Path:
    return QUERY_DIR / f"{name}.rq"


def list_queries() -> list[tuple[str, str]]:
    """(name, description) of every saved query in kg/queries, sorted by name."""
    out = []
    for p in sorted(QUERY_DIR.glob("*.rq")):
        first = p.read_text(encoding="utf-8").splitlines()[:1]
        desc = first[0].lstrip("#").strip() if first and first[0].startswith("#") else ""
        out.append((p.stem, desc))
    return out


def resolve_query_arg(arg: str) -> str:
    """The query text for `arg`: query text itself, a .rq/.sparql file, or a saved query's name."""
    if _NAME.fullmatch(arg) and _saved(arg).is_file():
        return _saved(arg).read_text(encoding="utf-8")
    if arg.lower().endswith((".rq", ".sparql")) and "\n" not in arg and "{" not in arg:
        p = Path(arg)
        if not p.is_file():
            raise QueryError(f"query file {arg} not found")
        try:
            return p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise QueryError(f"query file {arg} is not readable: {e}") from e
    if _NAME.fullmatch(arg):
        names = ", ".join(n for n, _ in list_queries()) or "(none)"
        raise QueryError(f"no saved query named {arg!r}; saved queries: {names}. Or pass SPARQL text or a .rq file.")
    return arg


def query_params(text: str) -> list[str]:
    """Parameters a query declares with `# param NAME ...` comment lines (they must be bound)."""
    return _PARAM_LINE.findall(text)


def _check_bindings(text: str, bindings: dict[str, str]) -> None:
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
        if not re.search(rf"[?$]{name}\b", text):
            raise QueryError(f"parameter {name!r} is not a variable of the query (?{name} does not occur in it)")
    missing = [p for p in query_params(text) if p not in bindings]
    if missing:
        raise QueryError("the query needs " + ", ".join(f"--param {m}=VALUE" for m in missing))


def run_query(store, text: str, *, bindings: dict[str, str] | None = None, allow_service: bool = False,
              max_rows: int | None = None) -> QueryResult:
    """Run SPARQL `text` over a store from `load_graph`, with `bindings` bound as string literals.

    A SERVICE clause raises ServiceRefusedError unless `allow_service`; an update (INSERT, DELETE,
    ...) raises kg.sparql.guard.UpdateRefusedError. With `max_rows`, at most that many rows (or
    triples) are kept and `truncated` says whether more were found.
    """
    refuse_update(text)
    bindings = dict(bindings or {})
    _check_bindings(text, bindings)
    if not allow_service:
        refuse_service(text)
    import pyoxigraph as ox

    if isinstance(store, ox.Store):
        return _run_oxigraph(store, text, bindings, max_rows)
    return _run_rdflib(store, text, bindings, max_rows)


def _capped(items, max_rows: int | None) -> tuple[list, bool]:
    """The first `max_rows` of `items` and whether there were more; only one extra item is evaluated."""
    if max_rows is None:
        return list(items), False
    kept = list(islice(items, max_rows + 1))
    return kept[:max_rows], len(kept) > max_rows


def _ox_term(t) -> Term | None:
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return Term("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    return Term("literal", t.value, t.datatype.value if t.datatype else None, t.language)


def _run_oxigraph(store, text: str, bindings: dict[str, str], max_rows: int | None = None) -> QueryResult:
    import pyoxigraph as ox

    subs = {ox.Variable(k): ox.Literal(v) for k, v in bindings.items()}
    try:
        res = store.query(text, prefixes=QUERY_PREFIXES, substitutions=subs or None)
        if isinstance(res, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            # Solutions are evaluated lazily, so a cap stops the evaluation, not only the output.
            rows, cut = _capped((tuple(_ox_term(sol[i]) for i in range(len(names))) for sol in res), max_rows)
            return QueryResult("select", variables=names, rows=rows, truncated=cut)
        triples, cut = _capped(((_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object)) for t in res),
                               max_rows)
        return QueryResult("construct", triples=triples, truncated=cut)
    except SyntaxError as e:
        raise QueryError(_unknown_prefix_msg(text) or _rdflib_syntax_msg(text) or _syntax_msg(str(e))) from e
    except RuntimeError as e:
        m = re.search(r"variable \?(\w+) in its SELECT projection", str(e))
        if m:
            raise QueryError(_unprojected(m.group(1))) from e
        raise QueryError(f"query failed: {e}") from e
    except (OSError, ValueError) as e:
        raise QueryError(f"query failed: {e}") from e


def _unknown_prefix_msg(text: str) -> str | None:
    """"unknown prefix foo: ..." when the query uses a prefix nobody declared, else None.

    >>> _unknown_prefix_msg("SELECT * { ?s foo:bar ?o }").split(";")[0]
    'unknown prefix foo: in the query'
    """
    declared, used = prefixes_used(text)
    unknown = sorted(used - declared - set(QUERY_PREFIXES))
    if not unknown:
        return None
    names = ", ".join(f"{p}:" for p in unknown)
    return (f"unknown prefix {names} in the query; declare it (PREFIX {unknown[0]}: <...>) or use a predeclared "
            f"one: {', '.join(f'{p}:' for p in QUERY_PREFIXES)}")


def _syntax_msg(msg: str) -> str:
    """pyoxigraph's "error at 3:17: expected one of ..." as one readable line."""
    msg = " ".join(msg.split())
    m = re.match(r"error at (\d+):(\d+): (.*)", msg)
    where, rest = (f" at line {m.group(1)}, column {m.group(2)}", m.group(3)) if m else ("", msg)
    return f"SPARQL syntax error{where}: {rest if len(rest) <= 160 else rest[:157] + '...'}"


def _rdflib_syntax_msg(text: str) -> str | None:
    """rdflib's account of a syntax error, or None if rdflib parses the text.

    pyoxigraph's parser reports where it gave up, which can be lines past the mistake (after a
    bad FILTER expression, say); rdflib's points at the token that broke the grammar.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(text)
    except ParseException as e:
        line = text.splitlines()[e.lineno - 1] if 0 < e.lineno <= len(text.splitlines()) else ""
        near = line[max(0, e.col - 1):][:30].strip()
        return (f"SPARQL syntax error at line {e.lineno}, column {e.col}"
                + (f" (near {near!r})" if near else " (at the end of the line)") + f": {' '.join(e.msg.split())}")
    except Exception:  # another failure of rdflib's: let pyoxigraph's message speak
        return None
    return None


def _unprojected(name: str) -> str:
    return (f"--param {name} needs ?{name} in the query's SELECT list (parameters are bound as "
            f"SPARQL substitutions, which apply to projected variables only)")


def _rdflib_term(t) -> Term | None:
    import rdflib

    if t is None:
        return None
    if isinstance(t, rdflib.URIRef):
        return Term("uri", str(t))
    if isinstance(t, rdflib.BNode):
        return Term("bnode", str(t))
    dt = str(t.datatype) if t.datatype else (None if t.language else PREFIXES["xsd"] + "string")
    return Term("literal", str(t), dt, t.language)


def _run_rdflib(graph, text: str, bindings: dict[str, str], max_rows: int | None = None) -> QueryResult:
    import rdflib
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        q = prepareQuery(text, initNs=QUERY_PREFIXES)
        projected = {str(v) for v in q.algebra.get("PV") or ()}
        if q.algebra.name == "SelectQuery":
            # The same rule as pyoxigraph's substitutions, so both engines answer alike.
            for name in bindings:
                if name not in projected:
                    raise QueryError(_unprojected(name))
        res = graph.query(q, initBindings={k: rdflib.Literal(v) for k, v in bindings.items()})
    except QueryError:
        raise
    except ParseException as e:
        raise QueryError(f"SPARQL syntax error at line {e.lineno}, column {e.col}: {e.msg}") from e
    except Exception as e:  # rdflib's evaluator raises assorted types
        raise QueryError(f"query failed: {e}") from e
    if res.type == "ASK":
        return QueryResult("ask", boolean=bool(res.askAnswer))
    if res.type == "SELECT":
        names = [str(v) for v in res.vars]
        rows, cut = _capped((tuple(_rdflib_term(x) for x in row) for row in res), max_rows)
        return QueryResult("select", variables=names, rows=rows, truncated=cut)
    triples, cut = _capped((tuple(_rdflib_term(x) for x in t) for t in res), max_rows)
    return QueryResult("construct", triples=triples, truncated=cut)


# ---------------------------------------------------------------- formatting


def _compact(t: Term) -> str:
    if t.kind == "uri":
        for prefix, ns in QUERY_PREFIXES.items():
            if t.value.startswith(ns) and _LOCAL.fullmatch(t.value[len(ns):]):
                return f"{prefix}:{t.value[len(ns):]}"
        return f"<{t.value}>"
    if t.kind == "bnode":
        return f"_:{t.value}"
    return t.value


# Paper text is untrusted: control characters (terminal escapes, newlines) are shown escaped.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _cell(t: Term | None) -> str:
    """A term as a table cell: IRIs compacted, control characters escaped, cut at TABLE_CELL_MAX.

    >>> _cell(Term("uri", "https://w3id.org/paperkg/resource/method/bert"))
    'method:bert'
    >>> len(_cell(Term("literal", "x" * 100)))
    60
    """
    if t is None:
        return ""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], _compact(t))
    return text if len(text) <= TABLE_CELL_MAX else text[:TABLE_CELL_MAX - 1] + "…"


def _json_term(t: Term) -> dict:
    if t.kind == "uri":
        return {"type": "uri", "value": t.value}
    if t.kind == "bnode":
        return {"type": "bnode", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.lang:
        d["xml:lang"] = t.lang
    elif t.datatype and t.datatype != PREFIXES["xsd"] + "string":
        d["datatype"] = t.datatype
    return d


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """`result` as "table" (aligned text), "csv" (SPARQL 1.1 CSV) or "json" (SPARQL 1.1 JSON results).

    A table shows IRIs with prefixes (method:, paper:, ... for paperkg's resources) and cuts cells at
    TABLE_CELL_MAX characters (a note says so); csv and json keep every value whole. CONSTRUCT
    results are N-Triples in table and csv form.
    """
    if fmt not in RESULT_FORMATS:
        raise QueryError(value_invalid_msg("result format", fmt, RESULT_FORMATS))
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean})
        return "true" if result.boolean else "false"
    if result.kind == "construct":
        if fmt == "json":
            return json.dumps([{"subject": _json_term(s), "predicate": _json_term(p), "object": _json_term(o)}
                               for s, p, o in result.triples], ensure_ascii=False, indent=1)
        return "".join(f"{s.nt()} {p.nt()} {o.nt()} .\n" for s, p, o in result.triples).rstrip("\n")
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
        return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1)
    if fmt == "csv":
        return _csv_lines([result.variables] + [[_csv_cell(t) for t in row] for row in result.rows]).rstrip("\r\n")
    table = [result.variables] + [[_cell(t) for t in row] for row in result.rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(result.variables))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    cut = any(c.endswith("…") and len(c) == TABLE_CELL_MAX for r in table[1:] for c in r)
    lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
                 + (f"; cells cut at {TABLE_CELL_MAX} characters: --format csv or json gives them whole)" if cut
                    else ")"))
    return "\n".join(lines)


def stream_result(result: QueryResult, fmt: str, *, batch: int = 500) -> Iterator[str]:
    """`result` as SPARQL JSON ("json") or CSV ("csv"), in pieces of `batch` rows, for an HTTP body.

    CONSTRUCT results are N-Triples in either format. The pieces join to a document equivalent to
    format_result's; the endpoint sends them as they come instead of building one string.
    """
    if fmt not in ("json", "csv"):
        raise QueryError(value_invalid_msg("result format", fmt, ("json", "csv")))
    if result.kind == "ask":
        yield format_result(result, "json") + "\n" if fmt == "json" else format_result(result, "csv") + "\r\n"
        return
    if result.kind == "construct":
        for i in range(0, len(result.triples), batch):
            yield "".join(f"{s.nt()} {p.nt()} {o.nt()} .\n" for s, p, o in result.triples[i:i + batch])
        return
    if fmt == "json":
        yield json.dumps({"head": {"vars": result.variables}})[:-1] + ', "results": {"bindings": [\n'
        for i in range(0, len(result.rows), batch):
            yield ("" if i == 0 else ",\n") + ",\n".join(
                json.dumps({v: _json_term(t) for v, t in zip(result.variables, row) if t is not None},
                           ensure_ascii=False) for row in result.rows[i:i + batch])
        yield "\n]}}\n"
        return
    yield _csv_lines([result.variables])
    for i in range(0, len(result.rows), batch):
        yield _csv_lines([_csv_cell(t) for t in row] for row in result.rows[i:i + batch])


def _csv_cell(t: Term | None) -> str:
    """A term as a SPARQL CSV cell; paper text that a spreadsheet would run as a formula is quoted."""
    if t is None:
        return ""
    return "_:" + t.value if t.kind == "bnode" else safe_cell(t.value)


def _csv_lines(rows) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)  # RFC 4180 line ends, as SPARQL CSV asks
    return buf.getvalue()
