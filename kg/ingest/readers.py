"""Text -> raw records: one reader per input format (listing, JSON Lines, JSON, CSV, Atom).

Each reader turns a file's text (kg.ingest.text.InputText) into (line, record) pairs, where a
record is a dict of the input's own fields or a `BadRecord` saying why that line cannot be one;
kg.ingest.papers turns records into papers. Readers never stop at a bad record when they can go
on: JSON Lines, CSV rows and listing pairs resynchronise at the next line; JSON arrays and XML stop
at the damage, keeping what came before.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any

from kg.ingest import text as input_text  # input_text.MAX_LINE_CHARS: read when used, as it may be lowered
from kg.ingest.bibtex import read_bibtex
from kg.ingest.text import (
    DATE_LINE,
    FIELDS,
    JSON_DECODER,
    LISTING_CHROME,
    LISTING_GLUED_CHROME,
    BadRecord,
    InputText,
    LongLine,
    NotAPaper,
    Warn,
    json_loads,
)

__all__ = ["READERS"]

_ATOM = "{http://www.w3.org/2005/Atom}"


# --- readers: text -> (line, record or BadRecord) ---------------------------------------------

def _json_problem(e: ValueError, *, whole_file: bool = False) -> str:
    """One line on a JSON error: what, where, and whether the text simply stops (a cut-off copy)."""
    if not isinstance(e, json.JSONDecodeError):
        return f"malformed JSON ({e})"
    # "Unterminated string starting at" reads on into our own "at column ...".
    msg = e.msg.removesuffix(" at")
    where = f"line {e.lineno}, column {e.colno}" if whole_file else f"column {e.colno}"
    cut = e.pos >= len(e.doc.rstrip()) or msg.startswith("Unterminated string")
    ends = f"; the {'file' if whole_file else 'line'} ends early" if cut else ""
    return f"malformed JSON ({msg} at {where}{ends})"


def _read_listing(src: InputText, path: str, warn: Warn) -> Iterator[tuple[int, Any]]:
    date = None
    pending: tuple[int, str] | None = None
    drop_next = False  # the abstract line of a title line that was too long
    for n, raw in enumerate(src.lines(), 1):
        if isinstance(raw, LongLine):
            if pending is not None:  # the abstract of the pending title: neither is a record
                yield pending[0], BadRecord(f"abstract (line {n}) is {raw.length:,} characters long "
                                          f"(at most {input_text.MAX_LINE_CHARS:,}); not read")
                pending = None
            else:
                yield n, raw.problem("; nor the line after it, its abstract")
                drop_next = True
            continue
        line = LISTING_GLUED_CHROME.sub("", raw.strip())
        if not line or LISTING_CHROME.match(line):
            continue
        if DATE_LINE.match(line):
            date = line  # parsed with the record's other dates
            continue
        if drop_next:
            drop_next = False
            continue
        if pending is None:
            pending = (n, line)
        else:
            yield pending[0], {"title": pending[1], "abstract": line, "date": date}
            pending = None
    if pending is not None:
        yield pending[0], BadRecord("title without an abstract at the end of the page")


def _read_jsonl(src: InputText, path: str, warn: Warn) -> Iterator[tuple[int, Any]]:
    for n, line in enumerate(src.lines(), 1):
        if isinstance(line, LongLine):
            yield n, line.problem()
            continue
        if not line.strip():
            continue
        try:
            yield n, json_loads(line)
        except ValueError as e:
            yield n, BadRecord(_json_problem(e))
        except RecursionError:
            yield n, BadRecord("malformed JSON (nested too deeply)")


def _json_values(text: str, start: int, *, in_array: bool) -> Iterator[tuple[int, Any]]:
    """JSON values one after another from `start` (the items of an array when `in_array`),
    each with the line it starts on.

    A malformed value ends the reading (JSON cannot be resynchronised safely), reported once.
    """
    dec = JSON_DECODER
    i = start
    line = text.count("\n", 0, i) + 1
    n = len(text)
    while True:
        j = i
        while j < n and text[j] in (" \t\r\n," if in_array else " \t\r\n"):
            j += 1
        line += text.count("\n", i, j)
        if j >= n:
            if in_array:
                yield line, BadRecord("JSON array is not closed (file truncated?)")
            return
        if in_array and text[j] == "]":
            return
        try:
            obj, end = dec.raw_decode(text, j)
        except ValueError as e:
            yield line, BadRecord(_json_problem(e, whole_file=True).removesuffix(")")
                                 + "); the rest of the file is not read")
            return
        except RecursionError:
            yield line, BadRecord("malformed JSON (nested too deeply); the rest of the file is not read")
            return
        yield line, obj
        line += text.count("\n", j, end)
        i = end


def _wrapped_items(text: str, key: str, inner: list) -> Iterator[tuple[int, Any]]:
    """The records of {"papers": [...]}, with their lines when the array can be found again."""
    for m in re.finditer(rf'"{re.escape(key)}"\s*:\s*\[', text):
        items = list(_json_values(text, m.end(), in_array=True))
        if [obj for _, obj in items] == inner:
            yield from items
            return
    yield from enumerate(inner, 1)  # not found: record numbers stand in for lines


def _read_json(src: InputText, path: str, warn: Warn) -> Iterator[tuple[int, Any]]:
    text = src.text  # never streamed (open_input)
    start = len(text) - len(text.lstrip())
    if text.startswith("[", start):
        yield from _json_values(text, start + 1, in_array=True)
        return
    values = list(_json_values(text, start, in_array=False))
    if len(values) == 1 and isinstance(values[0][1], dict):
        obj = values[0][1]
        key = next((k for k in ("papers", "records", "data", "items", "results") if isinstance(obj.get(k), list)), None)
        if key is not None:
            yield from _wrapped_items(text, key, obj[key])
            return
    if not values:
        yield 1, NotAPaper("JSON file holds no value")
    yield from values  # one record, or records one after another (`jq` output)


def _read_csv(src: InputText, path: str, warn: Warn) -> Iterator[tuple[int, Any]]:
    first = src.head[:4096].split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    old_limit = csv.field_size_limit()
    # The default limit (128 KiB a cell) would stop the file at one long abstract; a cell (quoted, it
    # may span lines) is still held whole, so it is capped as lines are.
    csv.field_size_limit(min(max(old_limit, src.size + 1), input_text.MAX_LINE_CHARS))
    long_lines: list[tuple[int, LongLine]] = []
    try:
        with src.csv_lines(long_lines) as lines:
            for line, rec in _csv_rows(csv.DictReader(lines, delimiter=delimiter), warn):
                while long_lines:
                    n, long = long_lines.pop(0)
                    yield n, long.problem()
                yield line, rec
            for n, long in long_lines:
                yield n, long.problem()
    finally:
        csv.field_size_limit(old_limit)


def _csv_rows(reader: csv.DictReader, warn: Warn) -> Iterator[tuple[int, Any]]:
    """(line, record or BadRecord) per CSV row; the header is line 1."""
    try:
        header = reader.fieldnames or []
    except csv.Error as e:
        yield 1, BadRecord(f"malformed CSV header ({e})")
        return
    columns = [c.strip().lower() for c in header]
    reader.fieldnames = columns
    missing = [c for c in ("title", "abstract") if not any(f in columns for f in (c, *(x.lower() for x in FIELDS[c])))]
    if missing:
        shown = ", ".join(columns) or "none"
        shown = shown if len(shown) <= 120 else shown[:117] + "..."
        yield 1, BadRecord(f"CSV has no {' or '.join(repr(m) for m in missing)} column (columns: {shown})")
        return
    start = 2
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield start, BadRecord(f"malformed CSV ({e}); the rest of the file is not read")
            return
        line, start = start, reader.line_num + 1
        extra = row.pop(None, None)  # more cells than columns
        if extra and any((x or "").strip() for x in extra):
            yield line, BadRecord(f"row has {len(columns) + len(extra)} cells, the header {len(columns)}")
            continue
        if not any((v or "").strip() for v in row.values()):
            continue
        short = [k for k, v in row.items() if v is None]  # fewer cells than columns
        rec = {k: v for k, v in row.items() if v is not None}
        if short:
            cells = f"row has {len(columns) - len(short)} of {len(columns)} cells"
            lacking = [name for name in ("title", "abstract") if not _has(rec, name)]
            if lacking:
                yield line, BadRecord(f"{cells}; no {' and no '.join(lacking)}")
                continue
            warn(line, f"{cells}; {', '.join(short)} left empty")
        yield line, rec


def _has(rec: dict, name: str) -> bool:
    """A CSV row (lower-case column names) has a non-empty value for `name`."""
    return any((rec.get(k.lower()) or "").strip() for k in FIELDS[name])


def _atom_text(el: ET.Element | None) -> str | None:
    return "".join(el.itertext()) if el is not None else None


def _atom_record(entry: ET.Element) -> dict:
    links = [l.get("href") for l in entry.findall(f"{_ATOM}link") if l.get("rel", "alternate") == "alternate"]
    return {
        "title": _atom_text(entry.find(f"{_ATOM}title")),
        "abstract": _atom_text(entry.find(f"{_ATOM}summary")),
        "id": _atom_text(entry.find(f"{_ATOM}id")),
        "url": links[0] if links else None,
        "date": _atom_text(entry.find(f"{_ATOM}published")),
        "authors": [_atom_text(a.find(f"{_ATOM}name")) or "" for a in entry.findall(f"{_ATOM}author")],
        "categories": [c.get("term") for c in entry.findall(f"{_ATOM}category") if c.get("term")],
    }


def _read_atom(src: InputText, path: str, warn: Warn) -> Iterator[tuple[int, Any]]:
    # A pull parser hands over each <entry> as it closes, so a file cut off (or broken) midway
    # still gives the entries before the damage. Entities are expanded by expat, which refuses
    # external ones and caps expansion ("billion laughs").
    parser = ET.XMLPullParser(events=("start", "end"))
    n = 0
    entry_line = 1
    lines_fed = 0
    try:
        for chunk in src.lines():
            if isinstance(chunk, LongLine):
                yield lines_fed + 1, chunk.problem("; the rest of the file is not read")
                return
            parser.feed(chunk + "\n")
            lines_fed += 1
            for event, el in parser.read_events():
                if event == "start" and el.tag == f"{_ATOM}entry":
                    entry_line = lines_fed
                elif event == "end" and el.tag == f"{_ATOM}entry":
                    n += 1
                    yield entry_line, _atom_record(el)
                    el.clear()
        parser.close()
    except ET.ParseError as e:
        yield e.position[0], BadRecord(f"malformed XML ({e}); the rest of the file is not read")
        return
    if n == 0:
        yield 1, NotAPaper("XML holds no Atom <entry> elements")


# --- API formats: records of OpenAlex, Semantic Scholar and Hugging Face, in the fields of the others

def _obj(v: Any) -> dict:
    return v if isinstance(v, dict) else {}


# Markup that APIs leave in abstracts (JATS `<jats:p>`, `<i>`, `<sub>`): a tag, not text.
_MARKUP = re.compile(r"</?[A-Za-z][\w.-]*(?::[\w.-]+)?(?:\s+[\w:.-]+\s*=\s*\"[^\"<>]*\")*\s*/?>")


_BLOCK_TAG = re.compile(r"</?(?:\w+:)?(?:p|div|br|sec|title|li|ul|ol|h\d)\b", re.I)


def _unmarked(text: Any) -> Any:
    """An API's abstract without its markup tags (text that is not a string is left for the caller to judge)."""
    if not isinstance(text, str) or "<" not in text:
        return text
    # A block tag (a paragraph, a section title) parts words; an inline one (<i>, <sub>) does not: H<sub>2</sub>O.
    return _MARKUP.sub(lambda m: " " if _BLOCK_TAG.match(m.group()) else "", text)


