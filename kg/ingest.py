"""Read papers from files in any supported format into Paper records; no NLP.

Formats (detected from each file's content, or forced with `fmt`):

    listing      daily-paper listing pages: a title line, then an abstract line; page chrome
                 (`Subscribe`, `new`, `byAK and the research community`, date lines such as
                 `Mar 11`, which date the papers below them) is skipped
    jsonl        JSON Lines of records with `title` and `abstract` (optional `id`, `url`, `date`,
                 `authors`, `arxiv_id`)
    json         a JSON array of such records (or an object holding one under `papers`/`records`/`data`)
    arxiv-jsonl  the arXiv metadata snapshot (`id`, `title`, `abstract`, `update_date`,
                 `categories`, `authors`)
    arxiv-atom   arXiv API Atom XML (`<entry>` with `<title>`, `<summary>`, `<id>`, ...)
    csv          CSV with `title` and `abstract` columns (optional `id`, `url`, `date`, `authors`)
    pwc          the Papers with Code `papers-with-abstracts` JSON array

A record that cannot be used is skipped with a reason naming its file and line; the others are
still read. One paper given twice (same normalised title, or same arXiv id) is kept once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.defaults import MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS
from kg.errors import FormatError, value_invalid_msg
from kg.records import Paper, Skip

__all__ = ["FORMATS", "Ingested", "read_papers", "iter_records", "detect_format", "paper_key", "normalise_title"]

FORMATS = ("listing", "jsonl", "json", "arxiv-jsonl", "arxiv-atom", "csv", "pwc")

_CHROME = re.compile(
    r"^(?:new|Subscribe|byAK and the research community|Get trending papers in your email inbox(?: once a day)?!)$"
)
_MONTHS = {m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
_DATE_LINE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (\d{1,2})(?:, (\d{4}))?$")
_GLUED_CHROME = re.compile(r"^Subscribe(?=\S)")
# Control characters other than tab and newline: stripped from every text field.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_ARXIV_ID = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|^|arXiv:)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_ATOM = "{http://www.w3.org/2005/Atom}"
# Field names that may hold each piece of a record, in order of preference.
_FIELDS = {
    "title": ("title", "Title", "paper_title", "name"),
    "abstract": ("abstract", "Abstract", "summary", "paper_abstract", "description"),
    "id": ("id", "ID", "paper_id", "doi"),
    "url": ("url", "URL", "url_abs", "paper_url", "link"),
    "date": ("date", "published", "update_date", "year"),
    "authors": ("authors", "author", "Authors"),
    "arxiv_id": ("arxiv_id", "arxiv", "arXiv"),
    "categories": ("categories", "category", "tasks"),
}


@dataclass
class Ingested:
    """What read_papers returns: the kept papers and an account of everything else."""

    papers: list[Paper] = field(default_factory=list)
    records_read: int = 0
    duplicates: int = 0
    skipped: list[Skip] = field(default_factory=list)  # records or files not built
    warnings: list[Skip] = field(default_factory=list)  # built, but something was changed


class _Problem(Exception):
    """A record that cannot be used; its message is the reason shown to the user."""


# --- normalisation ---------------------------------------------------------------------------

def clean_text(value: str) -> str:
    """NFC, control characters removed, runs of white space folded to one space."""
    value = unicodedata.normalize("NFC", value)
    return _SPACES.sub(" ", _CONTROL.sub("", value)).strip()


def normalise_title(title: str) -> str:
    """The form two copies of one title share: letters and digits, lower case, accents folded.

    >>> normalise_title("DeepCache: Accelerating  Diffusion Models") == normalise_title("deepcache accelerating diffusion models")
    True
    """
    s = unicodedata.normalize("NFKD", title)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    key = "".join(c for c in s if c.isalnum())
    # A title of symbols only ("???") still needs a key of its own.
    return key or title.strip().casefold()


def paper_key(title: str) -> str:
    """Stable id of a paper: a hash of its normalised title (16 hex digits)."""
    return hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:16]


def _arxiv_id(*values: Any) -> str | None:
    for v in values:
        if isinstance(v, str) and v:
            m = _ARXIV_ID.search(v.strip())
            if m:
                return m.group(1)
    return None


def _date(value: Any) -> str | None:
    """ISO date (YYYY-MM-DD, or YYYY-MM / YYYY as given), or None."""
    if value is None:
        return None
    s = str(value).strip()
    if re.match(r"^--\d{2}-\d{2}$", s):  # a month and day without a year (listing pages)
        return s
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", s)
    if m:
        return "-".join(g for g in m.groups() if g)
    m = _DATE_LINE.match(s)
    if m:
        mon, day, year = _MONTHS[m.group(1)[:3]], int(m.group(2)), m.group(3)
        return f"{year}-{mon:02d}-{day:02d}" if year else f"--{mon:02d}-{day:02d}"
    return None


def _authors(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = re.split(r"\s*(?:,|;|\band\b)\s*", value)
    elif isinstance(value, list):
        parts = []
        for a in value:
            if isinstance(a, dict):
                a = a.get("name") or " ".join(str(a.get(k, "")) for k in ("given", "family")).strip()
            elif isinstance(a, list):  # arXiv's authors_parsed: [last, first, suffix]
                a = " ".join(x for x in (a[1:2] + a[:1] + a[2:3]) if x)
            parts.append(str(a))
    else:
        return ()
    return tuple(a for a in (clean_text(p) for p in parts) if a)


def _text_field(rec: dict, name: str) -> str | None:
    for k in _FIELDS[name]:
        v = rec.get(k)
        if v is None:
            continue
        if isinstance(v, (dict, list)):
            raise _Problem(f"{name} is not text")
        v = clean_text(str(v))
        if v:
            return v
    return None


def record_to_paper(rec: Any, source: str, *, arxiv: bool = False) -> tuple[Paper, list[str]]:
    """One input record -> Paper (and notes on what was changed); raises _Problem when unusable."""
    if not isinstance(rec, dict):
        raise _Problem(f"record is a JSON {type(rec).__name__}, not an object")
    notes = []
    title = _text_field(rec, "title")
    if not title:
        raise _Problem("record has no title")
    if len(title) > MAX_TITLE_CHARS:
        raise _Problem(f"title is {len(title):,} characters long (at most {MAX_TITLE_CHARS:,}); not a title")
    abstract = _text_field(rec, "abstract")
    if not abstract:
        raise _Problem("record has no abstract")
    if len(abstract) > MAX_ABSTRACT_CHARS:
        notes.append(f"abstract cut from {len(abstract):,} to {MAX_ABSTRACT_CHARS:,} characters")
        abstract = abstract[:MAX_ABSTRACT_CHARS]
    rid = _text_field(rec, "id")
    url = _text_field(rec, "url")
    aid = _text_field(rec, "arxiv_id") or _arxiv_id(rid if arxiv else None, url, rid if rid and "arxiv" in rid.lower() else None)
    if arxiv and rid and not aid:
        aid = rid
    cats = rec.get("categories") or rec.get("category")
    categories = tuple(cats.split()) if isinstance(cats, str) else tuple(str(c) for c in cats or () if isinstance(c, str))
    if arxiv and not url and aid:
        url = f"https://arxiv.org/abs/{aid}"
    authors = rec.get("authors_parsed") if arxiv and rec.get("authors_parsed") else next(
        (rec[k] for k in _FIELDS["authors"] if rec.get(k)), None)
    paper = Paper(
        key=paper_key(title), title=title, abstract=abstract, source=source, id=rid, arxiv_id=aid, url=url,
        date=_date(next((rec[k] for k in _FIELDS["date"] if rec.get(k)), None)),
        authors=_authors(authors), categories=categories,
    )
    return paper, notes


# --- reading files ---------------------------------------------------------------------------

def _decode(data: bytes, path: str, warnings: list[Skip]) -> str:
    """UTF-8 (with or without BOM); otherwise Windows-1252/Latin-1, with a warning."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        warnings.append(Skip(path, line, "not valid UTF-8; read as Latin-1 (Windows-1252)"))
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def detect_format(text: str, path: str = "") -> str:
    """The format of a file's content (see the module docstring).

    >>> detect_format('{"title": "T", "abstract": "A"}\\n')
    'jsonl'
    >>> detect_format('title,abstract\\nT,A\\n')
    'csv'
    """
    head = text.lstrip()[:4096]
    suffix = Path(path).suffix.lower()
    if head.startswith("<"):
        return "arxiv-atom"
    if head.startswith("["):
        first = re.search(r"\{[^{}]*\}", head)
        return "pwc" if first and re.search(r'"(?:paper_url|url_abs|proceeding)"', first.group(0)) else "json"
    if head.startswith("{"):
        first_line = head.split("\n", 1)[0]
        try:
            obj = json.loads(first_line)
        except ValueError:
            return "json"  # one object spread over many lines
        if isinstance(obj, dict) and ("update_date" in obj or "authors_parsed" in obj or "submitter" in obj):
            return "arxiv-jsonl"
        return "jsonl"
    first_line = head.split("\n", 1)[0].lower()
    if suffix in (".csv", ".tsv") or (re.search(r"\btitle\b", first_line) and re.search(r"\b(?:abstract|summary)\b", first_line)
                                      and ("," in first_line or "\t" in first_line)):
        return "csv"
    return "listing"


