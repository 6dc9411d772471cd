"""Input files -> raw records: decoding, binary and format detection, and one reader per format.

Each reader turns a file's text into (line, record) pairs, where a record is a dict of the input's
own fields or a `BadRecord` saying why that line cannot be one; kg.ingest.papers turns records into papers.
Readers never stop at a bad record when they can go on: JSON Lines, CSV rows and listing pairs
resynchronise at the next line; JSON arrays and XML stop at the damage, keeping what came before.

A file larger than STREAM_MIN_BYTES in a line-based format (listing, JSON Lines, arXiv JSON Lines,
CSV, Atom) is read line by line (`open_input`), so memory grows with the papers kept rather than
with the file; JSON (arrays, `jq` output, Papers with Code), UTF-16 and non-UTF-8 files are read
whole. Either way the records, lines and problems are the same.

A line longer than MAX_LINE_CHARS is not a record: it is read in bounded pieces, never whole, and
reported ("line is 1,610,612,736 characters long ..."), so one runaway line cannot exhaust memory.
JSON integers longer than MAX_INT_DIGITS are kept as a `LongNumber`, never converted (Python
refuses past its int->str limit, and the conversion takes quadratic time).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kg.records import Problem

__all__ = ["FORMATS", "INPUT_SUFFIXES", "FIELDS", "DATE_LINE", "READERS", "STREAM_MIN_BYTES", "MAX_LINE_CHARS",
           "MAX_INT_DIGITS", "InputText", "LongLine", "LongNumber", "BadRecord", "Warn", "binary_kind", "decode",
           "detect_format", "json_loads", "open_input"]

FORMATS = ("listing", "jsonl", "json", "arxiv-jsonl", "arxiv-atom", "csv", "pwc")
#: Suffixes of the files a folder is searched for (a file named on the command line is always read).
INPUT_SUFFIXES = (".atom", ".csv", ".json", ".jsonl", ".ndjson", ".tsv", ".txt", ".xml")
#: Field names that may hold each piece of a record, in order of preference.
FIELDS = {
    "title": ("title", "Title", "paper_title", "name"),
    "abstract": ("abstract", "Abstract", "summary", "paper_abstract", "description"),
    "id": ("id", "ID", "paper_id", "doi"),
    "url": ("url", "URL", "url_abs", "paper_url", "link"),
    "date": ("date", "published", "update_date", "year"),
    "authors": ("authors", "author", "Authors"),
    "arxiv_id": ("arxiv_id", "arxiv", "arXiv"),
    "categories": ("categories", "category", "tasks"),
}
#: A listing page's date line ("Mar 11", "March 11, 2024"); it dates the papers below it.
DATE_LINE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (\d{1,2})(?:, (\d{4}))?$")

_CHROME = re.compile(
    r"^(?:new|Subscribe|byAK and the research community|Get trending papers in your email inbox(?: once a day)?!)$"
)
_GLUED_CHROME = re.compile(r"^Subscribe(?=\S)")
#: Files larger than this are streamed when their format allows (see the module docstring); the
#: first this many bytes are what format detection looks at (far more than it needs).
STREAM_MIN_BYTES = 1 << 20
_CHUNK = 1 << 20
#: The longest line a reader takes (characters, line end excluded); a longer one is skipped with a
#: reason. Far above any real record (an abstract is cut at 100,000 characters anyway).
MAX_LINE_CHARS = 16 << 20
#: JSON integers with more digits than this stay text (`LongNumber`): Python's default int->str limit.
MAX_INT_DIGITS = 4300
#: Formats whose readers go through a file line by line.
_STREAMED = frozenset({"listing", "jsonl", "arxiv-jsonl", "csv", "arxiv-atom"})
_ATOM = "{http://www.w3.org/2005/Atom}"
# Leading bytes of binary files people save next to their data, and what to call them.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx); unzip it first"),
    (b"\x1f\x8b", "gzip-compressed; decompress it first with gunzip"),
    (b"BZh", "bzip2-compressed; decompress it first with bunzip2"),
    (b"\xfd7zXZ\x00", "xz-compressed; decompress it first with unxz"),
    (b"(\xb5/\xfd", "zstd-compressed; decompress it first with unzstd"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet file; export it as CSV or JSON Lines first"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)


class BadRecord(Exception):
    """A record that cannot be used; its message is the reason shown to the user."""


class LongNumber:
    """A JSON integer too long to convert (more than MAX_INT_DIGITS digits); `digits` is its text."""

    __slots__ = ("digits",)

    def __init__(self, digits: str) -> None:
        self.digits = digits

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LongNumber) and other.digits == self.digits

    def __hash__(self) -> int:
        return hash(self.digits)

    def __repr__(self) -> str:
        return f"LongNumber({len(self.digits.lstrip('-')):,} digits)"


def _parse_int(digits: str) -> int | LongNumber:
    if len(digits) <= MAX_INT_DIGITS + 1:  # + 1: a minus sign
        try:
            return int(digits)
        except ValueError:  # sys.set_int_max_str_digits set lower than ours
            pass
    return LongNumber(digits)


_DECODER = json.JSONDecoder(parse_int=_parse_int)


def json_loads(text: str) -> Any:
    """json.loads, but a huge integer becomes a LongNumber instead of failing the whole value."""
    return _DECODER.decode(text)


class LongLine(str):
    """What InputText.lines gives for a line longer than MAX_LINE_CHARS: an empty line (so a reader
    that does not look passes over it) that knows how long the line was."""

    length: int

    def __new__(cls, length: int) -> LongLine:
        line = super().__new__(cls, "")
        line.length = length
        return line

    def problem(self, rest: str = "") -> BadRecord:
        return BadRecord(f"line is {self.length:,} characters long (at most {MAX_LINE_CHARS:,}); not read{rest}")


#: How a reader reports a note on a record it still yields: warn(line, note).
Warn = Callable[[int | None, str], None]


def binary_kind(data: bytes) -> str | None:
    """What a binary file is ("a PDF document", ...), or None for text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:8192]
    # Text in any 8-bit encoding has few control bytes besides tab, newline, CR and form feed
    # (a stray NUL or escape is cleaned away later; UTF-16 without a BOM is half NULs).
    controls = sum(1 for b in head if b < 32 and b not in b"\t\n\r\x0c")
    return "not text" if controls > 4 and controls * 20 > len(head) else None


