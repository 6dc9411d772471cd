"""Static checks of the HTML map: self-contained, inert paper text, the hidden-node note, determinism."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from conftest import R, make_tiny_graph, outputs_under_hash_seeds
from kg.errors import KGError
from kg.export.html.layout import node_centrality, select_nodes
from kg.export.html.page import HtmlStats, write_html

IMG_PROBE = "<img src=x onerror=alert(1)>"
SCRIPT_PROBE = "</script><script>alert(1)</script>"


def probe_graph():
    """The tiny graph with hostile text: P1's title, SlowNet's label and alias, an evidence sentence."""
    G = make_tiny_graph()
    p1 = G.nodes[R + "paper/p1"]
    p1["title"] = p1["label"] = IMG_PROBE
    p1["url"] = "javascript:alert(1)"
    slow = G.nodes[R + "method/slownet"]
    slow["label"] = SCRIPT_PROBE
    slow["aliases"] = ("<svg onload=alert(1)>",)
    G.edges[R + "method/fastnet", R + "method/slownet", "improvesOver"]["claims"] = (
        {"paper": R + "paper/p1", "evidence": "FastNet beats <b onmouseover=alert(1)>it</b> \u2028 & more.",
         "confidence": 0.9},
    )
    return G


def data_block(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


@pytest.fixture
def probe_html(tmp_path):
    path = tmp_path / "graph.html"
    stats = write_html(probe_graph(), path, max_nodes=6)
    return path.read_text(encoding="utf-8"), stats


def test_loads_nothing_from_outside(tmp_path):
    path = tmp_path / "graph.html"
    write_html(make_tiny_graph(), path, build_date="2024-05-01", communities={R + "method/fastnet": 1})
    html = path.read_text(encoding="utf-8")
    loads = re.findall(r"""<(?:script|img|iframe|embed|source|audio|video)\b[^>]*\bsrc\s*=""", html, re.I)
    loads += re.findall(r"""<link\b[^>]*\bhref\s*=""", html, re.I)
    loads += re.findall(r"""@import|url\(\s*['"]?\s*(?:https?:)?//""", html, re.I)
    assert loads == []
    assert len(re.findall(r"^<script", html, re.M)) == 3  # the data block, vis-network, our code: all inline
    assert "default-src 'none'" in html  # and the CSP forbids anything else
    assert "sourceMappingURL" not in html
    assert 'vis.Network' in html and "built 2024-05-01" in html


def test_hostile_text_is_never_markup(probe_html):
    html, _ = probe_html
    for probe in (IMG_PROBE, SCRIPT_PROBE, "<svg onload", "<b onmouseover", "\u2028"):
        assert probe not in html
    assert "javascript:alert" not in html  # a non-http URL is not offered as a link at all
    # The text survives, escaped, and decodes back to exactly what the paper said.
    data = data_block(html)
    labels = {i["label"] for i in data["info"]}
    assert {IMG_PROBE, SCRIPT_PROBE} <= labels
    assert any("<b onmouseover=alert(1)>it</b> \u2028 & more." in c[5] for c in data["claims"])
    # Our JS writes data with textContent only.
    assert ".innerHTML" not in html.split('id="kg-data"')[1].rsplit("<script>", 1)[1]


def test_note_counts_hidden_nodes(probe_html):
    html, stats = probe_html
    assert stats.nodes_drawn == 6 and stats.nodes_hidden == 2
    assert "showing 6 of 8 nodes (2 hidden)" in html
    data = data_block(html)
    assert len(data["nodes"]) == len(data["info"]) == 6
    assert len(data["edges"]) == stats.edges_drawn
    drawn = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in drawn and e["to"] in drawn for e in data["edges"])


def test_whole_graph_fits(tmp_path):
    stats = write_html(make_tiny_graph(), tmp_path / "g.html")
    assert stats == HtmlStats(nodes_drawn=8, nodes_hidden=0, edges_drawn=12, bytes=(tmp_path / "g.html").stat().st_size)
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert "showing all 8 nodes" in html and "hidden" not in html.split('id="kg-note"')[1].split("</p>")[0]


def test_same_graph_same_bytes(tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    write_html(probe_graph(), a, max_nodes=5)
    write_html(probe_graph(), b, max_nodes=5)
    assert a.read_bytes() == b.read_bytes()
    assert "built" not in a.read_text(encoding="utf-8").split("</header>")[0]  # no date unless given


def test_selection_keeps_entities_then_their_papers(tiny_graph):
    cent = node_centrality(tiny_graph)
    assert set(select_nodes(tiny_graph, cent, 100)) == set(tiny_graph)
    four = select_nodes(tiny_graph, cent, 4)
    kinds = [tiny_graph.nodes[n]["kind"] for n in four]
    assert kinds.count("paper") == 1 and len(four) == 4  # ceil(0.6 * 4) = 3 entities, then 1 paper
    assert R + "paper/p1" in four  # P1 links to every kept entity; P2 to fewer
    assert select_nodes(tiny_graph, cent, 4) == four
    with pytest.raises(KGError, match="max_nodes"):
        select_nodes(tiny_graph, cent, 0)


def test_scores_set_the_size_and_rank(tiny_graph, tmp_path):
    scores = {R + "method/slownet": 10.0}
    cent = node_centrality(tiny_graph, scores)
    assert select_nodes(tiny_graph, cent, 1) == [R + "method/slownet"]
    write_html(tiny_graph, tmp_path / "g.html", scores=scores)
    data = data_block((tmp_path / "g.html").read_text(encoding="utf-8"))
    assert data["info"][0]["iri"] == R + "method/slownet"


def test_panel_lists_papers_and_claims(tiny_graph, tmp_path):
    write_html(tiny_graph, tmp_path / "g.html")
    data = data_block((tmp_path / "g.html").read_text(encoding="utf-8"))
    fast = next(i for i in data["info"] if i["label"] == "FastNet")
    assert fast["aliases"] == ["Fast Network"] and fast["kind"] == "method"
    p1 = ["FastNet: Fast Networks", "https://arxiv.org/abs/2401.00001"]
    assert [data["papers"][i][:2] for i in fast["papers"]] == [p1]
    assert sorted(data["claims"][i][0] for i in fast["claims"]) == ["evaluatesOn", "improvesOver"]
    p2 = next(i for i in data["info"] if i["iri"] == R + "paper/p2")
    assert p2["label"] == "A <b>study</b> of SlowNet" and p2["url"] is None
    assert [data["claims"][i][5] for i in p2["claims"]] == ["We evaluate SlowNet on ToySet."]


def test_graph_is_not_mutated(tiny_graph, tmp_path):
    before = (sorted(tiny_graph.nodes(data=True)), sorted(tiny_graph.edges(keys=True, data=True)))
    write_html(tiny_graph, tmp_path / "g.html", max_nodes=5)
    assert (sorted(tiny_graph.nodes(data=True)), sorted(tiny_graph.edges(keys=True, data=True))) == before


def grid_graph():
    """30 papers each mentioning 3 of 45 entities, plus a few claims: enough for layout order to matter."""
    G = nx.MultiDiGraph()
    kinds = ("method", "dataset", "task", "metric", "repo")
    ents = [f"{R}{kinds[i % 5]}/e{i}" for i in range(45)]
    for i, e in enumerate(ents):
        G.add_node(e, kind=kinds[i % 5], label=f"Entity {i}", aliases=(), papers=())
    for p in range(30):
        iri = f"{R}paper/q{p}"
        G.add_node(iri, kind="paper", label=f"Paper {p}", aliases=(), title=f"Paper {p}", url=None)
        for j in range(3):
            G.add_edge(iri, ents[(p * 7 + j * 11) % 45], key="mentions", rel="mentions")
    for i in range(0, 40, 5):
        G.add_edge(ents[i], ents[i + 1], key="evaluatesOn", rel="evaluatesOn",
                   claims=({"paper": f"{R}paper/q{i % 30}", "evidence": f"E{i} on E{i + 1}.", "confidence": 0.5},))
    return G


@pytest.mark.slow  # two fresh interpreters
def test_same_bytes_whatever_the_hash_seed(tmp_path):
    """Sets iterate in hash order, which changes per process: nothing on the page may depend on it."""
    code = ("import sys; sys.path.insert(0, 'tests'); from test_html import grid_graph; "
            "from kg.export.html.page import write_html; write_html(grid_graph(), sys.argv[1], max_nodes=40)")
    outs = outputs_under_hash_seeds(code, tmp_path / "g.html")
    assert outs[0] == outs[1]
