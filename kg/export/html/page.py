"""The graph -> one self-contained, offline, interactive HTML map (vis-network from pyvis, inlined)."""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import networkx as nx
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from kg.atomic import atomic_open
from kg.defaults import HTML_MAX_NODES, NODE_KINDS, RELATIONS
from kg.errors import KGError
from kg.export.html.layout import layout, node_centrality, select_nodes

__all__ = ["HtmlStats", "write_html", "render_html", "render_page", "write_page"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
#: At most this many papers and claims are listed in a node's side panel (the rest are counted).
PANEL_MAX_ITEMS = 25
#: Canvas labels longer than this are cut with an ellipsis (the panel shows the full text).
LABEL_MAX_CHARS = 30
#: Shape and colour per node kind (Okabe-Ito colours, which stay distinct for colour-blind readers).
NODE_STYLE = {
    "paper": ("square", "#8c8c8c"),
    "method": ("dot", "#0072B2"),
    "dataset": ("diamond", "#E69F00"),
    "task": ("triangle", "#009E73"),
    "metric": ("star", "#CC79A7"),
    "repo": ("hexagon", "#56B4E9"),
}
#: Colour per relation; claim edges are curved so they do not hide a paper's plain "mentions" line.
REL_STYLE = {
    "proposes": "#D55E00",
    "mentions": "#c9c9c9",
    "hasCode": "#56B4E9",
    "evaluatesOn": "#E69F00",
    "improvesOver": "#0072B2",
}


@dataclass(frozen=True)
class HtmlStats:
    """What `write_html` drew: node and edge counts and the file's size in bytes."""

    nodes_drawn: int
    nodes_hidden: int
    edges_drawn: int
    bytes: int


def _safe_url(url: object) -> str | None:
    """`url` if it is an absolute http(s) URL (a link the panel may offer), else None."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= LABEL_MAX_CHARS else text[: LABEL_MAX_CHARS - 1].rstrip() + "\u2026"


def _pyvis_data(G: nx.MultiDiGraph, drawn: list[str], sid: dict[str, str], cent: dict[str, float]) -> tuple:
    """vis-network nodes, edges and options, made by pyvis from a display copy of the drawn subgraph."""
    from pyvis.network import Network  # imported here: pyvis pulls in IPython, which the rest of kg never needs

    pos = layout(G, drawn)
    top = max((cent.get(n, 0.0) for n in drawn), default=0.0) or 1.0
    D = nx.MultiDiGraph()
    for n in drawn:
        d = G.nodes[n]
        shape, colour = NODE_STYLE.get(d.get("kind"), ("dot", "#777777"))
        x, y = pos.get(n, (0, 0))
        # Area, not radius, grows with centrality, so hubs stand out without swamping the map.
        D.add_node(sid[n], label=_short(d.get("label", n)), shape=shape, color=colour,
                   size=8 + 30 * math.sqrt(cent.get(n, 0.0) / top), x=x, y=y)
    for i, (u, v, k) in enumerate(sorted((u, v, k) for u, v, k in G.subgraph(drawn).edges(keys=True))):
        claims = len(G.edges[u, v, k].get("claims", ()))
        edge = {"id": f"e{i}", "rel": k, "label": k, "color": REL_STYLE.get(k, "#999999"),
                "weight": 1 + min(claims, 4) if claims else (2 if k == "proposes" else 1)}
        if k != "mentions":
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15}
        D.add_edge(sid[u], sid[v], key=k, **edge)

    net = Network(directed=True, cdn_resources="in_line")
    net.from_nx(D)
    net.toggle_physics(False)
    net.toggle_hide_edges_on_drag(True)
    net.options.edges.smooth.enabled = False
    options = json.loads(net.get_network_data()[5])
    # Positions come from Python: no physics, and no vis "improvedLayout" pass (slow past 100 nodes).
    options["layout"] = {"improvedLayout": False}
    options["interaction"].update({"hover": True, "tooltipDelay": 150})
    options["edges"].update({"font": {"size": 9, "align": "middle", "strokeWidth": 3}, "color": {"inherit": False}})
    options["nodes"] = {"font": {"size": 13}, "borderWidth": 1}
    order = {s: i for i, s in enumerate(sid[n] for n in drawn)}
    nodes = sorted(net.nodes, key=lambda o: order[o["id"]])  # draw order: best last, i.e. on top
    return nodes[::-1], net.edges, options


def _panel_info(G: nx.MultiDiGraph, drawn: list[str], sid: dict[str, str], cent: dict[str, float],
                communities: dict[str, int] | None) -> tuple[list, list, list]:
    """Per drawn node: what its side panel lists; papers and claims go in shared tables, by index."""
    papers: list[list] = []
    paper_ix: dict[str, int] = {}
    claims: list[list] = []
    claim_ix: dict[tuple, int] = {}

    def paper_ref(p: str) -> int:
        if p not in paper_ix:
            d = G.nodes[p] if p in G else {}
            paper_ix[p] = len(papers)
            papers.append([str(d.get("title") or d.get("label") or p), _safe_url(d.get("url")), sid.get(p)])
        return paper_ix[p]

    by_node: dict[str, list[tuple]] = {}
    by_paper: dict[str, list[tuple]] = {}
    # Only evaluatesOn / improvesOver edges carry claims: the others need no sorting.
    for u, v, k, d in sorted(((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if d.get("claims")),
                             key=lambda e: e[:3]):
        for c in d["claims"]:
            key = (u, v, k, c.get("paper"), c.get("evidence"))
            by_node.setdefault(u, []).append(key)
            by_node.setdefault(v, []).append(key)
            by_paper.setdefault(c.get("paper"), []).append(key)

    def claim_ref(key: tuple) -> int:
        if key not in claim_ix:
            u, v, k, p, evidence = key
            claim_ix[key] = len(claims)
            claims.append([k, str(G.nodes[u].get("label", u)), sid.get(u), str(G.nodes[v].get("label", v)),
                           sid.get(v), str(evidence or ""), paper_ref(p) if p else None])
        return claim_ix[key]

    info = []
    for rank, n in enumerate(drawn):
        d = G.nodes[n]
        kind = d.get("kind", "")
        own_papers = [n] if kind == "paper" else list(d.get("papers", ()))
        own_claims = by_paper.get(n, []) if kind == "paper" else by_node.get(n, [])
        item = {
            "id": sid[n], "rank": rank, "iri": n, "kind": kind, "label": str(d.get("label", n)),
            "aliases": [str(a) for a in d.get("aliases", ())], "score": cent.get(n, 0.0),
            "papers": [paper_ref(p) for p in own_papers[:PANEL_MAX_ITEMS]],
            "morePapers": max(0, len(own_papers) - PANEL_MAX_ITEMS),
            "claims": [claim_ref(c) for c in own_claims[:PANEL_MAX_ITEMS]],
            "moreClaims": max(0, len(own_claims) - PANEL_MAX_ITEMS),
        }
        if kind == "paper":
            item.update(date=str(d["date"]) if d.get("date") else None, url=_safe_url(d.get("url")),
                        authors=[str(a) for a in d.get("authors", ())])
        elif kind == "repo":
            item["url"] = _safe_url(n) or _safe_url(d.get("label"))
        if communities is not None and n in communities:
            item["cluster"] = int(communities[n])
        info.append(item)
    return info, papers, claims


def _json_for_script(obj: object) -> str:
    """JSON that cannot end its <script> element or open markup: <, >, & and non-ASCII as \\uXXXX."""
    text = json.dumps(obj, ensure_ascii=True, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _vis_js() -> str:
    """The vis-network build shipped inside pyvis, minus its source-map comment (nothing to fetch)."""
    import pyvis

    path = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    if not path.is_file():
        path = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    code = path.read_text(encoding="utf-8")
    # Split on "\n" only: str.splitlines would also cut at U+0085/U+2028 inside the library's strings.
    code = "\n".join(line for line in code.split("\n") if not line.startswith("//# sourceMappingURL="))
    if "</script" in code.lower() or "<!--" in code:
        raise KGError(f"{path} cannot be inlined in a <script> element; reinstall pyvis>=0.3.2.")
    return code


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True, keep_trailing_newline=True)


def render_html(
    G: nx.MultiDiGraph,
    *,
    max_nodes: int = HTML_MAX_NODES,
    scores: dict[str, float] | None = None,
    build_date: str | None = None,
    communities: dict[str, int] | None = None,
    pagerank: dict[str, float] | None = None,
    links: Sequence[tuple[str, str]] = (),
) -> tuple[str, dict[str, int]]:
    """The map of `G` as one HTML string, and its counts (nodes_drawn, nodes_total, edges_drawn, ...).

    pyvis turns a *display copy* of the drawn subgraph into vis-network node/edge/option dicts (its
    ``from_nx`` writes into the graph it is given), but its page template is not used: that one loads
    bootstrap from a CDN whatever ``cdn_resources`` says and pastes titles and the heading in as HTML
    (pyvis issues #144, #166). ``templates/graph.html.j2`` inlines the vis-network build shipped inside
    pyvis instead, and a Content-Security-Policy lets only our two scripts run and nothing load.
    Every string from a paper travels in one ``<script type="application/json">`` block, escaped so
    that it cannot close the element (`_json_for_script`); ``graph.js`` puts it on the page with
    ``textContent`` only, the canvas draws labels as plain text, and links are made from http(s) URLs
    only. Node centrality is PageRank over the whole graph (`node_centrality`; pass `pagerank` when
    it is known).
    """
    cent = node_centrality(G, scores, pagerank=pagerank)
    drawn = select_nodes(G, cent, max_nodes)
    kind_counts = {k: 0 for k in NODE_KINDS}
    for _, d in G.nodes(data=True):
        kind_counts[d.get("kind")] = kind_counts.get(d.get("kind"), 0) + 1
    rel_counts = {r: 0 for r in RELATIONS}
    for _, _, k in G.edges(keys=True):
        rel_counts[k] = rel_counts.get(k, 0) + 1
    return render_page(G, drawn, cent, nodes_total=len(G), edges_total=G.number_of_edges(), kind_counts=kind_counts,
                       rel_counts=rel_counts, build_date=build_date, communities=communities, links=links)


def render_page(
    G: nx.MultiDiGraph,
    drawn: list[str],
    cent: dict[str, float],
    *,
    nodes_total: int,
    edges_total: int,
    kind_counts: dict[str, int],
    rel_counts: dict[str, int],
    build_date: str | None = None,
    communities: dict[str, int] | None = None,
    links: Sequence[tuple[str, str]] = (),
) -> tuple[str, dict[str, int]]:
    """The page that draws `drawn` (chosen already, most central first), and its counts.

    `G` need not be the whole graph, only hold what the page shows: the drawn nodes with all their
    attributes and the edges among them, every claim edge that touches a drawn node or cites a drawn
    paper (with its ends' labels), and the papers the side panels list. The whole graph's sizes come
    in as `nodes_total`, `edges_total` and the per-kind and per-relation counts (NODE_KINDS and
    RELATIONS first, in that order). `cent` gives each drawn node's size and score.
    """
    sid = {n: f"n{i}" for i, n in enumerate(drawn)}
    nodes, edges, options = _pyvis_data(G, drawn, sid, cent)
    info, papers, claims = _panel_info(G, drawn, sid, cent, communities)
    stats = {
        "nodes_drawn": len(drawn), "nodes_total": nodes_total, "nodes_hidden": nodes_total - len(drawn),
        "edges_drawn": len(edges), "edges_total": edges_total,
    }
    data = {"nodes": nodes, "edges": edges, "options": options, "info": info, "papers": papers,
            "claims": claims, "stats": stats}
    app_js = (TEMPLATE_DIR / "graph.js").read_text(encoding="utf-8")
    html = _environment().get_template("graph.html.j2").render(
        stats=stats,
        kinds=[(k, *NODE_STYLE.get(k, ("dot", "#777777")), kind_counts[k]) for k in kind_counts],
        relations=[(r, REL_STYLE.get(r, "#999999"), rel_counts[r]) for r in rel_counts],
        build_date=build_date,
        links=[(label, href) for label, href in links],
        has_communities=communities is not None,
        css=Markup((TEMPLATE_DIR / "graph.css").read_text(encoding="utf-8")),
        app_js=Markup(app_js),
        vis_js=Markup(_vis_js()),
        # The page's CSP runs only these two scripts: injected markup could not run even if it got in.
        script_hashes=Markup(" ".join(_csp_hash(js) for js in (_vis_js(), app_js))),
        data_json=Markup(_json_for_script(data)),
    )
    return html, stats


def write_page(html: str, stats: dict[str, int], path: str | Path) -> HtmlStats:
    """Write a page made by `render_page` to `path` (atomically) and say what it drew."""
    data = html.encode("utf-8")
    with atomic_open(path, "wb") as f:
        f.write(data)
    return HtmlStats(stats["nodes_drawn"], stats["nodes_hidden"], stats["edges_drawn"], len(data))


def write_html(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    max_nodes: int = HTML_MAX_NODES,
    scores: dict[str, float] | None = None,
    build_date: str | None = None,
    communities: dict[str, int] | None = None,
    pagerank: dict[str, float] | None = None,
    links: Sequence[tuple[str, str]] = (),
) -> HtmlStats:
    """Write the interactive map of `G` to `path` (atomically) and say what it drew.

    `scores`: centrality to size and rank the nodes it names (else PageRank over the whole graph);
    `build_date`: shown in the header, left out when None so the file is deterministic;
    `communities`: node -> cluster number, offered as an alternative colouring;
    `pagerank`: PageRank of every node over project(G, "full") when already computed;
    `links`: (label, relative URL) pairs shown in the header, e.g. the charts beside the map.

    >>> import tempfile, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", kind="method", label="FastNet", aliases=(), papers=())
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_html(G, Path(d) / "g.html").nodes_drawn
    1
    """
    html, stats = render_html(G, max_nodes=max_nodes, scores=scores, build_date=build_date, communities=communities,
                              pagerank=pagerank, links=links)
    return write_page(html, stats, path)
