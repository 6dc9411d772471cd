"""The main job: ingest -> extract -> resolve -> graph -> RDF, HTML and centrality files."""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import networkx as nx

from kg.atomic import remove_stale_temps
from kg.cache import CACHE_FILENAME, BuildState, ExtractionCache
from kg.defaults import DEFAULT_OUT_DIR, HTML_MAX_NODES, NODE_KINDS, RELATIONS, SAMPLE_CORPUS_DIR
from kg.errors import FormatError, GraphError, InputError, KGError, value_invalid_msg
from kg.export.charts import write_trends_chart
from kg.export.html_snapshot import write_html_snapshot
from kg.export.rdf import owned_blocks_by_format, owned_subjects, write_rdf_formats
from kg.export.rdf_splice import splice_rdf
from kg.graph import build_graph
from kg.incremental import PaperAttrs, patch_snapshot, state_version
from kg.ingest import Ingested, read_papers
from kg.parallel import extract_papers
from kg.progress import Stages
from kg.records import Skip
from kg.resolve import Resolver, StaleResolutionError
from kg.snapshot import Snapshot
from kg.snapshot_views import (snapshot_method_scores, snapshot_pagerank, snapshot_summary_counts,
                               trend_table_snapshot, write_centrality_csv_snapshot, write_top_methods_chart_snapshot)
from kg.update import continue_ingest

__all__ = ["BuildSummary", "build", "write_centrality_csv", "RDF_EXTENSIONS"]

#: RDF serialisations `kg build --rdf-format` writes, and the file extension of each.
RDF_EXTENSIONS = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld"}


@dataclass
class BuildSummary:
    records_read: int = 0
    papers: int = 0
    duplicates: int = 0
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[Skip] = field(default_factory=list)
    nodes: Counter = field(default_factory=Counter)
    edges: Counter = field(default_factory=Counter)
    claims: int = 0
    triples: int = 0
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage (scripts/bench.py)
    patched: int | None = None  # an update that patched the stored graph: papers whose edges were made again

    def lines(self) -> list[str]:
        """The summary as printed by `kg build`."""
        # Reasons are grouped by their wording up to the first detail ("malformed JSON (...)").
        reasons = Counter(re.split(r" \(|:", s.reason, maxsplit=1)[0] for s in self.skipped)
        out = [
            f"records read:      {self.records_read}",
            f"papers kept:       {self.papers}",
            f"duplicates merged: {self.duplicates}",
            f"records skipped:   {len(self.skipped)}"
            + (" (" + "; ".join(f"{n} {r}" for r, n in sorted(reasons.items())) + ")" if reasons else ""),
            f"warnings:          {len(self.warnings)}",
            "nodes:             " + ", ".join(f"{k} {self.nodes.get(k, 0)}" for k in NODE_KINDS),
            "edges:             " + ", ".join(f"{r} {self.edges.get(r, 0)}" for r in RELATIONS),
            f"claims:            {self.claims} (reified, with evidence)",
            f"triples:           {self.triples}",
            f"seconds:           {self.seconds:.1f}",
        ]
        if self.patched is not None:
            out.append(f"update:            patched the stored graph; {self.patched} papers' edges made again")
        out += [f"wrote {p}" for p in self.outputs]
        return out