def _inverted_abstract(index: Any) -> str | None:
    """OpenAlex's abstract_inverted_index ({word: [positions]}) back into the abstract's text."""
    if not isinstance(index, dict):
        return None
    at: dict[int, str] = {}
    for word, positions in index.items():
        for i in positions if isinstance(positions, list) else ():
            if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < 1_000_000:
                at[i] = word
    return " ".join(at[i] for i in sorted(at)) or None


def _openalex_record(rec: dict) -> dict:
    """An OpenAlex work: the abstract rebuilt, the DOI as its URL, the OpenAlex id as its id."""
    loc = _obj(rec.get("primary_location"))
    authors = [_obj(a.get("author")).get("display_name") or a.get("raw_author_name")
               for a in rec.get("authorships") or () if isinstance(a, dict)]
    ids = _obj(rec.get("ids"))
    doi = rec.get("doi") or ids.get("doi")
    return {
        "doi": doi,
        "title": rec.get("title") or rec.get("display_name"),
        "abstract": _unmarked(_inverted_abstract(rec.get("abstract_inverted_index")) or rec.get("abstract")),
        "id": rec.get("id") or ids.get("openalex"),
        "url": doi or loc.get("landing_page_url"),
        "date": rec.get("publication_date") or rec.get("publication_year"),
        "authors": [a for a in authors if isinstance(a, str)],
        "arxiv_id": ids.get("arxiv"),
    }


