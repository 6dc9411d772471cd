"""Papers, extractions and resolved entities -> one networkx MultiDiGraph; no I/O.

The graph is the model; RDF and HTML are views of it. Its schema:

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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from kg.defaults import CLAIM_RELATIONS, RESOURCE_BASE
from kg.graph.facts import fact_edges
from kg.ingest.pwc_facts import PaperFacts
from kg.records import Entity, Extraction, Paper
from kg.resolve import Resolution

__all__ = ["build_graph", "paper_iri", "entity_iri", "paper_attrs", "entity_attrs", "paper_contribution", "Contribution",
           "edge_claims", "claim_order", "CLAIM_RELATIONS"]


def paper_iri(key: str) -> str:
    """The IRI of the paper whose key is `key`."""
    return f"{RESOURCE_BASE}paper/{key}"


def entity_iri(entity_id: str) -> str:
    """The IRI of the entity whose id is `entity_id` ("method/deepcache")."""
    return f"{RESOURCE_BASE}{entity_id}"


def paper_attrs(p: Paper) -> dict:
    """The node attributes of a paper."""
    d = dict(kind="paper", label=p.title, aliases=(), title=p.title, abstract=p.abstract, url=p.url,
             date=p.date, authors=tuple(p.authors), arxiv_id=p.arxiv_id, id=p.id, source=p.source)
    # Only when the input has them, so a graph of inputs without them keeps the attributes it had.
    d.update({k: v for k, v in (("doi", p.doi), ("revised", p.revised)) if v})
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


def build_graph(
    papers: Iterable[Paper], extractions: Iterable[Extraction], resolution: Resolution,
    facts: Iterable[PaperFacts] = (),
) -> nx.MultiDiGraph:
    """Assemble the graph; node and edge insertion order is sorted so every view is stable.

    `facts`: curated facts per paper (kg.ingest.pwc_facts), whose names `resolution` resolved too.
    """
    G = nx.MultiDiGraph()
    by_key = {p.key: p for p in papers}
    mentioned_by: dict[str, set[str]] = defaultdict(set)
    edges: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    curated: dict[tuple[str, str, str], set[str]] = defaultdict(set)

    for ex in sorted(extractions, key=lambda e: e.paper_key):
        got = paper_contribution(ex, resolution)
        for u, v, rel in got.paper_edges(ex.paper_key):
            edges[(u, v, rel)]
            if rel != "proposes":
                mentioned_by[v].add(u)
        for edge, claim in got.claim_edges():
            edges[edge].append(claim)
    for f in sorted(facts, key=lambda f: f.paper_key):
        if f.paper_key not in by_key:
            continue
        p = paper_iri(f.paper_key)
        fe = fact_edges(f, p, resolution)
        for target, sources in [*((entity_iri(e), s) for e, s in fe.mentions.items()),
                                *((url, s) for url, s in fe.repos.items())]:
            rel = "hasCode" if not target.startswith(RESOURCE_BASE) else "mentions"
            edges[(p, target, rel)]
            curated[(p, target, rel)] |= sources
            mentioned_by[target].add(p)
        for (s, o, pred), claims in fe.claims.items():
            edges[(entity_iri(s), entity_iri(o), pred)] += [{**c, "metric": entity_iri(c["metric"])} for c in claims]

    for key in sorted(by_key):
        G.add_node(paper_iri(key), **paper_attrs(by_key[key]))
    for ent in sorted(resolution.entities.values(), key=lambda e: e.id):
        iri = entity_iri(ent.id)
        if iri not in mentioned_by:
            continue
        G.add_node(iri, **entity_attrs(ent, mentioned_by[iri]))
    for url in sorted(u for u in mentioned_by if not u.startswith(RESOURCE_BASE)):
        G.add_node(url, kind="repo", label=url, aliases=(), papers=tuple(sorted(mentioned_by[url])))
    for (u, v, rel), claims in sorted(edges.items()):
        if u not in G or v not in G:  # an edge would add a node with no attributes, which no view can show
            continue
        attrs = {"rel": rel}
        if rel in CLAIM_RELATIONS:
            attrs["claims"] = edge_claims(claims)
        if curated.get((u, v, rel)):
            attrs["curated"] = tuple(sorted(curated[(u, v, rel)]))
        G.add_edge(u, v, key=rel, **attrs)
    return G


def entity_attrs(ent: Entity, papers: Iterable[str]) -> dict:
    """The node attributes of an entity that `papers` (IRIs) mention."""
    return dict(kind=ent.kind, label=ent.label, aliases=tuple(sorted(ent.aliases)),
                papers=tuple(sorted(papers)), confidence=round(ent.confidence, 3))
