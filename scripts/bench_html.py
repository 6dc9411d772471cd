#!/usr/bin/env python3
"""Benchmark the HTML map: build the graph of a corpus, then time write_html and the page's load.

    .venv/bin/python scripts/bench_html.py [CORPUS ...] [--max-nodes N] [--out DIR]

With no corpus it uses the bundled sample. Prints numbers, asserts nothing. The load time (open from
file:// until vis-network has drawn once, offline, headless Chromium) is skipped when chromium,
chromedriver or selenium are missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
import time
from pathlib import Path

from kg.defaults import HTML_MAX_NODES, SAMPLE_CORPUS_DIR
from kg.export.html.page import write_html
from kg.extract import extract_all
from kg.extract.pipeline import build_nlp
from kg.graph.assemble import build_graph
from kg.ingest.papers import read_papers
from kg.resolve import resolve


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="*", default=[str(SAMPLE_CORPUS_DIR)])
    ap.add_argument("--max-nodes", type=int, default=HTML_MAX_NODES)
    ap.add_argument("--out", type=Path, default=None, help="folder for graph.html (default: a temp folder)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    ingested = read_papers(args.corpus, fmt="auto")
    extractions = list(extract_all(ingested.papers, build_nlp()))
    G = build_graph(ingested.papers, extractions, resolve(extractions))
    print(f"graph: {len(ingested.papers)} papers, {len(G)} nodes, {G.number_of_edges()} edges "
          f"({time.perf_counter() - t0:.1f} s to build)")

    out = args.out or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    path = out / "graph.html"
    t0 = time.perf_counter()
    stats = write_html(G, path, max_nodes=args.max_nodes)
    print(f"write_html: {time.perf_counter() - t0:.2f} s, {stats.bytes / 1e6:.2f} MB, {stats.nodes_drawn} nodes drawn "
          f"({stats.nodes_hidden} hidden), {stats.edges_drawn} edges drawn")

    if not (shutil.which("chromium") and shutil.which("chromedriver") and importlib.util.find_spec("selenium")):
        print("browser load: skipped (needs chromium, chromedriver and selenium)")
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from screenshot_html import load, open_driver

    driver = open_driver()
    try:
        times = [load(driver, path) for _ in range(3)]  # the first load also warms the browser up
    finally:
        driver.quit()
    print("browser load (open -> first drawing): " + ", ".join(f"{t:.2f}" for t in times) + " s")


if __name__ == "__main__":
    main()
