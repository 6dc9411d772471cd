"""The main job: ingest -> extract -> resolve -> graph -> RDF, HTML and centrality files."""

from __future__ import annotations

import hashlib
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

from kg.analyze.snapshot_views import (
    snapshot_method_scores,
    snapshot_pagerank,
    snapshot_summary_counts,
    trend_table_snapshot,
)
from kg.atomic import folder_lock, os_error_msg, output_batch, remove_stale_temps
from kg.defaults import DEFAULT_OUT_DIR, HTML_MAX_NODES, NODE_KINDS, RELATIONS, SAMPLE_CORPUS_DIR
from kg.errors import FormatError, GraphError, InputError, KGError, OutputError, value_invalid_msg
from kg.export.centrality import write_centrality_csv_snapshot
from kg.export.charts import write_top_methods_chart_snapshot, write_trends_chart
from kg.export.html.snapshot import write_html_snapshot
from kg.export.rdf import owned_blocks_by_format, owned_subjects, write_rdf_formats
from kg.export.rdf.splice import splice_rdf
from kg.graph.assemble import build_graph
from kg.graph.incremental import PaperAttrs, patch_snapshot
from kg.graph.snapshot import Snapshot
from kg.ingest.papers import Ingested, read_papers
from kg.pipeline.cache import CACHE_FILENAME, BuildState, CacheDamagedError, ExtractionCache, set_aside, state_version
from kg.pipeline.parallel import extract_papers
from kg.pipeline.progress import Stages
from kg.pipeline.update import continue_ingest
from kg.records import Problem, shown_name
from kg.resolve import Resolver, StaleResolutionError

__all__ = ["BuildSummary", "build", "RDF_EXTENSIONS"]

#: RDF serialisations `kg build --rdf-format` writes, and the file extension of each.
RDF_EXTENSIONS = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld"}


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
    stage end. The graph is returned unless `return_graph` is False (an update then never
    builds the networkx graph).
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
            return_graph=return_graph)
    summary.seconds = time.perf_counter() - t0
    return G, summary


class _CacheSlot:
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
            raise CacheDamagedError(e.path, e.__cause__ or e, hint=_REBUILD_HINT + " (that sets the damaged cache aside)") from e
        moved = set_aside(self.path)
        self.notes.append(f"cache:             damaged ({e.detail}); set aside as {moved.name}")
        warning = Problem.warning(str(self.path), None, f"damaged cache ({e.detail}) set aside as {moved.name}; building without it")
        self.warnings.append(warning)
        if self.on_warning:
            self.on_warning(warning)
        if reopen:
            self.store = ExtractionCache(self.path)

    def extract(self, papers, **kw) -> list:
        """extract_papers with this cache, again with a fresh cache if this one turns out damaged."""
        try:
            return extract_papers(papers, cache=self.store, **kw)
        except CacheDamagedError as e:
            if e.path != self.path:
                raise
            self.damaged(e)
            return extract_papers(papers, cache=self.store, **kw)


#: What to do when --update cannot trust the stored build.
_REBUILD_HINT = "run kg build with all inputs (the earlier ones and the new) without --update"


def _build_locked(inputs: Sequence[str | Path], out: Path, *, fmt: str, rdf_formats: Sequence[str],
                  include_abstracts: bool, min_confidence: float, max_nodes: int,
                  on_skip: Callable[[Problem], None] | None, on_warning: Callable[[Problem], None] | None, jobs: int,
                  cache: bool, update: bool, scheduler: str | None, quiet: bool, stages: Stages,
                  return_graph: bool) -> tuple[nx.MultiDiGraph | None, BuildSummary]:
    """build() while holding the lock of `out`."""
    notes: list[str] = []
    slot = _CacheSlot(out / CACHE_FILENAME, update=update, summary_notes=notes, on_warning=on_warning)
    try:
        return _run(inputs, out, slot, notes, fmt=fmt, rdf_formats=rdf_formats, include_abstracts=include_abstracts,
                    min_confidence=min_confidence, max_nodes=max_nodes, on_skip=on_skip, on_warning=on_warning,
                    jobs=jobs, cache=cache, update=update, scheduler=scheduler, quiet=quiet, stages=stages,
                    return_graph=return_graph)
    finally:
        if slot.store is not None:
            slot.store.close()


