"""Papers, extractions and resolved entities -> one networkx MultiDiGraph; no I/O.

The graph is the model; RDF and HTML are views of it. Its schema:

Nodes are keyed by IRI (str) and carry
    kind        "paper" | "method" | "dataset" | "task" | "metric" | "repo"
    label       display name (a paper's title; an entity's canonical name; a repo's URL)
    aliases     tuple[str, ...], sorted: other surface forms (entities only, else ())
    papers      tuple[str, ...], sorted IRIs of the papers that mention it (entities, repos)
    confidence  float, the best extractor confidence over its mentions (entities)
  paper nodes also carry title, abstract, url, date, authors (tuple), arxiv_id, id, source.

Edges are keyed by relation name (so two relations between one pair are two edges):
    rel         "proposes" | "mentions" | "hasCode" (paper -> entity/repo)
                "evaluatesOn" (method -> dataset) | "improvesOver" (better -> worse)
    claims      for evaluatesOn / improvesOver: tuple of dicts
                {"paper": paper IRI, "evidence": sentence, "confidence": float}, sorted by paper
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from kg.defaults import CLAIM_RELATIONS, RESOURCE_BASE
from kg.records import Extraction, Paper
from kg.resolve import Resolution

__all__ = ["build_graph", "paper_iri", "entity_iri", "CLAIM_RELATIONS"]


def paper_iri(key: str) -> str:
    """The IRI of the paper whose key is `key`."""
    return f"{RESOURCE_BASE}paper/{key}"


def entity_iri(entity_id: str) -> str:
    """The IRI of the entity whose id is `entity_id` ("method/deepcache")."""
    return f"{RESOURCE_BASE}{entity_id}"


def build_graph(
    papers: Iterable[Paper], extractions: Iterable[Extraction], resolution: Resolution
) -> nx.MultiDiGraph:
    """Assemble the graph; node and edge insertion order is sorted so every view is stable."""
    G = nx.MultiDiGraph()
    by_key = {p.key: p for p in papers}
    mentioned_by: dict[str, set[str]] = defaultdict(set)
    edges: dict[tuple[str, str, str], list[dict]] = defaultdict(list)

    for ex in sorted(extractions, key=lambda e: e.paper_key):
        paper = by_key[ex.paper_key]
        p_iri = paper_iri(paper.key)
        for m in ex.mentions:
            # Every form the resolver indexed: a text with no letter or digit ("\u2014") is not
            # indexed, but its aliases are, and a claim may name the entity through one of them.
            for e_id in {ent.id for f in (m.text, *m.aliases) if (ent := resolution.entity_for(ex.paper_key, f, m.kind))}:
                e_iri = entity_iri(e_id)
                mentioned_by[e_iri].add(p_iri)
                edges[(p_iri, e_iri, "mentions")]
                if m.proposed:
                    edges[(p_iri, e_iri, "proposes")]
        for url in ex.repos:
            mentioned_by[url].add(p_iri)
            edges[(p_iri, url, "hasCode")]
        for c in ex.claims:
            s = resolution.entity_for(ex.paper_key, c.subject, None)
            o = resolution.entity_for(ex.paper_key, c.object, None)
            if s is None or o is None or s.id == o.id:
                continue
            edges[(entity_iri(s.id), entity_iri(o.id), c.predicate)].append(
                {"paper": p_iri, "evidence": c.evidence, "confidence": round(c.confidence, 3)}
            )

    for key in sorted(by_key):
        p = by_key[key]
        G.add_node(
            paper_iri(key), kind="paper", label=p.title, aliases=(), title=p.title,
            abstract=p.abstract, url=p.url, date=p.date, authors=tuple(p.authors),
            arxiv_id=p.arxiv_id, id=p.id, source=p.source,
        )
    for ent in sorted(resolution.entities.values(), key=lambda e: e.id):
        iri = entity_iri(ent.id)
        if iri not in mentioned_by:
            continue
        G.add_node(
            iri, kind=ent.kind, label=ent.label, aliases=tuple(sorted(ent.aliases)),
            papers=tuple(sorted(mentioned_by[iri])), confidence=round(ent.confidence, 3),
        )
    for url in sorted(u for u in mentioned_by if not u.startswith(RESOURCE_BASE)):
        G.add_node(url, kind="repo", label=url, aliases=(), papers=tuple(sorted(mentioned_by[url])))
    for (u, v, rel), claims in sorted(edges.items()):
        if u not in G or v not in G:  # an edge would add a node with no attributes, which no view can show
            continue
        attrs = {"rel": rel}
        if rel in CLAIM_RELATIONS:
            # One claim per paper and edge: the most confident sentence speaks for it.
            best: dict[str, dict] = {}
            for c in claims:
                if c["paper"] not in best or c["confidence"] > best[c["paper"]]["confidence"]:
                    best[c["paper"]] = c
            attrs["claims"] = tuple(best[p] for p in sorted(best))
        G.add_edge(u, v, key=rel, **attrs)
    return G
