"""Every stage of a build on a Dask cluster: extraction, resolution, the graph and N-Triples shards per partition.

The papers are cut into partitions (four per worker), and each partition lives on a worker from
start to end; the driver (the process running `kg build`) only sends each partition's papers and
collects small summaries:

1. extract: a worker extracts its partition's papers (those not in the driver's cache); the new
   extractions come back one partition at a time to be cached, and stay on the worker;
2. resolve: each partition gives its acronyms' meanings, then its name components
   (kg.pipeline.dask_resolve); the driver unites them into the build's name -> entity table (a
   kg.resolve.Resolver, as big as the distinct names) and sends it to every worker;
3. graph: each partition makes its graph (kg.graph.assemble.build_snapshot over its papers, with
   the shared Resolver: a paper's edges depend only on its own mentions and the table) and writes
   its N-Triples shard (kg.export.rdf.shards); the driver writes the manifest.

kg.export.rdf.merge then merges the shards into graph.nt (and Turtle, JSON-LD) without holding
them. The partitions' compact graphs also come back and are joined (`join_parts`) into the build's
Snapshot, from which the map, centrality.csv and the charts are made, as in a one-process build:
they need PageRank over the whole graph.
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kg.atomic import os_error_msg
from kg.errors import KGError, OutputError
from kg.export.rdf.shards import remove_shards, shard_name, write_manifest, write_shard
from kg.graph.assemble import PaperAttrs, edge_claims
from kg.graph.facts import fact_extractions
from kg.graph.snapshot import Snapshot
from kg.ingest.pwc_facts import PaperFacts
from kg.pipeline.cache import CacheDamagedError, ExtractionCache, extractor_version
from kg.pipeline.cache_slot import CacheSlot
from kg.pipeline.dask_resolve import NameTable, acronym_meanings, ambiguous_keys, name_links
from kg.pipeline.distributed import check_worker_version, partition_size, worker_nlp
from kg.pipeline.parallel import default_jobs
from kg.records import Extraction, Paper
from kg.resolve import Resolver

__all__ = ["ClusterBuild", "build_on_cluster", "run_on_cluster", "join_parts", "SHARD_DIR"]

#: The shards' folder in the output folder.
SHARD_DIR = "graph-shards"

_LOCAL = threading.local()  # per worker thread: the last Resolver it was sent


@dataclass
class _Part:
    """One partition as it lives on a worker: its papers, their extractions and curated facts."""

    papers: list[Paper]
    extractions: list[Extraction]
    facts: list[PaperFacts]
    made: list[tuple[str, str, Extraction]]  # (title, abstract, extraction) made here, for the driver's cache
    version: str

    def named(self) -> list[Extraction]:
        """Every name the resolver sees: the extractions, then the facts' names (as kg.pipeline.build adds them)."""
        return self.extractions + fact_extractions(self.facts)


def _extract(data: tuple[list[Paper], dict[str, Extraction], list[PaperFacts]], min_confidence: float) -> _Part:
    """Worker side: extract the papers of one partition that the driver's cache did not hold."""
    from kg.extract import extract_all

    papers, cached, facts = data
    todo = [p for p in papers if p.key not in cached]
    made: list[Extraction] = []
    if todo:
        made = list(extract_all(todo, worker_nlp(), min_confidence=min_confidence))
    new = dict(zip((p.key for p in todo), made))
    extractions = [cached[p.key] if p.key in cached else new[p.key] for p in papers]
    return _Part(papers, extractions, facts, [(p.title, p.abstract, new[p.key]) for p in todo], extractor_version())


def _made(part: _Part) -> tuple[str, list[tuple[str, str, Extraction]]]:
    return part.version, part.made


def _meanings(part: _Part) -> dict:
    return acronym_meanings(part.named())


def _links(part: _Part, ambiguous: set) -> tuple:
    return name_links(part.named(), ambiguous)


def _resolver(text: str) -> Resolver:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    got = getattr(_LOCAL, "resolver", None)
    if got is None or got[0] != digest:
        got = _LOCAL.resolver = (digest, Resolver.from_json(text))
    return got[1]


def _shard(part: _Part, resolver_json: str, path: str, include_abstracts: bool) -> tuple[dict, dict[str, bytes]]:
    """Worker side: the partition's graph, written as its shard; returns (manifest entry, the graph's blobs)."""
    from kg.graph.assemble import build_snapshot

    snap = build_snapshot(part.papers, part.extractions, _resolver(resolver_json), facts=part.facts)
    entry = write_shard(snap, path, include_abstracts=include_abstracts)
    return entry, snap.to_blobs()


def join_parts(blobs: Sequence[Mapping[str, bytes]], papers: Sequence[Paper]) -> Snapshot:
    """The build's Snapshot from its partitions' (Snapshot.to_blobs): nodes united, edges re-indexed,
    an edge's claims from every partition sorted together, as build_snapshot over all papers makes it."""
    parts = [Snapshot.from_blobs(b, {}) for b in blobs]
    nodes = sorted(set().union(*(p.nodes for p in parts)))
    index = {n: i for i, n in enumerate(nodes)}
    kind = np.zeros(len(nodes), dtype=np.int8)
    src, dst, rel = [], [], []
    attrs: dict[str, dict] = {}
    claims: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    curated: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for p in parts:
        where = np.fromiter((index[n] for n in p.nodes), dtype=np.int32, count=len(p.nodes))
        kind[where] = p.kind
        src.append(where[p.src])
        dst.append(where[p.dst])
        rel.append(p.rel)
        attrs.update(p.attrs)
        for e, cs in p.claims.items():
            claims[e] += cs
        for e, cs in p.curated.items():
            curated[e] |= set(cs)
    cat = lambda arrays, dt: np.concatenate(arrays) if arrays else np.zeros(0, dtype=dt)  # noqa: E731
    return Snapshot.from_edges(
        nodes, kind, cat(src, np.int32), cat(dst, np.int32), cat(rel, np.int8), dict(sorted(attrs.items())),
        {e: edge_claims(cs) for e, cs in sorted(claims.items())}, PaperAttrs(papers),
        {e: tuple(sorted(cs)) for e, cs in sorted(curated.items())}, index)


