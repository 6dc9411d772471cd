"""The build's cache, held in a slot: a damaged cache is set aside and the build goes on with a fresh one
(an update stops instead), and `open_cache` gives an update the stored build it continues."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.defaults import CACHE_FILENAME
from kg.errors import InputError
from kg.pipeline.cache import BuildState, CacheDamagedError, ExtractionCache, set_aside
from kg.pipeline.outputs import REBUILD_HINT, verify_outputs
from kg.pipeline.parallel import extract_papers, extract_stored
from kg.pipeline.stored import StoredExtractions, StoredPapers
from kg.records import Problem

__all__ = ["CacheSlot", "open_cache"]


class CacheSlot:
    """The build's cache; a damaged one is set aside and replaced by a fresh one (an update stops instead)."""

    def __init__(self, path: Path, *, update: bool, summary_notes: list[str],
                 on_warning: Callable[[Problem], None] | None) -> None:
        self.path, self.update, self.notes, self.on_warning = path, update, summary_notes, on_warning
        self.store: ExtractionCache | None = None
        self.warnings: list[Problem] = []  # counted in the summary, not stored with the build's own warnings

    def open(self) -> ExtractionCache:
        try:
            self.store = ExtractionCache(self.path)
        except CacheDamagedError as e:
            self.damaged(e)
        return self.store

    def damaged(self, e: CacheDamagedError, *, reopen: bool = True) -> None:
        """Set the damaged cache aside and carry on with a fresh one (unless not `reopen`); for --update, stop."""
        if self.store is not None:
            self.store.close()
            self.store = None
        if self.update:
            if e.hint:
                raise e
            raise CacheDamagedError(e.path, e.__cause__ or e, hint=REBUILD_HINT + " (that sets the damaged cache aside)") from e
        moved = set_aside(self.path)
        self.notes.append(f"cache:             damaged ({e.detail}); set aside as {moved.name}")
        warning = Problem.warning(str(self.path), None, f"damaged cache ({e.detail}) set aside as {moved.name}; building without it")
        self.warnings.append(warning)
        if self.on_warning:
            self.on_warning(warning)
        if reopen:
            self.store = ExtractionCache(self.path)

    def _retried(self, run, papers, **kw):
        """run(papers, cache=this cache), again with a fresh cache if this one turns out damaged."""
        try:
            return run(papers, cache=self.store, **kw)
        except CacheDamagedError as e:
            # Papers spilled to this cache go with it: the caller reads them back and spills them again.
            if e.path != self.path or isinstance(papers, StoredPapers):
                raise
            self.damaged(e)
            return run(papers, cache=self.store, **kw)

    def extract(self, papers, **kw) -> list:
        """extract_papers with this cache (see _retried)."""
        return self._retried(extract_papers, papers, **kw)

    def extract_stored(self, papers, **kw) -> StoredExtractions:
        """extract_stored with this cache: every Extraction put in it, none held (see _retried)."""
        return self._retried(extract_stored, papers, **kw)


def open_cache(out: Path, slot: CacheSlot, *, cache: bool,
                update: bool) -> tuple[BuildState | None, tuple[dict, dict[str, bytes]] | None]:
    """Open the output folder's cache into `slot` (not without `cache`) and, with `update`, return the
    build it holds and its verified (state, blobs)."""
    path = slot.path
    if not cache:
        if update:
            raise InputError("--update needs the cache of the previous build; leave out --no-cache")
        if path.exists():
            # These outputs will not match the stored papers: a later --update must not use them.
            try:
                with ExtractionCache(path) as stale:
                    stale.forget_build()
            except CacheDamagedError as e:
                slot.damaged(e, reopen=False)
        return None, None
    if update and not path.exists():
        raise InputError(f"--update: {out} has no cache of an earlier build ({CACHE_FILENAME}); {REBUILD_HINT}")
    store = slot.open()
    if not update:
        return None, None
    try:
        previous = store.load_build()
        if previous is None:
            raise InputError(f"--update: {path} holds no earlier build (it was replaced by a build with "
                             f"--no-cache); {REBUILD_HINT}")
        return previous, verify_outputs(out, store, previous)
    except CacheDamagedError as e:
        slot.damaged(e)  # raises for an update
        raise
