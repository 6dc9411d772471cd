"""`kg build --update`: continue the ingest, patch the stored graph, splice the RDF files.

`continue_ingest` gives a previous build's papers plus new inputs, merged as one full read would.

A full build reads its inputs in order and merges duplicates (same normalised title or arXiv id:
the first copy wins, later copies fill what it lacks; see kg.ingest.papers.read_papers). An update starts
from the papers the previous build kept (kg.pipeline.cache.BuildState) and goes on reading the new inputs
with that same function, so its papers are those of a full build over the old inputs then the new ones.
`patch_stored` then patches the stored graph with the new papers (kg.graph.incremental) and
`splice_outputs` writes only the changed subjects into the RDF files (kg.export.rdf.splice).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from kg.errors import GraphError
from kg.export.rdf import owned_blocks_by_format, owned_subjects, write_rdf_formats
from kg.export.rdf.splice import splice_rdf
from kg.graph.assemble import PaperAttrs
from kg.graph.incremental import patch_snapshot
from kg.graph.snapshot import Snapshot
from kg.ingest.papers import Ingested, read_papers
from kg.ingest.pwc_facts import PaperFacts
from kg.pipeline.cache import BuildState, CacheDamagedError, state_version
from kg.pipeline.cache_slot import CacheSlot
from kg.pipeline.parallel import extract_papers
from kg.pipeline.progress import Stages
from kg.records import Problem
from kg.resolve import Resolver, StaleResolutionError

__all__ = ["continue_ingest", "patch_stored", "splice_outputs"]


def continue_ingest(
    previous: BuildState,
    inputs: Sequence[str | Path],
    *,
    fmt: str = "auto",
    on_skip: Callable[[Problem], None] | None = None,
    on_warning: Callable[[Problem], None] | None = None,
    categories: Sequence[str] = (),
) -> Ingested:
    """The previous build's papers, then the records of `inputs` merged into them.

    Only the new inputs' skips and warnings are passed to `on_skip`/`on_warning`; the returned
    account covers both builds, as a full rebuild's would. `previous` is left as it was.
    """
    # read_papers replaces a paper it fills in by a copy (previous.papers stay as stored): a new list is enough.
    start = Ingested(list(previous.papers), previous.records_read, previous.duplicates,
                     list(previous.skipped), list(previous.warnings))
    # `off_category` counts the new inputs' records only: the stored build does not keep its count.
    return read_papers(inputs, fmt=fmt, on_skip=on_skip, on_warning=on_warning, start=start, categories=categories)


def patch_stored(slot: CacheSlot, stored: tuple[dict, dict[str, bytes]], previous: BuildState, ingested: Ingested,
           options: dict, *, jobs: int, min_confidence: float, scheduler: str | None, quiet: bool,
           stages: Stages, facts: Mapping[str, PaperFacts] | None = None, fact_digests: Mapping[str, str] | None = None,
           ) -> tuple[Snapshot, Resolver, int, tuple[set[str], dict], list[int], int] | None:
    """An update by patching the stored graph (the splices are written by splice_outputs); None when it cannot
    be (then the caller builds afresh from the cached extractions, with the same result).

    `facts`: the curated facts by paper key (kg.ingest.pwc_facts) and `fact_digests` their
    kg.pipeline.outputs.facts_digests: the new papers' facts are patched in; when an old paper's
    facts are not the stored build's (a new paper took over its arXiv id), None.
    """
    state, blobs = stored
    if {k: state.get(k) for k in options} != options or state.get("version") != state_version():
        return None
    old_papers = {p.key: p for p in previous.papers}
    if fact_digests or "facts" in blobs:
        try:
            stored_facts = json.loads(blobs.get("facts", b"{}"))
        except ValueError as e:
            raise CacheDamagedError(slot.path, e) from e
        now = {k: d for k, d in (fact_digests or {}).items() if k in old_papers}
        if now != stored_facts:
            return None
    new_papers = [p for p in ingested.papers if p.key not in old_papers]
    changed = [p.key for p in ingested.papers if p.key in old_papers and p is not old_papers[p.key]
               and p != old_papers[p.key]]
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
                                     ps, jobs=1, min_confidence=min_confidence, cache=slot.store)}, facts)
    except StaleResolutionError:  # patch_snapshot splits what it can; anything else is built afresh
        return None
    stages.done("resolve")
    snap = patched.snapshot
    stages.done("graph")
    owners = patched.owners
    # A popular entity states thousands of claims: only those of changed edges are written again.
    # Subjects written again are replaced in place; only those that are gone are deleted.
    blocks_by_format = owned_blocks_by_format(snap, owners, options["rdf"], include_abstracts=options["include_abstracts"],
                                              claims=patched.changed_claims)
    delete = owned_subjects(old, owners, claims=patched.changed_claims) - set(next(iter(blocks_by_format.values())))
    position = {p.key: i for i, p in enumerate(ingested.papers)}
    rows = [position[k] for k in changed] + [position[p.key] for p in new_papers]
    return snap, resolver, state["triples"], (delete, blocks_by_format), rows, patched.recomputed


def splice_outputs(splices: tuple[set[str], dict], snap: Snapshot, paths: dict[str, Path], old_triples: int,
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
            return write_rdf_formats(snap, paths, include_abstracts=include_abstracts)
        delta = d if delta is None else delta
    return old_triples + (delta or 0)
