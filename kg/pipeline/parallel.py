"""Multi-process extraction: papers split into chunks, each worker builds the pipeline once.

Extraction is per paper (nothing in one paper's Extraction depends on another paper), so the
chunks can run anywhere and in any order; results are put back in input order, which makes the
output of `jobs=N` byte-identical to `jobs=1`. Everything that looks across papers (entity
resolution, the graph) runs afterwards, in the parent, on the whole list.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import KGError
from kg.pipeline.cache_json import extraction_to_json
from kg.pipeline.dask_resolve import acronym_meanings
from kg.records import Extraction, Paper

if TYPE_CHECKING:
    from kg.pipeline.cache import ExtractionCache
    from kg.pipeline.stored import StoredExtractions

__all__ = ["extract_papers", "extract_parallel", "extract_chunks", "extract_stored", "extraction_runner", "available_cpus", "default_jobs", "start_workers_early", "EncodedChunk", "encoded_chunk", "DEFAULT_CHUNK_SIZE",
           "MAX_DEFAULT_JOBS"]

#: Papers per task sent to a worker: large enough that pickling and scheduling stay well under
#: 1% of the work (an abstract takes ~5 ms), small enough that progress moves and jobs balance.
DEFAULT_CHUNK_SIZE = 128
#: `kg build` uses at most this many processes unless --jobs asks for more: resolution, the graph
#: and the writers run in one process after extraction, so more workers stop paying (Amdahl) while
#: each costs a pipeline's memory.
MAX_DEFAULT_JOBS = 4

_NLP = None  # the pipeline of a worker process, built once by _init_worker
_MIN_CONFIDENCE = 0.0


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask, which containers and taskset narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_jobs() -> int:
    """What `--jobs 0` (auto) means: every usable CPU, at most MAX_DEFAULT_JOBS."""
    return min(available_cpus(), MAX_DEFAULT_JOBS)


def _init_worker(min_confidence: float) -> None:
    global _NLP, _MIN_CONFIDENCE
    from kg.extract.pipeline import build_nlp

    _NLP, _MIN_CONFIDENCE = build_nlp(), min_confidence


@dataclass
class EncodedChunk:
    """A chunk of Extractions as the cache stores them (extraction_to_json: cheaper to send than the
    objects, and stored as is), with the acronym meanings they define (acronym_meanings): resolution's
    first pass then need not read them back."""

    texts: list[str]
    meanings: dict[tuple[str, str], set[frozenset[str]]]

    def __len__(self) -> int:
        return len(self.texts)


def encoded_chunk(made: list[Extraction]) -> EncodedChunk:
    """`made` as the workers send it to a build with a cache."""
    return EncodedChunk([extraction_to_json(ex) for ex in made], acronym_meanings(made))


def _extract_chunk(chunk: list[tuple[str, str, str]], encoded: bool = False) -> list[Extraction] | EncodedChunk:
    """Worker side: (key, title, abstract) triples -> their Extractions, in order (an EncodedChunk if `encoded`)."""
    from kg.extract import extract_all

    papers = [Paper(key=k, title=t, abstract=a, source="") for k, t, a in chunk]
    made = list(extract_all(papers, _NLP, min_confidence=_MIN_CONFIDENCE))
    return encoded_chunk(made) if encoded else made


def _in_process(papers: Sequence[Paper], min_confidence: float, on_progress: Callable[[int], None] | None,
                chunk_size: int, encoded: bool) -> Iterator[list[Extraction] | EncodedChunk]:
    from kg.extract import extract_all
    from kg.extract.pipeline import build_nlp

    out = []
    for ex in extract_all(papers, build_nlp(), min_confidence=min_confidence):
        out.append(ex)
        if on_progress:
            on_progress(1)
        if len(out) >= chunk_size:
            yield encoded_chunk(out) if encoded else out
            out = []
    if out:
        yield encoded_chunk(out) if encoded else out


def _mp_context(fork: bool = False) -> multiprocessing.context.BaseContext:
    # forkserver: workers fork from a small server process, not from the build's process. A worker
    # forked from the build would map its whole heap (100,000 papers and more); Python's reference
    # counts and collector then write to those pages, so each worker ends up with its own copy.
    # The server imports the extractor (spaCy) once and each worker forks with it imported: workers
    # start in a fraction of a second instead of importing it, and the command that started the build,
    # each for itself (about 1.3 s of CPU each). Its ~100 MB are shared with the workers it forks.
    # Else (Windows) spawn.
    # `fork` asks for workers that see this process's module state (extractor settings changed in
    # memory, as scripts/crossval.py does), for small in-memory builds only.
    methods = multiprocessing.get_all_start_methods()
    if fork and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_preload())
    return context


def _preload() -> list[str]:
    """What the forkserver imports before it forks a worker: the extractor, and what the build's main
    module imports. Each worker imports the main module again (multiprocessing's rule): for the `kg`
    command that is kg.cli, for `python -m kg` kg.__main__; imported in the server, it costs a worker nothing."""
    main = getattr(getattr(sys.modules["__main__"], "__spec__", None), "name", None)
    return ["kg.extract.pipeline", "kg.cli"] + ([main] if main else [])


def start_workers_early(jobs: int) -> None:
    """Start the forkserver now, when extraction may run on `jobs` processes: its imports then run on
    another core while this process reads the input, and the first worker forks ready."""
    if (jobs or default_jobs()) > 1 and "forkserver" in multiprocessing.get_all_start_methods():
        from multiprocessing import forkserver

        _mp_context()
        forkserver.ensure_running()


def extract_parallel(
    papers: Sequence[Paper],
    *,
    jobs: int,
    min_confidence: float = 0.0,
    chunk_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    fork: bool = False,
) -> list[Extraction]:
    """Extract every paper with `jobs` worker processes; the result is in input order.

    `jobs=1`, or input that fits in one chunk, runs in this process (no pool to start).
    `jobs=0` means `default_jobs()`; `chunk_size` defaults to DEFAULT_CHUNK_SIZE papers.
    `on_progress(n)` is called as n more papers are done. `fork` forks the workers from this
    process (they see its in-memory settings) instead of starting them from a forkserver.

    >>> extract_parallel([], jobs=2)
    []
    """
    return [ex for done in extract_chunks(papers, jobs=jobs, min_confidence=min_confidence, chunk_size=chunk_size,
                                          on_progress=on_progress, fork=fork) for ex in done]


def extract_chunks(
    papers: Sequence[Paper],
    *,
    jobs: int,
    min_confidence: float = 0.0,
    chunk_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    fork: bool = False,
    encoded: bool = False,
) -> Iterator[list[Extraction] | EncodedChunk]:
    """extract_parallel's Extractions a chunk at a time, in input order, as they are made: a caller
    that stores each chunk (kg.pipeline.cache) never holds them all; `encoded`: EncodedChunks."""
    if jobs < 0:
        raise KGError(f"jobs must be 0 (auto) or more, not {jobs}")
    chunk_size = chunk_size or DEFAULT_CHUNK_SIZE
    if chunk_size < 1:
        raise KGError(f"chunk_size must be at least 1, not {chunk_size}")
    jobs = jobs or default_jobs()
    if not papers:
        return
    if jobs == 1 or len(papers) <= chunk_size:
        yield from _in_process(papers, min_confidence, on_progress, chunk_size, encoded)
        return
    # Chunks are cut as they are sent, not all at once: the (key, title, abstract) copies of every
    # paper are not held.
    chunks = ([(p.key, p.title, p.abstract) for p in papers[i:i + chunk_size]]
              for i in range(0, len(papers), chunk_size))
    workers = min(jobs, -(-len(papers) // chunk_size))
    for done in _run_pool(chunks, workers, min_confidence, fork=fork, encoded=encoded):
        if on_progress:
            on_progress(len(done))
        yield done


def _run_pool(chunks: Iterable[list[tuple[str, str, str]]], workers: int,
              min_confidence: float, *, fork: bool = False, encoded: bool = False) -> Iterator[list]:
    """Results chunk by chunk, in order; at most 2 chunks per worker are queued at a time, so the
    parent never holds more than a few chunks of pickled input and output at once."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context(fork),
                               initializer=_init_worker, initargs=(min_confidence,))
    pending: deque[Future] = deque()
    todo = iter(chunks)
    try:
        for chunk in todo:
            pending.append(pool.submit(_extract_chunk, chunk, encoded))
            if len(pending) >= 2 * workers:
                break
        while pending:
            result = pending.popleft().result()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(pool.submit(_extract_chunk, nxt, encoded))
            yield result
    except BrokenProcessPool as e:
        raise KGError(f"an extraction worker process died ({e}); out of memory? Try fewer --jobs") from e
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def extraction_runner(*, jobs: int, min_confidence: float, scheduler: str | None = None,
                      fork: bool = False, encoded: bool = False) -> Callable[..., Iterator[list]]:
    """`run(papers, on_progress=...)`: the Extractions of `papers` a chunk at a time, in order, made by
    `jobs` processes or on the Dask `scheduler` ("local": a local cluster of `jobs` workers, which
    returns them in one chunk); `fork` as in extract_parallel; `encoded`: EncodedChunks."""

    def run(todo: Sequence[Paper], *, on_progress: Callable[[int], None] | None = None) -> Iterator[list[Extraction]]:
        if scheduler is None:
            yield from extract_chunks(todo, jobs=jobs, min_confidence=min_confidence, on_progress=on_progress,
                                      fork=fork, encoded=encoded)
            return
        from kg.pipeline.distributed import connect, disconnect, extract_distributed

        # Connected only now: a fully cached build never waits for a cluster.
        client = connect(scheduler, workers=jobs or default_jobs())
        try:
            made = extract_distributed(todo, client=client, min_confidence=min_confidence, on_progress=on_progress)
            yield encoded_chunk(made) if encoded else made
        finally:
            disconnect(client)

    return run


