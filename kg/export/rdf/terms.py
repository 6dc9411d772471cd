"""RDF terms: the vocabulary's IRIs, IRI minting (safe_iri, claim_iri) and literal escaping per the N-Triples grammar."""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import math
import re

from kg.defaults import RESOURCE_BASE
from kg.vocab import ENTITY_CLASSES, KG, PREFIXES

RDF_FORMATS = ("turtle", "ntriples", "jsonld")

_RDF, _RDFS, _SKOS = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["skos"]
_DCT, _PROV, _SDO, _XSD = PREFIXES["dcterms"], PREFIXES["prov"], PREFIXES["schema"], PREFIXES["xsd"]
TYPE, STATEMENT = _RDF + "type", _RDF + "Statement"
SUBJ, PRED, OBJ, FIRST, REST, NIL = (_RDF + t for t in ("subject", "predicate", "object", "first", "rest", "nil"))
LABEL, ALT = _RDFS + "label", _SKOS + "altLabel"
TITLE, ABSTRACT, IDENT, DATE, CREATOR = (_DCT + t for t in ("title", "abstract", "identifier", "date", "creator"))
MODIFIED = _DCT + "modified"
DERIVED, ATTRIBUTED = _PROV + "wasDerivedFrom", _PROV + "wasAttributedTo"
CODE, URL, AUTHOR, SAME_AS = _SDO + "SoftwareSourceCode", _SDO + "url", _SDO + "author", _SDO + "sameAs"
#: A curated source (kg.ingest.pwc_facts.FACT_SOURCE) -> the agent a statement is prov:wasAttributedTo.
SOURCE_AGENTS = {"PapersWithCode": "https://paperswithcode.com/"}
AGENT_SOURCES = {v: k for k, v in SOURCE_AGENTS.items()}
DOI_BASE = "https://doi.org/"
DECIMAL, XDATE, GMONTHDAY = _XSD + "decimal", _XSD + "date", _XSD + "gMonthDay"
_CLASS_KIND = {str(c): k for k, c in ENTITY_CLASSES.items()}

# The same terms in N-Triples syntax, as the writers use them (looked up once: KG.x is slow).
T_TYPE, T_STATEMENT, T_SUBJ, T_PRED, T_OBJ, T_FIRST, T_REST, T_NIL = (
    f"<{t}>" for t in (TYPE, STATEMENT, SUBJ, PRED, OBJ, FIRST, REST, NIL))
T_LABEL, T_ALT, T_DERIVED, T_CODE, T_URL, T_AUTHOR = (f"<{t}>" for t in (LABEL, ALT, DERIVED, CODE, URL, AUTHOR))
T_TITLE, T_ABSTRACT, T_IDENT, T_DATE, T_CREATOR = (f"<{t}>" for t in (TITLE, ABSTRACT, IDENT, DATE, CREATOR))
T_MODIFIED, T_ATTRIBUTED, T_SAME_AS = (f"<{t}>" for t in (MODIFIED, ATTRIBUTED, SAME_AS))
T_PAPER, T_ARXIV, T_SOURCE, T_EVIDENCE, T_CONFIDENCE, T_METRIC, T_VALUE = (
    f"<{KG[t]}>" for t in ("Paper", "arxivId", "source", "evidence", "confidence", "metric", "value"))
_KIND_CLASS = {k: f"<{c}>" for k, c in ENTITY_CLASSES.items()}
_DECIMAL_DT = f"^^<{DECIMAL}>"
_RESOURCE_NT = "<" + RESOURCE_BASE
_EDGE_RELS = ("proposes", "mentions", "hasCode")
_CLAIM_RELS = ("evaluatesOn", "improvesOver")
#: Relations whose every claim is also written as a reified rdf:Statement (mentions and hasCode: only
#: the curated ones, attributed to their curator).
REIFIED_RELS = ("proposes",) + _CLAIM_RELS
_REL_PROP = {r: f"<{KG[r]}>" for r in _EDGE_RELS + _CLAIM_RELS}
#: kg: terms as plain IRI strings, for the reader.
_I = {t: str(KG[t]) for t in _EDGE_RELS + _CLAIM_RELS + ("confidence", "evidence", "arxivId", "source", "metric", "value")}
_I_PAPER = str(KG.Paper)


# --- escaping and IRIs ---------------------------------------------------------------------------


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


def claim_iri(subject: str, predicate: str, obj: str, paper: str, *more: str) -> str:
    """The stable IRI of the reified claim that `paper` states (subject, predicate, obj); `more` tells
    apart the curated facts of one paper and edge (source, metric, value)."""
    key = "|".join((subject, predicate, obj, paper, *more))
    h = hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:16]
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
