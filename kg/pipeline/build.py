"""The main job: ingest -> extract -> resolve -> graph -> RDF, HTML and centrality files."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import chain
from operator import attrgetter
from pathlib import Path

import networkx as nx

from kg.analyze.snapshot_views import (
    snapshot_method_scores,
    snapshot_pagerank,
    snapshot_summary_counts,
    trend_table_snapshot,
)
from kg.atomic import folder_lock, os_error_msg, output_batch, remove_stale_temps
from kg.defaults import DEFAULT_OUT_DIR, HTML_MAX_NODES, NODE_KINDS, RELATIONS, SAMPLE_CORPUS_DIR
from kg.errors import FormatError, InputError, OutputError, value_invalid_msg
from kg.export.centrality import write_centrality_csv_snapshot
from kg.export.charts import write_top_methods_chart_snapshot, write_trends_chart
from kg.export.html.page import write_html_snapshot
from kg.export.rdf import write_rdf_formats
from kg.export.rdf.merge import merge_shards
from kg.export.rdf.shards import remove_shards
from kg.graph.assemble import PaperAttrs, build_snapshot
from kg.graph.facts import fact_extractions
from kg.graph.snapshot import Snapshot
from kg.ingest.papers import read_papers
from kg.ingest.pwc_facts import facts_digest, read_facts
from kg.pipeline.cache import CACHE_FILENAME, BuildState, CacheDamagedError, state_version
from kg.pipeline.cache_slot import CacheSlot, open_cache
from kg.pipeline.dask_build import SHARD_DIR
from kg.pipeline.memory import release_memory
from kg.pipeline.outputs import (
    OTHER_OUTPUTS,
    RDF_EXTENSIONS,
    REBUILD_HINT,
    facts_digests,
    keys_digest,
    output_digests_started,
    papers_digest,
    record_stats,
    remove_stale_outputs,
)
from kg.pipeline.parallel import start_workers_early
from kg.pipeline.progress import Stages
from kg.pipeline.stored import StoredExtractions, StoredPapers
from kg.pipeline.update import continue_ingest, patch_stored, splice_outputs
from kg.records import Extraction, Problem, shown_name
from kg.resolve import Resolver

__all__ = ["BuildSummary", "build", "RDF_EXTENSIONS"]

@dataclass
class BuildSummary:
    records_read: int = 0
    papers: int = 0
    duplicates: int = 0
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    nodes: Counter = field(default_factory=Counter)
    edges: Counter = field(default_factory=Counter)
    claims: int = 0
    triples: int = 0
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage (scripts/bench.py)
    patched: int | None = None  # an update that patched the stored graph: papers whose edges were made again
    notes: list[str] = field(default_factory=list)  # what the build did besides (a damaged cache, stale files)
    merged_by: dict[str, int] = field(default_factory=dict)  # duplicates merged per rule (kg.ingest.papers)
    categories: tuple[str, ...] = ()  # --category: the records of other categories are counted, not kept
    off_category: int = 0
    facts_files: int = 0  # --facts files read, the facts they hold and those naming papers not in the build
    facts_read: int = 0
    facts_unmatched: int = 0
    curated_claims: int = 0  # evaluatesOn results from curated facts (not in `claims`)

    def lines(self) -> list[str]:
        """The summary as printed by `kg build`."""
        # Reasons are grouped by their wording up to the first detail ("malformed JSON (...)").
        reasons = Counter(re.split(r" \(|:", s.reason, maxsplit=1)[0] for s in self.skipped)
        out = [
            f"records read:      {self.records_read}",
            f"papers kept:       {self.papers}",
            f"duplicates merged: {self.duplicates}" + (
                " (" + ", ".join(f"{n} {rule}" for rule, n in sorted(self.merged_by.items())) + ")"
                if self.merged_by and sum(self.merged_by.values()) == self.duplicates else ""),
            f"records skipped:   {len(self.skipped)}"
            + (" (" + "; ".join(f"{n} {r}" for r, n in sorted(reasons.items())) + ")" if reasons else ""),
            f"warnings:          {len(self.warnings)}",
            *([f"outside --category: {self.off_category} records ({', '.join(self.categories)} kept)"]
              if self.categories else []),
            *([f"curated facts:     {self.facts_read} read from {self.facts_files} --facts file(s); "
               f"{self.facts_unmatched} name papers not in the build, not added"] if self.facts_files else []),
            "nodes:             " + ", ".join(f"{k} {self.nodes.get(k, 0)}" for k in NODE_KINDS),
            "edges:             " + ", ".join(f"{r} {self.edges.get(r, 0)}" for r in RELATIONS),
            f"claims:            {self.claims} (reified, with evidence)"
            + (f"; {self.curated_claims} curated results (metric and value, no sentence)" if self.curated_claims else ""),
            f"triples:           {self.triples}",
            f"seconds:           {self.seconds:.1f}",
        ]
        if self.patched is not None:
            out.append(f"update:            patched the stored graph; {self.patched} papers' edges made again")
        out += self.notes
        out += [f"wrote {p}" for p in self.outputs]
        return out


def build_date() -> str:
    """Today's date (UTC) for the map's header; SOURCE_DATE_EPOCH fixes it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return when.date().isoformat()


