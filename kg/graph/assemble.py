"""Papers, extractions and resolved entities -> the graph (a Snapshot; networkx on demand); no I/O.

The graph is the model; RDF and HTML are views of it. A build makes it as a kg.graph.snapshot.Snapshot
(`build_snapshot`) and writes every view from that; `build_graph` gives the same graph as a networkx
MultiDiGraph (Snapshot.to_graph) for the analyses that need one. Its schema, in networkx terms:

Nodes are keyed by IRI (str) and carry
    kind        "paper" | "method" | "dataset" | "task" | "metric" | "repo"
    label       display name (a paper's title; an entity's canonical name; a repo's URL)
    aliases     tuple[str, ...], sorted: other surface forms (entities only, else ())
    papers      tuple[str, ...], sorted IRIs of the papers that mention it (entities, repos)
    confidence  float, the best extractor confidence over its mentions (entities)
  paper nodes also carry title, abstract, url, date, authors (tuple), arxiv_id, id, source; and doi,
  revised when the input has them.

Edges are keyed by relation name (so two relations between one pair are two edges):
    rel         "proposes" | "mentions" | "hasCode" (paper -> entity/repo)
                "evaluatesOn" (method -> dataset) | "improvesOver" (better -> worse)
    claims      for evaluatesOn / improvesOver: tuple of dicts, sorted (claim_order): an extracted claim
                {"paper": paper IRI, "evidence": sentence, "confidence": float}; a curated fact
                (kg.graph.facts) {"paper", "source": "PapersWithCode", "metric": metric IRI, "value": str}
    curated     for mentions / hasCode that a curator gives: sorted tuple of sources ("PapersWithCode")
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter

import networkx as nx
import numpy as np

from kg.defaults import CLAIM_RELATIONS, RESOURCE_BASE
from kg.errors import GraphError
from kg.graph.facts import fact_edges, fact_extractions
from kg.graph.snapshot import KIND_CODE, REL_CODE, Snapshot
from kg.ingest.pwc_facts import PaperFacts
from kg.records import Entity, Extraction, Paper
from kg.resolve import Resolution, Resolver

__all__ = ["build_snapshot", "build_graph", "PaperAttrs", "paper_iri", "entity_iri", "paper_attrs", "entity_attrs", "entity_node_attrs", "with_claim_edges", "paper_contribution", "Contribution",
           "edge_claims", "claim_order", "CLAIM_RELATIONS"]


def paper_iri(key: str) -> str:
    """The IRI of the paper whose key is `key`."""
    return f"{RESOURCE_BASE}paper/{key}"


def entity_iri(entity_id: str) -> str:
    """The IRI of the entity whose id is `entity_id` ("method/deepcache")."""
    return f"{RESOURCE_BASE}{entity_id}"


def paper_attrs(p: Paper) -> dict:
    """The node attributes of a paper."""
    # A literal, not dict(...) and a comprehension: the map and the trends ask for every paper's.
    d = {"kind": "paper", "label": p.title, "aliases": (), "title": p.title, "abstract": p.abstract, "url": p.url,
         "date": p.date, "authors": tuple(p.authors), "arxiv_id": p.arxiv_id, "id": p.id, "source": p.source}
    # Only when the input has them, so a graph of inputs without them keeps the attributes it had.
    if p.doi:
        d["doi"] = p.doi
    if p.revised:
        d["revised"] = p.revised
    return d


@dataclass(slots=True)
class Contribution:
    """What one paper adds to the graph: its edges, and the claims it states (one per edge: the most confident)."""

    mentions: set[str] = field(default_factory=set)  # entity ids
    proposes: set[str] = field(default_factory=set)
    repos: set[str] = field(default_factory=set)
    claims: dict[tuple[str, str, str], dict] = field(default_factory=dict)  # (subject id, object id, predicate) -> claim

    def paper_edges(self, paper_key: str) -> list[tuple[str, str, str]]:
        """(paper IRI, target IRI, relation) of the paper's own edges: mentions, proposes, hasCode."""
        p = paper_iri(paper_key)
        return ([(p, entity_iri(e), "mentions") for e in self.mentions]
                + [(p, entity_iri(e), "proposes") for e in self.proposes]
                + [(p, url, "hasCode") for url in self.repos])

    def claim_edges(self) -> list[tuple[tuple[str, str, str], dict]]:
        """((subject IRI, object IRI, predicate), claim) for each claim the paper states."""
        return [((entity_iri(s), entity_iri(o), pred), c) for (s, o, pred), c in self.claims.items()]


