"""Time exact betweenness and closeness on a 10k-node graph, networkx vs the fast engine; prints numbers.

Run: .venv/bin/python scripts/bench_centrality.py [--nodes 10000 --edges 40000 --engines networkx,rustworkx]
"""

from __future__ import annotations

import argparse
import time

import networkx as nx

from kg.analyze.centrality import method_centrality, project
from kg.analyze.engines import engine_available


def random_kg(n: int, m: int, seed: int) -> nx.MultiDiGraph:
    """n methods, m improvesOver edges of a seeded G(n, m) graph."""
    R = nx.gnm_random_graph(n, m, seed=seed)
    G = nx.MultiDiGraph()
    G.add_nodes_from((f"m{i}" for i in R), kind="method")
    G.add_edges_from((f"m{u}", f"m{v}", "improvesOver", {"claims": ({},)}) for u, v in R.edges())
    return G


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--nodes", type=int, default=10_000)
    ap.add_argument("--edges", type=int, default=40_000)
    ap.add_argument("--measures", default="betweenness,closeness")
    ap.add_argument("--engines", default="networkx,rustworkx")
    args = ap.parse_args()
    G = random_kg(args.nodes, args.edges, seed=1)
    H = project(G, "full")
    print(f"graph: {H.number_of_nodes()} nodes, {H.number_of_edges()} edges (projection 'full')")
    results = {}
    for measure in args.measures.split(","):
        for engine in args.engines.split(","):
            if not engine_available(engine):
                print(f"{measure:12} {engine:10} not installed")
                continue
            t0, c0 = time.perf_counter(), time.process_time()
            results[measure, engine] = method_centrality(G, measure=measure, on="full", engine=engine)
            # CPU time counts every thread (rustworkx runs in parallel); wall time is what you wait.
            print(f"{measure:12} {engine:10} wall {time.perf_counter() - t0:8.2f} s  "
                  f"cpu {time.process_time() - c0:8.2f} s", flush=True)
        runs = [results[k] for k in results if k[0] == measure]
        if len(runs) == 2:
            a, b = runs
            print(f"{measure:12} max |difference| {max(abs(a[n] - b[n]) for n in a):.1e}")


if __name__ == "__main__":
    main()
