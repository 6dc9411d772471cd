"""The build's graph made directly as a Snapshot equals the networkx graph of the same inputs, and so do its RDF files."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest

from kg.defaults import CLAIM_RELATIONS, RESOURCE_BASE, SAMPLE_CORPUS_DIR
from kg.export.rdf import owned_blocks_by_format, owned_subjects, write_rdf_formats
from kg.graph.assemble import (
    build_snapshot,
    edge_claims,
    entity_attrs,
    entity_iri,
    paper_attrs,
    paper_contribution,
    paper_iri,
)
from kg.graph.facts import fact_edges, fact_extractions
from kg.graph.snapshot import Snapshot
from kg.ingest.papers import read_papers
from kg.ingest.pwc_facts import read_facts
from kg.pipeline.parallel import extract_papers
from kg.records import Claim, Extraction, Mention, Paper
from kg.resolve import Resolver

FIX = Path(__file__).parent / "fixtures"
SAMPLES = FIX / "samples"
FACTS = [SAMPLES / "pwc-evaluation-tables-snli.json", SAMPLES / "pwc-links-between-papers-and-code.json"]
WITH_FACTS = [FIX / "api" / "pwc-joined-papers.jsonl", SAMPLES / "pwc-papers-with-abstracts.json"]


def reference_graph(papers, extractions, resolution, facts=()) -> nx.MultiDiGraph:
    """The graph as paperkg assembled it in networkx before the build made Snapshots directly: the oracle."""
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
        for target, sources in [*((entity_iri(e), s) for e, s in fe.mentions.items()), *fe.repos.items()]:
            rel = "hasCode" if not target.startswith(RESOURCE_BASE) else "mentions"
            edges[(p, target, rel)]
            curated[(p, target, rel)] |= sources
            mentioned_by[target].add(p)
        for (s, o, pred), claims in fe.claims.items():
            edges[(entity_iri(s), entity_iri(o), pred)] += [{**c, "metric": entity_iri(c["metric"])} for c in claims]
    for key in sorted(by_key):
        G.add_node(paper_iri(key), **paper_attrs(by_key[key]))
    for ent in sorted(resolution.entities.values(), key=lambda e: e.id):
        if entity_iri(ent.id) in mentioned_by:
            G.add_node(entity_iri(ent.id), **entity_attrs(ent, mentioned_by[entity_iri(ent.id)]))
    for url in sorted(u for u in mentioned_by if not u.startswith(RESOURCE_BASE)):
        G.add_node(url, kind="repo", label=url, aliases=(), papers=tuple(sorted(mentioned_by[url])))
    for (u, v, rel), claims in sorted(edges.items()):
        if u in G and v in G:
            attrs = {"rel": rel, **({"claims": edge_claims(claims)} if rel in CLAIM_RELATIONS else {})}
            if curated.get((u, v, rel)):
                attrs["curated"] = tuple(sorted(curated[(u, v, rel)]))
            G.add_edge(u, v, key=rel, **attrs)
    return G


def resolved(inputs, facts=()):
    papers = read_papers(inputs).papers
    curated = read_facts(list(facts), papers)
    extractions = extract_papers(papers, jobs=1)
    named = list(extractions) + fact_extractions(curated.by_paper.values())
    resolver = Resolver()
    resolver.add(named)
    return papers, extractions, resolver, list(curated.by_paper.values())


@pytest.fixture(scope="module", params=["sample", "facts"])
def inputs(request):
    return resolved([SAMPLE_CORPUS_DIR]) if request.param == "sample" else resolved(WITH_FACTS, FACTS)


def test_the_direct_snapshot_equals_the_snapshot_of_the_networkx_graph(inputs):
    papers, extractions, resolver, facts = inputs
    resolution = resolver.resolution(list(extractions) + fact_extractions(facts))
    snap = build_snapshot(papers, extractions, resolution, facts)
    G = reference_graph(papers, extractions, resolution, facts)
    assert snap.equals(Snapshot.from_graph(G))
    # The build's way: the Resolver resolves each paper's mentions as the paper is read.
    assert build_snapshot(papers, extractions, resolver, facts).equals(snap)
    assert len(snap.nodes) == G.number_of_nodes() and len(snap.src) == G.number_of_edges() > 0
    if facts:
        assert snap.curated and any(c.get("source") for cs in snap.claims.values() for c in cs)
    # And back: the networkx graph an analysis asks for is the reference's, in its insertion order.
    H = snap.to_graph()
    assert list(H.nodes(data=True)) == list(G.nodes(data=True))
    assert list(H.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))


def test_rdf_from_the_snapshot_is_byte_identical_to_rdf_from_networkx(inputs, tmp_path):
    papers, extractions, resolver, facts = inputs
    resolution = resolver.resolution(list(extractions) + fact_extractions(facts))
    snap = build_snapshot(papers, extractions, resolver, facts)
    G = reference_graph(papers, extractions, resolution, facts)
    for name, source in (("snap", snap), ("nx", G)):
        paths = {f: tmp_path / f"{name}.{f}" for f in ("turtle", "ntriples", "jsonld")}
        assert write_rdf_formats(source, paths) > 0
    for f in ("turtle", "ntriples", "jsonld"):
        assert (tmp_path / f"snap.{f}").read_bytes() == (tmp_path / f"nx.{f}").read_bytes()


def test_edges_given_twice_are_kept_once_with_one_claim_per_paper_and_edge():
    papers = [Paper(key="a", title="A", abstract="x", source="t:1"), Paper(key="b", title="B", abstract="y", source="t:2")]
    ex = [Extraction("a", [Mention("BERT", "method", 0.9, proposed=True), Mention("SQuAD", "dataset", 0.8)],
                     [Claim("BERT", "evaluatesOn", "SQuAD", "BERT on SQuAD.", 0.7),
                      Claim("BERT", "evaluatesOn", "SQuAD", "BERT again on SQuAD.", 0.9)],
                     repos=["https://github.com/o/r"]),
          Extraction("b", [Mention("SQuAD", "dataset", 0.6)], [], repos=["https://github.com/o/r"]),
          Extraction("b", [Mention("SQuAD", "dataset", 0.6)], [])]  # the same paper's edges twice
    resolver = Resolver()
    resolver.add(ex)
    snap = build_snapshot(papers, ex, resolver.resolution(ex))
    edges = {(u.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1], r) for n in snap.nodes for u, v, r in snap.out_edges(n)}
    assert edges == {("a", "bert", "mentions"), ("a", "bert", "proposes"), ("a", "squad", "mentions"),
                     ("a", "r", "hasCode"), ("b", "squad", "mentions"), ("b", "r", "hasCode"),
                     ("bert", "squad", "evaluatesOn")}
    assert len(snap.src) == len(edges)
    (claims,) = snap.claims.values()
    assert [c["evidence"] for c in claims] == ["BERT again on SQuAD."]  # one per paper: the most confident
    assert snap.papers_of("https://github.com/o/r") == (paper_iri("a"), paper_iri("b"))
    assert snap.kind_counts() == {"paper": 2, "method": 1, "dataset": 1, "task": 0, "metric": 0, "repo": 1}


def test_an_updates_subject_blocks_from_the_snapshot_equal_those_from_networkx(inputs):
    papers, extractions, resolver, facts = inputs
    snap = build_snapshot(papers, extractions, resolver, facts)
    G = snap.to_graph()
    rnd = random.Random(1)
    claimers = sorted({u for u, _, _ in snap.claims})[:20]  # entities that state claims, so the filter matters
    owners = rnd.sample(snap.nodes, min(60, len(snap.nodes))) + claimers
    changed = set(rnd.sample(sorted(snap.claims), len(snap.claims) // 2))
    formats = ("turtle", "ntriples", "jsonld")
    for claims in (None, changed):
        blocks = owned_blocks_by_format(snap, owners, formats, claims=claims)
        assert blocks == owned_blocks_by_format(G, owners, formats, claims=claims)
        assert set(blocks["ntriples"]) == owned_subjects(snap, owners, claims=claims) == owned_subjects(G, owners, claims=claims)
    # Leaving out unchanged claims leaves out their statements' subjects.
    assert len(owned_subjects(snap, claimers, claims=set())) < len(owned_subjects(snap, claimers))
