"""An sqlite3 cache of per-paper Extractions, and the paper list a build leaves for `--update`.

An Extraction is stored under (content key, extractor version, min_confidence): the content key
is sha1(title + "\\n" + abstract), and the extractor version hashes kg.__version__, spaCy's
version and the bytes of every file the extractor reads (kg/extract/**, kg/data/lexicon/**,
kg/records.py). So an edited rule, pattern or lexicon line makes every entry stale
and nothing stale is ever served. Records are stored as JSON, never pickle: a cache file is data,
and loading it runs no code.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from kg.defaults import CACHE_FILENAME, PACKAGE_DIR
from kg.errors import KGError, OutputError
from kg.pipeline.cache_json import dump_paper, extraction_from_json, extraction_to_json, record
from kg.records import Extraction, Paper, Problem

__all__ = ["ExtractionCache", "BuildState", "content_key", "extractor_version", "extraction_to_json",
           "extraction_from_json", "CACHE_FILENAME", "CacheDamagedError", "set_aside", "state_version"]

_SCHEMA = 2  # bump when the tables or the JSON shape change (2: mentions and claims as arrays)
BATCH = 500  # keys per SELECT ... IN (...): well under SQLite's bound-parameter limit

_PACKAGE = PACKAGE_DIR
#: What the extractor's output depends on besides the paper: files and folders, relative to kg/.
_EXTRACTOR_SOURCES = ("extract", "data/lexicon", "data/decision", "records.py")
#: What the stored graph's form depends on besides the extractions, relative to kg/.
_STATE_SOURCES = ("resolve.py", "graph/assemble.py", "graph/snapshot.py", "graph/incremental.py", "export/rdf",
                  "defaults.py")


def content_key(title: str, abstract: str) -> str:
    """The cache key of a paper's text.

    >>> content_key("T", "A") == content_key("T", "A") != content_key("T", "B")
    True
    """
    return hashlib.sha1(f"{title}\n{abstract}".encode("utf-8")).hexdigest()


def _source_files(root: Path, sources: Sequence[str] = _EXTRACTOR_SOURCES) -> Iterator[Path]:
    for rel in sources:
        p = root / rel
        if p.is_file():
            yield p
        elif p.is_dir():
            yield from (f for f in p.rglob("*") if f.is_file() and "__pycache__" not in f.parts
                        and f.suffix not in (".pyc", ".pyo"))


@lru_cache(maxsize=8)
def extractor_version(root: Path = _PACKAGE) -> str:
    """A hash of everything that decides what the extractor outputs for a given text."""
    import kg

    # spaCy's version from its metadata (the same string as spacy.__version__): importing spaCy
    # here would cost the build process about 50 MiB for one string.
    h = hashlib.sha1(f"kg {kg.__version__}\nspacy {metadata.version('spacy')}\n".encode())
    for f in sorted(_source_files(root), key=lambda f: f.relative_to(root).as_posix()):
        data = f.read_bytes()
        h.update(f"{f.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


@lru_cache(maxsize=1)
def state_version() -> str:
    """A hash of the code that decides the stored graph and its RDF text, and of the extractor: a
    build stored by any other version is not patched but built afresh."""
    # Kept here, not in kg.graph: deciding whether a stored build can be reused is the pipeline's job.
    root = _PACKAGE
    h = hashlib.sha1(extractor_version().encode())
    for f in sorted(_source_files(root, _STATE_SOURCES), key=lambda f: f.relative_to(root).as_posix()):
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: loading makes a few hundred thousand small records at
    once, and each collection the allocations trigger would rescan the whole growing heap (half
    the load time at 20,000 papers). The records hold no reference cycles; collection resumes after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- damage ------------------------------------------------------------------------------------

class CacheDamagedError(KGError):
    """The cache file cannot be read as the cache it should be (overwritten bytes, edited rows)."""

    def __init__(self, path: Path, cause: BaseException, *, hint: str = "") -> None:
        self.path, self.hint = path, hint
        self.detail = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
        super().__init__(f"the cache {path} is damaged ({self.detail})" + (f"; {hint}" if hint else ""))


# SQLite result codes that say something about the disk or the folder, not about the file's contents.
_OS_CODES = {getattr(sqlite3, n) for n in ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN",
                                           "SQLITE_PERM", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_NOLFS",
                                           "SQLITE_INTERRUPT") if hasattr(sqlite3, n)}


def _guarded(method: Callable) -> Callable:
    """Turn what a damaged file makes `method` raise into CacheDamagedError, and a full or read-only
    disk into OutputError: never a raw sqlite3/JSON traceback."""

    @functools.wraps(method)
    def run(self: ExtractionCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise  # a bug in this module, not the file
        except sqlite3.Error as e:
            code = getattr(e, "sqlite_errorcode", None)
            if code is not None and code & 0xFF in _OS_CODES:
                full = code & 0xFF == getattr(sqlite3, "SQLITE_FULL", 13)
                raise OutputError(f"{'disk full: ' if full else ''}cannot write the cache {self.path} ({e})") from e
            raise CacheDamagedError(self.path, e) from e
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
            # JSON that does not parse, or rows of the wrong shape: nothing but an edit makes these.
            raise CacheDamagedError(self.path, e) from e

    return run


def set_aside(path: str | Path) -> Path:
    """Rename a damaged cache (and its SQLite side files) to PATH.damaged-N, the first N free; returns the new name.

    Kept, not deleted: it may be worth a look, and deleting what one cannot read is not this tool's call.
    """
    path = Path(path)
    n = 1
    while any(path.with_name(f"{path.name}.damaged-{n}{x}").exists() for x in ("", "-wal", "-shm", "-journal")):
        n += 1
    target = path.with_name(f"{path.name}.damaged-{n}")
    try:
        for x in ("", "-wal", "-shm", "-journal"):
            # A leftover -wal would be replayed into the fresh cache made under the old name.
            if Path(f"{path}{x}").exists():
                os.replace(f"{path}{x}", f"{target}{x}")
    except OSError as e:
        raise OutputError(f"cannot set the damaged cache {path} aside: {e.strerror or e}") from e
    return target


# --- the state a build leaves for --update -------------------------------------------------------

@dataclasses.dataclass
class BuildState:
    """The papers of a finished build (after merging duplicates) and its ingest account."""

    papers: list[Paper] | None  # None to save: the papers spilled to the cache (ExtractionCache.spill_papers)
    records_read: int = 0
    duplicates: int = 0
    skipped: list[Problem] = dataclasses.field(default_factory=list)
    warnings: list[Problem] = dataclasses.field(default_factory=list)
    inputs: list[str] = dataclasses.field(default_factory=list)


class ExtractionCache:
    """The cache file of one output folder. Use as a context manager, or call close().

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d, ExtractionCache(pathlib.Path(d) / "c.sqlite3") as c:
    ...     c.get([("k", "T", "A")], min_confidence=0.0)
    {}
    """

    def __init__(self, path: str | Path, *, version: str | None = None) -> None:
        self.path = Path(path)
        self._auto_version = version is None
        self.version = version or extractor_version()
        self._db: sqlite3.Connection | None = None
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def version_current(self) -> bool:
        """False when this cache keys entries by paperkg's own extractor version and the extractor's
        files changed since it was opened (a rule or lexicon edited while a build ran)."""
        return not self._auto_version or extractor_version.__wrapped__() == self.version

    @_guarded
    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.executescript(
            """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS extraction (
                content TEXT NOT NULL, version TEXT NOT NULL, min_confidence TEXT NOT NULL,
                data TEXT NOT NULL, PRIMARY KEY (content, version, min_confidence)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS paper (seq INTEGER PRIMARY KEY, data TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, data BLOB NOT NULL);
            """
        )
        row = self._db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if row is None or int(row[0]) != _SCHEMA:
            # A file from another paperkg release: start afresh rather than misread it.
            with self._db:
                self._db.executescript("DELETE FROM extraction; DELETE FROM paper; DELETE FROM meta; DELETE FROM state;")
                self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(_SCHEMA),))

    # -- extractions --

    @_guarded
    def get(self, items: Sequence[tuple[str, str, str]], *, min_confidence: float) -> dict[str, Extraction]:
        """(paper key, title, abstract) -> {paper key: cached Extraction} for those in the cache."""
        by_content: dict[str, list[str]] = {}
        for key, title, abstract in items:
            by_content.setdefault(content_key(title, abstract), []).append(key)
        contents = list(by_content)
        found: dict[str, Extraction] = {}
        conf = repr(float(min_confidence))
        with _gc_paused():
            for i in range(0, len(contents), BATCH):
                batch = contents[i:i + BATCH]
                rows = self._db.execute(
                    f"SELECT content, data FROM extraction WHERE version = ? AND min_confidence = ? "
                    f"AND content IN ({','.join('?' * len(batch))})",
                    (self.version, conf, *batch),
                )
                for content, data in rows:
                    for key in by_content[content]:
                        found[key] = extraction_from_json(key, data)
        return found

    def put(self, items: Iterable[tuple[str, str, Extraction]], *, min_confidence: float) -> None:
        """Store (title, abstract, Extraction) triples."""
        self.put_encoded(((t, a, extraction_to_json(ex)) for t, a, ex in items), min_confidence=min_confidence)

    @_guarded
    def put_encoded(self, items: Iterable[tuple[str, str, str]], *, min_confidence: float) -> None:
        """Store (title, abstract, the Extraction's extraction_to_json text) triples."""
        conf = repr(float(min_confidence))
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO extraction VALUES (?, ?, ?, ?)",
                ((content_key(t, a), self.version, conf, data) for t, a, data in items),
            )

    def extract(
        self,
        papers: Sequence[Paper],
        run: Callable[..., list[Extraction]],
        *,
        min_confidence: float,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Extraction]:
        """Extractions of `papers` in order: cached ones loaded, the others made by
        `run(missing_papers, on_progress=...)` and stored."""
        hits = self.get([(p.key, p.title, p.abstract) for p in papers], min_confidence=min_confidence)
        if on_progress and hits:
            on_progress(len(hits))
        missing = [p for p in papers if p.key not in hits]
        made = run(missing, on_progress=on_progress) if missing else []
        if len(made) != len(missing):
            raise KGError(f"extraction returned {len(made)} results for {len(missing)} papers")
        # Files edited while this build ran (a rule or lexicon being worked on): what was made may
        # come from either version, so none of it is stored under this one.
        if self.version_current():
            self.put(((p.title, p.abstract, ex) for p, ex in zip(missing, made)), min_confidence=min_confidence)
        new = dict(zip((p.key for p in missing), made))
        return [hits[p.key] if p.key in hits else new[p.key] for p in papers]

    @_guarded
    def present(self, contents: set[str], conf: str) -> set[str]:
        """Those of `contents` that hold an Extraction of this version."""
        wanted, found = sorted(contents), set()
        for i in range(0, len(wanted), BATCH):
            batch = wanted[i:i + BATCH]
            found.update(c for (c,) in self._db.execute(
                f"SELECT content FROM extraction WHERE version = ? AND min_confidence = ? "
                f"AND content IN ({','.join('?' * len(batch))})", (self.version, conf, *batch)))
        return found

    @_guarded
    def load_extractions(self, keys: Sequence[str], contents: Mapping[str, str], conf: str) -> list[Extraction]:
        """The stored Extractions of the papers `keys` (at most BATCH), in that order."""
        wanted = sorted({contents[k] for k in keys})
        rows = dict(self._db.execute(
            f"SELECT content, data FROM extraction WHERE version = ? AND min_confidence = ? "
            f"AND content IN ({','.join('?' * len(wanted))})", (self.version, conf, *wanted)))
        # A row gone since it was stored (the file edited meanwhile) raises KeyError: a damaged cache.
        return [extraction_from_json(k, rows[contents[k]]) for k in keys]

    @_guarded
    def forget(self, contents: Iterable[str], conf: str) -> None:
        """Delete the Extractions of `contents` made by this version."""
        with self._db:
            self._db.executemany("DELETE FROM extraction WHERE content = ? AND version = ? AND min_confidence = ?",
                                 ((c, self.version, conf) for c in sorted(contents)))

    @_guarded
    def spill_papers(self, papers: Iterable[tuple[int, int, Paper]]) -> None:
        """Keep (position, seq, Paper) rows in a scratch table of this connection (a temporary file, gone
        when it closes): a build reads its papers back from it (kg.pipeline.stored.StoredPapers) and
        save_build copies them from it, instead of holding them."""
        self._db.execute("PRAGMA temp_store = FILE")
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS spill (pos INTEGER PRIMARY KEY, seq INTEGER NOT NULL, "
                         "data TEXT NOT NULL)")
        with self._db:
            self._db.execute("DELETE FROM temp.spill")
            self._db.executemany("INSERT INTO temp.spill VALUES (?, ?, ?)",
                                 ((pos, seq, dump_paper(p)) for pos, seq, p in papers))

    @_guarded
    def spilled_in_order(self) -> list[Paper]:
        """Every spilled paper, in the build's order (seq)."""
        return [record(Paper, json.loads(d)) for (d,) in self._db.execute("SELECT data FROM temp.spill ORDER BY seq")]

    @_guarded
    def spilled_papers(self, lo: int, hi: int) -> list[Paper]:
        """The spilled papers at positions lo <= pos < hi, in position order."""
        return [record(Paper, json.loads(d)) for (d,) in self._db.execute(
            "SELECT data FROM temp.spill WHERE pos >= ? AND pos < ? ORDER BY pos", (lo, hi))]

    @_guarded
    def spilled_at(self, positions: Sequence[int]) -> list[Paper]:
        """The spilled papers at `positions` (at most BATCH), in that order."""
        rows = dict(self._db.execute(f"SELECT pos, data FROM temp.spill WHERE pos IN ({','.join('?' * len(positions))})",
                                     tuple(positions)))
        return [record(Paper, json.loads(rows[pos])) for pos in positions]

    @_guarded
    def prune(self) -> int:
        """Drop entries of other extractor versions; returns how many."""
        with self._db:
            return self._db.execute("DELETE FROM extraction WHERE version != ?", (self.version,)).rowcount

    # -- the previous build --

    @_guarded
    def save_build(self, state: BuildState, blobs: dict[str, bytes] | None = None, *,
                   rows: Iterable[int] | None = None) -> None:
        """Replace the stored build with `state` and the named `blobs` (one transaction: all or nothing).

        `rows`: positions of the only papers that changed since the stored build (an update), so
        the others are not written again; None writes them all.
        """
        skips = lambda xs: [[s.path, s.line, s.reason] for s in xs]  # noqa: E731
        meta = {"records_read": state.records_read, "duplicates": state.duplicates, "inputs": state.inputs,
                "skipped": skips(state.skipped), "warnings": skips(state.warnings)}
        with self._db:
            if state.papers is None:  # the build's papers are in the scratch table (spill_papers)
                self._db.execute("DELETE FROM paper")
                self._db.execute("INSERT INTO paper SELECT seq, data FROM temp.spill")
            elif rows is None:
                self._db.execute("DELETE FROM paper")
                self._db.executemany("INSERT INTO paper VALUES (?, ?)", ((i, dump_paper(p)) for i, p in enumerate(state.papers)))
            else:
                self._db.execute("DELETE FROM paper WHERE seq >= ?", (len(state.papers),))
                self._db.executemany("INSERT OR REPLACE INTO paper VALUES (?, ?)",
                                     ((i, dump_paper(state.papers[i])) for i in sorted(set(rows))))
            self._db.execute("DELETE FROM state")
            if blobs:
                self._db.executemany("INSERT INTO state VALUES (?, ?)", sorted(blobs.items()))
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (json.dumps(meta, ensure_ascii=False),))

    @_guarded
    def set_blob(self, name: str, data: bytes) -> None:
        """Replace one named blob of the stored build."""
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (name, data))

    @_guarded
    def load_blobs(self) -> dict[str, bytes]:
        """The named blobs stored with the build (empty when none)."""
        return {name: bytes(data) for name, data in self._db.execute("SELECT name, data FROM state")}

    @_guarded
    def load_build(self) -> BuildState | None:
        """The stored build, or None when this cache holds none."""
        row = self._db.execute("SELECT value FROM meta WHERE name = 'build'").fetchone()
        if row is None:
            return None
        meta = json.loads(row[0])
        with _gc_paused():
            papers = [record(Paper, json.loads(d)) for (d,) in self._db.execute("SELECT data FROM paper ORDER BY seq")]
        return BuildState(papers, meta["records_read"], meta["duplicates"],
                          [Problem.skip(*s) for s in meta["skipped"]], [Problem.warning(*s) for s in meta["warnings"]], meta["inputs"])

    @_guarded
    def forget_build(self) -> None:
        """Remove the stored build (its outputs are being replaced by a build that keeps no state)."""
        with self._db:
            self._db.execute("DELETE FROM paper")
            self._db.execute("DELETE FROM state")
            self._db.execute("DELETE FROM meta WHERE name = 'build'")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