def decode(data: bytes, path: str, warnings: list[Problem]) -> str:
    """UTF-8 or UTF-16 by byte-order mark; else UTF-8; else Windows-1252/Latin-1, with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass  # an odd byte count: not UTF-16 after all
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        warnings.append(Problem.warning(path, line, "not valid UTF-8; read as Latin-1 (Windows-1252)"))
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _lines(text: str) -> list[str]:
    # Split at line feeds only: str.splitlines also splits at U+2028, U+0085 and form feeds,
    # which JSON strings may hold, and would disagree with an editor's line numbers.
    return [line.removesuffix("\r") for line in text.split("\n")]


class InputText:
    """One input file's decoded text as the readers take it: whole (`text`), or a UTF-8 file
    (`path`) read line by line, of which `head` is the beginning and `size` the byte count."""

    def __init__(self, text: str | None = None, *, path: Path | None = None, head: str = "", size: int = 0) -> None:
        self.text, self.path = text, path
        self.head = text if text is not None else head
        self.size = len(text) if text is not None else size

    def lines(self) -> Iterator[str]:
        """The lines, split at line feeds only and without a trailing CR, as `_lines` splits text; a
        line longer than MAX_LINE_CHARS comes as a LongLine."""
        cap = MAX_LINE_CHARS
        if self.text is not None:
            for line in _lines(self.text):
                yield line if len(line) <= cap else LongLine(len(line))
            return
        ended = True  # text.split("\n") ends with "" after a final line feed (or for no text)
        with open(self.path, encoding="utf-8-sig", newline="\n") as f:
            # readline with a limit, not `for line in f`: that would hold a runaway line whole.
            while line := f.readline(cap + 2):
                ended = line.endswith("\n")
                body = (line[:-1] if ended else line).removesuffix("\r")
                if len(body) <= cap:
                    yield body
                    continue
                length, ended = _drain(f, line)
                yield LongLine(length)
        if ended:
            yield ""

    @contextmanager
    def csv_lines(self, long_lines: list[tuple[int, LongLine]]) -> Iterator[Iterator[str]]:
        """The lines as the csv module wants them: newline="" (CR, LF and CRLF end a line, kept).

        A line longer than MAX_LINE_CHARS is given as an empty line, and appended to `long_lines`
        with its number (as csv's line_num counts).
        """
        if self.text is not None:
            yield _capped(io.StringIO(self.text, newline=""), long_lines)
            return
        with open(self.path, encoding="utf-8-sig", newline="") as f:
            yield _capped(f, long_lines)


def _drain(f: io.TextIOBase, start: str, ends: tuple[str, ...] = ("\n",)) -> tuple[int, bool]:
    """Read on to the end of a too-long line that began with `start`, in bounded pieces.

    Returns its length without the line end (and a CR before it, as the lines are given) and whether
    a line end (one of `ends`) was found before the end of the file.
    """
    length, tail = len(start), start[-2:]
    while not tail.endswith(ends):
        piece = f.readline(_CHUNK)
        if not piece:
            break
        length, tail = length + len(piece), (tail + piece)[-2:]
    ended = tail.endswith(ends)
    return length - len(tail) + len(tail.rstrip("\r\n") if ended or tail.endswith("\r") else tail), ended


def _capped(f: io.TextIOBase, long_lines: list[tuple[int, LongLine]]) -> Iterator[str]:
    """The lines of `f` (read with newline=""), a too-long one as "\n" and noted in `long_lines`."""
    cap = MAX_LINE_CHARS
    n = 0
    while line := f.readline(cap + 2):
        n += 1
        body = line.rstrip("\r\n")
        if len(body) <= cap:
            yield line
            continue
        length = len(body) if line.endswith(("\r", "\n")) else _drain(f, line, ("\r", "\n"))[0]
        long_lines.append((n, LongLine(length)))
        yield "\n"


def _head_decides(head: str) -> bool:
    """Whether `detect_format` gives the same answer on `head` as on the whole text it begins: it
    reads the whole text only for a file starting with "{" whose first line is not JSON."""
    start = head.lstrip()[:4096]
    if not start.startswith("{"):
        return True
    try:
        json_loads(start.split("\n", 1)[0])
    except (ValueError, RecursionError):
        return False
    return True


def open_input(path: Path, fmt: str, warnings: list[Problem]) -> tuple[str, InputText] | str:
    """(format, text) of one input file, or why it cannot be read ("empty file", ...).

    `fmt` is a format name or "auto" (detected from the content); a decoding warning goes to
    `warnings`. A large UTF-8 file in a line-based format is streamed (the module docstring).
    """
    where = str(path)
    try:
        with path.open("rb") as f:
            data = f.read(STREAM_MIN_BYTES + 1)
            if len(data) > STREAM_MIN_BYTES and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and data.strip():
                if kind := binary_kind(data):
                    return f"binary file ({kind})"
                got = _streamed(path, f, data, fmt)
                if got is not None:
                    return got
                f.seek(len(data))
            data += f.read()
    except OSError as e:
        return f"cannot be read ({e.strerror or e})"
    if not data.strip():
        return "empty file"
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and (kind := binary_kind(data)):
        return f"binary file ({kind})"
    text = decode(data, where, warnings)
    if not text.strip():
        return "empty file"
    return (detect_format(text, where) if fmt == "auto" else fmt), InputText(text)


def _streamed(path: Path, f, head_bytes: bytes, fmt: str) -> tuple[str, InputText] | None:
    """(format, streamed text) for a large file whose head settles everything, else None (read it whole).

    `f` is positioned after `head_bytes`; the rest of the file is checked to be UTF-8 (else it is
    read whole, and as Latin-1, as `decode` does).
    """
    head = codecs.getincrementaldecoder("utf-8-sig")().decode(head_bytes, final=False)
    if len(head.lstrip()) < 4096 or (fmt == "auto" and not _head_decides(head)):
        return None
    kind = detect_format(head, str(path)) if fmt == "auto" else fmt
    if kind not in _STREAMED:
        return None
    check = codecs.getincrementaldecoder("utf-8")()
    try:
        check.decode(head_bytes)
        while chunk := f.read(_CHUNK):
            check.decode(chunk)
        check.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return kind, InputText(path=path, head=head, size=f.tell())


def _looks_like_jsonl(text: str) -> bool:
    """The first lines all start with "{" and most of them are whole JSON objects."""
    lines = [line for line in _lines(text[:65536]) if line.strip()][:20]
    whole = 0
    for line in lines:
        if not line.lstrip().startswith("{"):
            return False
        try:
            whole += isinstance(json_loads(line), dict)
        except (ValueError, RecursionError):
            pass
    return whole > 0 and whole * 2 >= len(lines)


def detect_format(text: str, path: str = "") -> str:
    """The format of a file's content (the formats are listed in kg.ingest.papers's docstring).

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
            obj = json_loads(first_line)
        except (ValueError, RecursionError):
            # One object spread over many lines, or JSON Lines whose first line is broken.
            try:
                json_loads(text)
                return "json"
            except (ValueError, RecursionError):
                return "jsonl" if _looks_like_jsonl(text) else "json"
        if isinstance(obj, dict) and ("update_date" in obj or "authors_parsed" in obj or "submitter" in obj):
            return "arxiv-jsonl"
        return "jsonl"
    first_line = head.split("\n", 1)[0].lower()
    if suffix in (".csv", ".tsv") or (re.search(r"\btitle\b", first_line) and re.search(r"\b(?:abstract|summary)\b", first_line)
                                      and ("," in first_line or "\t" in first_line)):
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"  # not JSON at all, but named so: each line is reported as such
    if suffix == ".json":
        return "json"
    return "listing"


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
                                          f"(at most {MAX_LINE_CHARS:,}); not read")
                pending = None
            else:
                yield n, raw.problem("; nor the line after it, its abstract")
                drop_next = True
            continue
        line = _GLUED_CHROME.sub("", raw.strip())
        if not line or _CHROME.match(line):
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
    dec = _DECODER
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
        key = next((k for k in ("papers", "records", "data", "items") if isinstance(obj.get(k), list)), None)
        if key is not None:
            yield from _wrapped_items(text, key, obj[key])
            return
    if not values:
        yield 1, BadRecord("JSON file holds no value")
    yield from values  # one record, or records one after another (`jq` output)


def _read_csv(src: InputText, path: str, warn: Warn) -> Iterator[tuple[int, Any]]:
    first = src.head[:4096].split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    old_limit = csv.field_size_limit()
    # The default limit (128 KiB a cell) would stop the file at one long abstract; a cell (quoted, it
    # may span lines) is still held whole, so it is capped as lines are.
    csv.field_size_limit(min(max(old_limit, src.size + 1), MAX_LINE_CHARS))
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
        yield 1, BadRecord("XML holds no Atom <entry> elements")


#: Format name -> reader(text, path, warn) -> (line, record or BadRecord) pairs.
READERS: dict[str, Callable[[InputText, str, Warn], Iterator[tuple[int, Any]]]] = {
    "listing": _read_listing,
    "jsonl": _read_jsonl,
    "arxiv-jsonl": _read_jsonl,
    "json": _read_json,
    "pwc": _read_json,
    "csv": _read_csv,
    "arxiv-atom": _read_atom,
}