@dataclass
class ClusterBuild:
    snapshot: Snapshot
    resolver: Resolver
    shard_dir: Path
    shards: list[dict]  # the manifest's entries


def build_on_cluster(
    client,
    papers: Sequence[Paper],
    *,
    shard_dir: str | Path,
    facts: Mapping[str, PaperFacts] | None = None,
    include_abstracts: bool = True,
    min_confidence: float = 0.0,
    cache: ExtractionCache | None = None,
    partitions: int | None = None,
    on_stage: Callable[[str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ClusterBuild:
    """Extract, resolve and make the graph of `papers` on the cluster of `client`, writing one N-Triples
    shard per partition and their manifest into `shard_dir` (which every worker must be able to write:
    on several machines, a shared file system).

    `facts`: curated facts per paper key; `cache`: the driver's extraction cache (hits are sent with
    their partition, new extractions stored as each partition is done); `partitions`: default four
    per worker. `on_stage(name)` hears "extract", "resolve" and "graph" end.
    """
    from distributed import as_completed

    if not papers:
        raise KGError("a distributed build needs at least one paper")
    facts = facts or {}
    stage = on_stage or (lambda name: None)
    shard_dir = Path(shard_dir)
    try:
        remove_shards(shard_dir)  # another build's shards and manifest: the new manifest names only this one's
        shard_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(os_error_msg(e, shard_dir)) from e
    size = partition_size(client, len(papers), partitions)
    parts, sizes = [], {}
    for start in range(0, len(papers), size):
        chunk = list(papers[start:start + size])
        cached = cache.get([(p.key, p.title, p.abstract) for p in chunk], min_confidence=min_confidence) if cache else {}
        if on_progress and cached:
            on_progress(len(cached))
        [data] = client.scatter([(chunk, cached, [facts[p.key] for p in chunk if p.key in facts])], hash=False)
        part = client.submit(_extract, data, min_confidence, pure=False)
        parts.append(part)
        sizes[part.key] = len(chunk) - len(cached)
        del chunk, cached, data

    mine = extractor_version()
    made = [client.submit(_made, p, pure=False) for p in parts]
    by_made = {f.key: p.key for f, p in zip(made, parts)}
    for f in as_completed(made):
        version, new = f.result()
        check_worker_version(version, mine)
        if cache is not None and new:
            cache.put(new, min_confidence=min_confidence)
        if on_progress:
            on_progress(sizes[by_made[f.key]])
        f.release()
    stage("extract")

    meanings: dict = defaultdict(set)
    for f in as_completed([client.submit(_meanings, p, pure=False) for p in parts]):
        for k, longs in f.result().items():
            meanings[k] |= longs
        f.release()
    ambiguous = ambiguous_keys(meanings)
    table = NameTable(meanings, ambiguous)
    del meanings
    [amb] = client.scatter([ambiguous], broadcast=True)
    for f in as_completed([client.submit(_links, p, amb, pure=False) for p in parts]):
        table.add(f.result())
        f.release()
    resolver = table.resolver()
    stage("resolve")

    [shared] = client.scatter([resolver.to_json()], broadcast=True)
    shards = [client.submit(_shard, p, shared, str(shard_dir / shard_name(i)), include_abstracts, pure=False)
              for i, p in enumerate(parts)]
    entries, blobs = [], []
    for f in shards:  # in partition order: the manifest lists the shards as the partitions were cut
        try:
            entry, b = f.result()
        except OSError as e:  # raised on the worker, and sent here
            raise OutputError(f"a Dask worker could not write its shard in {shard_dir} ({e}); on a cluster of "
                              "several machines the output folder must be on a file system every worker shares") from e
        entries.append(entry)
        blobs.append(b)
        f.release()
    for p in parts:
        p.release()
    write_manifest(shard_dir, entries, include_abstracts=include_abstracts)
    snap = join_parts(blobs, papers)
    stage("graph")
    return ClusterBuild(snap, resolver, shard_dir, entries)


def run_on_cluster(scheduler: str, papers: Sequence[Paper], *, slot: CacheSlot, jobs: int = 0,
                   quiet: bool = True, **kw) -> ClusterBuild:
    """build_on_cluster on the Dask `scheduler` ("tcp://host:8786", or "local": a cluster of `jobs`
    workers here, closed afterwards), with the build's cache slot (a damaged cache is set aside and
    the partitions are made again without it) and a progress bar on a terminal unless `quiet`."""
    from kg.pipeline.distributed import connect, disconnect
    from kg.pipeline.progress import Progress

    client = connect(scheduler, workers=jobs or default_jobs())
    try:
        with Progress(total=len(papers), desc="extracting", quiet=quiet) as bar:
            try:
                return build_on_cluster(client, papers, cache=slot.store, on_progress=bar.update, **kw)
            except CacheDamagedError as e:
                if e.path != slot.path:
                    raise
                slot.damaged(e)
                return build_on_cluster(client, papers, cache=slot.store, **kw)
    finally:
        disconnect(client)