def extract_stored(papers: Sequence[Paper], *, cache: ExtractionCache, jobs: int = 1, min_confidence: float = 0.0,
                   scheduler: str | None = None, quiet: bool = True) -> StoredExtractions:
    """What `kg build` runs with its cache: every paper's Extraction put in `cache` (those not there
    yet made as in extract_papers, and stored a chunk at a time as they come back), none of them
    held; the result reads them back from the cache in batches."""
    from kg.pipeline.progress import Progress
    from kg.pipeline.stored import extract_stored_in

    run = extraction_runner(jobs=jobs, min_confidence=min_confidence, scheduler=scheduler, encoded=True)
    with Progress(total=len(papers), desc="extracting", quiet=quiet) as bar:
        return extract_stored_in(cache, papers, run, min_confidence=min_confidence, on_progress=bar.update)


def extract_papers(
    papers: Sequence[Paper],
    *,
    jobs: int = 1,
    min_confidence: float = 0.0,
    cache: ExtractionCache | None = None,
    scheduler: str | None = None,
    quiet: bool = True,
    fork: bool = False,
) -> list[Extraction]:
    """What `kg build` runs: the cached Extractions, the others made by `jobs` processes (or on
    the Dask `scheduler`, "local" for a local cluster of `jobs` workers), in input order; with a
    progress bar on a terminal unless `quiet`; `fork` as in extract_parallel."""
    from kg.pipeline.progress import Progress

    chunks = extraction_runner(jobs=jobs, min_confidence=min_confidence, scheduler=scheduler, fork=fork)

    def run(todo: Sequence[Paper], *, on_progress: Callable[[int], None] | None = None) -> list[Extraction]:
        return [ex for done in chunks(todo, on_progress=on_progress) for ex in done]

    with Progress(total=len(papers), desc="extracting", quiet=quiet) as bar:
        if cache is None:
            return run(papers, on_progress=bar.update)
        return cache.extract(papers, run, min_confidence=min_confidence, on_progress=bar.update)
