#!/usr/bin/env python3
"""Time the HTML map's layout of a built graph: what `kg html --max-nodes N` spends placing nodes.

    .venv/bin/python scripts/bench_layout.py GRAPH.ttl [--max-nodes 10000] [--runs 2] [--networkx]

Reads the graph, picks the nodes the map would draw (as `kg html` does), then times
kg.export.html.layout.layout on them `--runs` times and says whether the runs gave the same
positions. `--networkx` also times the old way (networkx's spring layout on every component;
minutes for 10,000 nodes). Prints numbers, asserts nothing. To make a large graph, build 30,000
synthetic papers (`scripts/make_corpus.py 30000 c.jsonl --distinct`):

    .venv/bin/kg build c.jsonl --out o30k
    .venv/bin/python scripts/bench_layout.py o30k/graph.ttl --max-nodes 10000
"""

from __future__ import annotations

import argparse
import time
from unittest import mock

import networkx as nx

from kg.export.html import layout as html_layout
from kg.export.html.page import _centrality as page_centrality
from kg.export.rdf import read_graph
from kg.graph.snapshot import Snapshot


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph")
    ap.add_argument("--max-nodes", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--networkx", action="store_true", help="also time networkx's spring layout (slow)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    G = read_graph(args.graph)
    snap = Snapshot.from_graph(G)
    cent = page_centrality(snap, None, None)  # what the map ranks by: PageRank over the whole graph
    drawn = [snap.nodes[i] for i in html_layout.select_overview(snap.kind, cent, args.max_nodes).tolist()]
    H = nx.Graph(G.subgraph(drawn))
    comps = sorted((len(c) for c in nx.connected_components(H)), reverse=True)
    print(f"graph: {len(G):,} nodes; drawn {len(drawn):,} in {len(comps):,} components "
          f"(largest {comps[0]:,}); {time.perf_counter() - t0:.1f} s to read and select")

    results = []
    for run in range(args.runs):
        t0 = time.perf_counter()
        results.append(html_layout.layout(G, drawn))
        print(f"layout run {run + 1}: {time.perf_counter() - t0:.2f} s")
    print(f"runs give the same positions: {all(r == results[0] for r in results)}")

    if args.networkx:
        with mock.patch.object(html_layout, "LARGE_COMPONENT", float("inf")):
            t0 = time.perf_counter()
            html_layout.layout(G, drawn)
            print(f"networkx spring layout (before): {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
