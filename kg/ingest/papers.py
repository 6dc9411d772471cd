"""Read papers from files in any supported format into Paper records; no NLP.

Formats (detected from each file's content, or forced with `fmt`):

    listing      daily-paper listing pages: a title line, then an abstract line; page chrome
                 (`Subscribe`, `new`, `byAK and the research community`, date lines such as
                 `Mar 11`, which date the papers below them) is skipped
    jsonl        JSON Lines of records with `title` and `abstract` (optional `id`, `url`, `date`,
                 `authors`, `arxiv_id`)
    json         a JSON array of such records (or an object holding one under `papers`/`records`/
                 `data`/`items`, or objects one after another as `jq` prints them)
    arxiv-jsonl  the arXiv metadata snapshot (`id`, `title`, `abstract`, `update_date`,
                 `categories`, `authors`)
    arxiv-atom   arXiv API Atom XML (`<entry>` with `<title>`, `<summary>`, `<id>`, ...)
    csv          CSV with `title` and `abstract` columns (optional `id`, `url`, `date`, `authors`)
    pwc          the Papers with Code `papers-with-abstracts` JSON array

Files are read as UTF-8 (a byte-order mark, UTF-16 included, is honoured); a file that is not
UTF-8 is read as Windows-1252/Latin-1 with a warning. Binary files (PDF, ZIP, gzip, images, ...)
are skipped with their kind named (kg.ingest.text holds the decoding, kg.ingest.readers the
readers; a large file in a line-based format is streamed, so memory follows the papers kept, not
the file size; a line longer than kg.ingest.text.MAX_LINE_CHARS is skipped unread). In a folder, only files with a known suffix
(`INPUT_SUFFIXES`) or none are read; the others are reported as skipped. A subfolder that cannot be
read is skipped with its reason; hidden names, and paperkg's own output folders (the build's --out,
or any folder holding the build cache or graph.html beside centrality.csv), are not read. File names
are shown escaped (kg.records.shown_name). Text fields are NFC-normalised, control
and bidi-override characters are removed (with a warning) and white space is folded. A JSON number
in a text field is taken as its text; an integer of more than kg.ingest.text.MAX_INT_DIGITS digits is not.

A record that cannot be used is skipped with a reason naming its file and line; the others are
still read. One paper given twice (same normalised title, or same arXiv id) is kept once.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.defaults import CACHE_FILENAME, MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS
from kg.errors import FormatError, value_invalid_msg
from kg.ingest.readers import READERS
from kg.ingest.text import (
    DATE_LINE,
    FIELDS,
    FORMATS,
    INPUT_SUFFIXES,
    BadRecord,
    LongNumber,
    detect_format,
    open_input,
)
from kg.records import Paper, Problem, shown_name

__all__ = ["FORMATS", "INPUT_SUFFIXES", "Ingested", "read_papers", "iter_records", "detect_format", "paper_key",
           "normalise_title", "clean_text"]

_MONTHS = {m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
# Removed from every text field: C0/C1 controls other than tab, newline and carriage return, and
# the bidi embedding/override/isolate controls, which can make a title display as another
# ("Trojan Source"); right-to-left letters themselves are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A lone surrogate (JSON allows "\ud800") cannot be written as UTF-8: it becomes U+FFFD.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# What an ASCII title keeps of itself in its key (str.isalnum on ASCII is exactly this).
_NOT_ASCII_ALNUM = re.compile(r"[^A-Za-z0-9]+")
#: The files a build writes into its --out folder (kg.pipeline.build); a folder read as input that holds the
#: cache, or graph.html beside centrality.csv, is taken for one and not read back.
OUTPUT_FILES = frozenset({"graph.ttl", "graph.nt", "graph.jsonld", "graph.html", "centrality.csv", "top_methods.svg",
                          "trends.svg"})
_ARXIV_ID = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|^|arXiv:)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)


@dataclass
class Ingested:
    """What read_papers returns: the kept papers and an account of everything else."""

    papers: list[Paper] = field(default_factory=list)
    records_read: int = 0
    duplicates: int = 0
    skipped: list[Problem] = field(default_factory=list)  # records or files not built
    warnings: list[Problem] = field(default_factory=list)  # built, but something was changed


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


def _arxiv_id(*values: Any) -> str | None:
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
        raise BadRecord(f"record is a JSON {_kind_of(rec)}, not an object")
    notes: list[str] = []
    title = _text_field(rec, "title", notes, required=True)
    if not title:
        raise BadRecord("record has no title")
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
    aid = _text_field(rec, "arxiv_id", notes) or _arxiv_id(
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
    paper = Paper(
        key=paper_key(title), title=title, abstract=abstract, source=source, id=rid, arxiv_id=aid, url=url,
        date=_date(next((rec[k] for k in FIELDS["date"] if rec.get(k)), None)),
        authors=_authors(authors, notes), categories=categories,
    )
    return paper, notes


# --- files -> papers -------------------------------------------------------------------------

def _files(inputs: Sequence[str | Path], skipped: list[Problem], warnings: list[Problem],
           exclude: Sequence[str | Path] = ()) -> Iterator[Path]:
    """The files to read: named files as they are; in folders, files with an input suffix.

    Other files in a folder (a README, a PDF) are passed over with a warning, not a skip: the user
    did not ask for them, so `--strict` should not fail on them. `exclude`: folders never read
    (the build's --out), as any paperkg output folder found on the way is not.
    """
    out_ids = {_dir_id(Path(x)) for x in exclude} - {None}
    for inp in inputs:
        p = Path(inp)
        if p.is_dir():
            n_skipped = len(skipped)
            found = _walk(p, skipped, warnings, out_ids)
            if not found and len(skipped) == n_skipped:  # else it says why it gave no files
                skipped.append(Problem.skip(str(p), None, "folder holds no files"))
            for f in found:
                if f.suffix and f.suffix.lower() not in INPUT_SUFFIXES:
                    warnings.append(Problem.warning(str(f), None, f"not an input file, left out: paperkg reads {', '.join(INPUT_SUFFIXES)} "
                                                       "files in folders (name a file to read it anyway)"))
                else:
                    yield f
        elif p.is_file():
            yield p
        elif p.exists():
            skipped.append(Problem.skip(str(p), None, "not a regular file"))
        else:
            skipped.append(Problem.skip(str(p), None, "no such file or folder"))


def _dir_id(path: Path) -> tuple[int, int] | None:
    """(device, inode) of a folder, which two spellings of one folder share; None if there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _walk(top: Path, skipped: list[Problem], warnings: list[Problem], out_ids: set[tuple[int, int]]) -> list[Path]:
    """The files under `top`, sorted, leaving out hidden names and paperkg output folders.

    A folder that cannot be listed is a skip (Path.rglob would pass over it in silence, and --strict
    would not hear of it); a symlinked folder is not entered (no loops), a symlinked file is read.
    In `top` itself, when it is an output folder too (`kg build papers/ --out papers/`), only the
    output files are left out.
    """
    found: list[Path] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as e:
            skipped.append(Problem.skip(str(folder), None, f"folder cannot be read ({e.strerror or e}); its files are not read"))
            continue
        names = {e.name for e in entries}
        is_excluded = bool(out_ids) and _dir_id(folder) in out_ids
        is_out = is_excluded or CACHE_FILENAME in names or {"graph.html", "centrality.csv"} <= names
        if is_out and folder != top:
            if not is_excluded:  # the --out folder goes unmentioned: the user named it
                warnings.append(Problem.warning(str(folder), None, "paperkg's output folder, left out (its files are not input)"))
            continue
        for e in entries:
            if e.name.startswith(".") or (is_out and e.name in OUTPUT_FILES):
                continue
            path = folder / e.name
            try:
                if e.is_dir(follow_symlinks=False):
                    stack.append(path)
                elif e.is_file():
                    found.append(path)
            except OSError as err:
                skipped.append(Problem.skip(str(path), None, f"cannot be read ({err.strerror or err})"))
    return sorted(found)


def iter_records(path: Path, fmt: str, skipped: list[Problem], warnings: list[Problem]) -> Iterator[tuple[str, Paper]]:
    """(source, Paper) for each usable record of one file; problems go to `skipped`/`warnings`.

    Records are read as they are needed (a large line-based file is streamed: kg.ingest.text.open_input).
    """
    where = shown_name(path)  # the name as messages, the cache and the RDF hold it
    got = open_input(path, fmt, warnings)
    if isinstance(got, str):
        skipped.append(Problem.skip(where, None, got))
        return
    kind, text = got
    arxiv = kind in ("arxiv-jsonl", "arxiv-atom")

    def warn(line: int | None, note: str) -> None:
        warnings.append(Problem.warning(where, line, note))

    for line, rec in READERS[kind](text, where, warn):
        source = f"{where}:{line}"
        if isinstance(rec, BadRecord):
            skipped.append(Problem.skip(where, line, str(rec)))
            continue
        try:
            paper, notes = record_to_paper(rec, source, arxiv=arxiv)
        except BadRecord as e:
            skipped.append(Problem.skip(where, line, str(e)))
            continue
        warnings.extend(Problem.warning(where, line, note) for note in notes)
        yield source, paper


def read_papers(
    inputs: Sequence[str | Path],
    *,
    fmt: str = "auto",
    on_skip: Callable[[Problem], None] | None = None,
    on_warning: Callable[[Problem], None] | None = None,
    start: Ingested | None = None,
    exclude: Sequence[str | Path] = (),
) -> Ingested:
    """Read every input file (folders are walked) into papers, merging duplicates.

    A paper is a duplicate of an earlier one when their normalised titles or their arXiv ids
    are equal; the first record wins and later ones only fill metadata it lacks. `on_skip` and
    `on_warning` hear of each problem once a file is done, in line order.

    `start`, an earlier result, is read on from (an update): the new records merge into its
    papers, which are changed in place, and only the new problems are reported. Folders in
    `exclude` (the build's output folder) are not read when met inside an input folder.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise FormatError(value_invalid_msg("format", fmt, ("auto", *FORMATS)))
    out = start if start is not None else Ingested()
    by_key: dict[str, Paper] = {p.key: p for p in out.papers}
    position = {p.key: i for i, p in enumerate(out.papers)}
    # The first kept paper (in list order) per arXiv id and per input id, counting the ids a later
    # copy filled in: so an update, which rebuilds these from the papers, finds what a full read does.
    by_arxiv: dict[str, Paper] = {}
    by_id: dict[str, Paper] = {}

    def register(index: dict[str, Paper], value: str | None, paper: Paper) -> None:
        if value and (value not in index or position[paper.key] < position[index[value].key]):
            index[value] = paper

    for p in out.papers:
        register(by_arxiv, p.arxiv_id, p)
        register(by_id, p.id, p)
    reported = [len(out.skipped), len(out.warnings)]  # how many problems the callbacks have seen

    def report() -> None:
        news = [(s, on_skip) for s in out.skipped[reported[0]:]] + [(w, on_warning) for w in out.warnings[reported[1]:]]
        # One file's problems, in line order (a whole-file problem first); the sort is stable.
        for s, callback in sorted(news, key=lambda t: t[0].line or 0):
            if callback is not None:
                callback(s)
        reported[:] = [len(out.skipped), len(out.warnings)]

    files = list(_files(inputs, out.skipped, out.warnings, exclude))
    report()
    for path in files:
        n_skip = len(out.skipped)
        for _source, paper in iter_records(path, fmt, out.skipped, out.warnings):
            out.records_read += 1
            first = by_key.get(paper.key)
            if first is None and paper.arxiv_id:
                first = by_arxiv.get(paper.arxiv_id)
            if first is not None:
                out.duplicates += 1
                _fill(first, paper)
                register(by_arxiv, first.arxiv_id, first)
                register(by_id, first.id, first)
                continue
            other = by_id.get(paper.id) if paper.id else None
            if other is not None:
                line = int(paper.source.rsplit(":", 1)[1])
                out.warnings.append(Problem.warning(shown_name(path), line, f"id {paper.id!r} is also the id of {other.source}, "
                                                          "which has another title; both are kept"))
            by_key[paper.key] = paper
            position[paper.key] = len(out.papers)
            register(by_arxiv, paper.arxiv_id, paper)
            register(by_id, paper.id, paper)
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
