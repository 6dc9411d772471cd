"""The SVG charts parse as XML, show what they should, escape paper text and are byte-stable."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx

from kg.analyze.centrality import method_centrality
from kg.analyze.trends import TrendRow, trend_table
from kg.export.charts import top_methods_svg, trends_svg, write_top_methods_chart, write_trends_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def methods(n: int) -> tuple[nx.MultiDiGraph, dict[str, float]]:
    G = nx.MultiDiGraph()
    for i in range(n):
        G.add_node(f"m{i:02d}", kind="method", label=f"Method {i}")
    return G, {f"m{i:02d}": float(i) for i in range(n)}


def test_top_methods_bars_are_sorted_and_capped():
    G, scores = methods(20)
    root = parse(top_methods_svg(G, scores, top=5))
    bars = root.findall(f"{SVG}rect")[1:]  # the first rect is the background
    labels = [t.text for t in root.findall(f"{SVG}text")][1::2]  # title, then label/value pairs
    assert len(bars) == 5 and labels[0] == "Method 19"
    widths = [float(b.get("width")) for b in bars]
    assert widths == sorted(widths, reverse=True) and widths[0] == 360.0


def test_labels_from_papers_are_escaped_and_shortened():
    G = nx.MultiDiGraph()
    G.add_node("m", kind="method", label="<script>alert(1)</script>" + "x" * 60)
    svg = top_methods_svg(G, {"m": 1.0})
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert parse(svg).findall(f"{SVG}text")[1].text.endswith("…")


def test_empty_inputs_still_give_a_valid_svg():
    assert "no methods" in top_methods_svg(nx.MultiDiGraph(), {})
    assert "no dated papers" in trends_svg([])
    parse(trends_svg([]))


def test_trends_chart_draws_the_top_series():
    papers = {"2024-01": 10, "2024-02": 20, "2024-03": 30}
    rows = [TrendRow(p, "method", lab, c, lab, papers[p]) for p, lab, c in
            [("2024-01", "A", 1), ("2024-02", "A", 3), ("2024-02", "B", 1), ("2024-03", "C", 9)]]
    root = parse(trends_svg(rows, top=2))
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2  # C (9) and A (4); B is left out
    assert len(lines[0].get("points").split()) == 3  # one point per period, 0 where unmentioned


def points(line) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in line.get("points").split()]


def test_trends_chart_plots_shares_not_counts():
    # March has twice February's papers: A's count doubles but its share stays 10 %, so its line is
    # flat; B's count stays 2 while its share halves, so its line falls.
    rows = [TrendRow("2024-02", "method", "A", 2, "a", 20), TrendRow("2024-02", "method", "B", 2, "b", 20),
            TrendRow("2024-03", "method", "A", 4, "a", 40), TrendRow("2024-03", "method", "B", 2, "b", 40)]
    root = parse(trends_svg(rows))
    a, b = (points(line) for line in root.findall(f"{SVG}polyline"))
    assert a[0][1] == a[1][1] and b[1][1] > b[0][1]  # SVG y grows downwards
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "% of the period's papers" in texts and "10 %" in texts and "40 papers" in texts
    assert "A, 2024-03: 4 of 40 papers (10.0 %)" in [t.text for t in root.iter(f"{SVG}title")]


def test_trends_chart_labels_yearless_periods_and_says_so():
    rows = [TrendRow("--03", "method", "A", 1, "a", 2), TrendRow("--05", "method", "A", 1, "a", 4)]
    texts = [t.text for t in parse(trends_svg(rows)).iter(f"{SVG}text")]
    assert "Mar" in texts and "May" in texts and not any(t.startswith("--") for t in texts)
    assert any("give no year" in t for t in texts)


def test_top_methods_chart_names_its_measure():
    G, scores = methods(3)
    assert parse(top_methods_svg(G, scores)).find(f"{SVG}title").text == (
        "Top methods by support PageRank (papers and claims)")


def test_files_are_byte_stable(tiny_graph, tmp_path):
    scores = method_centrality(tiny_graph)
    rows = trend_table(tiny_graph, period="day")
    for d in ("a", "b"):
        write_top_methods_chart(tiny_graph, scores, tmp_path / d / "top.svg")
        write_trends_chart(rows, tmp_path / d / "trends.svg")
    for name in ("top.svg", "trends.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        parse((tmp_path / "a" / name).read_text())
