"""The graph as RDF: deterministic N-Triples, Turtle and JSON-LD writers, and a reader back to networkx.

The writers stream sorted text themselves (rdflib's Turtle serializer is slow on large graphs
and its blank-node and subject order varies between runs); every term is escaped per the
N-Triples/Turtle grammars, so the output parses with rdflib and pyoxigraph alike.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from operator import itemgetter
from pathlib import Path

import networkx as nx

from kg.atomic import atomic_open
from kg.defaults import ONTOLOGY_NS, RESOURCE_BASE
from kg.errors import FormatError, GraphError, value_invalid_msg
from kg.vocab import ENTITY_CLASSES, KG, PREFIXES

__all__ = ["RDF_FORMATS", "write_rdf", "write_rdf_formats", "to_rdf", "to_ntriples", "triples", "read_graph", "graph_file_format", "safe_iri", "claim_iri",
           "owned_blocks", "owned_blocks_by_format", "owned_subjects", "count_block_triples", "file_frame"]

RDF_FORMATS = ("turtle", "ntriples", "jsonld")

_RDF, _RDFS, _SKOS = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["skos"]
_DCT, _PROV, _SDO, _XSD = PREFIXES["dcterms"], PREFIXES["prov"], PREFIXES["schema"], PREFIXES["xsd"]
TYPE, STATEMENT = _RDF + "type", _RDF + "Statement"
SUBJ, PRED, OBJ, FIRST, REST, NIL = (_RDF + t for t in ("subject", "predicate", "object", "first", "rest", "nil"))
LABEL, ALT = _RDFS + "label", _SKOS + "altLabel"
TITLE, ABSTRACT, IDENT, DATE, CREATOR = (_DCT + t for t in ("title", "abstract", "identifier", "date", "creator"))
DERIVED = _PROV + "wasDerivedFrom"
CODE, URL, AUTHOR = _SDO + "SoftwareSourceCode", _SDO + "url", _SDO + "author"
DECIMAL, XDATE, GMONTHDAY = _XSD + "decimal", _XSD + "date", _XSD + "gMonthDay"
_CLASS_KIND = {str(c): k for k, c in ENTITY_CLASSES.items()}

# The same terms in N-Triples syntax, as the writers use them (looked up once: KG.x is slow).
T_TYPE, T_STATEMENT, T_SUBJ, T_PRED, T_OBJ, T_FIRST, T_REST, T_NIL = (
    f"<{t}>" for t in (TYPE, STATEMENT, SUBJ, PRED, OBJ, FIRST, REST, NIL))
T_LABEL, T_ALT, T_DERIVED, T_CODE, T_URL, T_AUTHOR = (f"<{t}>" for t in (LABEL, ALT, DERIVED, CODE, URL, AUTHOR))
T_TITLE, T_ABSTRACT, T_IDENT, T_DATE, T_CREATOR = (f"<{t}>" for t in (TITLE, ABSTRACT, IDENT, DATE, CREATOR))
T_PAPER, T_ARXIV, T_SOURCE, T_EVIDENCE, T_CONFIDENCE = (
    f"<{KG[t]}>" for t in ("Paper", "arxivId", "source", "evidence", "confidence"))
_KIND_CLASS = {k: f"<{c}>" for k, c in ENTITY_CLASSES.items()}
_DECIMAL_DT = f"^^<{DECIMAL}>"
_RESOURCE_NT = "<" + RESOURCE_BASE
_EDGE_RELS = ("proposes", "mentions", "hasCode")
_CLAIM_RELS = ("evaluatesOn", "improvesOver")
#: Relations whose every claim is also written as a reified rdf:Statement.
REIFIED_RELS = ("proposes",) + _CLAIM_RELS
_REL_PROP = {r: f"<{KG[r]}>" for r in _EDGE_RELS + _CLAIM_RELS}
#: kg: terms as plain IRI strings, for the reader.
_I = {t: str(KG[t]) for t in _EDGE_RELS + _CLAIM_RELS + ("confidence", "evidence", "arxivId", "source")}
_I_PAPER = str(KG.Paper)


# ---------------------------------------------------------------- terms


# RFC 3986/3987 pieces, ASCII only (anything else is percent-encoded).
_UNRESERVED_SUB = "A-Za-z0-9\\-._~!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_IRI_SAFE = re.compile(
    rf"[A-Za-z][A-Za-z0-9+.\-]*:"
    rf"(?://(?:(?:[{_UNRESERVED_SUB}:]|{_PCT})*@)?(?:[{_UNRESERVED_SUB}]|{_PCT})*(?::[0-9]*)?(?=[/?#]|$)|(?!//))"
    rf"(?:[{_UNRESERVED_SUB}:@/?]|{_PCT})*"
    rf"(?:#(?:[{_UNRESERVED_SUB}:@/?]|{_PCT})*)?"
)
_REG_NAME = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=")
_PCHAR_Q = _REG_NAME | frozenset(":@/?")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _pct(s: str, keep: frozenset[str]) -> str:
    out = []
    for i, ch in enumerate(s):
        if ch in keep or (ch == "%" and re.fullmatch(r"[0-9A-Fa-f]{2}", s[i + 1:i + 3])):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "replace"))
    return "".join(out)


def safe_iri(text: str) -> str:
    """`text` as a valid absolute IRI: characters an IRI may not hold are percent-encoded.

    >>> safe_iri("https://github.com/a/b")
    'https://github.com/a/b'
    >>> safe_iri('https://github.com/a b/"x"{y}')
    'https://github.com/a%20b/%22x%22%7By%7D'
    """
    if _IRI_SAFE.fullmatch(text):
        return text
    m = _SCHEME.match(text)
    if not m:
        # Node keys are absolute IRIs; anything else is kept, encoded, under our own base.
        return RESOURCE_BASE + "x/" + _pct(text, _REG_NAME)
    head, rest = text[:m.end()], text[m.end():]
    if rest.startswith("//"):
        end = min((i for i in (rest.find(c, 2) for c in "/?#") if i >= 0), default=len(rest))
        auth, rest = rest[2:end], rest[end:]
        user, at, hostport = auth.rpartition("@")
        host, colon, port = hostport.rpartition(":")
        if not colon or not port.isdigit():
            host, colon, port = hostport, "", ""
        head += "//" + (_pct(user, _REG_NAME | {":"}) + at) + _pct(host, _REG_NAME) + colon + port
    path, hash_, frag = rest.partition("#")
    return head + _pct(path, _PCHAR_Q) + hash_ + _pct(frag, _PCHAR_Q)


def claim_iri(subject: str, predicate: str, obj: str, paper: str) -> str:
    """The stable IRI of the reified claim that `paper` states (subject, predicate, obj)."""
    h = hashlib.sha1(f"{subject}|{predicate}|{obj}|{paper}".encode("utf-8", "replace")).hexdigest()[:16]
    return f"{RESOURCE_BASE}claim/{h}"


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# Control characters are escaped so the output is plain text; lone surrogates cannot be UTF-8.
_NEEDS_ESCAPE = re.compile('[\x00-\x1f"\\\\\x7f\ud800-\udfff]')


def _escape_char(m: re.Match) -> str:
    ch = m.group()
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if "\ud800" <= ch <= "\udfff":
        return "\ufffd"
    return f"\\u{ord(ch):04X}"


def _quote(value: str) -> str:
    """`value` as a quoted N-Triples/Turtle string (also a valid JSON string)."""
    if _NEEDS_ESCAPE.search(value):
        value = _NEEDS_ESCAPE.sub(_escape_char, value)
    return f'"{value}"'


@functools.lru_cache(maxsize=4096)  # confidences repeat: a few hundred distinct values
def _decimal(x: float) -> str | None:
    x = float(x)
    if not math.isfinite(x):
        return None
    s = f"{x:.6f}".rstrip("0")
    return f'"{s}0"{_DECIMAL_DT}' if s.endswith(".") else f'"{s}"{_DECIMAL_DT}'


def _date(d: str) -> str:
    """xsd:date for full ISO dates, xsd:gMonthDay for "--MM-DD", else a plain literal."""
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", d):
            _dt.date.fromisoformat(d)
            return f'"{d}"^^<{XDATE}>'
        if re.fullmatch(r"--\d\d-\d\d", d):
            _dt.date.fromisoformat("2000" + d[1:])  # a leap year, so --02-29 is valid
            return f'"{d}"^^<{GMONTHDAY}>'
    except ValueError:
        pass
    return _quote(d)


# ---------------------------------------------------------------- graph -> triples


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
    if d.get("date"):
        yield T_DATE, _date(str(d["date"]))
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
    if c.get("evidence"):
        po.append((T_EVIDENCE, _quote(c["evidence"])))
    if c.get("confidence") is not None and (conf := _decimal(c["confidence"])):
        po.append((T_CONFIDENCE, conf))
    return po


def _node_pairs(G: nx.MultiDiGraph, n, d: dict, iri: dict, include_abstracts: bool) -> tuple[list, list]:
    """A node's rdf:type pairs and its other (predicate, object) pairs, out-edges included."""
    s, kind = iri[n], d.get("kind")
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
    for v, keyed in G.succ[n].items():
        for k, ed in keyed.items():
            p = _REL_PROP.get(ed.get("rel", k))
            if p is not None:
                po.append((p, iri[v]))
    return types, po


