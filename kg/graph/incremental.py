"""Patch a stored Snapshot with the papers an update adds, instead of rebuilding the whole graph.

The graph is a sum of per-paper contributions (kg.graph.assemble.paper_contribution) over entities that
kg.resolve.Resolver keeps. Adding papers changes: the new papers; the entities their mentions
touch (new forms, a higher confidence, or two entities merged into one, which can rename one);
the papers that pointed at a renamed entity; and the claim edges of all of those. Everything
else is left as it was, so the patched snapshot equals the snapshot of a full rebuild. The
nodes whose RDF subjects may differ are returned as `owners`, for kg.export.rdf.splice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from kg.defaults import CLAIM_RELATIONS
from kg.graph.assemble import (
    PaperAttrs,
    edge_claims,
    entity_iri,
    entity_node_attrs,
    fact_graph,
    paper_contribution,
    paper_iri,
    with_claim_edges,
)
from kg.graph.facts import fact_extractions
from kg.graph.snapshot import KIND_CODE, REL_CODE, Snapshot
from kg.ingest.pwc_facts import PaperFacts
from kg.records import Extraction, Paper
from kg.resolve import Resolver, StaleResolutionError

__all__ = ["PaperAttrs", "Patched", "patch_snapshot"]

_CLAIM_CODES = np.array([REL_CODE[r] for r in CLAIM_RELATIONS], dtype=np.int8)


@dataclass
class Patched:
    snapshot: Snapshot
    owners: set[str]  # nodes (old or new) whose RDF subjects may have changed
    changed_claims: set[tuple[str, str, str]]  # claim edges (old or new) whose claims differ
    recomputed: int  # papers whose contribution was made again (new ones included)


def patch_snapshot(
    old: Snapshot,
    resolver: Resolver,
    papers: Mapping[str, Paper],
    new: Mapping[str, Extraction],
    changed: Iterable[str],
    load: Callable[[list[Paper]], dict[str, Extraction]],
    facts: Mapping[str, PaperFacts] | None = None,
) -> Patched:
    """Add the papers of `new` (key -> Extraction) to `old`, whose entities `resolver` holds.

    `papers`: every paper of the update, by key; `changed`: keys of old papers whose metadata the
    update filled in; `load(papers)` gives the cached extractions of old papers that must be
    made again. `facts`: the curated facts of every paper that has some (kg.ingest.pwc_facts); an old
    paper's must be those the stored build had (see kg.pipeline.outputs.facts_digests): only the new papers' names are
    added to `resolver`, which is updated in place.
    """
    facts = facts or {}
    extractions = dict(new)

    def named(keys) -> list[Extraction]:
        """The papers' extractions, then their facts' names, as a full build gives them to the resolver."""
        keys = sorted(keys)
        return [extractions[k] for k in keys] + fact_extractions(facts[k] for k in keys if k in facts)

    try:
        before, after = resolver.add(named(new), incremental=True)
    except StaleResolutionError as e:
        # An acronym got a second meaning: its entities are split again from their papers' mentions.
        comps = resolver.components_of(e.keys)
        split_papers = _sources(old, [entity_iri(resolver.entity[c].id) for c in comps if c in resolver.entity])
        extractions.update(load([papers[k] for k in sorted(split_papers - set(new))]))
        before, after = resolver.split(e.keys, named(split_papers - set(new)))
        before2, after2 = resolver.add(named(new), incremental=True)
        before.update({c: x for c, x in before2.items() if c not in after})
        after = {c: resolver.entity[c] for c in sorted(set(after) | set(after2)) if c in resolver.entity}
    # Old papers that pointed at an entity whose id is not what its mentions now resolve to.
    moved = [e.id for (kind, root), e in before.items() if _current_id(resolver, kind, root) != e.id]
    redo = set(changed) | _sources(old, [entity_iri(i) for i in moved])
    redo = {k for k in redo if k not in extractions}
    extractions.update(load([papers[k] for k in sorted(redo)]))
    dirty = set(extractions)
    # Only the entities these papers' mentions resolve to are made (every one of a large build takes seconds).
    resolution = resolver.resolution(named(dirty), {})
    resolution.entities = resolver.entities(resolution.used_ids())
    contributions = {k: paper_contribution(extractions[k], resolution) for k in sorted(dirty)}

    dirty_iris = {paper_iri(k) for k in dirty}
    # Claims: the old ones of clean papers, plus those of the papers made again.
    # An old edge's claims are in claim_order: those left after dropping the dirty papers' stay in order,
    # and only the edges that gain claims are sorted again.
    final_claims: dict[tuple[str, str, str], tuple[dict, ...]] = {}
    for edge, cs in old.claims.items():
        if any(c["paper"] in dirty_iris for c in cs):
            cs = tuple(c for c in cs if c["paper"] not in dirty_iris)
        if cs:
            final_claims[edge] = cs
    gained: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    new_edges: list[tuple[str, str, str]] = []
    for key, got in contributions.items():
        new_edges += got.paper_edges(key)
        for edge, claim in got.claim_edges():
            gained[edge].append(claim)
    curated_new: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for key in sorted(k for k in dirty if k in facts and k in papers):
        p = paper_iri(key)
        fact_links, fact_claims = fact_graph(facts[key], p, resolution)
        for edge, sources in fact_links:
            new_edges.append(edge)
            curated_new[edge] |= sources
        for edge, cs in fact_claims:
            gained[edge] += cs
    for edge, cs in gained.items():
        final_claims[edge] = edge_claims([*final_claims.get(edge, ()), *cs])

    # Old edges that stay: out of clean papers (claim edges are all made again from `claims`).
    dirty_idx = np.array(sorted(old.index[i] for i in dirty_iris if i in old.index), dtype=np.int32)
    keep = ~np.isin(old.src, dirty_idx) & ~np.isin(old.rel, _CLAIM_CODES)
    kept_src, kept_dst, kept_rel = old.src[keep], old.dst[keep], old.rel[keep]
    new_edges = sorted(set(new_edges))

    # Entities and repos are nodes while a paper mentions (links) them.
    candidates = set(old.nodes) | {paper_iri(k) for k in papers} | {v for _, v, _ in new_edges}
    nodes = sorted(candidates)
    index = {n: i for i, n in enumerate(nodes)}
    remap = np.fromiter((index[n] for n in old.nodes), dtype=np.int32, count=len(old.nodes))
    src = np.concatenate([remap[kept_src], np.fromiter((index[u] for u, _, _ in new_edges), np.int32, len(new_edges))])
    dst = np.concatenate([remap[kept_dst], np.fromiter((index[v] for _, v, _ in new_edges), np.int32, len(new_edges))])
    rel = np.concatenate([kept_rel, np.fromiter((REL_CODE[r] for _, _, r in new_edges), np.int8, len(new_edges))])
    linking = np.isin(rel, [REL_CODE["mentions"], REL_CODE["hasCode"]])
    linked = np.zeros(len(nodes), dtype=bool)
    linked[dst[linking]] = True
    is_paper = {paper_iri(k) for k in papers}
    alive = [n for i, n in enumerate(nodes) if linked[i] or n in is_paper]
    if len(alive) != len(nodes):
        index2 = {n: i for i, n in enumerate(alive)}
        remap2 = np.fromiter((index2.get(n, -1) for n in nodes), dtype=np.int32, count=len(nodes))
        src, dst = remap2[src], remap2[dst]
        ok = (src >= 0) & (dst >= 0)
        src, dst, rel = src[ok], dst[ok], rel[ok]
        nodes, index = alive, index2
    claim_edges = sorted(e for e in final_claims if e[0] in index and e[1] in index)
    src, dst, rel = with_claim_edges(src, dst, rel, claim_edges, index)
    final_claims = {e: final_claims[e] for e in claim_edges}

    # Node attributes: entities from the resolver, repos their URL.
    # Every component that shares an id with a changed one makes that entity (Resolver.entities).
    by_id = resolver.entities({e.id for e in after.values()} | {e.id for e in before.values()})
    attrs = {n: a for n, a in old.attrs.items() if n in index}
    # Old nodes keep their kind; changed entities take theirs; any other new node is a paper or a repo.
    kinds = np.full(len(nodes), -1, dtype=np.int8)
    at = np.fromiter((index.get(n, -1) for n in old.nodes), dtype=np.int64, count=len(old.nodes))
    kinds[at[at >= 0]] = old.kind[at >= 0]
    for eid, e in by_id.items():
        i = index.get(entity_iri(eid))
        if i is not None:
            attrs[nodes[i]] = entity_node_attrs(e)
            kinds[i] = KIND_CODE[e.kind]
    for i in np.flatnonzero(kinds < 0).tolist():
        n = nodes[i]
        if n in is_paper:
            kinds[i] = KIND_CODE["paper"]
        else:  # a repo first linked by a new paper
            attrs[n] = {"label": n}
            kinds[i] = KIND_CODE["repo"]
    # Curated edges: the clean papers' stay, the dirty papers' are made again from their facts.
    curated = {e: cs for e, cs in old.curated.items() if e[0] not in dirty_iris and e[0] in index and e[1] in index}
    curated.update({e: tuple(sorted(cs)) for e, cs in curated_new.items() if cs and e[0] in index and e[1] in index})
    curated = dict(sorted(curated.items()))
    snap = Snapshot(nodes, kinds, src, dst, rel, attrs, final_claims, PaperAttrs(papers.values()), curated, _index=index)
    snap._sort_edges()

    changed_claims = {e for e in set(old.claims) | set(final_claims) if old.claims.get(e) != final_claims.get(e)}
    owners = (dirty_iris | {entity_iri(e.id) for e in before.values()} | {entity_iri(e.id) for e in after.values()}
              | {u for u, _, _ in changed_claims} | (set(nodes) ^ set(old.nodes)))
    return Patched(snap, owners, changed_claims, len(dirty))


def _current_id(resolver: Resolver, kind: str, key: str) -> str | None:
    """The id of the entity that holds `key` now (None if no entity does)."""
    uf = resolver.uf[kind]
    e = resolver.entity.get((kind, uf.find(key))) if key in uf.parent else None
    return e.id if e else None


def _sources(snap: Snapshot, targets: list[str]) -> set[str]:
    """Keys of the papers with an edge to any of `targets`."""
    idx = [snap.index[t] for t in targets if t in snap.index]
    if not idx:
        return set()
    hits = np.unique(snap.src[np.isin(snap.dst, np.array(idx, dtype=np.int32))])
    prefix = len(paper_iri(""))
    return {snap.nodes[i][prefix:] for i in hits.tolist() if snap.kind[i] == KIND_CODE["paper"]}

