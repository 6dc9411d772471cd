#!/usr/bin/env python3
"""Time RDF writing, loading and three saved queries with pyoxigraph vs rdflib; prints numbers.

    python3 scripts/make_corpus.py 10000 c10k.jsonl --distinct
    kg build c10k.jsonl --out o10k
    .venv/bin/python scripts/bench_rdf.py o10k/graph.ttl
    .venv/bin/python scripts/bench_rdf.py --synthetic 50000      # no extraction: a generated graph

A benchmark, not a test: it asserts nothing about time, but checks that both engines agree.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402

from kg.export.rdf import read_graph, write_rdf  # noqa: E402
from kg.sparql.query import load_graph, resolve_query_arg, run_query  # noqa: E402

R = "https://w3id.org/paperkg/resource/"


def synthetic_graph(n_papers: int, seed: int = 0) -> nx.MultiDiGraph:
    """A graph shaped like a build's: Zipf-ish entity reuse, claims with evidence, some repos."""
    rnd = random.Random(seed)
    G = nx.MultiDiGraph()
    kinds = {"method": n_papers // 2, "dataset": n_papers // 20 + 1, "task": n_papers // 10 + 1, "metric": 50}
    ents = {k: [f"{R}{k}/{k}{i}" for i in range(n)] for k, n in kinds.items()}
    papers_of: dict[str, set] = {}
    edges: dict = {}

    def pick(kind):
        pool = ents[kind]
        return pool[min(int(rnd.paretovariate(1.2)) - 1, len(pool) - 1)] if rnd.random() < 0.7 else rnd.choice(pool)

    for i in range(n_papers):
        p = f"{R}paper/{i:08x}"
        G.add_node(p, kind="paper", label=f"Paper {i}", aliases=(), title=f"Paper {i}: a \"study\"",
                   abstract="We propose a method. " * 8, url=f"https://arxiv.org/abs/{i}", date="2024-01-02",
                   authors=("A. Author", "B. Author"), arxiv_id=str(i), id=str(i), source=f"bench:{i}")
        mentioned = {pick("method") for _ in range(4)} | {pick("dataset"), pick("task"), pick("metric")}
        for e in mentioned:
            papers_of.setdefault(e, set()).add(p)
            edges[(p, e, "mentions")] = ()
        ms = sorted(e for e in mentioned if "/method/" in e)
        edges[(p, ms[0], "proposes")] = ()
        ds = [e for e in mentioned if "/dataset/" in e]
        for m in ms[:2]:
            claim = {"paper": p, "evidence": "We evaluate it.", "confidence": 0.8}
            edges.setdefault((m, ds[0], "evaluatesOn"), []).append(claim)
        if len(ms) > 1:
            claim = {"paper": p, "evidence": "It wins.", "confidence": 0.7}
            edges.setdefault((ms[0], ms[1], "improvesOver"), []).append(claim)
        if i % 10 == 0:
            repo = f"https://github.com/org{i}/repo"
            G.add_node(repo, kind="repo", label=repo, aliases=(), papers=(p,))
            edges[(p, repo, "hasCode")] = ()
    for e, ps in papers_of.items():
        G.add_node(e, kind=e.split("/")[-2], label=e.rsplit("/", 1)[1], aliases=(e.rsplit("/", 1)[1].upper(),),
                   papers=tuple(sorted(ps)), confidence=0.9)
    for (u, v, rel), claims in edges.items():
        attrs = {"rel": rel}
        if claims:
            attrs["claims"] = tuple(claims)
        G.add_edge(u, v, key=rel, **attrs)
    return G


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("graph", nargs="?", help="a graph.ttl written by kg build")
    ap.add_argument("--synthetic", type=int, metavar="N", help="generate a graph of N papers instead")
    ap.add_argument("--rdflib-serializer", action="store_true", help="also time rdflib's own Turtle serializer")
    ap.add_argument("--engines", default="oxigraph,rdflib", help="comma-separated query engines to time")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_rdf_"))

    if a.synthetic:
        G, t = timed(lambda: synthetic_graph(a.synthetic))
        print(f"synthetic graph, {a.synthetic} papers: {G.number_of_nodes()} nodes, "
              f"{G.number_of_edges()} edges ({t:.1f} s)")
    else:
        G, t = timed(lambda: read_graph(a.graph))
        print(f"read_graph {a.graph}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges ({t:.2f} s)")

    print("\nwrite_rdf                 triples      MB  seconds")
    for fmt, ext in (("turtle", "ttl"), ("ntriples", "nt"), ("jsonld", "jsonld")):
        n, t = timed(lambda: write_rdf(G, tmp / f"g.{ext}", fmt=fmt))
        print(f"  {fmt:<22} {n:>9}  {(tmp / f'g.{ext}').stat().st_size / 1e6:>6.1f}  {t:>7.2f}")
    path = tmp / "g.ttl"

    _, t = timed(lambda: read_graph(path))
    print(f"  read_graph back (pyoxigraph parse)         {t:>7.2f}")
    if a.rdflib_serializer:
        g = load_graph(path, engine="rdflib")
        _, t = timed(lambda: g.serialize(tmp / "rdflib.ttl", format="turtle"))
        print(f"  rdflib Turtle serializer (for reference)   {t:>7.2f}")

    dataset = run_query(load_graph(path), "SELECT ?l WHERE { ?m kg:evaluatesOn ?d . ?d rdfs:label ?l } "
                                          "GROUP BY ?l ORDER BY DESC(COUNT(?m)) ?l LIMIT 1").rows[0][0].value
    queries = [("methods-on-dataset", {"dataset": dataset}), ("improvement-chains", {}), ("datasets-by-methods", {})]
    print("\nengine      load s   " + "  ".join(f"{q:>20}" for q, _ in queries) + "   (seconds; rows)")
    answers = {}
    engines = a.engines.split(",")
    for engine in engines:
        store, t_load = timed(lambda: load_graph(path, engine=engine))
        cells, answers[engine] = [], []
        for q, b in queries:
            res, t = timed(lambda: run_query(store, resolve_query_arg(q), bindings=b))
            answers[engine].append(sorted(res.rows, key=repr))
            cells.append(f"{t:>11.3f} ({len(res.rows):>6})")
        print(f"{engine:<10} {t_load:>7.2f}   " + "  ".join(f"{c:>20}" for c in cells), flush=True)
    if len(answers) == 2:
        print("\nengines agree:", answers["oxigraph"] == answers["rdflib"])


if __name__ == "__main__":
    main()