# What a subject entry stands for: a node, a reified claim, or the cells of a paper's author list.
_NODE, _CLAIM, _CELLS = 0, 1, 2


def _entries(G: nx.MultiDiGraph, iri: dict) -> list[tuple[str, int, object, object]]:
    """(sort key, what, a, b) per subject, unsorted: just enough to build its triples when written.

    A paper's author-list cells share one entry keyed by their common label stem: no other
    subject starts with that stem, so the cells sort together exactly where each would alone.
    """
    out: list = []
    for u, v, k, ed in G.edges(keys=True, data=True):
        rel = ed.get("rel", k)
        if rel in REIFIED_RELS:
            spo = (iri[u], _REL_PROP[rel], iri[v])
            claims = ed.get("claims") or (({"paper": u},) if rel == "proposes" else ())
            for c in claims:
                st = claim_iri(spo[0][1:-1], spo[1][1:-1], spo[2][1:-1], _claim_paper(c, iri)[1:-1])
                out.append((f"<{st}>", _CLAIM, spo, c))
    for n, d in G.nodes(data=True):
        s = iri[n]
        out.append((s, _NODE, n, d))
        if d.get("kind") == "paper" and d.get("authors"):
            out.append((_author_stem(s), _CELLS, n, d))
    return out


def _merged(s: str, types: list, po: list) -> tuple[str, list]:
    if len(types) > 1:
        types = sorted(set(types))
    return s, types + sorted(set(po))


