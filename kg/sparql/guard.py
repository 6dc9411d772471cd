"""Find SERVICE (federated query) clauses and updates in SPARQL text, so that queries cannot reach the network
or change the graph.

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

Updates (INSERT, DELETE, LOAD, DROP, ...) are named by their first keyword after the prologue
(`find_update`), so that `kg query` can say "updates are not supported" rather than report the
syntax error a query parser makes of them.
"""

from __future__ import annotations

import re

from kg.errors import QueryError, ServiceRefusedError

__all__ = ["UpdateRefusedError", "find_service", "refuse_service", "find_update", "refuse_update", "prefixes_used"]


class UpdateRefusedError(QueryError):
    """A SPARQL update (INSERT, DELETE, ...) was given where only queries are run."""


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


# After the prologue (PREFIX and BASE declarations, IRIs blanked to <>), a query begins with SELECT,
# ASK, CONSTRUCT or DESCRIBE and an update with one of these.
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s*[^\s:<]*:\s*<>|BASE\s*<>)\s*)*", re.IGNORECASE)
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![\w:])", re.IGNORECASE)
_PNAME = re.compile(r"(?<![\w?$:.\-])([A-Za-z][\w.\-]*)?:(?=[\w%]|\s|$|[^\w\s])")


def _blanked(text: str) -> str:
    """`text` (escapes expanded) with strings, IRIs and comments emptied: what is left is syntax."""
    def blank(m: re.Match) -> str:
        t = m.group(0)
        return "<>" if t.startswith("<") else '""' if t[0] in "\"'" else " "

    return _OPAQUE.sub(blank, _expand(text))


def find_update(text: str) -> str | None:
    """The update keyword SPARQL `text` starts with (after its prologue), upper-cased, or None.

    >>> find_update("PREFIX ex: <http://x/#> # note\\n delete WHERE { ?s ?p ?o }")
    'DELETE'
    >>> find_update('SELECT * WHERE { ?s ?p "DELETE" }') is None
    True
    """
    blanked = _blanked(text)
    m = _UPDATE.match(blanked, _PROLOGUE.match(blanked).end())
    return m.group(1).upper() if m else None


def refuse_update(text: str) -> None:
    """Raise UpdateRefusedError if SPARQL `text` is an update (see find_update)."""
    if keyword := find_update(text):
        raise UpdateRefusedError(
            f"updates are not supported: this is a {keyword} update, and paperkg only reads a built graph "
            "(SELECT, ASK, CONSTRUCT, DESCRIBE); change the graph by building it again")


def prefixes_used(text: str) -> tuple[set[str], set[str]]:
    """(prefixes SPARQL `text` declares, prefixes its prefixed names use), outside strings and IRIs.

    >>> declared, used = prefixes_used("PREFIX ex: <http://x/> SELECT * { ?s ex:p foo:o ; rdfs:label 'a:b' }")
    >>> sorted(declared), sorted(used)
    (['ex'], ['ex', 'foo', 'rdfs'])
    """
    syntax = _blanked(text)
    declaration = re.compile(r"PREFIX\s*([^\s:<]*):\s*<>", re.IGNORECASE)
    declared = set(declaration.findall(syntax))
    used = {m.group(1) or "" for m in _PNAME.finditer(declaration.sub(" ", syntax))}
    return declared, used - {"_"}
