#!/usr/bin/env python3
"""Benchmark the HTML map: render it from a built graph, then time its load, search and drawing in a browser.

    .venv/bin/python scripts/bench_html.py GRAPH.ttl [--max-nodes 300 1000] [--runs 3] [--out DIR]

For each --max-nodes, prints the render time and size, then (headless Chromium, offline, file://)
the load time from open to the first drawing (whose parts kgMap.timings gives), the time of a few
searches over every node, and the time of one full redraw of the drawn view (a frame: what a pan
or zoom costs) after the page settled. Prints numbers, asserts nothing; the browser part is
skipped when chromium, chromedriver or selenium are missing. Make a graph to measure with e.g.

    .venv/bin/python scripts/make_corpus.py 10000 /tmp/c.jsonl --distinct
    .venv/bin/kg build /tmp/c.jsonl --out /tmp/out
    .venv/bin/python scripts/bench_html.py /tmp/out/graph.ttl --max-nodes 300 1000
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kg.analyze.centrality import method_centrality
from kg.export.html.page import render_html_snapshot
from kg.export.rdf import read_graph
from kg.graph.snapshot import Snapshot

QUERIES = ("lora", "imagenet", "BLUE", "Rangr", "attention is all")
FRAMES = 20


def browser_numbers(path: Path, runs: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from screenshot_html import load, open_driver

    driver = open_driver()
    try:
        times = [load(driver, path) for _ in range(runs + 1)][1:]  # the first load warms the browser up
        t = driver.execute_script("return window.kgMap.timings")
        print(f"  load (open -> first drawing, warm): {', '.join(f'{x:.2f}' for x in times)} s; last one: script "
              f"starts {t['start']:.0f} ms, data parsed +{t['parsed'] - t['start']:.0f}, indexed +{t['indexed'] - t['parsed']:.0f}, "
              f"overview listed +{t['overview'] - t['indexed']:.0f}, network made +{t['network'] - t['overview']:.0f}, "
              f"first drawing at {t['drawn']:.0f} ms")
        ms = driver.execute_script(
            "const m = window.kgMap; m.search('warm up'); return arguments[0].map(q => {"
            "const t = performance.now(); const n = m.search(q).length; return [q, performance.now() - t, n]; });",
            list(QUERIES))
        print("  search over all nodes: " + ", ".join(f"{q!r} {t:.0f} ms ({n} hits)" for q, t, n in ms))
        frames = driver.execute_script(
            "const m = window.kgMap, out = []; for (let i = 0; i < arguments[0]; i++) {"
            "m.network.moveTo({scale: m.network.getScale() * (i % 2 ? 1.1 : 1 / 1.1), animation: false});"
            "const t = performance.now(); m.network.redraw(); out.push(performance.now() - t); } return out;", FRAMES)
        drawn = driver.execute_script("return [window.kgMap.nodes.length, window.kgMap.edges.length]")
        print(f"  frame (zoom step + full redraw, {drawn[0]} nodes, {drawn[1]} edges drawn): median "
              f"{statistics.median(frames):.1f} ms, max {max(frames):.1f} ms over {FRAMES}")
    finally:
        driver.quit()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph", type=Path, help="a graph.ttl (or .nt, .jsonld) written by kg build")
    ap.add_argument("--max-nodes", type=int, nargs="+", default=[300, 1000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None, help="folder for the pages (default: a temp folder)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    G = read_graph(args.graph)
    snap = Snapshot.from_graph(G)
    scores = method_centrality(G, measure="pagerank", on="full")
    print(f"graph: {len(snap.nodes)} nodes, {len(snap.src)} edges ({time.perf_counter() - t0:.1f} s to read)")
    out = args.out or Path(tempfile.mkdtemp(prefix="kg-bench-html-"))
    browser = shutil.which("chromium") and shutil.which("chromedriver") and importlib.util.find_spec("selenium")
    for max_nodes in args.max_nodes:
        t0 = time.perf_counter()
        html, stats = render_html_snapshot(snap, max_nodes=max_nodes, scores=scores)
        path = out / f"graph-{max_nodes}.html"
        path.write_text(html, encoding="utf-8")
        print(f"--max-nodes {max_nodes}: rendered in {time.perf_counter() - t0:.2f} s, {len(html.encode()) / 1e6:.2f} MB, "
              f"{stats['nodes_drawn']} nodes and {stats['edges_drawn']} edges drawn of {stats['nodes_total']} and "
              f"{stats['edges_total']}")
        if browser:
            browser_numbers(path, args.runs)
        else:
            print("  browser: skipped (needs chromium, chromedriver and selenium)")


if __name__ == "__main__":
    main()
