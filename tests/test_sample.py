"""The bundled sample builds end to end: 400 papers, valid against the SHACL shapes, every view written."""

from __future__ import annotations

import pytest

from kg.pipeline.build import build
from kg.sparql.validate import validate_graph


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    G, summary = build(out_dir=out, rdf_formats=("turtle", "ntriples"))
    return out, G, summary


@pytest.mark.slow
def test_sample_build_counts(sample):
    _, G, summary = sample
    assert (summary.records_read, summary.papers, summary.duplicates, summary.skipped) == (435, 400, 35, [])
    assert summary.nodes["paper"] == 400 and summary.nodes["method"] > 100 and summary.nodes["dataset"] > 50
    assert summary.edges["evaluatesOn"] > 0 and summary.edges["improvesOver"] > 0 and summary.edges["hasCode"] > 20


@pytest.mark.slow
def test_sample_build_passes_the_shapes(sample):
    out, _, _ = sample
    conforms, report = validate_graph(out / "graph.ttl")
    assert conforms, "\n".join(report[:20])


@pytest.mark.slow
def test_sample_build_writes_every_view(sample):
    out, _, summary = sample
    for name in ("graph.ttl", "graph.nt", "graph.html", "centrality.csv"):
        assert (out / name).stat().st_size > 1000, name
    assert (out / "centrality.csv").read_text(encoding="utf-8").startswith("rank,label,support_pagerank,papers,iri\n1,")
