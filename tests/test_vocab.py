"""kg.vocab, schema/ontology.ttl and the RDF we write agree with each other and with CONTRACT."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from conftest import make_tiny_graph
from kg.defaults import ONTOLOGY_NS
from kg.export.rdf import to_rdf
from kg.sparql.validate import ONTOLOGY_PATH
from kg.vocab import KG, PREFIXES

DECLARING_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}
CONTRACT_TERMS = ["Paper", "Method", "Dataset", "Task", "Metric",
                  "proposes", "mentions", "hasCode", "evaluatesOn", "improvesOver", "evidence"]
SCHEMA = rdflib.Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")


def declared(onto: rdflib.Graph) -> set[rdflib.URIRef]:
    return {s for t in DECLARING_TYPES for s in onto.subjects(RDF.type, t) if isinstance(s, rdflib.URIRef)}


def vocab_terms() -> set[rdflib.URIRef]:
    return {KG[name] for name in KG.__annotations__}


def test_every_vocab_term_is_declared_and_vice_versa(ontology):
    in_onto = {t for t in declared(ontology) if str(t).startswith(ONTOLOGY_NS)}
    assert vocab_terms() - in_onto == set(), "in kg.vocab.KG but not in ontology.ttl"
    assert in_onto - vocab_terms() == set(), "in ontology.ttl but not in kg.vocab.KG"


def test_every_declared_term_has_label_comment_and_kg_properties_a_domain_and_range(ontology):
    for term in declared(ontology):
        assert ontology.value(term, RDFS.label), f"{term} has no rdfs:label"
        assert ontology.value(term, RDFS.comment), f"{term} has no rdfs:comment"
    for term in vocab_terms():
        if (term, RDF.type, OWL.Class) not in ontology:
            assert ontology.value(term, RDFS.domain) is not None, f"{term} has no rdfs:domain"
            assert ontology.value(term, RDFS.range) is not None, f"{term} has no rdfs:range"


def test_contract_vocabulary_is_kept():
    for name in CONTRACT_TERMS:
        assert str(getattr(KG, name)) == ONTOLOGY_NS + name
    assert PREFIXES["kg"] == "https://w3id.org/paperkg/ontology#"
    assert PREFIXES["schema"] == "https://schema.org/"
    assert PREFIXES["dcterms"] == "http://purl.org/dc/terms/"


def test_closed_namespace_rejects_typos():
    with pytest.raises(AttributeError, match="evaluatesOm"):
        KG.evaluatesOm  # noqa: B018


def test_alignment_with_schema_org(ontology):
    assert (KG.Paper, RDFS.subClassOf, SCHEMA.ScholarlyArticle) in ontology
    assert (KG.Dataset, RDFS.subClassOf, SCHEMA.Dataset) in ontology
    assert (KG.hasCode, RDFS.range, SCHEMA.SoftwareSourceCode) in ontology


def test_every_predicate_and_class_of_a_built_graph_is_declared(ontology):
    g = to_rdf(make_tiny_graph())
    known = declared(ontology) | {RDF.type, RDF.nil}
    used = set(g.predicates()) | set(g.objects(None, RDF.type))
    assert used - known == set()


def test_ontology_parses_with_pyoxigraph_too():
    import pyoxigraph as ox

    assert len(list(ox.parse(path=str(ONTOLOGY_PATH), format=ox.RdfFormat.TURTLE))) > 50
