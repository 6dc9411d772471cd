"""SHACL validation: the tiny graph conforms; a broken one fails with one readable line per problem."""

from __future__ import annotations

import pytest
import rdflib
from click.testing import CliRunner

from conftest import make_tiny_graph
from kg.cli import cli
from kg.errors import GraphError
from kg.export.rdf import to_rdf, write_rdf
from kg.sparql.validate import validate_graph

pytest.importorskip("pyshacl")

R = "https://w3id.org/paperkg/resource/"


def broken_graph() -> rdflib.Graph:
    G = make_tiny_graph()
    G.nodes[R + "method/fastnet"]["confidence"] = 1.5
    G.edges[R + "method/fastnet", R + "method/slownet", "improvesOver"]["claims"] = (
        {"paper": R + "paper/unknown", "evidence": "", "confidence": 0.5},)
    g = to_rdf(G)
    g.remove((rdflib.URIRef(R + "paper/p2"), rdflib.DCTERMS.title, None))
    g.add((rdflib.URIRef(R + "method/slownet"), rdflib.RDFS.label, rdflib.Literal("Slow\nNet 2")))
    return g


def test_tiny_graph_conforms(tmp_path):
    assert validate_graph(make_tiny_graph()) == (True, [])
    path = tmp_path / "g.ttl"
    write_rdf(make_tiny_graph(), path)
    assert validate_graph(path) == (True, [])


def test_broken_graph_fails_with_readable_lines():
    conforms, lines = validate_graph(broken_graph())
    assert not conforms
    assert len(lines) == 5 and all(line.startswith("Violation: ") and "\n" not in line for line in lines)
    text = "\n".join(lines)
    assert f"<{R}paper/p2> dcterms:title: a paper needs exactly one dcterms:title" in text
    assert (f"<{R}method/fastnet> kg:confidence: kg:confidence must be one xsd:decimal in [0, 1] "
            '(value "1.5"^^xsd:decimal)') in text
    assert f"<{R}method/slownet> rdfs:label: an entity needs exactly one non-empty rdfs:label" in text
    assert "prov:wasDerivedFrom: a reified claim needs exactly one prov:wasDerivedFrom, a kg:Paper" in text
    assert "an evaluatesOn or improvesOver claim needs its kg:evidence sentence" in text


def test_missing_file_is_a_graph_error(tmp_path):
    with pytest.raises(GraphError, match="not found"):
        validate_graph(tmp_path / "none.ttl")


def test_cli_validate(tmp_path):
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    write_rdf(make_tiny_graph(), good)
    broken_graph().serialize(bad, format="turtle")
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", "--graph", str(good)])
    assert ok.exit_code == 0 and "conforms" in ok.output
    res = runner.invoke(cli, ["validate", "--graph", str(bad)])
    assert res.exit_code == 1 and "Violation:" in res.output
    missing = runner.invoke(cli, ["validate", "--graph", str(tmp_path / "none.ttl")])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_remote_jsonld_context_is_not_fetched(tmp_path, recorder):
    doc = tmp_path / "g.jsonld"
    doc.write_text('{"@context": "%sctx", "@id": "%spaper/p1", "@type": "https://w3id.org/paperkg/ontology#Paper"}'
                   % (recorder.url, R))
    with pytest.raises(GraphError, match="remote JSON-LD @context"):
        validate_graph(doc)
    res = CliRunner().invoke(cli, ["validate", "--graph", str(doc)])
    assert res.exit_code == 1 and "remote JSON-LD @context" in res.output and "conforms" not in res.output
    assert recorder.hits == []


def test_jsonld_export_conforms(tmp_path):
    path = tmp_path / "g.jsonld"
    write_rdf(make_tiny_graph(), path, fmt="jsonld")
    assert validate_graph(path) == (True, [])


def test_empty_or_foreign_graph_does_not_conform(tmp_path):
    empty, foreign = tmp_path / "empty.ttl", tmp_path / "foaf.nt"
    empty.write_text("")
    foreign.write_text('<http://e/a> <http://xmlns.com/foaf/0.1/name> "A" .\n')
    with pytest.raises(GraphError, match="no triples"):
        validate_graph(empty)
    with pytest.raises(GraphError, match="no paperkg data"):
        validate_graph(foreign)
    for path, message in ((empty, "no triples"), (foreign, "no paperkg data")):
        res = CliRunner().invoke(cli, ["validate", "--graph", str(path)])
        assert res.exit_code == 1 and message in res.output and "conforms" not in res.output