def claim_order(c: dict) -> tuple:
    """Where a claim sorts among its edge's: by paper, an extracted claim first, then facts by metric and value."""
    return c["paper"], c.get("source", ""), c.get("metric", ""), c.get("value", ""), c.get("evidence", "")


def edge_claims(claims) -> tuple[dict, ...]:
    """The claims of one edge as the graph holds them: one extracted per paper, and its facts, in claim_order."""
    return tuple(sorted(claims, key=claim_order))


def paper_contribution(ex: Extraction, resolution: Resolution) -> Contribution:
    """The edges and claims of one paper, given what its mentions resolved to."""
    out = Contribution()
    for m in ex.mentions:
        # Every form the resolver indexed: a text with no letter or digit ("\u2014") is not
        # indexed, but its aliases are, and a claim may name the entity through one of them.
        for e_id in {ent.id for f in (m.text, *m.aliases) if (ent := resolution.entity_for(ex.paper_key, f, m.kind))}:
            out.mentions.add(e_id)
            if m.proposed:
                out.proposes.add(e_id)
    out.repos.update(ex.repos)
    p_iri = paper_iri(ex.paper_key)
    for c in ex.claims:
        s = resolution.entity_for(ex.paper_key, c.subject, None)
        o = resolution.entity_for(ex.paper_key, c.object, None)
        if s is None or o is None or s.id == o.id:
            continue
        claim = {"paper": p_iri, "evidence": c.evidence, "confidence": round(c.confidence, 3)}
        key = (s.id, o.id, c.predicate)
        # One claim per paper and edge: the most confident sentence (the first of equals) speaks for it.
        if key not in out.claims or claim["confidence"] > out.claims[key]["confidence"]:
            out.claims[key] = claim
    return out


def _by_paper(extractions: Iterable[Extraction], facts: Iterable[PaperFacts]) -> Iterator[tuple[str, list, list]]:
    """(paper key, its Extractions, its PaperFacts) for each paper, from `extractions` sorted by paper
    key and read once (a build streams them from its cache); the papers with facts only come last.
    The order papers come in changes nothing: their edges and claims are sorted when the Snapshot is made."""
    facts_of: dict[str, list[PaperFacts]] = defaultdict(list)  # curated facts: few next to the extractions
    for f in facts:
        facts_of[f.paper_key].append(f)
    previous = None
    for key, own in groupby(extractions, key=attrgetter("paper_key")):
        if previous is not None and key <= previous:
            raise GraphError(f"extractions out of paper order: {key} after {previous}")
        previous = key
        yield key, list(own), facts_of.pop(key, [])
    for key in sorted(facts_of):
        yield key, [], facts_of[key]