def _s2_record(rec: dict) -> dict:
    """A Semantic Scholar Graph API paper: externalIds' ArXiv id and DOI, publicationDate (or year)."""
    ext = _obj(rec.get("externalIds"))
    arxiv, doi = ext.get("ArXiv"), ext.get("DOI")
    url = rec.get("url")
    if not isinstance(url, str) or not url:
        url = (f"https://arxiv.org/abs/{arxiv}" if isinstance(arxiv, str) and arxiv
               else f"https://doi.org/{doi}" if isinstance(doi, str) and doi
               else _obj(rec.get("openAccessPdf")).get("url"))
    return {
        "title": rec.get("title"),
        "abstract": _unmarked(rec.get("abstract")),
        "id": rec.get("paperId"),
        "url": url,
        "date": rec.get("publicationDate") or rec.get("year"),
        "authors": rec.get("authors"),
        "arxiv_id": arxiv,
        "doi": doi,  # fieldsOfStudy ("Computer Science") are not arXiv categories: --category does not read them
    }


def _hf_record(rec: dict) -> dict:
    """A Hugging Face daily papers item ({"paper": {...}, ...}) or a paper itself: the abstract is
    `summary`, the id an arXiv id."""
    paper = rec["paper"] if isinstance(rec.get("paper"), dict) else rec
    aid = paper.get("id")
    return {
        "title": paper.get("title") or rec.get("title"),
        "abstract": paper.get("summary") or rec.get("summary"),
        "arxiv_id": aid,
        "url": f"https://arxiv.org/abs/{aid}" if isinstance(aid, str) and aid else None,
        "date": paper.get("publishedAt") or rec.get("publishedAt"),
        "authors": paper.get("authors"),
        "code": paper.get("githubRepo") or rec.get("githubRepo"),
    }