def build(
    inputs: Sequence[str | Path] = (),
    *,
    fmt: str = "auto",
    out_dir: str | Path = DEFAULT_OUT_DIR,
    rdf_formats: Sequence[str] = ("turtle",),
    include_abstracts: bool = True,
    min_confidence: float = 0.0,
    max_nodes: int = HTML_MAX_NODES,
    on_skip: Callable[[Problem], None] | None = None,
    on_warning: Callable[[Problem], None] | None = None,
    jobs: int = 1,
    cache: bool = False,
    update: bool = False,
    scheduler: str | None = None,
    quiet: bool = True,
    on_stage: Callable[[str, float], None] | None = None,
    return_graph: bool = True,
    facts: Sequence[str | Path] = (),
    categories: Sequence[str] = (),
) -> tuple[nx.MultiDiGraph | None, BuildSummary]:
    """Build the graph of `inputs` (the bundled sample if none) and write its views to `out_dir`.

    Writes graph.<ext> for each of `rdf_formats` (turtle -> .ttl, ntriples -> .nt, jsonld ->
    .jsonld), graph.html and centrality.csv. Every file is replaced atomically.

    Extraction runs in `jobs` processes (0: one per CPU, at most 4), or on the Dask `scheduler`
    ("tcp://host:8786", or "local"). With `cache`, per-paper extractions, the list of papers and
    the graph's compact form (kg.graph.snapshot) are kept in `out_dir`/.kg-cache.sqlite3; `update` then
    adds `inputs` to that previous build (the result equals a full build over the old inputs
    followed by the new ones): the stored graph is patched where the new papers change it
    (kg.graph.incremental) and the RDF files are spliced, unless the previous build used other
    options or left no state, when the graph is built afresh from the cached extractions.
    A progress bar is drawn on a terminal unless `quiet`; `on_stage(name, seconds)` hears each
    stage end. Every output is written from the graph's compact form (kg.graph.snapshot.Snapshot);
    the graph is returned as networkx (made from it at the end) unless `return_graph` is False.

    `facts`: Papers with Code links-between-papers-and-code and evaluation-tables files, added as
    curated facts (kg.ingest.pwc_facts) to the papers they name. `categories` ("cs.LG", "cs"): keep
    only the records of those arXiv categories (records without categories are kept). An update
    must be given the same facts files (same content) and categories as the build it adds to; the new
    papers' facts are patched in, unless the update moves facts of an earlier paper (a new paper with
    its arXiv id), when the graph is built afresh from the cached extractions.
    """
    unknown = [f for f in rdf_formats if f not in RDF_EXTENSIONS]
    if unknown or not rdf_formats:
        raise FormatError(value_invalid_msg("RDF format", ",".join(unknown), RDF_EXTENSIONS))
    t0 = time.perf_counter()
    out = Path(out_dir)
    if update and cache and not inputs:
        raise InputError("--update needs the new input files to add")
    # One build at a time per folder: two would replace each other's files halfway.
    with folder_lock(out):
        G, summary = _build_locked(
            inputs, out, fmt=fmt, rdf_formats=rdf_formats, include_abstracts=include_abstracts,
            min_confidence=min_confidence, max_nodes=max_nodes, on_skip=on_skip, on_warning=on_warning, jobs=jobs,
            cache=cache, update=update, scheduler=scheduler, quiet=quiet, stages=Stages(on_stage),
            return_graph=return_graph, facts=list(facts), categories=list(categories))
    summary.seconds = time.perf_counter() - t0
    return G, summary


