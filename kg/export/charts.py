"""Small hand-written SVG charts (top methods, trends): no plotting dependency, byte-stable output."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path

import networkx as nx

from kg.analyze.centrality import DEFAULT_MEASURE, MEASURE_NAMES, ranking
from kg.analyze.snapshot_views import node_label
from kg.analyze.trends import period_label
from kg.atomic import atomic_open
from kg.graph.snapshot import Snapshot

__all__ = ["PALETTE", "bars_svg", "chart_title", "top_methods_svg", "trends_svg", "write_svg", "write_top_methods_chart",
           "write_trends_chart", "write_top_methods_chart_snapshot"]

#: Colour-blind-friendly categorical colours (Tableau 10), used in order.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
FONT = 'font-family="Helvetica, Arial, sans-serif" font-size="12"'
_CHAR_W = 6.6  # rough width of a 12px sans-serif character, to size the label column
_MAX_LABEL = 40


def _text(s: str) -> str:
    """Paper-derived text, shortened and escaped for SVG."""
    s = str(s)
    return escape(s if len(s) <= _MAX_LABEL else s[: _MAX_LABEL - 1] + "…")


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" {FONT}>',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="{width / 2:.1f}" y="20" text-anchor="middle" font-size="14" font-weight="bold">'
        f"{escape(title)}</text>",
        *body,
        "</svg>",
        "",
    ])


def chart_title(measure: str = DEFAULT_MEASURE) -> str:
    """The top methods chart's title, naming the measure it plots.

    >>> chart_title()
    'Top methods by support PageRank (papers and claims)'
    """
    return f"Top methods by {MEASURE_NAMES.get(measure, measure)}"


def top_methods_svg(G: nx.MultiDiGraph, scores: Mapping[str, float], *, top: int = 15,
                    title: str | None = None) -> str:
    """A horizontal bar chart of the `top` best-scored methods, best on top (an SVG string).

    `title` defaults to `chart_title()`, the default measure's.

    >>> G = nx.MultiDiGraph(); G.add_node("m", kind="method", label="A<B")
    >>> svg = top_methods_svg(G, {"m": 0.5}); "A&lt;B" in svg and svg.startswith("<svg")
    True
    """
    return bars_svg([(G.nodes[n].get("label") or n, s) for n, s in ranking(dict(scores), top)],
                    title=title or chart_title())


def bars_svg(bars: Sequence[tuple[str, float]], *, title: str | None = None) -> str:
    """A horizontal bar chart of (label, score) `bars` in the order given (an SVG string).

    `top_methods_svg` draws it from a graph; kg.analyze.snapshot_views from the build's compact snapshot.

    >>> bars_svg([]).count("no methods")
    1
    """
    labels = [_text(label) for label, _ in bars]
    left = 12 + _CHAR_W * max([len(x) for x in labels] + [6])
    bar_w, row_h, head = 360.0, 22.0, 36.0
    width, height = left + bar_w + 90, head + row_h * max(len(bars), 1) + 16
    peak = max([s for _, s in bars] + [0.0])
    body = []
    if not bars:
        body.append(f'<text x="{width / 2:.1f}" y="{head + 14:.1f}" text-anchor="middle">no methods</text>')
    for i, ((_, score), label) in enumerate(zip(bars, labels, strict=True)):
        y = head + i * row_h
        w = bar_w * score / peak if peak > 0 else 0.0
        body.append(f'<text x="{left - 8:.1f}" y="{y + 15:.1f}" text-anchor="end">{label}</text>')
        body.append(f'<rect x="{left:.1f}" y="{y + 3:.1f}" width="{w:.1f}" height="{row_h - 6:.1f}" '
                    f'fill="{PALETTE[0]}"/>')
        body.append(f'<text x="{left + w + 6:.1f}" y="{y + 15:.1f}">{score:.4g}</text>')
    return _svg(width, height, body, title or chart_title())


def trends_svg(rows: Iterable, *, top: int = 8,
               title: str = "Share of each period's papers that mention the entity") -> str:
    """A line chart of each period's share of papers mentioning the `top` most-mentioned entities.

    `rows` are kg.analyze.trends.trend_table rows (period, kind, label, count, node, papers): the
    share is count / papers, so a month with twice the papers does not make every line rise.
    Entities are picked by total count, ties by label; a period with no mention is 0 %. Periods
    are labelled as people read them (kg.analyze.trends.period_label) with their paper count.

    >>> svg = trends_svg([("2024-01", "method", "A", 2, "a", 4), ("2024-02", "method", "A", 3, "a", 3)])
    >>> svg.count("<polyline"), "% of the period" in svg
    (1, True)
    """
    rows = list(rows)
    periods = sorted({r[0] for r in rows})
    totals = {r[0]: r[5] for r in rows}
    # A series per entity: (label, node) -> {period: papers mentioning it}.
    series: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for r in rows:
        s = (str(r[2]), str(r[4]))
        series[s][r[0]] = series[s].get(r[0], 0) + r[3]
    chosen = sorted(series, key=lambda s: (-sum(series[s].values()), s))[:top]
    left, head, plot_w, plot_h = 64.0, 36.0, 520.0, 240.0
    legend_w = 16 + _CHAR_W * max([len(_text(label)) for label, _ in chosen] + [6])
    width, height = left + plot_w + 20 + legend_w, head + plot_h + 70
    body = []
    if not chosen:
        body.append(f'<text x="{width / 2:.1f}" y="{head + plot_h / 2:.1f}" text-anchor="middle">'
                    "no dated papers</text>")
        return _svg(width, height, body, title)

    def share(s, p: str) -> float:
        return 100.0 * series[s].get(p, 0) / totals[p] if totals[p] else 0.0

    peak = max(share(s, p) for s in chosen for p in periods)
    # About five gridlines at a round step, the top one at or above the peak (never past 100 %).
    step = next(st for st in (1, 2, 5, 10, 20, 25, 50) if peak <= 5 * st)
    ymax = min(100, step * max(1, -(-int(peak * 1000) // (step * 1000))))
    bottom = head + plot_h

    def x(i: int) -> float:
        return left + (plot_w * i / (len(periods) - 1) if len(periods) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return bottom - plot_h * v / ymax

    for v in range(0, ymax + 1, step):
        body.append(f'<line x1="{left:.1f}" y1="{y(v):.1f}" x2="{left + plot_w:.1f}" y2="{y(v):.1f}" '
                    'stroke="#e0e0e0"/>')
        body.append(f'<text x="{left - 6:.1f}" y="{y(v) + 4:.1f}" text-anchor="end">{v} %</text>')
    body.append(f'<text x="14" y="{head + plot_h / 2:.1f}" text-anchor="middle" '
                f'transform="rotate(-90 14 {head + plot_h / 2:.1f})">% of the period\'s papers</text>')
    every = max(1, -(-len(periods) // 10))  # at most about 10 period labels
    for i, p in enumerate(periods):
        if i % every == 0:
            body.append(f'<text x="{x(i):.1f}" y="{bottom + 18:.1f}" text-anchor="middle">'
                        f"{escape(period_label(p))}</text>")
            body.append(f'<text x="{x(i):.1f}" y="{bottom + 32:.1f}" text-anchor="middle" fill="#666666" '
                        f'font-size="10">{totals[p]:,} papers</text>')
    body.append(f'<line x1="{left:.1f}" y1="{bottom:.1f}" x2="{left + plot_w:.1f}" y2="{bottom:.1f}" '
                'stroke="#333333"/>')
    if all(p.startswith("--") for p in periods):
        body.append(f'<text x="{left:.1f}" y="{bottom + 54:.1f}" fill="#666666" font-size="11">The papers\' '
                    "dates give no year (daily listing pages): the periods are of one unknown year.</text>")
    for j, s in enumerate(chosen):
        colour = PALETTE[j % len(PALETTE)]
        pts = " ".join(f"{x(i):.1f},{y(share(s, p)):.1f}" for i, p in enumerate(periods))
        body.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, p in enumerate(periods):
            body.append(f'<circle cx="{x(i):.1f}" cy="{y(share(s, p)):.1f}" r="2.5" fill="{colour}">'
                        f"<title>{_text(s[0])}, {escape(period_label(p))}: {series[s].get(p, 0)} of "
                        f"{totals[p]} papers ({share(s, p):.1f} %)</title></circle>")
        ly = head + 10 + j * 18
        lx = left + plot_w + 20
        body.append(f'<rect x="{lx:.1f}" y="{ly - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        body.append(f'<text x="{lx + 14:.1f}" y="{ly:.1f}">{_text(s[0])}</text>')
    return _svg(width, height, body, title)


def write_top_methods_chart(G: nx.MultiDiGraph, scores: Mapping[str, float], path: str | Path, top: int = 15, *,
                            measure: str = DEFAULT_MEASURE) -> None:
    """Write `top_methods_svg` of `measure`'s scores to `path` (atomically)."""
    write_svg(top_methods_svg(G, scores, top=top, title=chart_title(measure)), path)


def write_svg(svg: str, path: str | Path) -> None:
    """Write a chart's SVG string to `path` (atomically)."""
    with atomic_open(path) as f:
        f.write(svg)


def write_trends_chart(rows: Iterable, path: str | Path, *, top: int = 8) -> None:
    """Write `trends_svg` of trend_table rows to `path` (atomically)."""
    write_svg(trends_svg(rows, top=top), path)


def write_top_methods_chart_snapshot(snap: Snapshot, scores: dict[str, float], path: str | Path,
                                     top: int = 15, *, measure: str = DEFAULT_MEASURE) -> None:
    """top_methods.svg, byte-identical to kg.export.charts.write_top_methods_chart."""
    write_svg(bars_svg([(node_label(snap, n) or n, s) for n, s in ranking(dict(scores), top)],
                       title=chart_title(measure)), path)
