"""Read a graph file kg.export.rdf wrote (Turtle, N-Triples, JSON-LD) back into networkx, with pyoxigraph."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import networkx as nx

from kg.defaults import ONTOLOGY_NS
from kg.errors import GraphError, value_invalid_msg
from kg.export.rdf.terms import (
    _CLAIM_RELS,
    _CLASS_KIND,
    _EDGE_RELS,
    _I,
    _I_PAPER,
    ABSTRACT,
    AGENT_SOURCES,
    ALT,
    ATTRIBUTED,
    AUTHOR,
    CODE,
    CREATOR,
    DATE,
    DERIVED,
    DOI_BASE,
    FIRST,
    IDENT,
    LABEL,
    MODIFIED,
    NIL,
    OBJ,
    PRED,
    REST,
    SAME_AS,
    STATEMENT,
    SUBJ,
    TITLE,
    TYPE,
    URL,
)
from kg.graph.assemble import edge_claims

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


_OX_WHERE = re.compile(r"Parser error (?:at line \d+ between columns \d+ and \d+|"
                       r"between line \d+ column \d+ and line \d+ column \d+): ")


def rdf_syntax_msg(path: str | Path, fmt: str, e: BaseException) -> str:
    """A parser's error as one line naming the file and line: "graph.ttl:12: not readable turtle: why".

    Knows pyoxigraph's SyntaxError (line and column) and rdflib's BadSyntax (a 0-based line);
    any other error keeps its first line, after the file name.

    >>> e = SyntaxError("Parser error at line 3 between columns 7 and 11: The prefix zz: has not been declared",
    ...                 (None, 3, 7, None, 3, 11))
    >>> rdf_syntax_msg("g.ttl", "turtle", e)
    'g.ttl:3: not readable turtle: The prefix zz: has not been declared (column 7)'
    """
    line = col = None
    if isinstance(e, SyntaxError) and e.lineno:
        line, col, why = e.lineno, e.offset, _OX_WHERE.sub("", e.msg or "")
    elif isinstance(getattr(e, "lines", None), int) and isinstance(getattr(e, "_why", None), str):
        line, why = e.lines + 1, e._why  # rdflib's BadSyntax
    else:
        why = (str(e).strip().splitlines() or [type(e).__name__])[0]
    why = " ".join(why.split())
    why = why if len(why) <= 200 else why[:197] + "..."
    where = f"{path}:{line}" if line else f"{path}"
    return f"{where}: not readable {fmt}: {why}" + (f" (column {col})" if col else "")


def _parse(path: Path):
    import pyoxigraph as ox

    fmt = graph_file_format(path)
    try:
        with open(path, "rb") as f:
            return list(ox.parse(f, format=getattr(ox.RdfFormat, _OX_FORMAT[fmt])))
    except (SyntaxError, ValueError, OSError) as e:
        raise GraphError(rdf_syntax_msg(path, fmt, e)) from e


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
    curated: dict[tuple[str, str, str], set[str]] = defaultdict(set)
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
        key = (ps[SUBJ][0], ps[OBJ][0], rel)
        if key not in edges or not ps.get(DERIVED):
            continue
        agent = ps.get(ATTRIBUTED)
        source = AGENT_SOURCES.get(agent[0], agent[0]) if agent else None
        if rel in ("mentions", "hasCode"):
            if source:
                curated[key].add(source)
        elif rel not in _CLAIM_RELS:
            continue
        elif source:  # a curated fact
            value = ps.get(_I["value"])
            edges[key].append({"paper": ps[DERIVED][0], "source": source, "metric": (ps.get(_I["metric"]) or [""])[0],
                               "value": value[0] if value else ""})
        else:
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
            doi = next((x[len(DOI_BASE):] for x in sorted(ps.get(SAME_AS, ())) if x.startswith(DOI_BASE)), None)
            G.nodes[n].update({k: v for k, v in (("doi", doi), ("revised", first(MODIFIED))) if v})
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
            attrs["claims"] = edge_claims(claims)
        if curated.get((u, v, rel)):
            attrs["curated"] = tuple(sorted(curated[(u, v, rel)]))
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
