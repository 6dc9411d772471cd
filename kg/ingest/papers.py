"""Read papers from files in any supported format into Paper records; no NLP.

Formats (detected from each file's content, or forced with `fmt`):

    listing      daily-paper listing pages: a title line, then an abstract line; page chrome
                 (`Subscribe`, `new`, `byAK and the research community`, date lines such as
                 `Mar 11`, which date the papers below them) is skipped
    jsonl        JSON Lines of records with `title` and `abstract` (optional `id`, `url`, `date`,
                 `authors`, `arxiv_id`)
    json         a JSON array of such records (or an object holding one under `papers`/`records`/
                 `data`/`items`, or objects one after another as `jq` prints them)
    arxiv-jsonl  the arXiv metadata snapshot (`id`, `title`, `abstract`, `categories`, `authors`,
                 `doi`; dated by `versions[0].created`, `update_date` kept as the revision)
    arxiv-atom   arXiv API Atom XML (`<entry>` with `<title>`, `<summary>`, `<id>`, ...)
    csv          CSV with `title` and `abstract` columns (optional `id`, `url`, `date`, `authors`)
    pwc          the Papers with Code `papers-with-abstracts` JSON array (its `tasks` and `methods`
                 kept as curated facts; its other files are facts: kg.ingest.pwc_facts, --facts)
    openalex     OpenAlex works (one, a `results` page, or the snapshot's JSON Lines): abstract
                 rebuilt from `abstract_inverted_index`, OpenAlex id, DOI as URL, publication_date
    semantic-scholar  Semantic Scholar Graph API papers (one, or a `data` page): `paperId`,
                 `externalIds.ArXiv`, `publicationDate`
    hf-papers    the Hugging Face daily papers API: `paper.summary`, `paper.id` (arXiv), `publishedAt`
    bibtex       BibTeX entries (read with bibtexparser >= 2); one without `abstract` is skipped naming its key

A file no format recognises is skipped as "unrecognised format (formats read: ...)"; a listing page
is recognised only by its own structure (kg.ingest.text.detect_format), never in structured text.

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
still read. One paper given twice (same arXiv id, DOI or normalised title) is kept once; records
whose arXiv ids or DOIs differ are never merged.
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.defaults import CACHE_FILENAME
from kg.errors import FormatError, value_invalid_msg
from kg.ingest.fields import doi_of, normalise_title, paper_key, record_to_paper
from kg.ingest.pwc_facts import facts_kind
from kg.ingest.readers import READERS
from kg.ingest.text import (
    FIELDS,
    FORMATS,
    INPUT_SUFFIXES,
    BadRecord,
    NotAPaper,
    detect_format,
    open_input,
    unrecognised,
)
from kg.records import Paper, Problem, shown_name

__all__ = ["FORMATS", "INPUT_SUFFIXES", "Ingested", "read_papers", "iter_records", "detect_format"]

#: The files a build writes into its --out folder (kg.pipeline.build); a folder read as input that holds the
#: cache, or graph.html beside centrality.csv, is taken for one and not read back.
OUTPUT_FILES = frozenset({"graph.ttl", "graph.nt", "graph.jsonld", "graph.html", "centrality.csv", "top_methods.svg",
                          "trends.svg"})
# Reasons that say a record is not of the format read at all (when all of a file's records give one).


@dataclass
class Ingested:
    """What read_papers returns: the kept papers and an account of everything else."""

    papers: list[Paper] = field(default_factory=list)
    records_read: int = 0
    duplicates: int = 0
    skipped: list[Problem] = field(default_factory=list)  # records or files not built
    warnings: list[Problem] = field(default_factory=list)  # built, but something was changed
    merged_by: Counter = field(default_factory=Counter)  # duplicates merged per rule ("same title", ...)
    off_category: int = 0  # records left out by `categories` (read, neither kept nor skipped)


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
    first_skip, papers, titled, shapeless = len(skipped), 0, False, 0

    def warn(line: int | None, note: str) -> None:
        warnings.append(Problem.warning(where, line, note))

    for line, rec in READERS[kind](text, where, warn):
        source = f"{where}:{line}"
        if isinstance(rec, BadRecord):
            skipped.append(Problem.skip(where, line, str(rec)))
            shapeless += isinstance(rec, NotAPaper)
            continue
        if facts := facts_kind(rec):
            skipped.append(Problem.skip(where, None, f"a Papers with Code {facts} file: curated facts, not papers; "
                                                     "give it with --facts"))
            return
        # A record with a title field, even an empty one, has a paper's shape: its file is in a
        # format paperkg reads, and its skips are said record by record.
        titled = titled or (isinstance(rec, dict) and any(k in rec for k in FIELDS["title"]))
        try:
            paper, notes = record_to_paper(rec, source, arxiv=arxiv)
        except BadRecord as e:
            skipped.append(Problem.skip(where, line, str(e)))
            shapeless += isinstance(e, NotAPaper)
            continue
        warnings.extend(Problem.warning(where, line, note) for note in notes)
        papers += 1
        yield source, paper
    mine = skipped[first_skip:]
    if fmt == "auto" and not papers and not titled and mine and shapeless == len(mine):
        # Not one record has the shape of a paper: the file is in no format paperkg reads (naming
        # the first reason), rather than a line-by-line account of fields it was never meant to have.
        del skipped[first_skip:]
        skipped.append(Problem.skip(where, None, unrecognised(f"{mine[0].reason} ({len(mine)} records)"
                                                              if len(mine) > 1 else mine[0].reason)))


def read_papers(
    inputs: Sequence[str | Path],
    *,
    fmt: str = "auto",
    on_skip: Callable[[Problem], None] | None = None,
    on_warning: Callable[[Problem], None] | None = None,
    start: Ingested | None = None,
    exclude: Sequence[str | Path] = (),
    categories: Sequence[str] = (),
) -> Ingested:
    """Read every input file (folders are walked) into papers, merging duplicates.

    A paper is a duplicate of an earlier one when their arXiv ids, their DOIs or their normalised
    titles are equal, and neither their arXiv ids nor their DOIs differ (two records with different
    ids are two papers, whatever their titles: the later one gets a key of its own, with a warning);
    the first record wins and later ones only fill metadata it lacks. `merged_by` counts the merges
    per rule. `on_skip` and
    `on_warning` hear of each problem once a file is done, in line order.

    `start`, an earlier result, is read on from (an update): the new records merge into its
    papers, and only the new problems are reported. Its list of papers is changed in place, its
    Paper objects never: one that a new record fills in is replaced in the list by a filled copy.
    Folders in `exclude` (the build's output folder) are not read when met inside an input folder.

    `categories` ("cs.LG", or a whole archive: "cs"): a record that lists arXiv-style categories
    (the arXiv snapshot and Atom) is kept only when one of them is wanted; it is counted in
    `off_category`. A record without categories (other formats) is kept.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise FormatError(value_invalid_msg("format", fmt, ("auto", *FORMATS)))
    out = start if start is not None else Ingested()
    position = {p.key: i for i, p in enumerate(out.papers)}
    # The first kept paper (in list order) per arXiv id, DOI and input id, counting the ids a later
    # copy filled in: so an update, which rebuilds these from the papers, finds what a full read does.
    by_arxiv: dict[str, Paper] = {}
    by_doi: dict[str, Paper] = {}
    by_id: dict[str, Paper] = {}
    by_title: dict[str, list[Paper]] = {}  # papers sharing a normalised title (kept apart by their ids)

    def register(index: dict[str, Paper], value: str | None, paper: Paper) -> None:
        if value and (value not in index or position[paper.key] < position[index[value].key]):
            index[value] = paper

    def register_all(paper: Paper) -> None:
        register(by_arxiv, paper.arxiv_id, paper)
        register(by_doi, paper_doi(paper), paper)
        register(by_id, paper.id, paper)

    for p in out.papers:
        register_all(p)
    # The papers read on from (an update) are indexed by title only once a new record has the title of
    # one of them: the first paper of a title has that title's key (a later paper of the same title
    # gets a key of its own), so a title key no earlier paper has is no earlier paper's title, and
    # hashing 100,000 stored titles again was most of an update's ingest.
    earlier, titles_indexed = len(out.papers), not out.papers

    def same_title_as(key: str) -> list[Paper]:
        nonlocal by_title, titles_indexed
        if not titles_indexed and position.get(key, earlier) < earlier:
            titles_indexed = True
            index: dict[str, list[Paper]] = {}
            for p in out.papers[:earlier]:
                index.setdefault(paper_key(p.title), []).append(p)
            for k, later in by_title.items():  # titles of new papers only (see above): after the earlier ones
                index.setdefault(k, []).extend(later)
            by_title = index
        return by_title.setdefault(key, [])

    copied: set[str] = set()  # keys of the earlier papers replaced by copies (the indexes hold the copies)

    def own_copy(p: Paper) -> Paper:
        """Earlier paper `p` replaced by a copy in the list and the indexes, so that filling it in leaves `p` as it was
        (the caller may hold it: an update compares the papers it read on from with what they became)."""
        c = copy.copy(p)
        out.papers[position[p.key]] = c
        for index, value in ((by_arxiv, p.arxiv_id), (by_doi, paper_doi(p)), (by_id, p.id)):
            if value and index.get(value) is p:
                index[value] = c
        if titles_indexed:
            same = by_title[paper_key(p.title)]
            same[next(i for i, q in enumerate(same) if q is p)] = c
        return c

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
            if categories and paper.categories and not in_categories(paper.categories, categories):
                out.off_category += 1
                continue
            same_title = same_title_as(paper.key)
            doi = paper_doi(paper)
            first, rule = None, ""
            for cand, why in (*((c, "same title") for c in same_title), (by_arxiv.get(paper.arxiv_id or ""), "same arXiv id"),
                              (by_doi.get(doi or ""), "same DOI")):
                if cand is not None and not _contradicts(cand, paper):
                    first, rule = cand, why
                    break
            if first is not None:
                out.duplicates += 1
                out.merged_by[rule] += 1
                if position[first.key] < earlier and first.key not in copied:
                    first = own_copy(first)
                    copied.add(first.key)
                _fill(first, paper)
                register_all(first)
                continue
            line = int(paper.source.rsplit(":", 1)[1])
            if same_title:
                ident = paper.arxiv_id or doi or paper.id or paper.source
                paper.key = hashlib.sha1(f"{normalise_title(paper.title)}\x00{ident}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
                a_id = same_title[0].arxiv_id
                ids = "arXiv id" if paper.arxiv_id and a_id and paper.arxiv_id != a_id else "DOI"
                out.warnings.append(Problem.warning(shown_name(path), line, f"same title as {same_title[0].source}, but "
                                                          f"another {ids}: a different paper, both kept"))
            other = by_id.get(paper.id) if paper.id else None
            if other is not None:
                out.warnings.append(Problem.warning(shown_name(path), line, f"id {paper.id!r} is also the id of {other.source}, "
                                                          "which has another title; both are kept"))
            same_title.append(paper)
            position[paper.key] = len(out.papers)
            register_all(paper)
            out.papers.append(paper)
        # A skipped record was read too; a skipped whole file (line None) is no record.
        out.records_read += sum(1 for s in out.skipped[n_skip:] if s.line is not None)
        report()
    return out


def paper_doi(paper: Paper) -> str | None:
    """A paper's DOI (lower case), from its `doi`, its id or a doi.org URL; None if it has none."""
    return paper.doi or doi_of(paper.id) or doi_of(paper.url)


def in_categories(have: Sequence[str], wanted: Sequence[str]) -> bool:
    """Whether one of the categories `have` is wanted: named ("cs.LG") or its archive is ("cs").

    >>> in_categories(("math.CO", "cs.CG"), ["cs"]), in_categories(("hep-ph",), ["cs.LG", "cs.CL"])
    (True, False)
    """
    want = {w.lower() for w in wanted}
    return any(c.lower() in want or c.split(".", 1)[0].lower() in want for c in have)


def _contradicts(a: Paper, b: Paper) -> bool:
    """Two records whose arXiv ids or DOIs differ are different papers, whatever their titles."""
    if a.arxiv_id and b.arxiv_id and a.arxiv_id != b.arxiv_id:
        return True
    da, db = paper_doi(a), paper_doi(b)
    return bool(da and db and da != db)


def _fill(first: Paper, dup: Paper) -> None:
    """Metadata the first copy of a paper lacks is taken from a later copy."""
    for name in ("id", "arxiv_id", "url", "date", "doi", "revised", "tasks", "methods", "code"):
        if not getattr(first, name) and getattr(dup, name):
            setattr(first, name, getattr(dup, name))
    if not first.authors and dup.authors:
        first.authors = dup.authors
    if not first.categories and dup.categories:
        first.categories = dup.categories