def _grouped(G: nx.MultiDiGraph, include_abstracts: bool) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Subjects sorted, each with its (predicate, object) pairs: rdf:type first, then sorted, no duplicates.

    Only the subject keys are sorted up front; each subject's triples are built as it is yielded,
    so a writer holds one subject's text at a time, not the whole graph's.
    """
    iri = {n: f"<{safe_iri(str(n))}>" for n in G.nodes}
    entries = _entries(G, iri)
    entries.sort(key=itemgetter(0))
    i, end = 0, len(entries)
    while i < end:
        j = i + 1
        while j < end and entries[j][0] == entries[i][0]:  # two node keys with one IRI, a claim stated twice
            j += 1
        key, what = entries[i][0], entries[i][1]
        if what == _CELLS:
            yield from _cells(key, [tuple(d["authors"]) for _, _, _, d in entries[i:j]])
        else:
            types: list = []
            po: list = []
            for _, what, a, b in entries[i:j]:
                if what == _CLAIM:
                    types.append((T_TYPE, T_STATEMENT))
                    po.extend(_claim_pairs(a, b, iri))
                else:
                    t, p = _node_pairs(G, a, b, iri, include_abstracts)
                    types += t
                    po += p
            if types or po:
                yield _merged(key, types, po)
        i = j


def _cells(stem: str, lists: list[tuple[str, ...]]) -> Iterator[tuple[str, list]]:
    """The author-list cells under `stem` in label order ("n10" sorts before "n2"), merged across papers."""
    cells: dict[int, list] = defaultdict(list)
    for authors in lists:
        for i, po in _author_cells(stem, authors):
            cells[i] += po
    for i in sorted(cells, key=str):
        yield _merged(f"{stem}{i}", [], cells[i])


def triples(G: nx.MultiDiGraph, *, include_abstracts: bool = True) -> Iterator[tuple[str, str, str]]:
    """Every triple of `G`'s RDF view, sorted, each term in N-Triples syntax (`<iri>`, `"lit"`, `_:b`)."""
    for s, po in _grouped(G, include_abstracts):
        for p, o in po:
            yield s, p, o


# ---------------------------------------------------------------- writers


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


def write_rdf(G: nx.MultiDiGraph, path: str | Path, *, fmt: str = "turtle", include_abstracts: bool = True) -> int:
    """Write `G`'s RDF view to `path` (atomically, byte-stable); return the number of triples."""
    return write_rdf_formats(G, {fmt: path}, include_abstracts=include_abstracts)


