"""Static checks of the HTML map: self-contained, inert paper text, the data block (every node, compact,
text cleaned for reading), the overview's selection, one renderer for graphs and snapshots, determinism."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from html_graphs import IMG_PROBE, SCRIPT_PROBE, probe_graph, random_graph

from conftest import R, make_tiny_graph, outputs_under_hash_seeds
from kg.defaults import NODE_KINDS, RELATIONS, RESOURCE_BASE
from kg.errors import KGError
from kg.export.html.data import ABSTRACT_MAX_CHARS, co_mention_pairs
from kg.export.html.layout import KIND_MIN_SHARE, PAPER_SHARE, select_overview
from kg.export.html.page import (
    SCRIPT_FILES,
    TEMPLATE_DIR,
    HtmlStats,
    render_html,
    render_html_snapshot,
    write_html,
    write_html_snapshot,
)
from kg.graph.snapshot import Snapshot


def data_block(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def page_data(G, **options) -> dict:
    return data_block(render_html(G, **options)[0])


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


def test_the_script_is_every_template_file_in_order(probe_html):
    """Each templates/*.js is on the page once, whole, in SCRIPT_FILES order, and says on its first line what it does."""
    html, _ = probe_html
    names = sorted(p.name for p in TEMPLATE_DIR.glob("*.js"))
    assert sorted(SCRIPT_FILES) == names and SCRIPT_FILES[-1] == "main.js"  # none left out, main.js wires up the rest
    app = html.rsplit("<script>", 1)[1]
    at = [app.index((TEMPLATE_DIR / name).read_text(encoding="utf-8")) for name in SCRIPT_FILES]
    assert at == sorted(at)
    for name in SCRIPT_FILES:
        first = (TEMPLATE_DIR / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("// ") and len(first) > 20, name
    assert app.startswith('(function () {\n"use strict";') and app.rstrip().endswith("})();\n</script>\n</body>\n</html>")


def test_hostile_text_is_never_markup(probe_html):
    html, _ = probe_html
    for probe in (IMG_PROBE, SCRIPT_PROBE, "<svg onload", "<b onmouseover", "\u2028"):
        assert probe not in html
    assert "javascript:alert" not in html  # a non-http URL is not offered as a link at all
    # The text survives, escaped, and decodes back to what the paper said (whitespace collapsed).
    data = data_block(html)
    assert {IMG_PROBE, SCRIPT_PROBE} <= set(data["node"]["name"])
    # (a bare closing </b> is formatting and goes; the opening tag, with its attribute, is shown as text)
    assert "FastNet beats <b onmouseover=alert(1)>it & more." in data["claim"]["texts"]
    # P1's javascript: URL is dropped; its arXiv id gives the link instead.
    assert data["paper"]["url"][data["paper"]["node"].index(data["node"]["iri"].index("paper/p1"))] == (
        "https://arxiv.org/abs/2401.00001")
    # Our JS writes data with textContent only.
    assert ".innerHTML" not in html.split('id="kg-data"')[1].rsplit("<script>", 1)[1]


def test_note_counts_hidden_nodes(probe_html):
    html, stats = probe_html
    assert stats.nodes_drawn == 6 and stats.nodes_hidden == 2
    assert "opens on 6 of 8 nodes (2 hidden" in html
    data = data_block(html)
    assert len(data["view"]["nodes"]) == 6
    # The overview leads with entities: the six entities, no paper.
    assert sorted(NODE_KINDS[data["node"]["kind"][i]] for i in data["view"]["nodes"]) == sorted(
        ["method", "method", "dataset", "task", "metric", "repo"])
    drawn = set(data["view"]["nodes"])
    among = [t for s, t in zip(sources(data), data["edge"]["t"]) if s in drawn and t in drawn]
    assert len(among) == stats.edges_drawn


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


def test_graph_is_not_mutated(tiny_graph, tmp_path):
    before = (sorted(tiny_graph.nodes(data=True)), sorted(tiny_graph.edges(keys=True, data=True)))
    write_html(tiny_graph, tmp_path / "g.html", max_nodes=5)
    assert (sorted(tiny_graph.nodes(data=True)), sorted(tiny_graph.edges(keys=True, data=True))) == before


# -- the data block ------------------------------------------------------------------------------------

def sources(data: dict) -> list[int]:
    """Edge sources from the per-node out-degrees (edges are sorted by source)."""
    return [i for i, k in enumerate(data["edge"]["out"]) for _ in range(k)]


def test_every_node_and_edge_is_in_the_data_block():
    G = random_graph(1)
    data = page_data(G, max_nodes=20)
    nodes = data["node"]
    assert len(nodes["name"]) == len(G) and data["stats"]["nodes_hidden"] == len(G) - 20
    iris = [n if not n.startswith(RESOURCE_BASE) else n[len(RESOURCE_BASE):] for n in sorted(G)]
    assert nodes["iri"] == iris
    assert [NODE_KINDS[k] for k in nodes["kind"]] == [G.nodes[n]["kind"] for n in sorted(G)]
    index = {n: i for i, n in enumerate(sorted(G))}
    edges = sorted(zip(sources(data), data["edge"]["t"], data["edge"]["r"]))
    assert edges == sorted((index[u], index[v], RELATIONS.index(k)) for u, v, k in G.edges(keys=True))
    # Sizes are the number of papers; aliases travel too (for search).
    for n, i in index.items():
        d = G.nodes[n]
        if d["kind"] != "paper":
            assert nodes["papers"][i] == len(d["papers"])
    aliases = {i: a for i, a in nodes["alias"]}
    for n, i in index.items():
        assert aliases.get(i, []) == [a for a in G.nodes[n].get("aliases", ())]
    assert sorted(nodes["order"]) == list(range(len(G)))


def test_the_data_block_is_compact():
    """Nodes are named once and referred to by number: no IRI or name is repeated in the block."""
    G = random_graph(2, n_papers=150)
    html = render_html(G, max_nodes=30)[0]
    block = re.search(r'id="kg-data">(.*?)</script>', html, re.S).group(1)
    for n in G:
        short = n[len(RESOURCE_BASE):] if n.startswith(RESOURCE_BASE) else n
        assert block.count(json.dumps(short)) == 1, short
    data = json.loads(block)
    for col in ("t", "r", "out"):
        assert all(type(x) is int for x in data["edge"][col])
    for col in ("s", "t", "r", "p", "text"):
        assert all(type(x) is int for x in data["claim"][col])
    assert len(set(data["claim"]["texts"])) == len(data["claim"]["texts"])  # one copy of each sentence
    assert max(len(a) for a in data["paper"]["abstract"]) <= ABSTRACT_MAX_CHARS + 2


def test_text_is_cleaned_for_reading():
    G = make_tiny_graph()
    p1 = G.nodes[R + "paper/p1"]
    p1["title"] = p1["label"] = r"$\alpha$-FastNet: \textbf{Fast}~Networks"
    p1["abstract"] = r"We reach 74.4\% top-1 \cite{x}."
    G.edges[R + "method/fastnet", R + "dataset/toyset", "evaluatesOn"]["claims"] = (
        {"paper": R + "paper/p1", "evidence": r"FastNet gets $10^{-3}$ error and 74.4\% on \emph{ToySet}~\cite{a}.",
         "confidence": 0.8},)
    data = page_data(G)
    assert "\u03b1-FastNet: Fast Networks" in data["node"]["name"]
    assert "FastNet gets 10\u207b\u00b3 error and 74.4% on ToySet." in data["claim"]["texts"]
    row = data["paper"]["node"].index(data["node"]["iri"].index("paper/p1"))
    assert data["paper"]["abstract"][row] == "We reach 74.4% top-1."
    assert data["paper"]["authors"][row] == ["A. Author", "B. Author"]
    assert data["paper"]["url"][row] == "https://arxiv.org/abs/2401.00001"


def test_undated_listing_pages_get_readable_dates_and_periods():
    G = make_tiny_graph()  # P1 is dated 2024-01-02, P2 "--03-11" (a listing page: month and day, no year)
    data = page_data(G)
    paper = data["paper"]
    dates = dict(zip((data["node"]["iri"][i] for i in paper["node"]), paper["date"]))
    assert dates == {"paper/p1": "2024-01-02", "paper/p2": "Mar 11"}
    assert paper["periods"] == ["Mar (no year)", "Jan 2024"]
    assert [paper["periods"][p] for p in paper["period"]] == ["Jan 2024", "Mar (no year)"]


def test_claims_carry_values_where_the_graph_has_them():
    G = make_tiny_graph()
    G.edges[R + "method/fastnet", R + "dataset/toyset", "evaluatesOn"]["claims"] = (
        {"paper": R + "paper/p1", "evidence": "FastNet gets 91.2 on ToySet.", "confidence": 0.8},
        {"paper": R + "paper/p1", "source": "PapersWithCode", "metric": R + "metric/accuracy", "value": "91.2"},
    )
    data = page_data(G)
    claim, iri = data["claim"], data["node"]["iri"]
    fact = claim["source"].index("PapersWithCode")
    assert claim["value"][fact] == "91.2" and iri[claim["metric"][fact]] == "metric/accuracy"
    assert claim["text"][fact] == -1 and claim["conf"][fact] is None
    # Without such facts the columns are left out.
    assert "value" not in page_data(make_tiny_graph())["claim"]


def test_clusters_are_labelled_by_their_top_node():
    G = make_tiny_graph()
    clusters = {n: (0 if "fast" in n or "p1" in n else 1) for n in G}
    data = page_data(G, communities=clusters, scores={R + "method/fastnet": 5.0})
    assert data["cluster"]["of"] == [clusters[n] for n in sorted(G)]
    labels = dict(data["cluster"]["top"])
    assert labels[0] == "FastNet"  # the most central entity of cluster 0
    assert labels[1] in {"SlowNet", "ToySet", "accuracy", "image classification", "github.com/example/fastnet"}
    assert "cluster" not in page_data(G)


def test_scores_set_the_rank():
    scores = {R + "method/slownet": 10.0}
    data = page_data(make_tiny_graph(), scores=scores)
    assert data["node"]["iri"][data["node"]["order"][0]] == "method/slownet"
    assert data["view"]["nodes"][0] == data["node"]["order"][0]


def test_co_mention_pairs_join_entities_that_share_papers():
    snap = Snapshot.from_graph(make_tiny_graph())
    papers = np.bincount(snap.links()[1], minlength=len(snap.nodes))
    entities = np.flatnonzero(snap.kind != 0)
    pairs = co_mention_pairs(snap, entities, papers)
    named = {(snap.nodes[a].rsplit("/", 1)[1], snap.nodes[b].rsplit("/", 1)[1]): k for a, b, k in pairs}
    # SlowNet and ToySet share two papers (P1, P2), more than any other pair: each is the other's closest.
    assert named.get(("slownet", "toyset")) is None  # ... but a claim edge joins them already
    assert all(k >= 1 for k in named.values()) and all(a < b for a, b, _ in pairs)
    assert ("accuracy", "image-classification") in named or ("fastnet", "accuracy") in named


# -- the overview's selection ---------------------------------------------------------------------------

def test_the_overview_leads_with_every_entity_kind():
    G = random_graph(3, n_papers=300, n_entities=80, n_repos=8)
    snap = Snapshot.from_graph(G)
    cent = np.linspace(1.0, 0.0, len(snap.nodes))  # papers sort first by IRI: they are the most central here
    for budget in (20, 40, 60):
        chosen = select_overview(snap.kind, cent, budget)
        kinds = [NODE_KINDS[k] for k in snap.kind[chosen]]
        assert len(chosen) == budget and len(set(chosen.tolist())) == budget
        assert "paper" not in kinds  # 88 entities: no budget is left for papers
        assert kinds.count("repo") >= min(8, int(np.ceil(budget * KIND_MIN_SHARE)))
        assert list(chosen) == sorted(chosen, key=lambda i: (-cent[i], i))
    everything = select_overview(snap.kind, cent, len(snap.nodes))
    assert sorted(everything.tolist()) == list(range(len(snap.nodes)))
    # Room beyond the entities goes to papers, at most PAPER_SHARE of the budget.
    n_ent = int((snap.kind != 0).sum())
    chosen = select_overview(snap.kind, cent, n_ent + 100)
    assert int((snap.kind[chosen] == 0).sum()) == min(100, int((n_ent + 100) * PAPER_SHARE))
    with pytest.raises(KGError, match="max_nodes"):
        select_overview(snap.kind, cent, 0)


# -- one renderer: graphs go through their Snapshot -----------------------------------------------------

def test_a_graph_and_its_snapshot_give_the_same_page(tmp_path):
    G = random_graph(5)
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    stats = write_html(G, a, max_nodes=30, build_date="2024-01-01")
    assert write_html_snapshot(Snapshot.from_graph(G), b, max_nodes=30, build_date="2024-01-01") == stats
    assert a.read_bytes() == b.read_bytes()


def test_never_builds_the_whole_graph(monkeypatch):
    snap = Snapshot.from_graph(random_graph(6))

    def refuse(self):
        raise AssertionError("to_graph called")

    monkeypatch.setattr(Snapshot, "to_graph", refuse)
    html, stats = render_html_snapshot(snap, max_nodes=20)
    assert stats["nodes_drawn"] == 20 and stats["nodes_total"] == len(snap.nodes)


def test_bad_budget():
    with pytest.raises(KGError, match="max_nodes"):
        render_html_snapshot(Snapshot.from_graph(make_tiny_graph()), max_nodes=0)


@pytest.mark.slow  # two fresh interpreters
def test_same_bytes_whatever_the_hash_seed(tmp_path):
    """Sets iterate in hash order, which changes per process: nothing on the page may depend on it."""
    code = ("import sys; sys.path.insert(0, 'tests'); from html_graphs import random_graph; "
            "from kg.export.html.page import write_html; write_html(random_graph(7), sys.argv[1], max_nodes=35, "
            "communities={n: len(n) % 3 for n in random_graph(7)})")
    outs = outputs_under_hash_seeds(code, tmp_path / "g.html")
    assert outs[0] == outs[1]
