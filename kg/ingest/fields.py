"""One raw record -> a Paper: text fields cleaned, titles normalised and keyed, dates, authors,
URLs and arXiv ids read from whatever shape the input gives them; no file handling, no NLP."""

from __future__ import annotations

import email.utils
import hashlib
import math
import re
import unicodedata
from typing import Any

from kg.defaults import MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS
from kg.ingest.text import DATE_LINE, FIELDS, BadRecord, LongNumber, NotAPaper
from kg.records import Paper

__all__ = ["arxiv_id", "clean_text", "doi_of", "normalise_title", "paper_key", "record_to_paper"]

_MONTHS = {m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
# Removed from every text field: C0/C1 controls other than tab, newline and carriage return, and
# the bidi embedding/override/isolate controls, which can make a title display as another
# ("Trojan Source"); right-to-left letters themselves are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A lone surrogate (JSON allows "\ud800") cannot be written as UTF-8: it becomes U+FFFD.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# What an ASCII title keeps of itself in its key (str.isalnum on ASCII is exactly this).
_NOT_ASCII_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d+/\S+)$", re.I)
_ARXIV_ID = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|^|arXiv:)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)


# --- normalisation ---------------------------------------------------------------------------

def _clean(value: str) -> tuple[str, list[str]]:
    """`clean_text(value)` and what it did besides folding white space (for a warning)."""
    if value.isascii():
        # Most fields: no surrogate, NFC already, and (when printable) no control character and
        # no white space but the plain space; str.split folds exactly the characters \s matches.
        if value.isprintable():
            if "  " not in value and value[:1] != " " and value[-1:] != " ":
                return value, []
            return " ".join(value.split()), []
        n_sur = 0
    else:
        value, n_sur = _SURROGATE.subn("\ufffd", value)
        value = unicodedata.normalize("NFC", value)
    value, n_ctl = _CONTROL.subn("", value)
    done = [f"removed {n_ctl} control or bidi-override character(s)"] if n_ctl else []
    done += [f"replaced {n_sur} unpaired surrogate(s) with U+FFFD"] if n_sur else []
    return " ".join(value.split()), done


def clean_text(value: str) -> str:
    """NFC, control and bidi-override characters removed, runs of white space folded to one space.

    >>> clean_text(" Caf\\u0065\\u0301  \\u202eNet\\x07 ")
    'Café Net'
    """
    return _clean(value)[0]


def normalise_title(title: str) -> str:
    """The form two copies of one title share: letters and digits, lower case, accents folded.

    >>> normalise_title("DeepCache: Accelerating  Diffusion Models") == normalise_title("deepcache accelerating diffusion models")
    True
    """
    if title.isascii():  # NFKD and accent folding change nothing; casefold is lower()
        key = _NOT_ASCII_ALNUM.sub("", title).lower()
    else:
        s = unicodedata.normalize("NFKD", title)
        s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
        key = "".join(c for c in s if c.isalnum())
    # A title of symbols only ("???") still needs a key of its own.
    return key or title.strip().casefold()


