"""Input files -> text: decoding, binary and format detection, streaming and bounded lines.

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
import io
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kg.records import Problem

__all__ = ["BadRecord", "NotAPaper", "DATE_LINE", "FIELDS", "LISTING_CHROME", "LISTING_GLUED_CHROME", "FORMATS", "INPUT_SUFFIXES", "InputText", "JSON_DECODER", "LongLine",
           "LongNumber", "MAX_INT_DIGITS", "MAX_LINE_CHARS", "STREAM_MIN_BYTES", "Warn", "binary_kind", "decode",
           "detect_format", "json_loads", "open_input", "unrecognised"]

FORMATS = ("listing", "jsonl", "json", "arxiv-jsonl", "arxiv-atom", "csv", "pwc", "openalex", "semantic-scholar",
           "hf-papers", "bibtex")
#: Suffixes of the files a folder is searched for (a file named on the command line is always read).
INPUT_SUFFIXES = (".atom", ".bib", ".csv", ".json", ".jsonl", ".ndjson", ".tsv", ".txt", ".xml")
#: Field names that may hold each piece of a record, in order of preference.
FIELDS = {
    "title": ("title", "Title", "paper_title", "name"),
    "abstract": ("abstract", "Abstract", "summary", "paper_abstract", "description"),
    "id": ("id", "ID", "paper_id", "doi"),
    "url": ("url", "URL", "url_abs", "paper_url", "link"),
    "date": ("date", "published", "update_date", "year"),
    "authors": ("authors", "author", "Authors"),
    "arxiv_id": ("arxiv_id", "arxiv", "arXiv"),
    "categories": ("categories", "category"),
}
#: A listing page's date line ("Mar 11", "March 11, 2024"); it dates the papers below it.
DATE_LINE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (\d{1,2})(?:, (\d{4}))?$")
#: A listing page's chrome: lines that are not papers (and a "Subscribe" glued to the next title).
LISTING_CHROME = re.compile(
    r"^(?:new|Subscribe|byAK and the research community|Get trending papers in your email inbox(?: once a day)?!)$"
)
LISTING_GLUED_CHROME = re.compile(r"^Subscribe(?=\S)")
# A line of structured text, never of a listing page: markup, a key = value or key: value line, a
# list item, a line ending in a separator or an opening brace.
_STRUCTURED_LINE = re.compile(r"^(?:[{}\[\]<@#|>]|```|[-*+] |\d+\.\s|[A-Za-z_][\w.-]*\s*=|[a-z_][a-z0-9_]*:\s)|[,;{\[]$")

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
_STREAMED = frozenset({"listing", "jsonl", "arxiv-jsonl", "csv", "arxiv-atom", "openalex", "semantic-scholar",
                       "hf-papers"})
# A BibTeX entry's opening, at the start of a line ("@InProceedings{key,").
_BIBTEX_ENTRY = re.compile(r"(?mi)^[ \t]*@(?:article|inproceedings|conference|misc|book|incollection|inbook|phdthesis|"
                           r"mastersthesis|techreport|unpublished|online|proceedings|preprint|string|preamble)[ \t]*[{(]")
#: Formats of APIs' JSON, streamed only when it is JSON Lines (a snapshot).
_API_FORMATS = frozenset({"openalex", "semantic-scholar", "hf-papers"})
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


class NotAPaper(BadRecord):
    """A record without a paper's shape (not an object, no title, no entries at all): when a file
    holds nothing else, it is in no format paperkg reads (kg.ingest.papers says so)."""


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


JSON_DECODER = json.JSONDecoder(parse_int=_parse_int)


def json_loads(text: str) -> Any:
    """json.loads, but a huge integer becomes a LongNumber instead of failing the whole value."""
    return JSON_DECODER.decode(text)


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
    kind = detect_format(text, where) if fmt == "auto" else fmt
    if kind is None:
        return unrecognised()
    return kind, InputText(text)


def unrecognised(detail: str = "") -> str:
    """The reason given for a file no reader recognises."""
    return f"unrecognised format (formats read: {', '.join(FORMATS)}){'; ' + detail if detail else ''}"


def _streamed(path: Path, f, head_bytes: bytes, fmt: str) -> tuple[str, InputText] | None:
    """(format, streamed text) for a large file whose head settles everything, else None (read it whole).

    `f` is positioned after `head_bytes`; the rest of the file is checked to be UTF-8 (else it is
    read whole, and as Latin-1, as `decode` does).
    """
    head = codecs.getincrementaldecoder("utf-8-sig")().decode(head_bytes, final=False)
    if len(head.lstrip()) < 4096 or (fmt == "auto" and not _head_decides(head)):
        return None
    kind = detect_format(head, str(path)) if fmt == "auto" else fmt
    if kind is None or kind not in _STREAMED or (kind in _API_FORMATS and not _looks_like_jsonl(head)):
        return None  # an API's JSON (not JSON Lines) is read whole
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


def _api_format(head: str) -> str | None:
    """The API whose JSON (a record, a page of them, or JSON Lines) `head` begins, if any."""
    if not head.startswith(("{", "[")):
        return None
    if re.search(r'"abstract_inverted_index"\s*:|"id"\s*:\s*"https://openalex\.org/W\d', head):
        return "openalex"
    if re.search(r'"paperId"\s*:', head):
        return "semantic-scholar"
    if re.match(r'\[\s*\{\s*"paper"\s*:\s*\{', head) or (
            re.search(r'"paper"\s*:\s*\{', head) and re.search(r'"(?:summary|upvotes|discussionId)"\s*:', head)):
        return "hf-papers"
    return None


def detect_format(text: str, path: str = "") -> str | None:
    """The format of a file's content (the formats are listed in kg.ingest.papers's docstring), or
    None when no reader recognises it.

    >>> detect_format('{"title": "T", "abstract": "A"}\\n')
    'jsonl'
    >>> detect_format('title,abstract\\nT,A\\n')
    'csv'
    """
    head = text.lstrip()[:4096]
    suffix = Path(path).suffix.lower()
    if api := _api_format(head):
        return api
    if head.startswith("<"):
        return "arxiv-atom"
    if head.startswith("[") and not re.match(r'\[\s*(?:[\[{"\d\-\]]|true|false|null)', head):
        return None  # "[section]" of an INI file, "[x] done" of a to-do list: not a JSON array
    if head.startswith("["):
        return "pwc" if re.search(r'"(?:paper_url|url_abs|proceeding)"\s*:', head) else "json"
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
    if suffix == ".bib" or _BIBTEX_ENTRY.search(head):
        return "bibtex"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"  # not JSON at all, but named so: each line is reported as such
    if suffix == ".json":
        return "json"
    return "listing" if _looks_like_listing(text) else None


def _looks_like_listing(text: str) -> bool:
    """A daily-paper listing page by its own structure: its chrome or date lines, or else lines that
    pair up as title and abstract with (almost) none that looks like structured text."""
    lines = [line.strip() for line in _lines(text[:65536])]
    content = []
    for line in lines:
        if LISTING_CHROME.match(line) or LISTING_GLUED_CHROME.match(line) or DATE_LINE.match(line):
            return True
        if line:
            content.append(line)
    if len(content) < 2:
        return False
    structured = sum(1 for line in content if _STRUCTURED_LINE.search(line))
    titles = content[::2]
    return structured * 10 <= len(content) and sum(len(t) <= 300 for t in titles) * 2 >= len(titles)