def write_rdf_formats(G: nx.MultiDiGraph, paths: Mapping[str, str | Path], *, include_abstracts: bool = True) -> int:
    """Write `G`'s RDF view in several formats, {format: path}, building the sorted triples once;
    return the number of triples. Each file is what `write_rdf` writes for its format.
    """
    unknown = [fmt for fmt in paths if fmt not in _WRITERS]
    if unknown:
        raise FormatError(value_invalid_msg("RDF format", ",".join(unknown), RDF_FORMATS))
    count = 0
    with ExitStack() as stack:
        # Every file is written in the one pass over the subjects, so no format needs the whole
        # graph's text in memory. Opened in reverse: the stack then replaces them in `paths` order.
        files = {fmt: stack.enter_context(atomic_open(path)) for fmt, path in reversed(paths.items())}
        writers = [_WRITERS[fmt](files[fmt]) for fmt in paths]
        for s, po in _grouped(G, include_abstracts):
            count += len(po)
            for w in writers:
                w.subject(s, po)
        for w in writers:
            w.end()
    return count


def to_ntriples(G: nx.MultiDiGraph, *, include_abstracts: bool = True) -> str:
    """`G`'s RDF view as one sorted N-Triples string."""
    import io

    buf = io.StringIO()
    w = _NTriples(buf)
    for s, po in _grouped(G, include_abstracts):
        w.subject(s, po)
    return buf.getvalue()


def to_rdf(G: nx.MultiDiGraph, *, include_abstracts: bool = True):
    """`G`'s RDF view as an rdflib.Graph with the paperkg prefixes bound."""
    import rdflib

    g = rdflib.Graph()
    for k, v in PREFIXES.items():
        g.bind(k, v, override=True, replace=True)
    g.parse(data=to_ntriples(G, include_abstracts=include_abstracts), format="nt")
    return g


# ---------------------------------------------------------------- reader


_SUFFIX_FORMAT = {".ttl": "turtle", ".turtle": "turtle", ".nt": "ntriples", ".jsonld": "jsonld", ".json": "jsonld"}
_OX_FORMAT = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "jsonld": "JSON_LD"}


def graph_file_format(path: Path) -> str:
    """The RDF format (one of RDF_FORMATS) of an existing graph file, from its suffix.

    Raises GraphError naming the file when it is missing or its suffix is not a graph format.
    """
    if not path.is_file():
        raise GraphError(f"graph file {path} not found; run `kg build` first or pass --graph")
    fmt = _SUFFIX_FORMAT.get(path.suffix.lower())
    if fmt is None:
        raise GraphError(value_invalid_msg(f"graph file suffix of {path}", path.suffix, sorted(_SUFFIX_FORMAT)))
    return fmt