def paper_key(title: str) -> str:
    """Stable id of a paper: a hash of its normalised title (16 hex digits)."""
    return hashlib.sha1(normalise_title(title).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def arxiv_id(*values: Any) -> str | None:
    """The first arXiv id found in `values` (a bare id, "arXiv:ID" or an abs/pdf URL), without its version."""
    for v in values:
        if isinstance(v, str) and v:
            m = _ARXIV_ID.search(v.strip())
            if m:
                return m.group(1)
    return None


def _date(value: Any) -> str | None:
    """ISO date (YYYY-MM-DD, or YYYY-MM / YYYY as given), or None."""
    if value is None or isinstance(value, (dict, list, bool, LongNumber)):
        return None
    s = str(value).strip()
    if re.match(r"^--\d{2}-\d{2}$", s):  # a month and day without a year (listing pages)
        return s
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", s)
    if m:
        return "-".join(g for g in m.groups() if g)
    m = DATE_LINE.match(s)
    if m:
        mon, day, year = _MONTHS[m.group(1)[:3]], int(m.group(2)), m.group(3)
        return f"{year}-{mon:02d}-{day:02d}" if year else f"--{mon:02d}-{day:02d}"
    return None


def _scalar_text(v: Any) -> str | None:
    """A JSON scalar as text (numbers too); None for objects, lists, booleans and NaN."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    # An int is exact as text however long (math.isfinite would try it as a float: OverflowError).
    return str(v) if isinstance(v, int) or math.isfinite(v) else None


def _authors(value: Any, notes: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = re.split(r"\s*(?:,|;|\band\b)\s*", value)
    elif isinstance(value, list):
        parts = []
        for a in value:
            if isinstance(a, dict):
                name = _scalar_text(a.get("name"))
                a = name or " ".join(_scalar_text(a.get(k)) or "" for k in ("given", "family")).strip()
            elif isinstance(a, list):  # arXiv's authors_parsed: [last, first, suffix]
                a = [_scalar_text(x) or "" for x in a]
                a = " ".join(x for x in (a[1:2] + a[:1] + a[2:3]) if x)
            else:
                if isinstance(a, LongNumber):
                    notes.append(f"an author is not text (a JSON {_kind_of(a)}); left out")
                a = _scalar_text(a) or ""
            parts.append(a)
    else:
        return ()
    return tuple(a for a in (clean_text(p) for p in parts) if a)


def _kind_of(v: Any) -> str:
    if isinstance(v, float):
        return "number that is not finite"
    if isinstance(v, LongNumber):
        return f"number of {len(v.digits.lstrip('-')):,} digits"
    return {dict: "object", list: "array", bool: "boolean"}.get(type(v), type(v).__name__)


def _text_field(rec: dict, name: str, notes: list[str], *, required: bool = False) -> str | None:
    """The first non-empty text under one of `name`'s field names.

    A value that is not text makes a required field's record unusable; for metadata it is left
    out with a note.
    """
    for k in FIELDS[name]:
        v = rec.get(k)
        if v is None:
            continue
        s = _scalar_text(v)
        if s is None:
            if required:
                raise BadRecord(f"{name} is not text (a JSON {_kind_of(v)})")
            notes.append(f"{name} is not text (a JSON {_kind_of(v)}); left out")
            continue
        s, done = _clean(s)
        notes.extend(f"{name}: {d}" for d in done)
        if s:
            return s
    return None


def _url(url: str | None, notes: list[str]) -> str | None:
    """An http(s) URL; "arxiv.org/abs/..." gains https://, a bare DOI becomes a doi.org link."""
    if url is None:
        return None
    if re.match(r"(?i)https?://[^\s/]", url):
        return url.replace(" ", "%20")
    if re.match(r"(?i)(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/\S*$", url):
        return "https://" + url
    if re.match(r"10\.\d{4,9}/\S+$", url):
        return "https://doi.org/" + url
    shown = url if len(url) <= 60 else url[:57] + "..."
    notes.append(f"url {shown!r} is not an http(s) URL; left out")
    return None


def record_to_paper(rec: Any, source: str, *, arxiv: bool = False) -> tuple[Paper, list[str]]:
    """One input record -> Paper (and notes on what was changed); raises BadRecord when unusable."""
    if not isinstance(rec, dict):
        raise NotAPaper(f"record is a JSON {_kind_of(rec)}, not an object")
    notes: list[str] = []
    title = _text_field(rec, "title", notes, required=True)
    if not title:
        raise NotAPaper("record has no title")
    if len(title) > MAX_TITLE_CHARS:
        raise BadRecord(f"title is {len(title):,} characters long (at most {MAX_TITLE_CHARS:,}); not a title")
    abstract = _text_field(rec, "abstract", notes, required=True)
    if not abstract:
        raise BadRecord("record has no abstract")
    if len(abstract) > MAX_ABSTRACT_CHARS:
        notes.append(f"abstract cut from {len(abstract):,} to {MAX_ABSTRACT_CHARS:,} characters")
        abstract = abstract[:MAX_ABSTRACT_CHARS]
    rid = _text_field(rec, "id", notes)
    url = _url(_text_field(rec, "url", notes), notes)
    aid = _text_field(rec, "arxiv_id", notes) or arxiv_id(
        rid if arxiv else None, url, rid if rid and "arxiv" in rid.lower() else None)
    if arxiv and rid and not aid:
        aid = rid
    cats = rec.get("categories") or rec.get("category")
    if isinstance(cats, str):
        cats = cats.split()
    categories = tuple(c for c in (clean_text(c) for c in cats if isinstance(c, str)) if c) if isinstance(cats, list) else ()
    if arxiv and not url and aid:
        url = f"https://arxiv.org/abs/{aid}"
    authors = rec.get("authors_parsed") if arxiv and rec.get("authors_parsed") else next(
        (rec[k] for k in FIELDS["authors"] if rec.get(k)), None)
    date = _date(next((rec[k] for k in FIELDS["date"] if rec.get(k)), None))
    revised = _date(rec.get("revised"))
    first = _first_version(rec.get("versions"))
    if first:  # the arXiv snapshot: dated by its first version; update_date is the last revision
        date, revised = first, revised or _date(rec.get("update_date"))
    paper = Paper(
        key=paper_key(title), title=title, abstract=abstract, source=source, id=rid, arxiv_id=aid, url=url,
        date=date, authors=_authors(authors, notes), categories=categories,
        doi=doi_of(rec.get("doi")) or doi_of(rid) or doi_of(url), revised=revised if revised != date else None,
        tasks=_names(rec.get("curated_tasks")), methods=_names(rec.get("curated_methods")),
        code=_repos(rec.get("code"), notes),
    )
    return paper, notes


def doi_of(value: Any) -> str | None:
    """The DOI in `value` ("10.1103/x", "doi:10...", "https://doi.org/10..."), lower case; else None.

    >>> doi_of("https://doi.org/10.1103/PhysRevD.76.013009")
    '10.1103/physrevd.76.013009'
    """
    if not isinstance(value, str):
        return None
    m = _DOI.match(value.strip())
    return m.group(1).lower() if m else None


def _first_version(versions: Any) -> str | None:
    """The ISO date of an arXiv snapshot record's first version ({"created": "Mon, 2 Apr 2007 19:18:42 GMT"})."""
    if not (isinstance(versions, list) and versions and isinstance(versions[0], dict)):
        return None
    created = versions[0].get("created")
    if not isinstance(created, str):
        return None
    try:
        return email.utils.parsedate_to_datetime(created).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _names(value: Any) -> tuple[str, ...]:
    """Names from a list of strings or of objects with a `name` (Papers with Code's `methods`), in order, once each."""
    if not isinstance(value, list):
        return ()
    names = (clean_text(v) if isinstance(v, str) else clean_text(v["name"])
             if isinstance(v, dict) and isinstance(v.get("name"), str) else "" for v in value)
    return tuple(dict.fromkeys(n for n in names if n and len(n) <= MAX_TITLE_CHARS))


def _repos(value: Any, notes: list[str]) -> tuple[str, ...]:
    """http(s) URLs of code repositories the input names (one or a list)."""
    values = value if isinstance(value, list) else [value] if value is not None else []
    urls = (_url(clean_text(v), notes) if isinstance(v, str) and v.strip() else None for v in values)
    return tuple(dict.fromkeys(u.rstrip("/") for u in urls if u))


