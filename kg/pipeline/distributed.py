"""Extraction on a Dask cluster: a bag of paper shards, each extracted on a worker; and the connection.

`extract_distributed` distributes extraction only: the results come back in input order, and
what looks across papers runs here. An update (`kg build --update --distributed ...`) extracts its
new papers this way; a full build runs every stage on the cluster (kg.pipeline.dask_build).
Each worker builds the spaCy pipeline once (per thread) and says which extractor version it runs;
a worker with other rules or lexicons than this machine is an error, not a silent difference.

Needs the optional extra: pip install "paperkg[distributed]" (dask[distributed]).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from kg.errors import KGError
from kg.records import Extraction, Paper

__all__ = ["extract_distributed", "connect", "disconnect", "dask_available", "worker_nlp", "partition_size",
           "check_worker_version"]

_LOCAL = threading.local()  # a worker thread's pipeline: spaCy pipelines are not shared by threads


def dask_available() -> bool:
    """True when dask.bag and dask.distributed can be imported."""
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def _require() -> None:
    if not dask_available():
        raise KGError('a distributed build needs Dask: pip install "paperkg[distributed]"')


def connect(scheduler: str, *, workers: int = 2):
    """A dask.distributed Client: `scheduler` is an address (tcp://host:8786) or "local", which
    starts a cluster of `workers` single-threaded worker processes on this machine."""
    _require()
    from distributed import Client, LocalCluster

    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
            client._kg_cluster = cluster  # closed with the client by disconnect()
            return client
        return Client(scheduler, timeout="30s")
    except OSError as e:
        raise KGError(f"cannot reach the Dask scheduler {scheduler!r} ({e}); is `dask scheduler` running there?") from e


def disconnect(client) -> None:
    """Close a client made by connect(), and the local cluster it started, if any."""
    cluster = getattr(client, "_kg_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def worker_nlp():
    """Worker side: this thread's spaCy pipeline, built on first use."""
    from kg.extract.pipeline import build_nlp

    nlp = getattr(_LOCAL, "nlp", None)
    if nlp is None:
        nlp = _LOCAL.nlp = build_nlp()
    return nlp


def partition_size(client, count: int, partitions: int | None = None) -> int:
    """Items per partition for `count` items: `partitions` of them, by default four per worker
    (so a slow worker does not hold up the end)."""
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    n = max(1, min(count, partitions or 4 * n_workers))
    return -(-count // n)


def check_worker_version(version: str, mine: str) -> None:
    """A worker that extracted with other rules or lexicons than this machine stops the build."""
    if version != mine:
        raise KGError(f"a Dask worker runs another extractor (version {version[:12]}, here {mine[:12]}); "
                      "install the same paperkg, rules and lexicons on every worker")


def _extract_shard(shard: list[tuple[str, str, str]], min_confidence: float) -> tuple[str, list[Extraction]]:
    """Worker side: one shard of (key, title, abstract) -> (extractor version, its Extractions)."""
    from kg.extract import extract_all
    from kg.pipeline.cache import extractor_version

    papers = [Paper(key=k, title=t, abstract=a, source="") for k, t, a in shard]
    return extractor_version(), list(extract_all(papers, worker_nlp(), min_confidence=min_confidence))


def extract_distributed(
    papers: Sequence[Paper],
    *,
    client=None,
    scheduler: str | None = None,
    partitions: int | None = None,
    min_confidence: float = 0.0,
    on_progress: Callable[[int], None] | None = None,
) -> list[Extraction]:
    """Extract `papers` on a Dask cluster; the result is in input order.

    Give a `client` (dask.distributed.Client) or a `scheduler` address ("tcp://host:8786", or
    "local" for a two-worker cluster on this machine, closed afterwards). `partitions` is the
    number of shards (default: four per worker, so a slow worker does not hold up the end).
    """
    from kg.pipeline.cache import extractor_version

    if client is None and scheduler is None:
        raise KGError("extract_distributed needs a client or a scheduler address")
    if not papers:
        return []
    _require()
    import dask.bag as db
    from distributed import as_completed

    own = client is None
    if own:
        client = connect(scheduler)
    try:
        size = partition_size(client, len(papers), partitions)
        shards = [[(p.key, p.title, p.abstract) for p in papers[i:i + size]] for i in range(0, len(papers), size)]
        bag = db.from_sequence(shards, npartitions=len(shards)).map(_extract_shard, min_confidence)
        futures = client.compute(bag.to_delayed())
        if on_progress:
            sizes = {f.key: len(s) for f, s in zip(futures, shards)}
            for f in as_completed(futures):
                on_progress(sizes[f.key])
        parts = client.gather(futures)
    finally:
        if own:
            disconnect(client)
    mine = extractor_version()
    out: list[Extraction] = []
    for part in parts:
        for version, extractions in part:
            check_worker_version(version, mine)
            out.extend(extractions)
    if len(out) != len(papers):
        raise KGError(f"the cluster returned {len(out)} extractions for {len(papers)} papers")
    return out