def _build_locked(inputs: Sequence[str | Path], out: Path, *, fmt: str, rdf_formats: Sequence[str],
                  include_abstracts: bool, min_confidence: float, max_nodes: int,
                  on_skip: Callable[[Problem], None] | None, on_warning: Callable[[Problem], None] | None, jobs: int,
                  cache: bool, update: bool, scheduler: str | None, quiet: bool, stages: Stages,
                  return_graph: bool, facts: list, categories: list[str]) -> tuple[nx.MultiDiGraph | None, BuildSummary]:
    """build() while holding the lock of `out`."""
    notes: list[str] = []
    slot = CacheSlot(out / CACHE_FILENAME, update=update, summary_notes=notes, on_warning=on_warning)
    try:
        return _run(inputs, out, slot, notes, fmt=fmt, rdf_formats=rdf_formats, include_abstracts=include_abstracts,
                    min_confidence=min_confidence, max_nodes=max_nodes, on_skip=on_skip, on_warning=on_warning,
                    jobs=jobs, cache=cache, update=update, scheduler=scheduler, quiet=quiet, stages=stages,
                    return_graph=return_graph, facts=facts, categories=categories)
    finally:
        if slot.store is not None:
            slot.store.close()


def _extractions(slot: CacheSlot, papers: list | StoredPapers, keys: list[str], **kw) -> tuple[
        Iterable[Extraction], Iterable[Extraction], dict | None, Callable[[], Iterator[Extraction]], StoredExtractions | None]:
    """Every paper's Extraction, as resolution reads them (its first pass: the papers whose acronyms'
    meanings are not known yet, and those meanings; its second: every paper, in input order), as the
    graph reads them (by paper key), and the cache's StoredExtractions. With a cache they are put in it
    as they are made and read back from it in batches, so the build never holds them all; without one
    (--no-cache), held."""
    if slot.store is not None:
        stored = slot.extract_stored(papers, **kw)  # papers: spilled to the cache (StoredPapers)
        return (stored.each(stored.unlearned(keys)), stored.each(keys), stored.meanings,
                lambda: stored.each(sorted(keys)), stored)
    extractions = slot.extract(papers, **kw)
    return extractions, extractions, None, lambda: iter(sorted(extractions, key=attrgetter("paper_key"))), None


def _assemble(slot: CacheSlot, ingested, curated, stages: Stages, **kw) -> tuple[Snapshot, Resolver, str]:
    """Extract, resolve and make the graph of a full build; returns it, the resolver and the digest of the
    papers' keys in order (kg.pipeline.outputs.keys_digest: the list itself is not kept for the writers).

    With a cache, the papers are spilled to it before extraction (ingested.papers becomes None) and
    the extractions are put in it as they are made: both are read back from it in batches (the papers
    to extract a chunk at a time), so from the end of the ingest on the build holds each paper's key,
    not its text or its extraction."""
    papers = ingested.papers
    keys = [p.key for p in papers]
    # The facts' names are resolved with the extracted ones: one node for "SNLI" from both.
    fact_names = fact_extractions(curated.by_paper.values())
    for attempt in (1, 2):
        table = papers
        if slot.store is not None:
            table = StoredPapers(slot.store, papers)
            ingested.papers = papers = None
            release_memory()  # the papers' text, freed: given back, not only kept for reuse
        try:
            first, second, learned, by_key, stored = _extractions(slot, table, keys, **kw)
            if attempt == 1:
                stages.done("extract")
            resolver = Resolver()
            # Two passes over the stored extractions (acronyms' meanings, then links): never all at once.
            resolver.add_twice(chain(first, fact_names), chain(second, fact_names), learned=learned)
            break
        except CacheDamagedError as e:
            if table is papers or e.path != slot.path or attempt == 2:
                raise
            # A stored row that does not read back (edited): the cache is set aside (its spilled papers
            # read back first) and the papers are extracted afresh into a fresh one.
            papers = slot.store.spilled_in_order()
            slot.damaged(e)
    del fact_names
    stages.done("resolve")
    # Each paper's mentions are resolved as its edges are made (no index of every mention at once).
    snap = build_snapshot(table, by_key(), resolver, facts=curated.by_paper.values())
    if stored is not None:
        stored.forget_stale()
    stages.done("graph")
    return snap, resolver, keys_digest(keys)


