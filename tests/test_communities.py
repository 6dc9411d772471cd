"""Louvain clusters of co-mentioned entities on hand-built graphs with an obvious answer."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.analyze.centrality import AnalysisError
from kg.analyze.communities import Community, communities, node_community
from kg.cli import cli
from kg.export.rdf import write_rdf


def corpus(papers: dict[str, list[tuple[str, str]]]) -> nx.MultiDiGraph:
    """papers: {paper: [(kind, name), ...]} -> a graph where each paper mentions its entities."""
    G = nx.MultiDiGraph()
    for p, ents in sorted(papers.items()):
        G.add_node(p, kind="paper", label=p)
        for kind, name in ents:
            iri = f"{kind}/{name.lower().replace(' ', '-')}"
            G.add_node(iri, kind=kind, label=name)
            G.add_edge(p, iri, key="mentions", rel="mentions")
    return G


VISION = [("method", "CLIP"), ("dataset", "ImageNet"), ("task", "image classification")]
TEXT = [("method", "BERT"), ("dataset", "GLUE"), ("task", "question answering"), ("method", "RoBERTa")]


def two_topics() -> nx.MultiDiGraph:
    papers = {f"v{i}": VISION for i in range(3)} | {f"t{i}": TEXT for i in range(3)}
    papers["bridge"] = [("method", "CLIP"), ("method", "BERT")]  # one weak link between topics
    papers["other"] = [("metric", "accuracy"), ("method", "CLIP")]  # metrics are not clustered
    return corpus(papers)


def test_two_topics_give_two_labelled_communities():
    found = communities(two_topics())
    assert [c.size for c in found] == [4, 3]
    text, vision = found
    assert text.id == 0 and text.members == ("dataset/glue", "method/bert", "method/roberta", "task/question-answering")
    assert vision.members == ("dataset/imagenet", "method/clip", "task/image-classification")
    # Label: best-connected names first (CLIP has the bridge paper), ties by name.
    assert vision.label == "CLIP · ImageNet · image classification"
    assert text.label.startswith("BERT · ")


def test_same_seed_same_answer_and_ids_are_dense():
    G = two_topics()
    assert communities(G, seed=3) == communities(G, seed=3)
    assert [c.id for c in communities(G)] == list(range(len(communities(G))))


def test_kinds_restrict_the_members():
    found = communities(two_topics(), kinds=("method",))
    assert sorted(n for c in found for n in c.members) == ["method/bert", "method/clip", "method/roberta"]


def test_an_entity_sharing_no_paper_is_its_own_cluster():
    G = two_topics()
    G.add_node("solo", kind="paper")
    G.add_node("method/lonely", kind="method", label="Lonely")
    G.add_edge("solo", "method/lonely", key="mentions")
    assert communities(G)[-1] == Community(2, ("method/lonely",), "Lonely", 1)


def test_node_community_maps_every_member():
    found = communities(two_topics())
    m = node_community(found)
    assert m["method/clip"] == m["dataset/imagenet"] != m["method/bert"]
    assert len(m) == sum(c.size for c in found)


def test_empty_graph_and_bad_resolution():
    assert communities(nx.MultiDiGraph()) == []
    with pytest.raises(AnalysisError, match="resolution 0"):
        communities(two_topics(), resolution=0)


def test_tiny_fixture(tiny_graph):
    found = communities(tiny_graph)
    assert sum(c.size for c in found) == 4  # two methods, one dataset, one task


def test_cli_communities(tiny_graph, tmp_path):
    write_rdf(tiny_graph, tmp_path / "g.ttl")
    res = CliRunner().invoke(cli, ["communities", "--graph", str(tmp_path / "g.ttl"), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert sum(c["size"] for c in data) == 4 and data[0]["id"] == 0
    res = CliRunner().invoke(cli, ["communities", "--graph", str(tmp_path / "missing.ttl")])
    assert res.exit_code == 1 and "Error:" in res.output