def _run(inputs, out: Path, slot: _CacheSlot, notes: list[str], *, fmt, rdf_formats, include_abstracts,
         min_confidence, max_nodes, on_skip, on_warning, jobs, cache, update, scheduler, quiet, stages,
         return_graph) -> tuple[nx.MultiDiGraph | None, BuildSummary]:
    previous, stored = _open_cache(out, slot, cache=cache, update=update)
    if previous is not None:
        ingested = continue_ingest(previous, inputs, fmt=fmt, on_skip=on_skip, on_warning=on_warning)
    else:
        ingested = read_papers(list(inputs) or [SAMPLE_CORPUS_DIR], fmt=fmt, on_skip=on_skip, on_warning=on_warning,
                               exclude=[out])  # `kg build papers/ --out papers/out`: not read back
    stages.done("ingest")
    summary = BuildSummary(ingested.records_read, len(ingested.papers), ingested.duplicates,
                           list(ingested.skipped), list(ingested.warnings))
    summary.notes = notes
    if not ingested.papers:
        raise InputError("no paper could be read from the input" + ("; see the skipped lines above" if ingested.skipped else ""))
    paths = {f: out / f"graph.{RDF_EXTENSIONS[f]}" for f in dict.fromkeys(rdf_formats)}
    options = {"rdf": sorted(paths), "include_abstracts": include_abstracts, "min_confidence": repr(float(min_confidence))}
    # A build killed mid-write leaves its hidden temp files; only those of dead processes are removed.
    remove_stale_temps(out, [f"graph.{ext}" for ext in RDF_EXTENSIONS.values()] + list(_OTHER_OUTPUTS))
    G = None
    fast = None
    if previous is not None:
        try:
            fast = _patch(slot, stored, previous, ingested, options, jobs=jobs, min_confidence=min_confidence,
                          scheduler=scheduler, quiet=quiet, stages=stages)
        except CacheDamagedError as e:
            slot.damaged(e)  # raises: an update does not go on from a cache it cannot read
    if fast is not None:
        snap, resolver, old_triples, splices, changed_rows, summary.patched = fast
    else:
        extractions = slot.extract(ingested.papers, jobs=jobs, min_confidence=min_confidence, scheduler=scheduler,
                                   quiet=quiet)
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
        changed_rows = None

    summary.nodes, summary.edges, summary.claims = snapshot_summary_counts(snap)
    # PageRank over the whole graph, once: the methods' scores (the CSV, as method_centrality gives
    # them) and every node's size on the map come from it.
    pagerank = snapshot_pagerank(snap)
    scores = snapshot_method_scores(snap, pagerank)
    stages.done("centrality")
    charts = [("top methods", "top_methods.svg"), ("trends", "trends.svg")]
    trends = trend_table_snapshot(snap, period="month")
    try:
        # Every output is written to a temp file first and all are renamed at the end: a failure
        # anywhere before (a full disk) leaves every previous output as it was, not a mix.
        with output_batch() as pending:
            if fast is not None:
                summary.triples = _splice(splices, snap, paths, old_triples, include_abstracts)
            else:
                summary.triples = write_rdf_formats(G, paths, include_abstracts=include_abstracts)
                if not return_graph:
                    G = None
            stages.done("rdf")
            write_top_methods_chart_snapshot(snap, scores, out / "top_methods.svg")
            write_trends_chart(trends, out / "trends.svg")
            write_html_snapshot(snap, out / "graph.html", max_nodes=max_nodes, scores=scores, pagerank=pagerank,
                                build_date=build_date(), links=charts)
            stages.done("html")
            write_centrality_csv_snapshot(snap, out / "centrality.csv", scores)
            stages.done("centrality")
            if slot.store is not None:
                # Saved before the renames, in one transaction: the stored papers describe the
                # outputs about to be in out_dir, and name them by content (see _verify_outputs).
                written = {path: Path(tmp) for tmp, path in pending}
                state = {**options, "version": state_version(), "triples": summary.triples,
                         "digests": {f: _digest(written.get(p, p)) for f, p in paths.items()},
                         "papers": _papers_digest(ingested.papers)}
                blobs = {f"snapshot.{k}": v for k, v in snap.to_blobs().items()}
                blobs["resolver"] = resolver.to_json().encode("utf-8")
                state["blobs"] = {name: hashlib.sha256(data).hexdigest() for name, data in blobs.items()}
                blobs["state"] = json.dumps(state, sort_keys=True).encode("utf-8")
                previous_inputs = previous.inputs if previous is not None else []
                build_state = BuildState(ingested.papers, ingested.records_read, ingested.duplicates,
                                         ingested.skipped, ingested.warnings, previous_inputs + [shown_name(p) for p in inputs])
                try:
                    slot.store.save_build(build_state, blobs, rows=changed_rows)
                    slot.store.prune()
                except CacheDamagedError as e:
                    slot.damaged(e)
                    slot.store.save_build(build_state, blobs)
                stages.done("cache")
    except OSError as e:
        raise OutputError(os_error_msg(e, out)) from e
    if slot.store is not None:
        _record_stats(slot.store, state, paths)
        slot.store.close()
        slot.store = None
    notes += _remove_stale_outputs(out, paths)
    if return_graph:
        G = G if G is not None else snap.to_graph()
    else:
        G = None
    summary.warnings += slot.warnings
    summary.stages = stages.seconds
    summary.outputs += list(paths.values())
    summary.outputs += [out / "graph.html", out / "centrality.csv"] + [out / name for _, name in charts]
    return G, summary


