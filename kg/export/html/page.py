"""The map of a Snapshot (the build's, or a graph's via Snapshot.from_graph): one self-contained, offline HTML page.

vis-network (from pyvis) is inlined; kg.export.html.data makes the data block, the scripts in templates/
(SCRIPT_FILES, joined into one) draw it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

import networkx as nx
import numpy as np
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from kg.atomic import atomic_open
from kg.defaults import HTML_MAX_NODES
from kg.errors import KGError
from kg.export.html.data import Lazy, map_data_lazy
from kg.export.html.layout import select_overview
from kg.graph.snapshot import Snapshot

__all__ = ["HtmlStats", "render_html_snapshot", "write_html_snapshot", "render_html", "write_html", "NODE_STYLE",
           "REL_STYLE"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
#: Shape and colour per node kind (Okabe-Ito colours, which stay distinct for colour-blind readers).
NODE_STYLE = {
    "paper": ("square", "#8c8c8c"),
    "method": ("dot", "#0072B2"),
    "dataset": ("diamond", "#E69F00"),
    "task": ("triangle", "#009E73"),
    "metric": ("star", "#CC79A7"),
    "repo": ("hexagon", "#56B4E9"),
}
#: Colour per relation; "shared papers" links entities mentioned together (drawn only, not in the graph).
REL_STYLE = {
    "proposes": "#D55E00",
    "mentions": "#c9c9c9",
    "hasCode": "#56B4E9",
    "evaluatesOn": "#E69F00",
    "improvesOver": "#0072B2",
}
CO_STYLE = "#d9d9d9"
#: Items of a long list encoded at once when the data block is written (see _write_json).
_JSON_BLOCK = 4096
#: Characters of the page gathered before they are encoded and written.
_FLUSH_CHARS = 1 << 20
#: The map's script, one job per file (each file's first line says which), in the order they are put
#: on the page: they share one function scope, and each runs after those it needs. main.js, last,
#: wires them up and draws.
SCRIPT_FILES = ("data.js", "dom.js", "search.js", "view.js", "labels.js", "explore.js", "filters.js",
                "panel.js", "state.js", "export.js", "main.js")


@dataclass(frozen=True)
class HtmlStats:
    """What `write_html` drew: node and edge counts and the file's size in bytes."""

    nodes_drawn: int
    nodes_hidden: int
    edges_drawn: int
    bytes: int


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


def _app_js() -> str:
    """The map's script: SCRIPT_FILES in order, in one function scope (one inline script, one CSP hash)."""
    parts = []
    for name in SCRIPT_FILES:
        code = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
        if "</script" in code.lower() or "<!--" in code:
            raise KGError(f"{TEMPLATE_DIR / name} cannot be inlined in a <script> element.")
        parts.append(code)
    return '(function () {\n"use strict";\n' + "\n".join(parts) + "})();\n"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True, keep_trailing_newline=True)


def _centrality(snap: Snapshot, scores: Mapping[str, float] | None, pagerank: Mapping[str, float] | None) -> np.ndarray:
    """Each node's importance: PageRank over the whole graph ("full" projection), replaced by `scores`
    for the nodes they name (the methods' ranking)."""
    if pagerank is None:
        from kg.analyze.snapshot_views import snapshot_pagerank

        pagerank = snapshot_pagerank(snap)
    cent = np.array([round(float(pagerank.get(n, 0.0)), 9) for n in snap.nodes], dtype=np.float64)
    index = snap.index
    for n, v in (scores or {}).items():
        if n in index:
            cent[index[n]] = float(v)
    return cent


def _write_json(obj: object, write: Callable[[str], None]) -> None:
    """Write `obj` as `_json_for_script` would give it, a value at a time: Lazy values and generators
    (kg.export.html.data.map_data_lazy) are made as they are written, and a long list goes out in
    blocks, so the whole block's text is never one string. The bytes equal those of
    _json_for_script(materialized(obj)): keys sorted, the same separators and escapes."""
    if isinstance(obj, Lazy):
        obj = obj.make()
    if isinstance(obj, dict):
        sep = "{"
        for key in sorted(obj):
            write(sep + _json_for_script(key) + ":")
            _write_json(obj[key], write)
            sep = ","
        write("{}" if sep == "{" else "}")
    elif isinstance(obj, Iterator) or (isinstance(obj, list) and len(obj) > _JSON_BLOCK):
        items = iter(obj)
        sep = "["
        while block := list(islice(items, _JSON_BLOCK)):
            write(sep + _json_for_script(block)[1:-1])
            sep = ","
        write("[]" if sep == "[" else "]")
    else:
        write(_json_for_script(obj))


