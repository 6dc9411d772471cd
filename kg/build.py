"""The main job: ingest -> extract -> resolve -> graph -> RDF, HTML and centrality files."""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.analyze import method_centrality, ranking
from kg.atomic import atomic_open
from kg.defaults import DEFAULT_OUT_DIR, HTML_MAX_NODES, NODE_KINDS, RELATIONS, SAMPLE_CORPUS_DIR
from kg.export.html import write_html
from kg.export.rdf import write_rdf
from kg.extract import extract_all
from kg.graph import build_graph
from kg.ingest import read_papers
from kg.nlp import build_nlp
from kg.records import Skip
from kg.resolve import resolve

__all__ = ["BuildSummary", "build", "write_centrality_csv"]


@dataclass
class BuildSummary:
    records_read: int = 0
    papers: int = 0
    duplicates: int = 0
    skipped: list[Skip] = field(default_factory=list)
    nodes: Counter = field(default_factory=Counter)
    edges: Counter = field(default_factory=Counter)
    claims: int = 0
    triples: int = 0
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as printed by `kg build`."""
        reasons = Counter(s.reason.split(":")[0] for s in self.skipped)
        out = [
            f"records read:      {self.records_read}",
            f"papers kept:       {self.papers}",
            f"duplicates merged: {self.duplicates}",
            f"records skipped:   {len(self.skipped)}"
            + (" (" + "; ".join(f"{n} {r}" for r, n in sorted(reasons.items())) + ")" if reasons else ""),
            "nodes:             " + ", ".join(f"{k} {self.nodes.get(k, 0)}" for k in NODE_KINDS),
            "edges:             " + ", ".join(f"{r} {self.edges.get(r, 0)}" for r in RELATIONS),
            f"claims:            {self.claims} (reified, with evidence)",
            f"seconds:           {self.seconds:.1f}",
        ]
        out += [f"wrote {p}" for p in self.outputs]
        return out


def write_centrality_csv(G: nx.MultiDiGraph, path: Path, scores: dict[str, float]) -> None:
    """rank, label, score, papers, iri: every method, best first."""
    with atomic_open(path) as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["rank", "label", "pagerank", "papers", "iri"])
        for rank, (node, score) in enumerate(ranking(scores), 1):
            w.writerow([rank, G.nodes[node]["label"], f"{score:.9f}", len(G.nodes[node].get("papers", ())), node])


def build(
    inputs: Sequence[str | Path] = (),
    *,
    fmt: str = "auto",
    out_dir: str | Path = DEFAULT_OUT_DIR,
    min_confidence: float = 0.0,
    max_nodes: int = HTML_MAX_NODES,
    on_skip: Callable[[Skip], None] | None = None,
) -> tuple[nx.MultiDiGraph, BuildSummary]:
    """Build the graph of `inputs` (the bundled sample if none) and write its views to `out_dir`."""
    t0 = time.perf_counter()
    out = Path(out_dir)
    ingested = read_papers(list(inputs) or [SAMPLE_CORPUS_DIR], fmt=fmt, on_skip=on_skip)
    nlp = build_nlp()
    extractions = list(extract_all(ingested.papers, nlp, min_confidence=min_confidence))
    resolution = resolve(extractions)
    G = build_graph(ingested.papers, extractions, resolution)

    summary = BuildSummary(ingested.records_read, len(ingested.papers), ingested.duplicates, list(ingested.skipped))
    summary.nodes = Counter(d["kind"] for _, d in G.nodes(data=True))
    summary.edges = Counter(k for _, _, k in G.edges(keys=True))
    summary.claims = sum(len(d.get("claims", ())) for _, _, d in G.edges(data=True))

    scores = method_centrality(G, measure="pagerank", on="full")
    summary.triples = write_rdf(G, out / "graph.ttl", fmt="turtle")
    write_html(G, out / "graph.html", max_nodes=max_nodes, scores=scores)
    write_centrality_csv(G, out / "centrality.csv", scores)
    summary.outputs = [out / "graph.ttl", out / "graph.html", out / "centrality.csv"]
    summary.seconds = time.perf_counter() - t0
    return G, summary
