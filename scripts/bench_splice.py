#!/usr/bin/env python3
"""Time splicing a few hundred changed subjects into large graph files vs writing them in full; prints numbers.

    .venv/bin/python scripts/bench_splice.py                      # 200,000 synthetic papers
    .venv/bin/python scripts/bench_splice.py --papers 20000 --verify

A benchmark, not a test: it asserts nothing; --verify also writes the changed graph in full and
prints whether each spliced file is byte-identical to it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rdf import synthetic_graph  # noqa: E402

from kg.export.rdf import RDF_FORMATS, owned_blocks, owned_subjects, write_rdf_formats  # noqa: E402
from kg.export.rdf.splice import splice_rdf  # noqa: E402

EXT = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld"}


def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def plan_changes(G, rnd: random.Random, n_papers: int, n_methods: int) -> list:
    """Which papers to retitle and re-author, and which methods get an alias and a new evaluatesOn claim."""
    papers = sorted(n for n, d in G.nodes(data=True) if d.get("kind") == "paper")
    methods = sorted(n for n, d in G.nodes(data=True) if d.get("kind") == "method")
    datasets = sorted(n for n, d in G.nodes(data=True) if d.get("kind") == "dataset")
    plan = [(p, None, None) for p in rnd.sample(papers, n_papers)]
    plan += [(m, rnd.choice(datasets), rnd.choice(papers)) for m in rnd.sample(methods, n_methods)]
    return plan


def apply_changes(G, plan: list) -> None:
    for n, ds, paper in plan:
        d = G.nodes[n]
        if ds is None:
            d["title"] += " (revised)"
            d["authors"] += ("C. Author",)
            continue
        d["aliases"] = tuple(sorted(d["aliases"] + ("alias-" + n[-6:],)))
        old = G.get_edge_data(n, ds, "evaluatesOn")
        claim = {"paper": paper, "evidence": "A new sentence.", "confidence": 0.6}
        G.add_edge(n, ds, key="evaluatesOn", rel="evaluatesOn", claims=(old["claims"] if old else ()) + (claim,))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--papers", type=int, default=200_000, help="synthetic papers in the graph")
    ap.add_argument("--changed-papers", type=int, default=100)
    ap.add_argument("--changed-methods", type=int, default=60)
    ap.add_argument("--dir", help="where to write the files (default: a new temp folder)")
    ap.add_argument("--verify", action="store_true", help="also write the changed graph in full and compare")
    a = ap.parse_args()
    folder = Path(a.dir or tempfile.mkdtemp(prefix="bench_splice_"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = {fmt: folder / f"graph.{EXT[fmt]}" for fmt in RDF_FORMATS}

    G, t = timed(lambda: synthetic_graph(a.papers))
    print(f"synthetic graph, {a.papers} papers: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges ({t:.1f} s)")
    n, t = timed(lambda: write_rdf_formats(G, paths))
    sizes = "  ".join(f"{fmt} {paths[fmt].stat().st_size / 1e6:.0f} MB" for fmt in RDF_FORMATS)
    print(f"full write, 3 formats: {n} triples, {sizes} ({t:.1f} s)")

    plan = plan_changes(G, random.Random(0), a.changed_papers, a.changed_methods)
    owners = {n for n, _, _ in plan}
    # The old owned subjects are named before the change, as an update names them from the previous graph.
    delete, t_old = timed(lambda: owned_subjects(G, owners))
    apply_changes(G, plan)
    print(f"\nchanged owners: {len(owners)}; old subjects to delete: {len(delete)} ({t_old:.3f} s)")

    print("\nformat      new subjects  owned_blocks s  splice s  copy-only s  triple delta")
    for fmt in RDF_FORMATS:
        blocks, t_blocks = timed(owned_blocks, G, owners, fmt)
        _, t_copy = timed(shutil.copyfile, paths[fmt], folder / "copy.tmp")
        delta, t_splice = timed(splice_rdf, paths[fmt], fmt, delete, blocks)
        print(f"{fmt:<10} {len(blocks):>13} {t_blocks:>15.3f} {t_splice:>9.3f} {t_copy:>12.3f} {delta:>13}")
    (folder / "copy.tmp").unlink()

    if a.verify:
        ref = {fmt: folder / f"ref.{EXT[fmt]}" for fmt in RDF_FORMATS}
        n2, t = timed(lambda: write_rdf_formats(G, ref))
        print(f"\nfull write of the changed graph: {n2} triples ({t:.1f} s)")
        for fmt in RDF_FORMATS:
            same = paths[fmt].read_bytes() == ref[fmt].read_bytes()
            print(f"  {fmt:<10} spliced file identical to full write: {same}")
    if not a.dir:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
