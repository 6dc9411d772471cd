#!/usr/bin/env python3
"""Time `kg build` stage by stage on a generated or given corpus, against spaCy's bare tokenizer; prints numbers.

    .venv/bin/python scripts/bench.py 10000                 # --jobs 2, Turtle + N-Triples, cache on
    .venv/bin/python scripts/bench.py 100000 --update 100   # then add 100 new papers with --update
    .venv/bin/python scripts/bench.py 2000 --distributed local --jobs 2
    .venv/bin/python scripts/bench.py 20000 --from-dev       # real abstracts: the dev sets' papers repeated
    .venv/bin/python scripts/bench.py 0 --corpus papers.jsonl

The corpus comes from scripts/make_corpus.py in this repository: synthetic abstracts (with
--distinct, every title numbered) or, with --from-dev, the 268 labelled papers of the two shipped
development sets repeated with numbered titles; --corpus FILE.jsonl reads a real one instead (N is
then ignored: every record of the file is read and counted). For each stage
(ingest, extract, resolve, graph, RDF, HTML, centrality) it prints seconds, input records/s and the
peak RSS of this process and of this process plus its workers during the stage. In a separate
process, before and after the build, it times `spacy.blank("en").pipe` over the same texts (the
first --tokenizer-sample of them); the ratio of end-to-end records/s
to tokenizer texts/s is the figure to track (it cancels out how fast and how busy the machine is).

A benchmark, not a test: it asserts nothing about time. --verify checks that the --update
result is byte-identical to a full rebuild.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MAKE_CORPUS = Path(__file__).resolve().parent / "make_corpus.py"
STAGES = ("ingest", "extract", "resolve", "graph", "rdf", "html", "centrality", "cache")
COMPARED = ("graph.ttl", "graph.nt", "centrality.csv", "graph.html")
MiB = 1024 * 1024


class RssSampler:
    """Peak RSS between two calls of lap(): this process, and this process plus its children."""

    def __init__(self, interval: float = 0.05) -> None:
        try:
            import psutil
        except ImportError:  # without psutil only the process's lifetime peak (ru_maxrss) is known
            psutil = None
        self._proc = psutil.Process() if psutil else None
        self._interval = interval
        self._lock = threading.Lock()
        self._self = self._all = 0
        self._stop = threading.Event()
        if self._proc is not None:
            threading.Thread(target=self._run, daemon=True).start()

    def _sample(self) -> None:
        try:
            own = self._proc.memory_info().rss
            kids = sum(c.memory_info().rss for c in self._proc.children(recursive=True))
        except Exception:  # a worker ended between listing and reading it
            return
        with self._lock:
            self._self, self._all = max(self._self, own), max(self._all, own + kids)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample()

    def lap(self) -> tuple[int, int]:
        """(peak self, peak self+children) in bytes since the previous lap."""
        if self._proc is None:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            return peak, peak + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        self._sample()
        with self._lock:
            out = (self._self, self._all)
            self._self = self._all = 0
        return out

    def stop(self) -> None:
        self._stop.set()


def texts_of(corpus: Path, limit: int | None) -> list[str]:
    """Title and abstract of each record, joined as the extractor joins them."""
    from kg.extract.components import TITLE_SEPARATOR

    out = []
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            out.append(f"{rec['title']}{TITLE_SEPARATOR}{rec['abstract']}")
            if limit and len(out) >= limit:
                break
    return out


def tokenizer_rate(corpus: Path, limit: int | None) -> tuple[int, float]:
    """(texts, seconds) for spacy.blank("en").pipe over the corpus: run in a child process so
    its memory does not count against the build."""
    code = ("import sys, json; sys.path.insert(0, %r); import bench; "
            "print(json.dumps(bench._tokenize(%r, %r)))" % (str(Path(__file__).parent), str(corpus), limit))
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    n, seconds = json.loads(res.stdout.strip().splitlines()[-1])
    return n, seconds


def _tokenize(corpus: str, limit: int | None) -> tuple[int, float]:
    import spacy

    texts = texts_of(Path(corpus), limit)
    nlp = spacy.blank("en")
    for _ in nlp.pipe(texts[:200]):  # warm the tokenizer's cache as the build's warms its own
        pass
    t0 = time.perf_counter()
    n = sum(1 for _ in nlp.pipe(texts, batch_size=256))
    return n, time.perf_counter() - t0


def make_corpus(n: int, path: Path, seed: int, *, distinct: bool = False, from_dev: bool = False) -> None:
    """scripts/make_corpus.py N PATH: synthetic records, or the dev sets' papers with `from_dev`.

    make_corpus.py reuses a few hundred titles, so without `distinct` most synthetic records merge
    as duplicates; a numbered title makes every record a paper of its own (the case of a real field).
    """
    flags = ["--from-dev"] if from_dev else ["--seed", str(seed), *(["--distinct"] if distinct else [])]
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(n), str(path), *flags], check=True)


def timed_build(label: str, inputs: list[Path], out: Path, records_hint: int, **kw) -> tuple[float, object]:
    """Run kg.pipeline.build.build, printing one row per stage; returns (seconds, summary)."""
    from kg.pipeline.build import build

    sampler = RssSampler()
    rows: list[tuple[str, float, int, int]] = []
    sampler.lap()

    def on_stage(name: str, seconds: float) -> None:
        rows.append((name, seconds, *sampler.lap()))

    t0 = time.perf_counter()
    _, summary = build(inputs, out_dir=out, on_stage=on_stage, return_graph=False, **kw)
    total = time.perf_counter() - t0
    sampler.stop()
    n = summary.records_read or records_hint
    print(f"\n{label}: {summary.records_read:,} records read, {summary.papers:,} papers after merging duplicates")
    print(f"  {'stage':<11} {'seconds':>8} {'records/s':>11} {'papers/s':>10} {'peak RSS':>10} {'+workers':>10}")
    merged: dict[str, list] = {}
    for name, seconds, own, every in rows:  # "centrality" runs twice (scores, then the CSV): add up
        m = merged.setdefault(name, [0.0, 0, 0])
        m[0] += seconds
        m[1], m[2] = max(m[1], own), max(m[2], every)
    for name in sorted(merged, key=lambda s: STAGES.index(s) if s in STAGES else 99):
        seconds, own, every = merged[name]
        rate = f"{n / seconds:,.0f}" if seconds > 0 else "-"
        prate = f"{summary.papers / seconds:,.0f}" if seconds > 0 else "-"
        print(f"  {name:<11} {seconds:8.2f} {rate:>11} {prate:>10} {own / MiB:8.0f} M {every / MiB:8.0f} M")
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {'total':<11} {total:8.2f} {n / total:11,.0f} {summary.papers / total:10,.0f}"
          f"   (process lifetime peak RSS {peak_self:,.0f} MiB)")
    return total, summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="records in the generated corpus")
    ap.add_argument("--corpus", type=Path, help="read this JSON Lines file instead of generating a corpus")
    ap.add_argument("--distinct", action="store_true", help="number the titles so no record is a duplicate")
    ap.add_argument("--from-dev", action="store_true",
                    help="generate from the 268 labelled dev papers (real abstracts), titles numbered")
    ap.add_argument("--out", type=Path, help="output folder (default: a temporary one)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rdf-format", default="turtle,ntriples")
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--warm", action="store_true", help="build twice; time the second (all extractions cached)")
    ap.add_argument("--distributed", metavar="ADDRESS", help='a Dask scheduler address, or "local"')
    ap.add_argument("--update", type=int, default=0, metavar="K", help="then add K new records with --update")
    ap.add_argument("--verify", action="store_true", help="compare the --update result with a full rebuild")
    ap.add_argument("--tokenizer-sample", type=int, default=10_000,
                    help="texts the bare tokenizer is timed on (0: all); default 10000")
    args = ap.parse_args()

    if args.corpus and not args.corpus.is_file():
        ap.error(f"--corpus {args.corpus}: no such file")
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    corpus = args.corpus or tmp / f"corpus-{args.n}.jsonl"
    if not args.corpus:
        make_corpus(args.n, corpus, seed=0, distinct=args.distinct, from_dev=args.from_dev)
    else:
        with corpus.open(encoding="utf-8") as f:
            args.n = sum(1 for line in f if line.strip())
    out = args.out or tmp / "out"
    kw = dict(rdf_formats=tuple(args.rdf_format.split(",")), jobs=args.jobs, cache=not args.no_cache,
              scheduler=args.distributed, quiet=True)
    from kg.pipeline.cache import extractor_version
    from kg.pipeline.parallel import available_cpus

    print(f"corpus {corpus} ({args.n:,} records); jobs {args.jobs} of {available_cpus()} CPUs; "
          f"engine {'dask ' + args.distributed if args.distributed else 'processes'}; cache {not args.no_cache}; "
          f"RDF {args.rdf_format}; extractor {extractor_version()[:12]}; load average {os.getloadavg()[0]:.1f}")

    n_tok, s_tok = tokenizer_rate(corpus, args.tokenizer_sample or None)
    print(f'bare tokenizer (spacy.blank("en").pipe, {n_tok:,} texts): {s_tok:.2f} s, {n_tok / s_tok:,.0f} texts/s')

    if args.warm:
        timed_build("cold build (fills the cache)", [corpus], out, args.n, **kw)
    total, summary = timed_build("warm build" if args.warm else "build", [corpus], out, args.n, **kw)
    # Timed again after the build, and averaged: on a shared machine the load changes meanwhile.
    n_tok2, s_tok2 = tokenizer_rate(corpus, args.tokenizer_sample or None)
    tok_rate = (n_tok + n_tok2) / (s_tok + s_tok2)
    print(f"\nbare tokenizer again: {n_tok2 / s_tok2:,.0f} texts/s; mean {tok_rate:,.0f} texts/s")
    e2e = summary.records_read / total
    print(f"end-to-end {e2e:,.0f} records/s ({summary.papers / total:,.0f} papers/s); "
          f"tokenizer {tok_rate:,.0f} texts/s; ratio {e2e / tok_rate:.3f} "
          f"(papers/s ratio {summary.papers / total / tok_rate:.3f}); target >= 0.15")

    if args.update:
        if args.no_cache:
            sys.exit("--update needs the cache")
        extra = tmp / f"new-{args.update}.jsonl"
        # Synthetic records of seed 1 (numbered with --from-dev: the dev papers' numbered titles would
        # repeat the corpus's first records and merge with them).
        make_corpus(args.update, extra, seed=1, distinct=args.distinct or args.from_dev)
        u_total, u_summary = timed_build(f"--update with {args.update} new records", [extra], out, args.update,
                                         update=True, **kw)
        how = (f"patched the stored graph, {u_summary.patched} papers' edges made again" if u_summary.patched is not None
               else "built the graph afresh from the cache")
        print(f"\nupdate: {u_total:.2f} s, {how} (target <= 15 s for 100 new papers on a 100,000-paper build)")
        if args.verify:
            full = tmp / "full"
            timed_build("full rebuild for --verify", [corpus, extra], full, args.n + args.update,
                        **{**kw, "cache": False})
            same = all(filecmp.cmp(out / f, full / f, shallow=False) for f in COMPARED if (full / f).exists())
            print(f"\n--update result identical to a full rebuild: {same}")


if __name__ == "__main__":
    main()