def _pwc_record(rec: dict) -> dict:
    """A Papers with Code papers-with-abstracts record: its `tasks` and `methods` are the curators', its
    `paper_url` (the paper's Papers with Code page) its id."""
    return {**rec, "id": rec.get("id") or rec.get("paper_url"),
            "curated_tasks": rec.get("tasks"), "curated_methods": rec.get("methods")}


def _json_or_lines(src: InputText, path: str, warn: Warn) -> Iterator[tuple[int, Any]]:
    """The records of a JSON file, or of JSON Lines (a streamed file, or one whose first line is
    a whole object and has more after it); a line holding a page ({"results": [...]}) gives its items."""
    first, _, rest = src.head.lstrip().partition("\n")
    try:
        lines = src.text is None or (bool(rest.strip()) and isinstance(json_loads(first), dict))
    except (ValueError, RecursionError):
        lines = False
    if not lines:
        yield from _read_json(src, path, warn)
        return
    for n, rec in _read_jsonl(src, path, warn):
        inner = next((rec[k] for k in ("results", "data") if isinstance(rec, dict) and isinstance(rec.get(k), list)), None)
        if inner is None:
            yield n, rec
        else:
            yield from ((n, r) for r in inner)


def _mapped(convert: Callable[[dict], dict]) -> Callable[[InputText, str, Warn], Iterator[tuple[int, Any]]]:
    def read(src: InputText, path: str, warn: Warn) -> Iterator[tuple[int, Any]]:
        for n, rec in _json_or_lines(src, path, warn):
            yield n, convert(rec) if isinstance(rec, dict) else rec
    return read


#: Format name -> reader(text, path, warn) -> (line, record or BadRecord) pairs.
READERS: dict[str, Callable[[InputText, str, Warn], Iterator[tuple[int, Any]]]] = {
    "listing": _read_listing,
    "jsonl": _read_jsonl,
    "arxiv-jsonl": _read_jsonl,
    "json": _read_json,
    "pwc": _mapped(_pwc_record),
    "csv": _read_csv,
    "arxiv-atom": _read_atom,
    "openalex": _mapped(_openalex_record),
    "semantic-scholar": _mapped(_s2_record),
    "hf-papers": _mapped(_hf_record),
    "bibtex": read_bibtex,
}
