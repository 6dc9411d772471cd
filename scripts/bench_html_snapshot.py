#!/usr/bin/env python3
"""Benchmark the HTML map of a Snapshot: a synthetic build of N papers, timed render_html_snapshot.

    .venv/bin/python scripts/bench_html_snapshot.py [--papers 100000] [--max-nodes N] [--compare] [--no-pagerank]

The snapshot is made directly as arrays (about 1.25 nodes and 9.4 edges per paper, mentions skewed
towards a few popular entities, a few claims), and PageRank is made up: the caller passes it in a
build. `--compare` also builds snap.to_graph(), times render_html on it and says whether the two pages
are the same bytes; `--no-pagerank` also times the path that computes PageRank itself. Prints numbers,
asserts nothing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from kg.defaults import HTML_MAX_NODES, NODE_KINDS, RELATIONS
from kg.export.html.snapshot import render_html_snapshot
from kg.graph.snapshot import Snapshot

R = "https://w3id.org/paperkg/resource/"
ENTITY_KINDS = ("method", "dataset", "task", "metric")


def synthetic_snapshot(n_papers: int, seed: int = 0) -> Snapshot:
    rng = np.random.default_rng(seed)
    n_ent, n_repo = n_papers // 4, n_papers // 40
    papers = [f"{R}paper/p{i:07d}" for i in range(n_papers)]
    ents = [f"{R}{ENTITY_KINDS[i % 4]}/e{i:07d}" for i in range(n_ent)]
    repos = [f"https://github.com/o{i}/r{i}" for i in range(n_repo)]
    nodes = sorted(papers + ents + repos)
    index = {n: i for i, n in enumerate(nodes)}
    kind_of = {**{p: "paper" for p in papers}, **{e: e[len(R):].split("/")[0] for e in ents},
               **{r: "repo" for r in repos}}
    kind = np.array([NODE_KINDS.index(kind_of[n]) for n in nodes], dtype=np.int8)
    paper_ix = np.array([index[p] for p in papers])
    ent_ix = np.array([index[e] for e in ents])
    repo_ix = np.array([index[r] for r in repos])

    # ~8 mentions per paper, Zipf-like popularity; ~1 in 2 papers proposes one; 1 in 10 links a repo.
    per = rng.poisson(8, n_papers)
    m_src = np.repeat(paper_ix, per)
    popularity = 1 / np.arange(1, n_ent + 1) ** 0.9
    m_dst = ent_ix[rng.choice(n_ent, size=len(m_src), p=popularity / popularity.sum())]
    has_prop = rng.random(n_papers) < 0.5
    pr_src, pr_dst = paper_ix[has_prop], ent_ix[rng.integers(0, n_ent, has_prop.sum())]
    has_code = rng.random(n_papers) < 0.1
    c_src, c_dst = paper_ix[has_code], repo_ix[rng.integers(0, n_repo, has_code.sum())]
    rel_code = {r: i for i, r in enumerate(RELATIONS)}
    src = np.concatenate([m_src, pr_src, pr_src, c_src])
    dst = np.concatenate([m_dst, pr_dst, pr_dst, c_dst])
    rel = np.concatenate([np.full(len(m_src), rel_code["mentions"]), np.full(len(pr_src), rel_code["mentions"]),
                          np.full(len(pr_src), rel_code["proposes"]), np.full(len(c_src), rel_code["hasCode"])])
    # A few thousand claim edges between popular methods and datasets.
    n_claim = n_papers // 10
    methods = ent_ix[0::4][: n_ent // 20]
    datasets = ent_ix[1::4][: n_ent // 20]
    cu, cv = rng.choice(methods, n_claim), rng.choice(datasets, n_claim)
    cp = rng.choice(paper_ix, n_claim)
    src = np.concatenate([src, cu]).astype(np.int64)
    dst = np.concatenate([dst, cv]).astype(np.int64)
    rel = np.concatenate([rel, np.full(n_claim, rel_code["evaluatesOn"])]).astype(np.int64)
    name_rank = np.argsort(np.argsort(np.array(RELATIONS, dtype=object)))  # edges sort by relation name
    n, k = len(nodes), len(RELATIONS)
    key = np.unique((src * n + dst) * k + name_rank[rel])
    src, dst, rel = key // (n * k), key // k % n, np.argsort(name_rank)[key % k]
    claims: dict[tuple[str, str, str], list[dict]] = {}
    for u, v, p in zip(cu.tolist(), cv.tolist(), cp.tolist()):
        claims.setdefault((nodes[u], nodes[v], "evaluatesOn"), []).append(
            {"paper": nodes[p], "evidence": f"{nodes[u]} on {nodes[v]}.", "confidence": 0.5})
    claims = {e: tuple(sorted({c["paper"]: c for c in cs}.values(), key=lambda c: c["paper"]))
              for e, cs in claims.items()}
    attrs = {**{e: {"label": f"Entity {e[-7:]}", "aliases": (), "confidence": 0.9} for e in ents},
             **{r: {"label": r} for r in repos}}
    paper_attrs = {p: {"kind": "paper", "label": f"Paper {i}", "aliases": (), "title": f"Paper {i}", "abstract": "",
                       "url": f"https://arxiv.org/abs/{i}", "date": "2024-01-01", "authors": ("A. Author",),
                       "arxiv_id": None, "id": None, "source": f"t:{i}"} for i, p in enumerate(papers)}
    return Snapshot(nodes, kind, src.astype(np.int32), dst.astype(np.int32), rel.astype(np.int8), attrs, claims,
                    paper_attrs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=100_000)
    ap.add_argument("--max-nodes", type=int, default=HTML_MAX_NODES)
    ap.add_argument("--compare", action="store_true", help="also time render_html(snap.to_graph()) and compare")
    ap.add_argument("--no-pagerank", action="store_true", help="also time the path that computes PageRank itself")
    args = ap.parse_args()

    t0 = time.perf_counter()
    snap = synthetic_snapshot(args.papers)
    print(f"snapshot: {len(snap.nodes):,} nodes, {len(snap.src):,} edges, {len(snap.claims):,} claim edges "
          f"({time.perf_counter() - t0:.1f} s to make)")
    rng = np.random.default_rng(1)
    values = rng.pareto(1.5, len(snap.nodes))
    pagerank = dict(zip(snap.nodes, (values / values.sum()).tolist()))
    scores = {n: pagerank[n] for n in snap.nodes if "/method/" in n}

    times = []
    for _ in range(3):  # the first run also imports pyvis and reads the templates
        t0 = time.perf_counter()
        html, stats = render_html_snapshot(snap, max_nodes=args.max_nodes, scores=scores, pagerank=pagerank)
        times.append(time.perf_counter() - t0)
    print("render_html_snapshot: " + ", ".join(f"{t:.3f}" for t in times) + f" s; {len(html) / 1e6:.2f} MB, "
          f"{stats['nodes_drawn']} nodes and {stats['edges_drawn']} edges drawn")
    if args.no_pagerank:
        t0 = time.perf_counter()
        render_html_snapshot(snap, max_nodes=args.max_nodes, scores=scores)
        print(f"render_html_snapshot, PageRank computed here: {time.perf_counter() - t0:.2f} s")
    if args.compare:
        from kg.export.html.page import render_html

        t0 = time.perf_counter()
        G = snap.to_graph()
        t1 = time.perf_counter()
        expected, _ = render_html(G, max_nodes=args.max_nodes, scores=scores, pagerank=pagerank)
        t2 = time.perf_counter()
        print(f"to_graph: {t1 - t0:.2f} s; render_html: {t2 - t1:.2f} s; same bytes: {expected == html}")


if __name__ == "__main__":
    main()
