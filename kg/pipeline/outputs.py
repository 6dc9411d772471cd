"""The output folder as a stored build records it: RDF file names, digests and stat keys of the files
written, the check that OUT still holds them before an update, and stale RDF files removed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kg.errors import InputError, KGError
from kg.ingest.pwc_facts import PaperFacts
from kg.pipeline.cache import BuildState, CacheDamagedError, ExtractionCache

__all__ = ["RDF_EXTENSIONS", "OTHER_OUTPUTS", "REBUILD_HINT", "output_digests", "output_digests_started", "papers_digest", "facts_digests", "keys_digest", "record_stats",
           "remove_stale_outputs", "verify_outputs"]

#: RDF serialisations `kg build --rdf-format` writes, and the file extension of each.
RDF_EXTENSIONS = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld"}


#: The outputs besides the RDF files, all written by every build.
OTHER_OUTPUTS = ("graph.html", "centrality.csv", "top_methods.svg", "trends.svg")


#: What to do when --update cannot trust the stored build.
REBUILD_HINT = "run kg build with all inputs (the earlier ones and the new) without --update"


def remove_stale_outputs(out: Path, paths: dict[str, Path]) -> list[str]:
    """Remove RDF files of our own names (graph.nt, ...) that this build did not write: left beside the
    new ones they would describe an earlier build's papers. Returns the summary's lines about it."""
    lines = []
    for ext in RDF_EXTENSIONS.values():
        stale = out / f"graph.{ext}"
        if stale in paths.values() or not stale.is_file():
            continue
        try:
            stale.unlink()
            lines.append(f"removed stale {stale.name} from an earlier build")
        except OSError as e:
            lines.append(f"could not remove stale {stale.name} from an earlier build: {e.strerror or e}")
    return lines


def _digest(path: Path) -> str:
    """sha256 of a file's bytes, streamed: what the stored state says its outputs are."""
    with open(path, "rb") as f:
        return "sha256:" + hashlib.file_digest(f, "sha256").hexdigest()


def _stat_key(path: Path) -> list[int]:
    """Inode, size, mtime and ctime of a file: no write, copy or touch leaves all four as they were
    (ctime cannot be set back), so while they match, the file's digest need not be computed again."""
    st = path.stat()
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def output_digests(paths: dict[str, Path], written: dict[Path, Path]) -> dict[str, str]:
    """The digest of each RDF file a build is about to rename into place (`written`: final path -> temp file)."""
    return {f: _digest(written.get(p, p)) for f, p in paths.items()}


def output_digests_started(paths: dict[str, Path], written: dict[Path, Path]) -> Callable[[], dict[str, str]]:
    """output_digests computed in a thread from now on; the returned function waits for them.

    For files that are complete and no longer written (the RDF files, once written or spliced): the
    hash reads and sha256 release the GIL, so on a 100,000-paper build the 800 MB are hashed while
    the map is written, instead of after it. The digests are of the whole files, as output_digests's."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-digests")
    future = pool.submit(output_digests, dict(paths), dict(written))
    pool.shutdown(wait=False)  # the one task runs to its end; nothing else is submitted
    return future.result


def record_stats(store: ExtractionCache, state: dict, paths: dict[str, Path]) -> None:
    """Add the renamed outputs' stat keys to the stored state, so the next --update reads no file to check them."""
    try:
        state["stats"] = {f: _stat_key(p) for f, p in paths.items()}
        store.set_blob("state", json.dumps(state, sort_keys=True).encode("utf-8"))
    except (OSError, KGError):
        pass  # only a shortcut: without it, the next --update checks the files by their digests


def papers_digest(papers: Sequence) -> str:
    """sha256 of the papers' keys in order: the stored paper rows must be the ones the state was saved with."""
    return keys_digest(p.key for p in papers)


def keys_digest(keys: Iterable[str]) -> str:
    """papers_digest of the papers whose keys, in order, are `keys`."""
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()


def verify_outputs(out: Path, store: ExtractionCache, previous: BuildState) -> tuple[dict, dict[str, bytes]]:
    """The stored build's state and blobs, once its RDF files in `out` are shown to be the ones it wrote.

    Copied outputs (without their cache, or beside another build's) or an edited file would make
    --update build the cache's papers, not the outputs' ones: InputError instead, saying how to rebuild.
    """
    blobs = store.load_blobs()
    cache = store.path
    try:
        state = json.loads(blobs["state"])
        digests, blob_digests, stored_papers = state["digests"], state["blobs"], state["papers"]
    except (KeyError, ValueError, TypeError):
        raise InputError(f"--update: {cache} does not say which outputs it belongs to (an older paperkg, or "
                         f"damaged); {REBUILD_HINT}") from None
    if stored_papers != papers_digest(previous.papers):
        raise CacheDamagedError(cache, ValueError("its stored papers were changed"), hint=REBUILD_HINT)
    for name, digest in blob_digests.items():
        if name not in blobs or hashlib.sha256(blobs[name]).hexdigest() != digest:
            raise CacheDamagedError(cache, ValueError(f"its stored {name} was changed"), hint=REBUILD_HINT)
    stats = state.get("stats") or {}
    for f, digest in sorted(digests.items()):
        path = out / f"graph.{RDF_EXTENSIONS.get(f, f)}"
        if not path.is_file():
            raise InputError(f"--update: {path} is missing, so {out} does not hold the build recorded in {cache}; "
                             f"{REBUILD_HINT}")
        if stats.get(f) != _stat_key(path) and _digest(path) != digest:
            raise InputError(f"--update: {path} does not match the build recorded in {cache} (copied from "
                             f"another build, or edited); {REBUILD_HINT}")
    return state, blobs


def facts_digests(facts: Mapping[str, PaperFacts]) -> dict[str, str]:
    """paper key -> a digest of its curated facts: stored with a build, so that an update can tell which
    old papers' facts are as they were (kg.pipeline.update builds afresh when one is not)."""
    return {k: hashlib.sha1(json.dumps(dataclasses.asdict(f), sort_keys=True, ensure_ascii=False).encode("utf-8"))
            .hexdigest() for k, f in sorted(facts.items())}
