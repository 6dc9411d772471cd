"""Each export parses back with the tiny fixture's counts, and the same graph gives the same bytes."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.analyze.communities import communities
from kg.cli import cli
from kg.export.formats import flatten, write_csv_lists, write_gexf, write_graphml, write_vosviewer_json
from kg.export.rdf import write_rdf

R = "https://w3id.org/paperkg/resource/"
N_NODES, N_EDGES = 8, 12  # tiny fixture: 2 papers, 5 entities, 1 repo; 7 + 2 paper edges, 3 claim edges


def test_fixture_counts(tiny_graph):
    assert (tiny_graph.number_of_nodes(), tiny_graph.number_of_edges()) == (N_NODES, N_EDGES)


def test_graphml_round_trip(tiny_graph, tmp_path):
    write_graphml(tiny_graph, tmp_path / "g.graphml")
    H = nx.read_graphml(tmp_path / "g.graphml")
    assert (H.number_of_nodes(), H.number_of_edges()) == (N_NODES, N_EDGES)
    assert H.nodes[R + "method/fastnet"]["aliases"] == "Fast Network"
    assert H.nodes[R + "method/fastnet"]["confidence"] == 0.9
    assert H.nodes[R + "paper/p1"]["authors"] == "A. Author; B. Author"
    assert "url" not in H.nodes[R + "paper/p2"]  # None is dropped, not written as "None"
    (e,) = [d for u, v, d in H.edges(data=True) if d["rel"] == "improvesOver"]
    assert e["claims"] == 1 and e["evidence"] == "FastNet outperforms SlowNet on ToySet."


def test_gexf_round_trip_keeps_node_ids(tiny_graph, tmp_path):
    write_gexf(tiny_graph, tmp_path / "g.gexf")
    H = nx.read_gexf(tmp_path / "g.gexf")
    assert (H.number_of_nodes(), H.number_of_edges()) == (N_NODES, N_EDGES)
    # The paper's own "id" attribute must not replace its node id.
    assert H.nodes[R + "paper/p1"]["kg_id"] == "2401.00001"
    assert H.nodes[R + "dataset/toyset"]["label"] == "ToySet"
    assert "lastmodifieddate" not in (tmp_path / "g.gexf").read_text()


def test_vosviewer_json(tiny_graph, tmp_path):
    scores = {R + "method/fastnet": 0.5}
    write_vosviewer_json(tiny_graph, tmp_path / "v.json", scores=scores)
    net = json.loads((tmp_path / "v.json").read_text())["network"]
    items = {i["label"]: i for i in net["items"]}
    assert sorted(items) == ["FastNet", "SlowNet", "ToySet", "accuracy", "image classification"]
    assert [i["id"] for i in net["items"]] == [1, 2, 3, 4, 5]
    # p1 mentions all five entities (10 pairs); p2 mentions SlowNet and ToySet again.
    assert len(net["links"]) == 10
    by_id = {i["id"]: i["label"] for i in net["items"]}
    strength = {frozenset((by_id[ln["source_id"]], by_id[ln["target_id"]])): ln["strength"] for ln in net["links"]}
    assert strength[frozenset(("SlowNet", "ToySet"))] == 2 and strength[frozenset(("FastNet", "ToySet"))] == 1
    assert all(ln["source_id"] < ln["target_id"] for ln in net["links"])
    assert items["FastNet"]["scores"] == {"Centrality": 0.5} and items["ToySet"]["scores"] == {"Centrality": 0.0}
    assert items["ToySet"]["weights"] == {"Links": 4, "Total link strength": 5, "Papers": 2}
    assert items["FastNet"]["description"] == "Method. Also: Fast Network"
    assert items["accuracy"]["cluster"] == 4  # by kind: method 1, dataset 2, task 3, metric 4


def test_vosviewer_clusters_from_communities(tiny_graph, tmp_path):
    found = communities(tiny_graph)  # methods, tasks, datasets: the metric is in none
    write_vosviewer_json(tiny_graph, tmp_path / "v.json", communities=found)
    items = {i["label"]: i for i in json.loads((tmp_path / "v.json").read_text())["network"]["items"]}
    assert {items[x]["cluster"] for x in ("FastNet", "SlowNet", "ToySet")} <= {c.id + 1 for c in found}
    assert items["accuracy"]["cluster"] == len(found) + 1
    assert "scores" not in items["FastNet"]


def test_vosviewer_escapes_html_in_descriptions(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("m", kind="method", label="<b>X</b>", aliases=("<script>",))
    write_vosviewer_json(G, tmp_path / "v.json")
    (item,) = json.loads((tmp_path / "v.json").read_text())["network"]["items"]
    assert item["description"] == "Method. Also: &lt;script&gt;" and item["label"] == "<b>X</b>"


def test_csv_lists(tiny_graph, tmp_path):
    write_csv_lists(tiny_graph, tmp_path / "nodes.csv", tmp_path / "edges.csv")
    with open(tmp_path / "nodes.csv", newline="", encoding="utf-8") as f:
        nodes = list(csv.DictReader(f))
    with open(tmp_path / "edges.csv", newline="", encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    assert (len(nodes), len(edges)) == (N_NODES, N_EDGES)
    slow = next(n for n in nodes if n["label"] == "SlowNet")
    assert slow["kind"] == "method" and slow["papers"] == "2"
    assert sorted({e["relation"] for e in edges}) == ["evaluatesOn", "hasCode", "improvesOver", "mentions", "proposes"]
    assert sum(int(e["claims"] or 0) for e in edges) == 3


@pytest.mark.parametrize("writer", ["graphml", "gexf", "vosviewer", "csv"])
def test_same_graph_same_bytes(tiny_graph, tmp_path, writer):
    def write(d):
        d.mkdir()
        {"graphml": lambda: write_graphml(tiny_graph, d / "f"),
         "gexf": lambda: write_gexf(tiny_graph, d / "f"),
         "vosviewer": lambda: write_vosviewer_json(tiny_graph, d / "f", communities=communities(tiny_graph)),
         "csv": lambda: write_csv_lists(tiny_graph, d / "f", d / "g")}[writer]()
        return sorted((p.name, p.read_bytes()) for p in d.iterdir())

    assert write(tmp_path / "a") == write(tmp_path / "b")


def test_control_characters_in_paper_text_are_dropped(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("p", kind="paper", label="bad\x0c title\x00", authors=("x\x1by",))
    write_graphml(G, tmp_path / "g.graphml")
    write_gexf(G, tmp_path / "g.gexf")
    assert nx.read_graphml(tmp_path / "g.graphml").nodes["p"]["label"] == "bad title"
    assert nx.read_gexf(tmp_path / "g.gexf").nodes["p"]["authors"] == "xy"


def test_flatten_leaves_the_graph_alone(tiny_graph):
    before = nx.to_dict_of_dicts(tiny_graph), dict(tiny_graph.nodes(data=True))
    flatten(tiny_graph)
    assert (nx.to_dict_of_dicts(tiny_graph), dict(tiny_graph.nodes(data=True))) == before


@pytest.mark.parametrize("fmt, files", [("graphml", ["graph.graphml"]), ("gexf", ["graph.gexf"]),
                                        ("vosviewer", ["vosviewer.json"]), ("csv", ["edges.csv", "nodes.csv"])])
def test_cli_export(tiny_graph, tmp_path, fmt, files):
    write_rdf(tiny_graph, tmp_path / "g.ttl")
    out = tmp_path / "out"
    target = out if fmt == "csv" else out / files[0]
    res = CliRunner().invoke(cli, ["export", fmt, "--graph", str(tmp_path / "g.ttl"), "--out", str(target)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == files
    assert res.output.count("wrote ") == len(files)


@pytest.mark.parametrize("text, cell", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("\uff1dSUM(1)", "'\uff1dSUM(1)"),
    ("-inf", "'-inf"), ("-1_0", "'-1_0"), ("", ""), ("C++", "C++"), ("a=b", "a=b"),
    ("-0.5", "-0.5"), ("+3", "+3"), ("-1e-05", "-1e-05"), ("0.25", "0.25"),
])
def test_safe_cell(text, cell):
    from kg.csvsafe import safe_cell

    assert safe_cell(text) == cell


def test_csv_lists_never_write_a_formula(tmp_path):
    """A paper's label, an alias and an evidence sentence reach a spreadsheet as text; numbers stay numbers."""
    G = nx.MultiDiGraph()
    G.add_node("https://w3id.org/paperkg/resource/paper/p", kind="paper", label="=HYPERLINK(\"http://evil\",\"x\")")
    G.add_node("https://w3id.org/paperkg/resource/method/m", kind="method", label="@SUM(1+1)*cmd|' /C calc'!A0",
               aliases=("-2+3",), papers=("https://w3id.org/paperkg/resource/paper/p",), confidence=-0.5)
    G.add_edge("https://w3id.org/paperkg/resource/paper/p", "https://w3id.org/paperkg/resource/method/m",
               key="mentions", rel="mentions",
               claims=({"paper": "p", "evidence": "+1 better than all", "confidence": 0.5},))
    write_csv_lists(G, tmp_path / "nodes.csv", tmp_path / "edges.csv")
    with open(tmp_path / "nodes.csv", newline="", encoding="utf-8") as f:
        nodes = {n["kind"]: n for n in csv.DictReader(f)}
    with open(tmp_path / "edges.csv", newline="", encoding="utf-8") as f:
        (edge,) = list(csv.DictReader(f))
    assert nodes["paper"]["label"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert nodes["method"]["label"] == "'@SUM(1+1)*cmd|' /C calc'!A0" and nodes["method"]["aliases"] == "'-2+3"
    assert nodes["method"]["confidence"] == "-0.5" and nodes["method"]["papers"] == "1"
    assert edge["evidence"] == "'+1 better than all" and edge["confidence"] == "0.5"


def test_centrality_csv_never_writes_a_formula(tmp_path):
    from kg.export.centrality import write_centrality_csv

    G = nx.MultiDiGraph()
    G.add_node("https://w3id.org/paperkg/resource/method/m", kind="method", label="-cmd|calc", aliases=(), papers=())
    write_centrality_csv(G, tmp_path / "c.csv", {"https://w3id.org/paperkg/resource/method/m": 0.5})
    with open(tmp_path / "c.csv", newline="", encoding="utf-8") as f:
        (row,) = list(csv.DictReader(f))
    assert row["label"] == "'-cmd|calc"