def build_snapshot(
    papers: Iterable[Paper] | Mapping[str, dict], extractions: Iterable[Extraction], resolution: Resolution | Resolver,
    facts: Iterable[PaperFacts] = (),
) -> Snapshot:
    """The graph of `papers`, as the compact arrays every view of a build is written from (no networkx).

    `papers`: Paper records, or a Mapping paper IRI -> node attributes that the Snapshot keeps as its
    `papers` (a build's, read back from its cache as the writers ask). `extractions`: a list, or an
    iterator sorted by paper key that is read once (a build streams them from its cache).

    `facts`: curated facts per paper (kg.ingest.pwc_facts), whose names `resolution` resolved too.
    `resolution` may be the Resolver that all those names were added to: each paper's mentions are
    then resolved as the paper is read, and no index of every mention of the build is held.
    Edges are collected as integer arrays while the papers are read (an IRI is kept once, however
    many papers link it), so a build of a million papers never holds a Python object per edge.
    """
    # A list is sorted here; an iterator (the build's, streamed from its cache) comes sorted by paper
    # key and is read once, a paper at a time: every extraction of the build is never held at once.
    if not isinstance(extractions, Iterator):
        extractions = sorted(extractions, key=lambda e: e.paper_key)
    facts = sorted(facts, key=lambda f: f.paper_key)
    if isinstance(resolution, Resolver):
        entities = resolution.entities()
        resolver = resolution

        def resolved(named: list[Extraction]) -> Resolution:
            return resolver.resolution(named, entities)
    else:
        entities, resolved = resolution.entities, lambda named: resolution
    # The papers' attributes: from the Paper records, or a Mapping the caller gives (the build's papers
    # spilled to its cache, kg.pipeline.stored.StoredPapers).
    table = papers if isinstance(papers, Mapping) else PaperAttrs(papers)
    ids: dict[str, int] = {}  # every edge end's IRI -> its position in ends
    us, vs, rels = array("i"), array("i"), array("b")
    linked: set[int] = set()  # ends of mentions / hasCode edges: an entity or repo is a node while a paper links it
    claims: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    curated: dict[tuple[str, str, str], set[str]] = defaultdict(set)

    def end(iri: str) -> int:
        i = ids.get(iri)
        if i is None:
            i = ids[iri] = len(ids)
        return i

    def add(u: str, v: str, rel: str) -> None:
        b = end(v)
        us.append(end(u))
        vs.append(b)
        rels.append(REL_CODE[rel])
        if rel != "proposes":
            linked.add(b)

    for key, own, paper_facts in _by_paper(extractions, facts):
        # A paper's mentions are resolved with its facts' names, as the build resolved them all.
        resolution_of = resolved(own + fact_extractions(paper_facts))
        for ex in own:
            got = paper_contribution(ex, resolution_of)
            for u, v, rel in got.paper_edges(ex.paper_key):
                add(u, v, rel)
            for edge, claim in got.claim_edges():
                claims[edge].append(claim)
        p = paper_iri(key)
        if p not in table:
            continue
        for f in paper_facts:
            fact_links, fact_claims = fact_graph(f, p, resolution_of)
            for edge, sources in fact_links:
                add(*edge)
                curated[edge] |= sources
            for edge, cs in fact_claims:
                claims[edge] += cs

    # Nodes: every paper; an entity or repo while a paper links it (a later kind wins, as add_node's would).
    kind_of = {iri: KIND_CODE["paper"] for iri in table}
    attrs: dict[str, dict] = {}
    for ent in sorted(entities.values(), key=lambda e: e.id):
        iri = entity_iri(ent.id)
        if ids.get(iri, -1) in linked:
            kind_of[iri] = KIND_CODE[ent.kind]
            attrs[iri] = entity_node_attrs(ent)
    for url, i in ids.items():
        if i in linked and not url.startswith(RESOURCE_BASE):
            kind_of[url] = KIND_CODE["repo"]
            attrs[url] = {"label": url}
    nodes = sorted(kind_of)
    index = {n: i for i, n in enumerate(nodes)}
    kind = np.fromiter((kind_of[n] for n in nodes), dtype=np.int8, count=len(nodes))
    del kind_of
    # An edge to a node that does not exist is dropped: no view could show its end.
    where = np.fromiter((index.get(n, -1) for n in ids), dtype=np.int32, count=len(ids))
    ids.clear()
    src, dst = where[np.frombuffer(us, dtype=np.intc)], where[np.frombuffer(vs, dtype=np.intc)]
    rel = np.frombuffer(rels, dtype=np.int8)
    keep = (src >= 0) & (dst >= 0)
    claim_edges = sorted(e for e in claims if e[0] in index and e[1] in index)
    src, dst, rel = with_claim_edges(src[keep], dst[keep], rel[keep], claim_edges, index)
    # Kept with the node list's own strings (an edge's IRIs and a claim's paper), not copies of them.
    final_claims = {(nodes[index[u]], nodes[index[v]], r): edge_claims(_shared_paper(claims[(u, v, r)], nodes, index))
                    for u, v, r in claim_edges}
    final_curated = {e: tuple(sorted(cs)) for e, cs in sorted(curated.items())
                     if cs and e[0] in index and e[1] in index}
    # Not given the dict `index`: the Snapshot finds a node's index by bisection in the sorted nodes.
    return Snapshot.from_edges(nodes, kind, src, dst, rel, attrs, final_claims, table, final_curated)