def _read_listing(text: str, path: str) -> Iterator[tuple[int, Any]]:
    date = None
    pending: tuple[int, str] | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = _GLUED_CHROME.sub("", raw.strip())
        if not line or _CHROME.match(line):
            continue
        if _DATE_LINE.match(line):
            date = _date(line)
            continue
        if pending is None:
            pending = (n, line)
        else:
            yield pending[0], {"title": pending[1], "abstract": line, "date": date}
            pending = None
    if pending is not None:
        yield pending[0], _Problem("title without an abstract at the end of the page")


def _read_jsonl(text: str, path: str) -> Iterator[tuple[int, Any]]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except ValueError as e:
            yield n, _Problem(f"malformed JSON ({e.msg} at column {e.colno})")


def _json_array_items(text: str) -> Iterator[tuple[int, Any]]:
    """Items of a top-level JSON array, one at a time, with the line each starts on.

    A malformed item ends the array (JSON cannot be resynchronised safely), reported once.
    """
    dec = json.JSONDecoder()
    i = text.index("[") + 1
    line = text.count("\n", 0, i) + 1
    n = len(text)
    while True:
        j = i
        while j < n and text[j] in " \t\r\n,":
            j += 1
        line += text.count("\n", i, j)
        if j >= n:
            yield line, _Problem("JSON array is not closed (file truncated?)")
            return
        if text[j] == "]":
            return
        try:
            obj, end = dec.raw_decode(text, j)
        except ValueError as e:
            yield line, _Problem(f"malformed JSON ({e.msg}); the rest of the file is not read")
            return
        yield line, obj
        line += text.count("\n", j, end)
        i = end