def _run(inputs, out: Path, slot: CacheSlot, notes: list[str], *, fmt, rdf_formats, include_abstracts,
         min_confidence, max_nodes, on_skip, on_warning, jobs, cache, update, scheduler, quiet, stages,
         return_graph, facts, categories) -> tuple[nx.MultiDiGraph | None, BuildSummary]:
    input_filter = {"facts": facts_digest(facts), "categories": sorted(categories)}
    previous, stored = open_cache(out, slot, cache=cache, update=update)
    if previous is not None:
        if stored[0].get("input_filter", {"facts": [], "categories": []}) != input_filter:
            raise InputError("--update: the --facts files or --category differ from those of the build in "
                             f"{out}; give the same ones, or {REBUILD_HINT}")
        ingested = continue_ingest(previous, inputs, fmt=fmt, on_skip=on_skip, on_warning=on_warning,
                                   categories=categories)
    else:
        if scheduler is None:
            start_workers_early(jobs)  # their imports run while the input is read
        ingested = read_papers(list(inputs) or [SAMPLE_CORPUS_DIR], fmt=fmt, on_skip=on_skip, on_warning=on_warning,
                               exclude=[out], categories=categories)  # `kg build papers/ --out papers/out`: not read back
    curated = read_facts(facts, ingested.papers)
    for problem in curated.problems:
        callback = on_skip if problem.severity == "skip" else on_warning
        if callback is not None:
            callback(problem)
    stages.done("ingest")
    summary = BuildSummary(ingested.records_read, len(ingested.papers), ingested.duplicates,
                           list(ingested.skipped), list(ingested.warnings))
    summary.notes = notes
    summary.merged_by = dict(ingested.merged_by)
    summary.categories, summary.off_category = tuple(categories), ingested.off_category
    summary.facts_files, summary.facts_read, summary.facts_unmatched = len(facts), curated.read, curated.unmatched
    summary.skipped += [p for p in curated.problems if p.severity == "skip"]
    summary.warnings += [p for p in curated.problems if p.severity != "skip"]
    if not ingested.papers:
        raise InputError("no paper could be read from the input" + ("; see the skipped lines above" if ingested.skipped else ""))
    paths = {f: out / f"graph.{RDF_EXTENSIONS[f]}" for f in dict.fromkeys(rdf_formats)}
    options = {"rdf": sorted(paths), "include_abstracts": include_abstracts, "min_confidence": repr(float(min_confidence))}
    # A build killed mid-write leaves its hidden temp files; only those of dead processes are removed.
    remove_stale_temps(out, [f"graph.{ext}" for ext in RDF_EXTENSIONS.values()] + list(OTHER_OUTPUTS))
    fast = None
    fact_digests = facts_digests(curated.by_paper)  # stored, so that an update sees whose facts changed
    if previous is not None:
        try:
            fast = patch_stored(slot, stored, previous, ingested, options, jobs=jobs, min_confidence=min_confidence,
                          scheduler=scheduler, quiet=quiet, stages=stages, facts=curated.by_paper,
                          fact_digests=fact_digests)
        except CacheDamagedError as e:
            slot.damaged(e)  # raises: an update does not go on from a cache it cannot read
    cluster = None
    if fast is not None:
        snap, resolver, old_triples, splices, changed_rows, summary.patched = fast
    elif scheduler is not None:
        # Every stage on the cluster (kg.pipeline.dask_build): the workers write N-Triples shards, merged below.
        from kg.pipeline.dask_build import run_on_cluster

        cluster = run_on_cluster(scheduler, ingested.papers, slot=slot, jobs=jobs, quiet=quiet, shard_dir=out / SHARD_DIR,
                                 facts=curated.by_paper, include_abstracts=include_abstracts,
                                 min_confidence=min_confidence, on_stage=stages.done)
        snap, resolver, changed_rows = cluster.snapshot, cluster.resolver, None
        notes.append(f"shards:            {len(cluster.shards)} N-Triples shards and their manifest in {cluster.shard_dir}")
    else:
        snap, resolver, keys_hash = _assemble(slot, ingested, curated, stages, jobs=jobs, min_confidence=min_confidence,
                                         scheduler=scheduler, quiet=quiet)
        changed_rows = None

    # What resolution and the graph's making freed is given back before PageRank's arrays (fresh
    # mappings) and the writers' tables come on top of it.
    release_memory()
    summary.nodes, summary.edges, summary.claims = snapshot_summary_counts(snap)
    summary.curated_claims = sum(1 for cs in snap.claims.values() for c in cs if c.get("source"))
    summary.claims -= summary.curated_claims
    # The methods' ranking (the CSV and chart, as `kg centrality` gives it) is support PageRank; every
    # node's size on the map comes from PageRank over the whole graph, computed once.
    scores = snapshot_method_scores(snap)
    pagerank = snapshot_pagerank(snap)
    stages.done("centrality")
    charts = [("top methods", "top_methods.svg"), ("trends", "trends.svg")]
    trends = trend_table_snapshot(snap, period="month")
    try:
        # Every output is written to a temp file first and all are renamed at the end: a failure
        # anywhere before (a full disk) leaves every previous output as it was, not a mix.
        with output_batch() as pending:
            if fast is not None:
                summary.triples = splice_outputs(splices, snap, paths, old_triples, include_abstracts)
            elif cluster is not None:
                summary.triples = merge_shards(cluster.shard_dir, paths)  # streamed: the shards are not held
            else:
                summary.triples = write_rdf_formats(snap, paths, include_abstracts=include_abstracts)
            stages.done("rdf")
            release_memory()  # the writers' list of subjects
            # The RDF files are final now: hashed in a thread while the map and the CSV are written.
            rdf_digests = (output_digests_started(paths, {path: Path(tmp) for tmp, path in pending})
                           if slot.store is not None else None)
            write_top_methods_chart_snapshot(snap, scores, out / "top_methods.svg")
            write_trends_chart(trends, out / "trends.svg")
            write_html_snapshot(snap, out / "graph.html", max_nodes=max_nodes, pagerank=pagerank,
                                build_date=build_date(), links=charts)
            stages.done("html")
            write_centrality_csv_snapshot(snap, out / "centrality.csv", scores)
            stages.done("centrality")
            if slot.store is not None:
                release_memory()  # the map's and the CSV's, before the blobs are made
                # Saved before the renames, in one transaction: the stored papers describe the
                # outputs about to be in out_dir, and name them by content (see verify_outputs).
                state = {**options, "version": state_version(), "triples": summary.triples, "input_filter": input_filter,
                         "digests": rdf_digests(),
                         "papers": papers_digest(ingested.papers) if ingested.papers is not None else keys_hash}
                blobs = {f"snapshot.{k}": v for k, v in snap.to_blobs().items()}
                blobs["resolver"] = resolver.to_json().encode("utf-8")
                if fact_digests:
                    blobs["facts"] = json.dumps(fact_digests, sort_keys=True).encode("utf-8")
                state["blobs"] = {name: hashlib.sha256(data).hexdigest() for name, data in blobs.items()}
                blobs["state"] = json.dumps(state, sort_keys=True).encode("utf-8")
                previous_inputs = previous.inputs if previous is not None else []
                # ingested.papers is None when the papers were spilled to the cache: saved from there.
                build_state = BuildState(ingested.papers, ingested.records_read, ingested.duplicates,
                                         ingested.skipped, ingested.warnings, previous_inputs + [shown_name(p) for p in inputs])
                try:
                    slot.store.save_build(build_state, blobs, rows=changed_rows)
                    if fast is None:  # a patched update runs the stored build's extractor: nothing else to prune
                        slot.store.prune()
                except CacheDamagedError as e:
                    if build_state.papers is None:  # spilled: read back before the damaged file is set aside
                        build_state.papers = slot.store.spilled_in_order()
                        snap.papers = PaperAttrs(build_state.papers)
                    slot.damaged(e)
                    slot.store.save_build(build_state, blobs)
                stages.done("cache")
    except OSError as e:
        raise OutputError(os_error_msg(e, out)) from e
    if slot.store is not None:
        record_stats(slot.store, state, paths)
        if return_graph and isinstance(snap.papers, StoredPapers):  # read back before the cache closes
            snap.papers = dict(snap.papers)
        slot.store.close()
        slot.store = None
    notes += remove_stale_outputs(out, paths)
    if cluster is None and remove_shards(out / SHARD_DIR):  # an earlier --distributed build's: not this graph.nt's
        notes.append(f"removed the N-Triples shards of an earlier distributed build ({out / SHARD_DIR})")
    # networkx only for a caller that asks for it: every output above was written from the Snapshot.
    G = snap.to_graph() if return_graph else None
    summary.warnings += slot.warnings
    summary.stages = stages.seconds
    summary.outputs += list(paths.values())
    summary.outputs += [out / "graph.html", out / "centrality.csv"] + [out / name for _, name in charts]
    return G, summary


