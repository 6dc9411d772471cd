"""The paperkg ontology as a closed rdflib namespace (every term is declared in schema/ontology.ttl)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib import namespace as _rdflib_ns

from kg.defaults import ONTOLOGY_NS

__all__ = ["KG", "PREFIXES", "ENTITY_CLASSES"]


# The base is reached through its module so that doctest collection does not probe it.
class KG(_rdflib_ns.DefinedNamespace):
    """paperkg's own classes and properties; a misspelt term raises where it is written."""

    _fail = True
    _NS = Namespace(ONTOLOGY_NS)

    # Classes
    Paper: URIRef  # A scholarly paper (a schema:ScholarlyArticle).
    Method: URIRef  # A named method, model, algorithm, architecture or system.
    Dataset: URIRef  # A named dataset, benchmark or corpus.
    Task: URIRef  # A research task or problem.
    Metric: URIRef  # An evaluation metric.
    Entity: URIRef  # Superclass of Method, Dataset, Task and Metric.

    # Relations
    proposes: URIRef  # The paper introduces this named method (or dataset).
    mentions: URIRef  # Every entity extracted from the paper.
    hasCode: URIRef  # A code repository of the paper.
    evaluatesOn: URIRef  # The method is evaluated on the dataset.
    improvesOver: URIRef  # The subject method outperforms the object method.

    # Annotations
    evidence: URIRef  # The abstract's sentence that supports a claim.
    confidence: URIRef  # The extractor's confidence in an entity or claim, in [0, 1].
    arxivId: URIRef  # The paper's arXiv identifier.
    source: URIRef  # Where the paper's record came from ("file:line").
    metric: URIRef  # The metric of a curated result (a reified evaluatesOn statement from Papers with Code).
    value: URIRef  # The value of that result in its metric, as the curators wrote it ("74.4").


#: Prefixes written into Turtle/JSON-LD and predeclared for SPARQL queries.
PREFIXES: dict[str, str] = {
    "kg": ONTOLOGY_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}

#: Graph node kind -> the class of its RDF node.
ENTITY_CLASSES: dict[str, URIRef] = {
    "method": KG.Method,
    "dataset": KG.Dataset,
    "task": KG.Task,
    "metric": KG.Metric,
}