def _render(snap: Snapshot, write: Callable[[str], None], *, max_nodes: int, scores: Mapping[str, float] | None,
            build_date: str | None, pagerank: Mapping[str, float] | None, communities: Mapping[str, int] | None,
            links: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Write the page with `write`, a piece at a time; returns its counts (see render_html_snapshot)."""
    cent = _centrality(snap, scores, pagerank)
    drawn = select_overview(snap.kind, cent, max_nodes)
    data = map_data_lazy(snap, cent, drawn, communities=communities)
    del cent
    data["style"] = {"kind": [list(NODE_STYLE.get(k, ("dot", "#777777"))) for k in data["kinds"]],
                     "rel": [REL_STYLE.get(r, "#999999") for r in data["rels"]], "co": CO_STYLE}
    stats, has_periods = data["stats"], bool(data["paper"]["periods"])
    kind_counts, rel_counts = snap.kind_counts(), snap.rel_counts()
    app_js = _app_js()
    # The page is rendered around a marker where the data block goes; the block is then written in
    # pieces between the two halves (on a large graph it is most of the page).
    marker = "\u0000kg-data-" + secrets.token_hex(16) + "\u0000"
    page = _environment().get_template("graph.html.j2").render(
        stats=stats,
        kinds=[(k, *NODE_STYLE.get(k, ("dot", "#777777")), kind_counts[k]) for k in kind_counts],
        relations=[(r, REL_STYLE.get(r, "#999999"), rel_counts[r]) for r in rel_counts],
        co_colour=CO_STYLE,
        build_date=build_date,
        links=[(label, href) for label, href in links],
        has_communities=communities is not None,
        has_periods=has_periods,
        css=Markup((TEMPLATE_DIR / "graph.css").read_text(encoding="utf-8")),
        app_js=Markup(app_js),
        vis_js=Markup(_vis_js()),
        # The page's CSP runs only these two scripts: injected markup could not run even if it got in.
        script_hashes=Markup(" ".join(_csp_hash(js) for js in (_vis_js(), app_js))),
        data_json=Markup(marker),
    )
    parts = page.split(marker)
    if len(parts) != 2:
        raise KGError("the map's template must place its data block (data_json) exactly once")
    del page
    write(parts[0])
    _write_json(data, write)
    del data
    write(parts[1])
    return stats


def render_html_snapshot(
    snap: Snapshot,
    *,
    max_nodes: int = HTML_MAX_NODES,
    scores: Mapping[str, float] | None = None,
    build_date: str | None = None,
    pagerank: Mapping[str, float] | None = None,
    communities: Mapping[str, int] | None = None,
    links: Sequence[tuple[str, str]] = (),
) -> tuple[str, dict[str, int]]:
    """The map of `snap` as one HTML string, and its counts (nodes_drawn, nodes_total, edges_drawn, ...).

    The overview draws `select_overview`'s nodes (entities first); every node, edge and claim is in
    the page's data block, so search and "expand" reach the rest. pyvis's page template is not
    used: it loads bootstrap from a CDN whatever ``cdn_resources`` says and pastes titles in as HTML
    (pyvis issues #144, #166); ``templates/graph.html.j2`` inlines the vis-network build shipped
    inside pyvis instead, and a Content-Security-Policy lets only our two scripts run and nothing
    load. Every string from a paper travels in one ``<script type="application/json">`` block,
    escaped so that it cannot close the element (`_json_for_script`); the script puts it on the
    page with ``textContent`` only, the canvas draws labels as plain text, and links are made from
    http(s) URLs only.

    `scores`: importance of the nodes it names (else PageRank over the whole graph, `pagerank` when
    known); `build_date`: shown in the header, left out when None so the bytes are deterministic;
    `communities`: node -> cluster, offered as a colouring with a legend; `links`: (label, relative
    URL) pairs shown in the header. `write_html_snapshot` writes the same bytes to a file without
    ever holding the page.
    """
    buf = io.StringIO()
    stats = _render(snap, buf.write, max_nodes=max_nodes, scores=scores, build_date=build_date, pagerank=pagerank,
                    communities=communities, links=links)
    return buf.getvalue(), stats


def write_html_snapshot(snap: Snapshot, path: str | Path, *, max_nodes: int = HTML_MAX_NODES,
                        scores: Mapping[str, float] | None = None, build_date: str | None = None,
                        pagerank: Mapping[str, float] | None = None, communities: Mapping[str, int] | None = None,
                        links: Sequence[tuple[str, str]] = ()) -> HtmlStats:
    """Write the map of `snap` to `path` (atomically) and say what it drew; options as `render_html_snapshot`.

    The page goes to the file as it is made, about a megabyte of text at a time: neither the data
    block nor the page is held whole (at 100,000 papers each is hundreds of megabytes)."""
    size = 0
    pending: list[str] = []
    held = 0
    with atomic_open(path, "wb") as f:

        def flush() -> None:
            nonlocal size, held
            chunk = "".join(pending).encode("utf-8")
            f.write(chunk)
            size += len(chunk)
            pending.clear()
            held = 0

        def write(text: str) -> None:
            nonlocal held
            pending.append(text)
            held += len(text)
            if held >= _FLUSH_CHARS:
                flush()

        stats = _render(snap, write, max_nodes=max_nodes, scores=scores, build_date=build_date, pagerank=pagerank,
                        communities=communities, links=links)
        flush()
    return HtmlStats(stats["nodes_drawn"], stats["nodes_hidden"], stats["edges_drawn"], size)


def render_html(G: nx.MultiDiGraph, **options) -> tuple[str, dict[str, int]]:
    """The map of a graph made by kg.graph.assemble (or read back from RDF): that of its Snapshot."""
    return render_html_snapshot(Snapshot.from_graph(G), **options)


def write_html(G: nx.MultiDiGraph, path: str | Path, **options) -> HtmlStats:
    """Write the map of `G` (that of its Snapshot) to `path` (atomically) and say what it drew.

    >>> import tempfile, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", kind="method", label="FastNet", aliases=(), papers=())
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_html(G, Path(d) / "g.html").nodes_drawn
    1
    """
    return write_html_snapshot(Snapshot.from_graph(G), path, **options)
