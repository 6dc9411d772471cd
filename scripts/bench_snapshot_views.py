"""Time the build's views from a Snapshot (kg.analyze.snapshot_views) on a synthetic 100k-paper snapshot; prints numbers.

Run: .venv/bin/python scripts/bench_snapshot_views.py [--papers 100000 --entities 25000 --mentions 10 --graph]

The snapshot is made directly as arrays, shaped like a large build: Zipf-popular entities
(methods, datasets, tasks, metrics), about `--mentions` mentions per paper, some proposals, code
repos and claim edges, papers dated over two years (a few yearless or undated). With --graph it
also times the same views on `snap.to_graph()` through networkx, for comparison.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

import kg.pipeline.build  # noqa: F401  (imported by any build already; kept out of the first timing)
from kg.analyze.snapshot_views import (
    snapshot_method_scores,
    snapshot_pagerank,
    snapshot_summary_counts,
    trend_table_snapshot,
)
from kg.defaults import NODE_KINDS, RELATIONS, RESOURCE_BASE
from kg.export.centrality import write_centrality_csv_snapshot
from kg.export.charts import write_top_methods_chart_snapshot, write_trends_chart
from kg.graph.snapshot import KIND_CODE, REL_CODE, Snapshot

ENTITY_KINDS = (("method", 0.8), ("dataset", 0.1), ("task", 0.07), ("metric", 0.03))


def synthetic(papers: int, entities: int, mentions: float, seed: int = 0) -> Snapshot:
    rng = np.random.default_rng(seed)
    repos = papers // 50
    names = [f"{RESOURCE_BASE}paper/synth-{i:07d}" for i in range(papers)]
    kinds = ["paper"] * papers
    ent_kind = rng.choice([k for k, _ in ENTITY_KINDS], size=entities, p=[p for _, p in ENTITY_KINDS])
    names += [f"{RESOURCE_BASE}{k}/e{i:06d}" for i, k in enumerate(ent_kind)]
    kinds += ent_kind.tolist()
    names += [f"https://github.com/synth/r{i:05d}" for i in range(repos)]
    kinds += ["repo"] * repos
    order = np.argsort(np.array(names, dtype=object), kind="stable")
    nodes = [names[i] for i in order]
    where = np.empty(len(names), dtype=np.int64)
    where[order] = np.arange(len(names))  # generated position -> sorted index
    kind = np.array([KIND_CODE[kinds[i]] for i in order], dtype=np.int8)

    # Mentions: Zipf-popular entities, deduplicated per paper; some proposed; some papers link a repo.
    m = int(papers * mentions)
    p_of = rng.integers(0, papers, size=m)
    e_of = papers + np.minimum(rng.zipf(1.3, size=m) - 1, entities - 1)
    pe = np.unique(np.stack([p_of, e_of], axis=1), axis=0)
    prop = pe[rng.random(len(pe)) < 0.1]
    code = np.stack([np.arange(papers), papers + entities + rng.integers(0, repos, size=papers)], axis=1)
    code = code[rng.random(papers) < 0.2]
    # Claims between entities (method -> entity), each supported by one paper.
    c = entities // 2
    cu = papers + rng.integers(0, entities, size=c)
    cv = papers + rng.integers(0, entities, size=c)
    keep = cu != cv
    cu, cv = cu[keep], cv[keep]
    crel = np.where(rng.random(len(cu)) < 0.5, REL_CODE["evaluatesOn"], REL_CODE["improvesOver"])
    src = np.concatenate([pe[:, 0], prop[:, 0], code[:, 0], cu])
    dst = np.concatenate([pe[:, 1], prop[:, 1], code[:, 1], cv])
    rel = np.concatenate([np.full(len(pe), REL_CODE["mentions"]), np.full(len(prop), REL_CODE["proposes"]),
                          np.full(len(code), REL_CODE["hasCode"]), crel]).astype(np.int8)
    src, dst = where[src].astype(np.int32), where[dst].astype(np.int32)
    key = np.unique(np.stack([src, dst, rel], axis=1), axis=0)  # one edge per (src, dst, rel)
    rel_rank = np.argsort(np.argsort(np.array(RELATIONS, dtype=object))).astype(np.int8)
    key = key[np.lexsort((rel_rank[key[:, 2]], key[:, 1], key[:, 0]))]
    src, dst, rel = key[:, 0].astype(np.int32), key[:, 1].astype(np.int32), key[:, 2].astype(np.int8)

    attrs = {n: {"label": f"Label {n.rsplit('/', 1)[1]}", "aliases": (), "confidence": 0.5}
             for n, k in zip(nodes, kind.tolist()) if NODE_KINDS[k] not in ("paper", "repo")}
    attrs.update({n: {"label": n} for n, k in zip(nodes, kind.tolist()) if NODE_KINDS[k] == "repo"})
    claims = {}
    for s, t, r in zip(src.tolist(), dst.tolist(), rel.tolist()):
        if RELATIONS[r] in ("evaluatesOn", "improvesOver"):
            claims[(nodes[s], nodes[t], RELATIONS[r])] = ({"paper": nodes[0], "evidence": "x", "confidence": 0.5},)
    days = rng.integers(0, 730, size=papers)
    dates = (np.datetime64("2023-01-01") + days).astype(str).tolist()
    roll = rng.random(papers)
    papers_attrs = {}
    paper_iris = [n for n, k in zip(nodes, kind.tolist()) if k == KIND_CODE["paper"]]
    for i, n in enumerate(paper_iris):
        date = None if roll[i] < 0.05 else ("--" + dates[i][5:] if roll[i] < 0.07 else dates[i])
        papers_attrs[n] = {"kind": "paper", "label": f"Title {i}", "aliases": (), "title": f"Title {i}",
                           "abstract": "", "url": None, "date": date, "authors": (), "arxiv_id": None,
                           "id": str(i), "source": "synth"}
    return Snapshot(nodes, kind, src, dst, rel, attrs, claims, papers_attrs)


def timed(label: str, fn, *args, **kw):
    """Run fn; print wall and CPU seconds (CPU is steadier on a shared machine)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kw)
    print(f"{label:34} {time.perf_counter() - t:8.3f} s wall {time.process_time() - c:8.3f} s cpu")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--papers", type=int, default=100_000)
    ap.add_argument("--entities", type=int, default=25_000)
    ap.add_argument("--mentions", type=float, default=10.0)
    ap.add_argument("--graph", action="store_true", help="also time the networkx views on snap.to_graph()")
    args = ap.parse_args()
    snap = timed("make synthetic snapshot", synthetic, args.papers, args.entities, args.mentions)
    print(f"snapshot: {len(snap.nodes)} nodes, {len(snap.src)} edges, "
          f"{sum(k == 'method' for k in (NODE_KINDS[i] for i in snap.kind.tolist()))} methods")
    t0, c0 = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        pr = timed("snapshot_pagerank", snapshot_pagerank, snap)
        scores = timed("snapshot_method_scores (support)", snapshot_method_scores, snap)
        timed("write_centrality_csv_snapshot", write_centrality_csv_snapshot, snap, out / "c.csv", scores)
        rows = timed("trend_table_snapshot (month)", trend_table_snapshot, snap, period="month")
        timed("write_trends_chart", write_trends_chart, rows, out / "t.svg")
        timed("write_top_methods_chart_snapshot", write_top_methods_chart_snapshot, snap, scores, out / "m.svg")
        timed("snapshot_summary_counts", snapshot_summary_counts, snap)
        print(f"{'all views':34} {time.perf_counter() - t0:8.3f} s wall {time.process_time() - c0:8.3f} s cpu"
              f"  ({len(rows)} trend rows)")
        if args.graph:
            from kg.analyze.centrality import centrality, method_centrality, project
            from kg.analyze.trends import trend_table
            from kg.export.centrality import write_centrality_csv

            G = timed("snap.to_graph()", snap.to_graph)
            t1, c1 = time.perf_counter(), time.process_time()
            gpr = timed("networkx: project + centrality", lambda: centrality(project(G, "full"), measure="pagerank"))
            gscores = timed("networkx: method_centrality (support)", method_centrality, G)
            timed("networkx: write_centrality_csv", write_centrality_csv, G, out / "g.csv", gscores)
            grows = timed("networkx: trend_table (month)", trend_table, G, period="month")
            print(f"{'networkx views':34} {time.perf_counter() - t1:8.3f} s wall {time.process_time() - c1:8.3f} s cpu")
            same_csv = (out / "g.csv").read_bytes() == (out / "c.csv").read_bytes()
            print(f"same pagerank: {gpr == pr}, same support scores: {gscores == scores}, same csv: {same_csv}, "
                  f"same trend rows: {grows == rows}")


if __name__ == "__main__":
    main()