#: The outputs besides the RDF files, all written by every build.
_OTHER_OUTPUTS = ("graph.html", "centrality.csv", "top_methods.svg", "trends.svg")


def _remove_stale_outputs(out: Path, paths: dict[str, Path]) -> list[str]:
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


def _record_stats(store: ExtractionCache, state: dict, paths: dict[str, Path]) -> None:
    """Add the renamed outputs' stat keys to the stored state, so the next --update reads no file to check them."""
    try:
        state["stats"] = {f: _stat_key(p) for f, p in paths.items()}
        store.set_blob("state", json.dumps(state, sort_keys=True).encode("utf-8"))
    except (OSError, KGError):
        pass  # only a shortcut: without it, the next --update checks the files by their digests


def _papers_digest(papers: Sequence) -> str:
    """sha256 of the papers' keys in order: the stored paper rows must be the ones the state was saved with."""
    return hashlib.sha256("\n".join(p.key for p in papers).encode("utf-8")).hexdigest()


def _verify_outputs(out: Path, store: ExtractionCache, previous: BuildState) -> tuple[dict, dict[str, bytes]]:
    """The stored build's state and blobs, once its RDF files in `out` are shown to be the ones it wrote.

    Copied outputs (without their cache, or beside another build's) or an edited file would make
    --update build the cache's papers, not the outputs' ones: InputError instead, saying how to rebuild.
    """
    blobs = store.load_blobs()
    cache = store.path
    try:
        state = json.loads(blobs["state"])
        digests, blob_digests, papers_digest = state["digests"], state["blobs"], state["papers"]
    except (KeyError, ValueError, TypeError):
        raise InputError(f"--update: {cache} does not say which outputs it belongs to (an older paperkg, or "
                         f"damaged); {_REBUILD_HINT}") from None
    if papers_digest != _papers_digest(previous.papers):
        raise CacheDamagedError(cache, ValueError("its stored papers were changed"), hint=_REBUILD_HINT)
    for name, digest in blob_digests.items():
        if name not in blobs or hashlib.sha256(blobs[name]).hexdigest() != digest:
            raise CacheDamagedError(cache, ValueError(f"its stored {name} was changed"), hint=_REBUILD_HINT)
    stats = state.get("stats") or {}
    for f, digest in sorted(digests.items()):
        path = out / f"graph.{RDF_EXTENSIONS.get(f, f)}"
        if not path.is_file():
            raise InputError(f"--update: {path} is missing, so {out} does not hold the build recorded in {cache}; "
                             f"{_REBUILD_HINT}")
        if stats.get(f) != _stat_key(path) and _digest(path) != digest:
            raise InputError(f"--update: {path} does not match the build recorded in {cache} (copied from "
                             f"another build, or edited); {_REBUILD_HINT}")
    return state, blobs


