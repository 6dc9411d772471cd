"""Find SERVICE (federated query) clauses in SPARQL text, so that queries cannot reach the network.

Both engines execute `SERVICE <url> { ... }` by sending the inner query to `url` and joining in
its answer, so a query (a downloaded .rq file, a web page talking to `kg serve`) could read other
machines through paperkg. pyoxigraph has no switch to turn federation off, so the query is
checked before it runs:

1. a query that never spells the word `service` (in any case, after \\u escapes) has no SERVICE
   clause, and costs nothing more;
2. otherwise rdflib's SPARQL parser builds the parse tree and the whole tree is searched, so
   comments, strings, case, `SERVICE SILENT`, prefixed or variable service IRIs and clauses
   nested in subqueries, OPTIONAL or FILTER EXISTS are all seen as the grammar sees them;
3. a query rdflib cannot parse (SPARQL 1.2 syntax Oxigraph accepts, or a mistake) is refused,
   and so is one where a second, lexical reading finds a SERVICE keyword the tree lacks: an
   attack would have to fool two independent readings of the text at once.
"""

from __future__ import annotations

import re

from kg.errors import ServiceRefusedError

__all__ = ["find_service", "refuse_service"]

_WORD = re.compile("service", re.IGNORECASE)
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")
# The lexical reading blanks strings, IRIs and comments, then looks for the keyword as a token.
# `(?<!\\)`: outside strings a backslash only escapes a character of a prefixed name (ex:a\#b, ex:a\'b).
_STRING = (r'(?<!\\)(?:"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
           r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\')')
_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'  # SPARQL's IRIREF, exactly
_COMMENT = r"(?<!\\)#[^\n\r]*"
_OPAQUE = re.compile(f"{_STRING}|{_IRI}|{_COMMENT}")
_KEYWORD = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.IGNORECASE)


def _char(m: re.Match) -> str:
    code = int(m.group(1) or m.group(2), 16)
    return chr(code) if code <= 0x10FFFF else m.group(0)


def _expand(text: str) -> str:
    """`text` with SPARQL's \\uXXXX and \\UXXXXXXXX escapes expanded (the grammar allows them anywhere).

    >>> _expand(r"\\u0053ERVICE")
    'SERVICE'
    """
    return _ESCAPE.sub(_char, text)


def _describe(term) -> str:
    """The service term as the query wrote it (an IRI, ?var or prefix:name), shortened."""
    from rdflib import URIRef, Variable

    if isinstance(term, URIRef):
        text = f"<{term}>"
    elif isinstance(term, Variable):
        text = f"?{term}"
    elif hasattr(term, "get") and "prefix" in term:  # a prefixed name, before prefix resolution
        text = f"{term.get('prefix') or ''}:{term.get('localname') or ''}"
    else:
        text = str(term)
    return text if len(text) <= 80 else text[:77] + "..."


def _walk(node):
    """The first ServiceGraphPattern in an rdflib parse tree (CompValues, ParseResults, lists), or None."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:  # iterative: a deeply nested query must not hit the recursion limit
        n = stack.pop()
        if isinstance(n, CompValue):
            if n.name == "ServiceGraphPattern":
                return n
            stack.extend(n.values())
        elif isinstance(n, (ParseResults, list, tuple)):
            stack.extend(n)
    return None


def find_service(text: str) -> str | None:
    """Why SPARQL `text` counts as federated ("SERVICE <http://...>", ...), or None if it does not.

    >>> find_service('SELECT * WHERE { ?s rdfs:label "service" }') is None
    True
    >>> find_service("select * { # SERVICE <http://x/> { }\\n service silent ?g { ?s ?p ?o } }")
    'SERVICE ?g'
    """
    expanded = _expand(text)
    if not _WORD.search(expanded):
        return None
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception as e:  # rdflib's grammar is narrower than Oxigraph's: fail closed
        first = (" ".join(str(e).split()) or type(e).__name__)[:120]
        return f"the word SERVICE but cannot be checked for federation (rdflib does not parse it: {first})"
    found = _walk(tree)
    if found is not None:
        return f"SERVICE {_describe(found.get('term'))}"
    if _KEYWORD.search(_OPAQUE.sub(" ", expanded)):
        return "what reads as a SERVICE keyword outside strings and comments"
    return None


def refuse_service(text: str) -> None:
    """Raise ServiceRefusedError if SPARQL `text` has a SERVICE clause (see find_service)."""
    found = find_service(text)
    if found:
        raise ServiceRefusedError(
            f"the query uses {found}; a federated query would make paperkg contact another machine, "
            "so it is refused unless --allow-service (allow_service=True in Python) is given")