def build_date() -> str:
    """Today's date (UTC) for the map's header; SOURCE_DATE_EPOCH fixes it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return when.date().isoformat()


def write_centrality_csv(G: nx.MultiDiGraph, path: Path, scores: dict[str, float]) -> None:
    """rank, label, score, papers, iri: every method, best first (see write_centrality_csv_snapshot)."""
    write_centrality_csv_snapshot(Snapshot.from_graph(G), path, scores)


def build(
    inputs: Sequence[str | Path] = (),
    *,
    fmt: str = "auto",
    out_dir: str | Path = DEFAULT_OUT_DIR,
    rdf_formats: Sequence[str] = ("turtle",),
    include_abstracts: bool = True,
    min_confidence: float = 0.0,
    max_nodes: int = HTML_MAX_NODES,
    on_skip: Callable[[Skip], None] | None = None,
    on_warning: Callable[[Skip], None] | None = None,
    jobs: int = 1,
    cache: bool = False,
    update: bool = False,
    scheduler: str | None = None,
    quiet: bool = True,
    on_stage: Callable[[str, float], None] | None = None,
    return_graph: bool = True,
) -> tuple[nx.MultiDiGraph | None, BuildSummary]:
    """Build the graph of `inputs` (the bundled sample if none) and write its views to `out_dir`.

    Writes graph.<ext> for each of `rdf_formats` (turtle -> .ttl, ntriples -> .nt, jsonld ->
    .jsonld), graph.html and centrality.csv. Every file is replaced atomically.

    Extraction runs in `jobs` processes (0: one per CPU, at most 4), or on the Dask `scheduler`
    ("tcp://host:8786", or "local"). With `cache`, per-paper extractions, the list of papers and
    the graph's compact form (kg.snapshot) are kept in `out_dir`/.kg-cache.sqlite3; `update` then
    adds `inputs` to that previous build (the result equals a full build over the old inputs
    followed by the new ones): the stored graph is patched where the new papers change it
    (kg.incremental) and the RDF files are spliced, unless the previous build used other
    options or left no state, when the graph is built afresh from the cached extractions.
    A progress bar is drawn on a terminal unless `quiet`; `on_stage(name, seconds)` hears each
    stage end. The graph is returned unless `return_graph` is False (an update then never
    builds the networkx graph).
    """
    unknown = [f for f in rdf_formats if f not in RDF_EXTENSIONS]
    if unknown or not rdf_formats:
        raise FormatError(value_invalid_msg("RDF format", ",".join(unknown), RDF_EXTENSIONS))
    t0 = time.perf_counter()
    out = Path(out_dir)
    stages = Stages(on_stage)
    store, previous = _open_cache(out, cache=cache, update=update, inputs=inputs)
    if previous is not None:
        ingested = continue_ingest(previous, inputs, fmt=fmt, on_skip=on_skip, on_warning=on_warning)
    else:
        ingested = read_papers(list(inputs) or [SAMPLE_CORPUS_DIR], fmt=fmt, on_skip=on_skip, on_warning=on_warning)
    stages.done("ingest")
    summary = BuildSummary(ingested.records_read, len(ingested.papers), ingested.duplicates,
                           list(ingested.skipped), list(ingested.warnings))
    if not ingested.papers:
        raise InputError("no paper could be read from the input" + ("; see the skipped lines above" if ingested.skipped else ""))
    paths = {f: out / f"graph.{RDF_EXTENSIONS[f]}" for f in dict.fromkeys(rdf_formats)}
    options = {"rdf": sorted(paths), "include_abstracts": include_abstracts, "min_confidence": repr(float(min_confidence))}
    # A build killed mid-write leaves its hidden temp files; this one replaces every output anyway.
    remove_stale_temps(out, [f"graph.{ext}" for ext in RDF_EXTENSIONS.values()]
                       + ["graph.html", "centrality.csv", "top_methods.svg", "trends.svg"])
    G = None
    fast = None
    if previous is not None:
        fast = _patch(store, previous, ingested, options, paths, jobs=jobs, min_confidence=min_confidence,
                      scheduler=scheduler, quiet=quiet, stages=stages)
    if fast is not None:
        snap, resolver, summary.triples, changed_rows, summary.patched = fast
    else:
        extractions = extract_papers(ingested.papers, jobs=jobs, min_confidence=min_confidence, cache=store,
                                     scheduler=scheduler, quiet=quiet)
        stages.done("extract")
        resolver = Resolver()
        resolver.add(extractions)
        resolution = resolver.resolution(extractions)
        stages.done("resolve")
        G = build_graph(ingested.papers, extractions, resolution)
        del extractions, resolution
        snap = Snapshot.from_graph(G)
        snap.papers = PaperAttrs(ingested.papers)
        stages.done("graph")
        summary.triples = write_rdf_formats(G, paths, include_abstracts=include_abstracts)
        changed_rows = None
        if not return_graph:
            G = None
        stages.done("rdf")

    summary.nodes, summary.edges, summary.claims = snapshot_summary_counts(snap)
    # PageRank over the whole graph, once: the methods' scores (the CSV, as method_centrality gives
    # them) and every node's size on the map come from it.
    pagerank = snapshot_pagerank(snap)
    scores = snapshot_method_scores(snap, pagerank)
    stages.done("centrality")
    summary.outputs += list(paths.values())
    charts = [("top methods", "top_methods.svg"), ("trends", "trends.svg")]
    write_top_methods_chart_snapshot(snap, scores, out / "top_methods.svg")
    write_trends_chart(trend_table_snapshot(snap, period="month"), out / "trends.svg")
    write_html_snapshot(snap, out / "graph.html", max_nodes=max_nodes, scores=scores, pagerank=pagerank,
                        build_date=build_date(), links=charts)
    stages.done("html")
    write_centrality_csv_snapshot(snap, out / "centrality.csv", scores)
    stages.done("centrality")
    if store is not None:
        # Saved last: the stored papers always describe the outputs now in out_dir.
        previous_inputs = previous.inputs if previous is not None else []
        state = {**options, "version": state_version(), "triples": summary.triples,
                 "files": {f: _fingerprint(p) for f, p in paths.items()}}
        blobs = {f"snapshot.{k}": v for k, v in snap.to_blobs().items()}
        blobs["resolver"] = resolver.to_json().encode("utf-8")
        blobs["state"] = json.dumps(state, sort_keys=True).encode("utf-8")
        store.save_build(BuildState(ingested.papers, ingested.records_read, ingested.duplicates, ingested.skipped,
                                    ingested.warnings, previous_inputs + [str(p) for p in inputs]),
                         blobs, rows=changed_rows)
        store.prune()
        store.close()
        stages.done("cache")
    if G is None and return_graph:
        G = snap.to_graph()
    summary.stages = stages.seconds
    summary.outputs += [out / "graph.html", out / "centrality.csv"] + [out / name for _, name in charts]
    summary.seconds = time.perf_counter() - t0
    return G, summary


def _fingerprint(path: Path) -> list[int]:
    """Size and modification time of an output: a later --update splices it only if both still match."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _patch(store: ExtractionCache, previous: BuildState, ingested: Ingested, options: dict, paths: dict[str, Path], *,
           jobs: int, min_confidence: float, scheduler: str | None, quiet: bool,
           stages: Stages) -> tuple[Snapshot, Resolver, int, list[int], int] | None:
    """An update by patching the stored graph and splicing the RDF files; None when it cannot be
    (then the caller builds afresh from the cached extractions, with the same result)."""
    blobs = store.load_blobs()
    try:
        state = json.loads(blobs["state"])
    except (KeyError, ValueError):
        return None
    if ({k: state.get(k) for k in options} != options or state.get("version") != state_version()
            or any(state["files"].get(f) != (_fingerprint(p) if p.is_file() else None) for f, p in paths.items())):
        return None
    old_papers = {p.key: p for p in previous.papers}
    new_papers = [p for p in ingested.papers if p.key not in old_papers]
    changed = [p.key for p in ingested.papers if p.key in old_papers and p != old_papers[p.key]]
    resolver = Resolver.from_json(blobs["resolver"].decode("utf-8"))
    old = Snapshot.from_blobs({k[len("snapshot."):]: v for k, v in blobs.items() if k.startswith("snapshot.")},
                              PaperAttrs(previous.papers))
    del blobs
    extracted = extract_papers(new_papers, jobs=jobs, min_confidence=min_confidence, cache=store,
                               scheduler=scheduler, quiet=quiet)
    stages.done("extract")
    by_key = {p.key: p for p in ingested.papers}
    try:
        patched = patch_snapshot(old, resolver, by_key, {ex.paper_key: ex for ex in extracted}, changed,
                                 lambda ps: {ex.paper_key: ex for ex in extract_papers(
                                     ps, jobs=1, min_confidence=min_confidence, cache=store)})
    except StaleResolutionError:  # patch_snapshot splits what it can; anything else is built afresh
        return None
    stages.done("resolve")
    snap = patched.snapshot
    stages.done("graph")
    owners = patched.owners
    # A popular entity states thousands of claims: only those of changed edges are written again.
    old_part = old.part_graph((o for o in owners if o in old.index), claims=patched.changed_claims)
    new_part = snap.part_graph((o for o in owners if o in snap.index), claims=patched.changed_claims)
    new_owners = [o for o in owners if o in snap.index]
    # Subjects written again are replaced in place; only those that are gone are deleted.
    blocks_by_format = owned_blocks_by_format(new_part, new_owners, list(paths),
                                              include_abstracts=options["include_abstracts"])
    delete = owned_subjects(old_part, [o for o in owners if o in old.index]) - set(next(iter(blocks_by_format.values())))
    delta = None
    for fmt, path in paths.items():
        blocks = blocks_by_format[fmt]
        try:
            d = splice_rdf(path, fmt, delete, blocks)
        except GraphError:
            return None  # not our writer's file any more: build afresh
        delta = d if delta is None else delta
    stages.done("rdf")
    position = {p.key: i for i, p in enumerate(ingested.papers)}
    rows = [position[k] for k in changed] + [position[p.key] for p in new_papers]
    return snap, resolver, state["triples"] + (delta or 0), rows, patched.recomputed


def _open_cache(out: Path, *, cache: bool, update: bool,
                inputs: Sequence[str | Path]) -> tuple[ExtractionCache | None, BuildState | None]:
    """The output folder's cache (None without `cache`) and, with `update`, the build it holds."""
    path = out / CACHE_FILENAME
    if not cache:
        if update:
            raise InputError("--update needs the cache of the previous build; leave out --no-cache")
        if path.exists():
            # These outputs will not match the stored papers: a later --update must not use them.
            try:
                with ExtractionCache(path) as stale:
                    stale.forget_build()
            except KGError:  # not a cache we can read: nothing in it can mislead --update
                path.unlink()
        return None, None
    store = ExtractionCache(path)
    previous = store.load_build() if update else None
    if update and previous is None:
        store.close()
        raise InputError(f"--update: {out} holds no previous build with a cache; build it once without --update")
    if update and not inputs:
        store.close()
        raise InputError("--update needs the new input files to add")
    return store, previous
