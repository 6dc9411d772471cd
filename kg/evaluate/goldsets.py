"""The labelled development sets shipped with paperkg, and the graph of their papers built in memory.

`dev`: 168 labelled papers of the bundled sample (kg/data/corpus, 2023-2025 daily listings);
`era`: 100 labelled papers from 2015-2021 conference venues, with their own paper file. The
labels' meaning is in docs/evaluation.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.defaults import PACKAGE_DIR, SAMPLE_CORPUS_DIR
from kg.errors import InputError

__all__ = ["EVAL_DIR", "GOLD_SETS", "GoldSet", "gold_set", "build_in_memory"]

EVAL_DIR = PACKAGE_DIR / "data" / "eval"


@dataclass(frozen=True)
class GoldSet:
    name: str
    papers: Path  # a file or folder `kg build` reads
    gold: Path  # the labels, JSON Lines (see kg.evaluate.score)
    about: str


GOLD_SETS = {
    "dev": GoldSet("dev", SAMPLE_CORPUS_DIR, EVAL_DIR / "dev_gold.jsonl",
                   "168 papers of the bundled sample (daily listings, 2023-2025)"),
    "era": GoldSet("era", EVAL_DIR / "era_dev_papers.jsonl", EVAL_DIR / "era_dev_gold.jsonl",
                   "100 papers from 2015-2021 venues (ICLR, ICML, NeurIPS, ACL, ...)"),
}


def gold_set(name: str) -> GoldSet:
    """The shipped set called `name`; an InputError lists the names there are."""
    try:
        return GOLD_SETS[name]
    except KeyError:
        raise InputError(f"no labelled set {name!r}; there are: {', '.join(GOLD_SETS)}") from None


def build_in_memory(inputs: list[str | Path], *, jobs: int = 1, min_confidence: float = 0.0) -> nx.MultiDiGraph:
    """Ingest, extract, resolve and assemble the graph of `inputs`, writing nothing (no cache either,
    so the figures are always the current extractor's)."""
    from kg.graph.assemble import build_graph
    from kg.ingest.papers import read_papers
    from kg.pipeline.parallel import extract_papers
    from kg.resolve import Resolver

    ingested = read_papers(inputs)
    if not ingested.papers:
        raise InputError("no paper could be read from " + ", ".join(map(str, inputs)))
    # Forked workers: they see extractor settings changed in memory (scripts/crossval.py).
    extractions = extract_papers(ingested.papers, jobs=jobs, min_confidence=min_confidence, fork=True)
    resolver = Resolver()
    resolver.add(extractions)
    return build_graph(ingested.papers, extractions, resolver.resolution(extractions))