def _parse(path: Path):
    import pyoxigraph as ox

    fmt = graph_file_format(path)
    try:
        with open(path, "rb") as f:
            return list(ox.parse(f, format=getattr(ox.RdfFormat, _OX_FORMAT[fmt])))
    except (SyntaxError, ValueError, OSError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise GraphError(f"{path} is not readable {fmt}: {first}") from e


def _key(term) -> str:
    import pyoxigraph as ox

    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a graph file written by `write_rdf` (.ttl, .nt, .jsonld) back into kg.graph.assemble's schema."""
    import pyoxigraph as ox

    path = Path(path)
    props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for q in _parse(path):
        o = q.object
        props[_key(q.subject)][q.predicate.value].append(
            o.value if isinstance(o, ox.Literal) else _key(o))
    kinds: dict[str, str] = {}
    for s, ps in props.items():
        for t in ps.get(TYPE, ()):
            if t == _I_PAPER:
                kinds[s] = "paper"
            elif t in _CLASS_KIND:
                kinds[s] = _CLASS_KIND[t]
    if not kinds:
        raise GraphError(f"{path} holds no paperkg nodes (no kg:Paper or kg:Method); is it a `kg build` graph?")
    for s, k in list(kinds.items()):
        if k == "paper":
            for r in props[s].get(_I["hasCode"], ()):
                kinds.setdefault(r, "repo")
    for s, ps in props.items():
        if CODE in ps.get(TYPE, ()):
            kinds.setdefault(s, "repo")

    edges: dict[tuple[str, str, str], list[dict]] = {}
    mentioned_by: dict[str, set[str]] = defaultdict(set)
    for s in kinds:
        for rel in _EDGE_RELS + _CLAIM_RELS:
            for o in props[s].get(_I[rel], ()):
                if o in kinds:
                    edges[(s, o, rel)] = []
                    if rel in ("mentions", "hasCode"):
                        mentioned_by[o].add(s)
    for ps in props.values():
        pred = ps.get(PRED)
        if not pred or STATEMENT not in ps.get(TYPE, ()):
            continue
        rel = pred[0][len(ONTOLOGY_NS):] if pred[0].startswith(ONTOLOGY_NS) else None
        if rel not in _CLAIM_RELS:
            continue
        key = (ps[SUBJ][0], ps[OBJ][0], rel)
        if key in edges and ps.get(DERIVED):
            conf = ps.get(_I["confidence"])
            edges[key].append({"paper": ps[DERIVED][0], "evidence": (ps.get(_I["evidence"]) or [""])[0],
                               "confidence": float(conf[0]) if conf else 0.0})

    G = nx.MultiDiGraph()
    order = {"paper": 0, "repo": 2}
    for n in sorted(kinds, key=lambda n: (order.get(kinds[n], 1), n)):
        ps, kind = props[n], kinds[n]
        first = lambda p, default=None: min(ps[p]) if ps.get(p) else default  # noqa: E731
        if kind == "paper":
            title = first(TITLE, "")
            G.add_node(n, kind="paper", label=title, aliases=(), title=title, abstract=first(ABSTRACT, ""),
                       url=first(URL), date=first(DATE), authors=_authors(props, n), arxiv_id=first(_I["arxivId"]),
                       id=first(IDENT), source=first(_I["source"]))
        elif kind == "repo":
            G.add_node(n, kind="repo", label=n, aliases=(), papers=tuple(sorted(mentioned_by[n])))
        else:
            label = first(LABEL) or n.rsplit("/", 1)[-1]
            conf = first(_I["confidence"])
            G.add_node(n, kind=kind, label=label, aliases=tuple(sorted(set(ps.get(ALT, ())) - {label})),
                       papers=tuple(sorted(mentioned_by[n])), confidence=float(conf) if conf else 0.0)
    for (u, v, rel), claims in sorted(edges.items()):
        attrs: dict = {"rel": rel}
        if rel in _CLAIM_RELS:
            attrs["claims"] = tuple(sorted(claims, key=lambda c: (c["paper"], c["evidence"])))
        G.add_edge(u, v, key=rel, **attrs)
    return G


def _authors(props, paper: str) -> tuple[str, ...]:
    head = props[paper].get(AUTHOR)
    if not head:
        return tuple(sorted(props[paper].get(CREATOR, ())))
    out, node, seen = [], head[0], set()
    while node != NIL and node in props and node not in seen:
        seen.add(node)
        out.extend(props[node].get(FIRST, ())[:1])
        node = (props[node].get(REST) or [NIL])[0]
    return tuple(out)


# ---------------------------------------------------------------- owned subjects (for kg.export.rdf_splice)


def _owned_part(G: nx.MultiDiGraph, owners) -> nx.MultiDiGraph:
    """The owners in `G` with their attributes and out-edges; other edge targets bare, so they add no subject."""
    H = nx.MultiDiGraph()
    own = [n for n in owners if n in G]
    H.add_nodes_from((n, G.nodes[n]) for n in own)
    for n in own:
        for v, keyed in G.succ[n].items():
            if v not in H:
                H.add_node(v)
            H.add_edges_from((n, v, k, ed) for k, ed in keyed.items())
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


def owned_blocks(G: nx.MultiDiGraph, owners, fmt: str, *, include_abstracts: bool = True) -> dict[str, str]:
    """Every subject the nodes `owners` own -> its text in format `fmt`, exactly as a full write has it.

    A node owns its own subject (with its out-edges), a paper its author-list cells, and a node the
    reified claims of its out-edges. `G` may be a part of the graph: the owners with their attributes
    and out-edges (with claims); edge targets need no attributes. Owners not in `G` own nothing.
    A Turtle block includes its leading "\\n"; a JSON-LD object comes without its separator.
    The text is exact when every node whose IRI (safe_iri) equals an owner's is an owner too.
    """
    return owned_blocks_by_format(G, owners, (fmt,), include_abstracts=include_abstracts)[fmt]


def owned_blocks_by_format(G: nx.MultiDiGraph, owners, formats, *,
                           include_abstracts: bool = True) -> dict[str, dict[str, str]]:
    """`owned_blocks` for several formats at once, {format: {subject: text}}: the triples are built once."""
    writers = {fmt: _writer(fmt) for fmt in formats}
    for _, sink in writers.values():
        sink.take()  # the file header
    out: dict[str, dict[str, str]] = {fmt: {} for fmt in formats}
    for s, po in _grouped(_owned_part(G, owners), include_abstracts):
        for fmt, (w, sink) in writers.items():
            if isinstance(w, _JsonLD):
                w.sep = ""  # the caller places separators
            w.subject(s, po)
            out[fmt][s] = sink.take()
    return out


def owned_subjects(G: nx.MultiDiGraph, owners) -> set[str]:
    """The subjects (N-Triples terms) the nodes `owners` own in `G`: the keys of `owned_blocks`."""
    return {s for s, _ in _grouped(_owned_part(G, owners), False)}


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
