"""CONTRACT.md's SPARQL patterns return the expected rows on the tiny graph, written and parsed back."""

from __future__ import annotations

import pytest

from conftest import make_tiny_graph
from kg.export.rdf import write_rdf
from kg.sparql.query import load_graph, run_query

R = "https://w3id.org/paperkg/resource/"
P1, P2 = R + "paper/p1", R + "paper/p2"
FAST, SLOW, TOY = R + "method/fastnet", R + "method/slownet", R + "dataset/toyset"


@pytest.fixture(scope="module", params=["turtle", "ntriples", "jsonld"])
def store(request, tmp_path_factory):
    G = make_tiny_graph()
    # A third paper that states FastNet > SlowNet again: the edge gets one statement per paper.
    G.add_node(R + "paper/p3", kind="paper", label="Third", aliases=(), title="Third", abstract="", url=None,
               date=None, authors=(), arxiv_id=None, id=None, source="t:9")
    d = G.edges[FAST, SLOW, "improvesOver"]
    d["claims"] = d["claims"] + ({"paper": R + "paper/p3", "evidence": "FastNet beats SlowNet.", "confidence": 0.6},)
    name = {"turtle": "g.ttl", "ntriples": "g.nt", "jsonld": "g.jsonld"}[request.param]
    path = tmp_path_factory.mktemp("contract") / name
    write_rdf(G, path, fmt=request.param)
    return load_graph(path)


def select(store, q):
    res = run_query(store, q)
    return sorted(tuple(None if t is None else t.value for t in row) for row in res.rows)


def test_papers_by_exact_title(store):
    assert select(store, 'SELECT ?p WHERE { ?p a kg:Paper ; dcterms:title "A <b>study</b> of SlowNet" }') == [(P2,)]


def test_entity_classes_and_single_labels(store):
    rows = select(store, """SELECT ?e ?c ?label WHERE {
        VALUES ?c { kg:Method kg:Dataset kg:Task kg:Metric } ?e a ?c ; rdfs:label ?label }""")
    assert [(r[1].rsplit("#")[1], r[2]) for r in rows] == [
        ("Dataset", "ToySet"), ("Method", "FastNet"), ("Method", "SlowNet"), ("Metric", "accuracy"),
        ("Task", "image classification")]
    assert select(store, """SELECT ?e WHERE { ?e rdfs:label ?a , ?b FILTER (?a != ?b) }""") == []
    assert select(store, "SELECT ?alt WHERE { ?e rdfs:label 'FastNet' ; skos:altLabel ?alt }") == [("Fast Network",)]


def test_paper_edges(store):
    assert select(store, "SELECT ?m WHERE { ?p kg:proposes ?m }") == [(FAST,)]
    assert len(select(store, f"SELECT ?e WHERE {{ <{P1}> kg:mentions ?e }}")) == 5
    assert select(store, "SELECT ?p ?r WHERE { ?p kg:hasCode ?r }") == [(P1, "https://github.com/example/fastnet")]


def test_entity_nodes_are_shared(store):
    assert select(store, f"SELECT ?p WHERE {{ ?p kg:mentions <{TOY}> }}") == [(P1,), (P2,)]


def test_relation_edges(store):
    assert select(store, "SELECT ?m ?d WHERE { ?m kg:evaluatesOn ?d }") == [(FAST, TOY), (SLOW, TOY)]
    assert select(store, "SELECT ?b ?w WHERE { ?b kg:improvesOver ?w }") == [(FAST, SLOW)]


def test_reified_claims_name_their_paper(store):
    rows = select(store, """SELECT ?s ?p ?o ?paper ?evidence WHERE {
        ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
            prov:wasDerivedFrom ?paper ; kg:evidence ?evidence .
        FILTER (?p IN (kg:evaluatesOn, kg:improvesOver)) }""")
    kg = "https://w3id.org/paperkg/ontology#"
    assert rows == [
        (FAST, kg + "evaluatesOn", TOY, P1, "FastNet outperforms SlowNet on ToySet."),
        (FAST, kg + "improvesOver", SLOW, P1, "FastNet outperforms SlowNet on ToySet."),
        (FAST, kg + "improvesOver", SLOW, R + "paper/p3", "FastNet beats SlowNet."),
        (SLOW, kg + "evaluatesOn", TOY, P2, "We evaluate SlowNet on ToySet."),
    ]
    # Every direct claim triple has at least one statement, and every statement's triple is stated.
    assert select(store, """SELECT ?s ?o WHERE { ?s kg:improvesOver|kg:evaluatesOn ?o
        FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:object ?o } }""") == []
    assert run_query(store, """ASK { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o
        FILTER NOT EXISTS { ?s ?p ?o } }""").boolean is False