def _read_json(text: str, path: str) -> Iterator[tuple[int, Any]]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _json_array_items(text)
        return
    try:
        obj = json.loads(text)
    except ValueError as e:
        yield e.lineno, _Problem(f"malformed JSON ({e.msg} at column {e.colno})")
        return
    if isinstance(obj, dict):
        inner = next((obj[k] for k in ("papers", "records", "data", "items") if isinstance(obj.get(k), list)), None)
        if inner is None:
            yield 1, obj  # one record
            return
        for i, rec in enumerate(inner, 1):
            yield i, rec
    else:
        yield 1, _Problem("JSON is neither an object nor an array of objects")


def _read_csv(text: str, path: str) -> Iterator[tuple[int, Any]]:
    sample = text[:4096]
    delimiter = "\t" if sample.split("\n", 1)[0].count("\t") > sample.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    missing = [c for c in ("title", "abstract") if not any(f in columns for f in (c, *(x.lower() for x in _FIELDS[c])))]
    if missing:
        yield 1, _Problem(f"CSV has no {' or '.join(repr(m) for m in missing)} column (columns: {', '.join(columns) or 'none'})")
        return
    start = 2
    for row in reader:
        if None in row:  # more cells than columns
            extra = row.pop(None)
            if any(x.strip() for x in extra):
                yield start, _Problem(f"row has {len(extra)} cell(s) more than the header")
                start = reader.line_num + 1
                continue
        if not any((v or "").strip() for v in row.values()):
            start = reader.line_num + 1
            continue
        yield start, {k: v for k, v in row.items() if v is not None}
        start = reader.line_num + 1


def _atom_text(el: ET.Element | None) -> str | None:
    return "".join(el.itertext()) if el is not None else None


def _read_atom(text: str, path: str) -> Iterator[tuple[int, Any]]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        yield e.position[0], _Problem(f"malformed XML ({e})")
        return
    entries = root.iter(f"{_ATOM}entry")
    for n, entry in enumerate(entries, 1):
        links = [l.get("href") for l in entry.findall(f"{_ATOM}link") if l.get("rel", "alternate") == "alternate"]
        yield n, {
            "title": _atom_text(entry.find(f"{_ATOM}title")),
            "abstract": _atom_text(entry.find(f"{_ATOM}summary")),
            "id": _atom_text(entry.find(f"{_ATOM}id")),
            "url": links[0] if links else None,
            "date": _atom_text(entry.find(f"{_ATOM}published")),
            "authors": [_atom_text(a.find(f"{_ATOM}name")) or "" for a in entry.findall(f"{_ATOM}author")],
            "categories": [c.get("term") for c in entry.findall(f"{_ATOM}category") if c.get("term")],
        }