def _patch(slot: _CacheSlot, stored: tuple[dict, dict[str, bytes]], previous: BuildState, ingested: Ingested,
           options: dict, *, jobs: int, min_confidence: float, scheduler: str | None, quiet: bool,
           stages: Stages) -> tuple[Snapshot, Resolver, int, tuple[set[str], dict], list[int], int] | None:
    """An update by patching the stored graph (the splices are written by _splice); None when it cannot
    be (then the caller builds afresh from the cached extractions, with the same result)."""
    state, blobs = stored
    if {k: state.get(k) for k in options} != options or state.get("version") != state_version():
        return None
    old_papers = {p.key: p for p in previous.papers}
    new_papers = [p for p in ingested.papers if p.key not in old_papers]
    changed = [p.key for p in ingested.papers if p.key in old_papers and p != old_papers[p.key]]
    try:
        resolver = Resolver.from_json(blobs["resolver"].decode("utf-8"))
        old = Snapshot.from_blobs({k[len("snapshot."):]: v for k, v in blobs.items() if k.startswith("snapshot.")},
                                  PaperAttrs(previous.papers))
    except (KeyError, ValueError, TypeError, IndexError) as e:
        raise CacheDamagedError(slot.path, e) from e
    del blobs
    extracted = slot.extract(new_papers, jobs=jobs, min_confidence=min_confidence, scheduler=scheduler, quiet=quiet)
    stages.done("extract")
    by_key = {p.key: p for p in ingested.papers}
    try:
        patched = patch_snapshot(old, resolver, by_key, {ex.paper_key: ex for ex in extracted}, changed,
                                 lambda ps: {ex.paper_key: ex for ex in extract_papers(
                                     ps, jobs=1, min_confidence=min_confidence, cache=slot.store)})
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
    blocks_by_format = owned_blocks_by_format(new_part, new_owners, options["rdf"],
                                              include_abstracts=options["include_abstracts"])
    delete = owned_subjects(old_part, [o for o in owners if o in old.index]) - set(next(iter(blocks_by_format.values())))
    position = {p.key: i for i, p in enumerate(ingested.papers)}
    rows = [position[k] for k in changed] + [position[p.key] for p in new_papers]
    return snap, resolver, state["triples"], (delete, blocks_by_format), rows, patched.recomputed


def _splice(splices: tuple[set[str], dict], snap: Snapshot, paths: dict[str, Path], old_triples: int,
            include_abstracts: bool) -> int:
    """Write the patched RDF files by splicing the changed subjects into the old ones; the triple count."""
    delete, blocks_by_format = splices
    delta = None
    for fmt, path in paths.items():
        try:
            d = splice_rdf(path, fmt, delete, blocks_by_format[fmt])
        except GraphError:
            # Not our writer's file (its content matched the stored digest, so this is unlikely):
            # the patched graph equals a full rebuild's, so write it in full.
            return write_rdf_formats(snap.to_graph(), paths, include_abstracts=include_abstracts)
        delta = d if delta is None else delta
    return old_triples + (delta or 0)


def _open_cache(out: Path, slot: _CacheSlot, *, cache: bool,
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
        raise InputError(f"--update: {out} has no cache of an earlier build ({CACHE_FILENAME}); {_REBUILD_HINT}")
    store = slot.open()
    if not update:
        return None, None
    try:
        previous = store.load_build()
        if previous is None:
            raise InputError(f"--update: {path} holds no earlier build (it was replaced by a build with "
                             f"--no-cache); {_REBUILD_HINT}")
        return previous, _verify_outputs(out, store, previous)
    except CacheDamagedError as e:
        slot.damaged(e)  # raises for an update
        raise