def _shared_paper(claims: list[dict], nodes: list[str], index: dict[str, int]) -> list[dict]:
    """`claims` with each one's paper IRI replaced by the equal string of `nodes` (changed in place)."""
    for c in claims:
        i = index.get(c["paper"])
        if i is not None:
            c["paper"] = nodes[i]
    return claims


def build_graph(
    papers: Iterable[Paper], extractions: Iterable[Extraction], resolution: Resolution,
    facts: Iterable[PaperFacts] = (),
) -> nx.MultiDiGraph:
    """The graph as a networkx MultiDiGraph, for the analyses that need one: build_snapshot's graph,
    node and edge insertion order sorted (papers, then entities, then repos) so every view is stable."""
    return build_snapshot(papers, extractions, resolution, facts).to_graph()


class PaperAttrs(Mapping):
    """paper IRI -> node attributes, made on demand from the Paper records (100,000 dicts are not needed)."""

    def __init__(self, papers: Iterable[Paper]) -> None:
        self._papers = {paper_iri(p.key): p for p in papers}

    def __getitem__(self, iri: str) -> dict:
        return paper_attrs(self._papers[iri])

    def __contains__(self, iri: object) -> bool:
        return iri in self._papers

    def __iter__(self) -> Iterator[str]:
        return iter(self._papers)

    def __len__(self) -> int:
        return len(self._papers)


def fact_graph(f: PaperFacts, paper: str, resolution: Resolution) -> tuple[list, list]:
    """One paper's curated facts as the graph holds them: ((paper, target, "mentions"/"hasCode"),
    sources) per entity or repo it links, and (claim edge, claims) with entity IRIs (`paper`: its IRI)."""
    fe = fact_edges(f, paper, resolution)
    links = []
    for target, sources in [*((entity_iri(e), s) for e, s in fe.mentions.items()), *fe.repos.items()]:
        links.append(((paper, target, "hasCode" if not target.startswith(RESOURCE_BASE) else "mentions"), sources))
    claims = [((entity_iri(s), entity_iri(o), pred), [{**c, "metric": entity_iri(c["metric"])} for c in cs])
              for (s, o, pred), cs in fe.claims.items()]
    return links, claims


def entity_node_attrs(ent: Entity) -> dict:
    """What a Snapshot keeps of an entity node (its papers are its edges)."""
    return {"label": ent.label, "aliases": tuple(sorted(ent.aliases)), "confidence": round(ent.confidence, 3)}


def with_claim_edges(src: np.ndarray, dst: np.ndarray, rel: np.ndarray, claim_edges: list[tuple[str, str, str]],
                     index: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edge arrays followed by one edge per claimed (u, v, relation), in `claim_edges`' order."""
    n = len(claim_edges)
    return (np.concatenate([src, np.fromiter((index[u] for u, _, _ in claim_edges), np.int32, n)]),
            np.concatenate([dst, np.fromiter((index[v] for _, v, _ in claim_edges), np.int32, n)]),
            np.concatenate([rel, np.fromiter((REL_CODE[r] for _, _, r in claim_edges), np.int8, n)]))


def entity_attrs(ent: Entity, papers: Iterable[str]) -> dict:
    """The node attributes of an entity that `papers` (IRIs) mention."""
    return dict(kind=ent.kind, label=ent.label, aliases=tuple(sorted(ent.aliases)),
                papers=tuple(sorted(papers)), confidence=round(ent.confidence, 3))