_READERS: dict[str, Callable[[str, str], Iterator[tuple[int, Any]]]] = {
    "listing": _read_listing,
    "jsonl": _read_jsonl,
    "arxiv-jsonl": _read_jsonl,
    "json": _read_json,
    "pwc": _read_json,
    "csv": _read_csv,
    "arxiv-atom": _read_atom,
}


def _files(inputs: Sequence[str | Path], skipped: list[Skip]) -> Iterator[Path]:
    for inp in inputs:
        p = Path(inp)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                skipped.append(Skip(str(p), None, "folder holds no files"))
            yield from found
        elif p.is_file():
            yield p
        elif p.exists():
            skipped.append(Skip(str(p), None, "not a regular file"))
        else:
            skipped.append(Skip(str(p), None, "no such file or folder"))


def iter_records(path: Path, fmt: str, skipped: list[Skip], warnings: list[Skip]) -> Iterator[tuple[str, Paper]]:
    """(source, Paper) for each usable record of one file; problems go to `skipped`/`warnings`."""
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        skipped.append(Skip(where, None, f"cannot be read ({e.strerror or e})"))
        return
    if not data.strip():
        skipped.append(Skip(where, None, "empty file"))
        return
    if b"\x00" in data[:8192]:
        skipped.append(Skip(where, None, "binary file (not text)"))
        return
    text = _decode(data, where, warnings)
    kind = detect_format(text, where) if fmt == "auto" else fmt
    arxiv = kind in ("arxiv-jsonl", "arxiv-atom")
    for line, rec in _READERS[kind](text, where):
        source = f"{where}:{line}"
        if isinstance(rec, _Problem):
            skipped.append(Skip(where, line, str(rec)))
            continue
        try:
            paper, notes = record_to_paper(rec, source, arxiv=arxiv)
        except _Problem as e:
            skipped.append(Skip(where, line, str(e)))
            continue
        warnings.extend(Skip(where, line, note) for note in notes)
        yield source, paper


def read_papers(
    inputs: Sequence[str | Path],
    *,
    fmt: str = "auto",
    on_skip: Callable[[Skip], None] | None = None,
    on_warning: Callable[[Skip], None] | None = None,
) -> Ingested:
    """Read every input file (folders are walked) into papers, merging duplicates.

    A paper is a duplicate of an earlier one when their normalised titles or their arXiv ids
    are equal; the first record wins and later ones only fill metadata it lacks.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise FormatError(value_invalid_msg("format", fmt, ("auto", *FORMATS)))
    out = Ingested()
    by_key: dict[str, Paper] = {}
    by_arxiv: dict[str, str] = {}
    by_id: dict[str, Paper] = {}
    reported = [0, 0]  # how many skips and warnings on_skip has seen

    def report() -> None:
        for s in out.skipped[reported[0]:] if on_skip else ():
            on_skip(s)
        for s in out.warnings[reported[1]:] if on_warning else ():
            on_warning(s)
        reported[:] = [len(out.skipped), len(out.warnings)]

    files = list(_files(inputs, out.skipped))
    report()
    for path in files:
        n_skip = len(out.skipped)
        for _source, paper in iter_records(path, fmt, out.skipped, out.warnings):
            out.records_read += 1
            first = by_key.get(paper.key)
            if first is None and paper.arxiv_id in by_arxiv:
                first = by_key[by_arxiv[paper.arxiv_id]]
            if first is not None:
                out.duplicates += 1
                _fill(first, paper)
                continue
            other = by_id.get(paper.id) if paper.id else None
            if other is not None:
                line = int(paper.source.rsplit(":", 1)[1])
                out.warnings.append(Skip(str(path), line, f"id {paper.id!r} is also the id of {other.source}, "
                                                          "which has another title; both are kept"))
            elif paper.id:
                by_id[paper.id] = paper
            by_key[paper.key] = paper
            if paper.arxiv_id:
                by_arxiv.setdefault(paper.arxiv_id, paper.key)
            out.papers.append(paper)
        # A skipped record was read too; a skipped whole file (line None) is no record.
        out.records_read += sum(1 for s in out.skipped[n_skip:] if s.line is not None)
        report()
    return out


def _fill(first: Paper, dup: Paper) -> None:
    """Metadata the first copy of a paper lacks is taken from a later copy."""
    for name in ("id", "arxiv_id", "url", "date"):
        if getattr(first, name) is None and getattr(dup, name) is not None:
            setattr(first, name, getattr(dup, name))
    if not first.authors and dup.authors:
        first.authors = dup.authors
    if not first.categories and dup.categories:
        first.categories = dup.categories
