"""The main job: ingest -> extract -> resolve -> graph -> RDF, HTML and centrality files."""

from __future__ import annotations

import csv
import re
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
from kg.errors import FormatError, InputError, value_invalid_msg
from kg.records import Skip
from kg.resolve import resolve

__all__ = ["BuildSummary", "build", "write_centrality_csv", "RDF_EXTENSIONS"]

#: RDF serialisations `kg build --rdf-format` writes, and the file extension of each.
RDF_EXTENSIONS = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld"}


@dataclass
class BuildSummary:
    records_read: int = 0
    papers: int = 0
    duplicates: int = 0
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[Skip] = field(default_factory=list)
    nodes: Counter = field(default_factory=Counter)
    edges: Counter = field(default_factory=Counter)
    claims: int = 0
    triples: int = 0
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as printed by `kg build`."""
        # Reasons are grouped by their wording up to the first detail ("malformed JSON (...)").
        reasons = Counter(re.split(r" \(|:", s.reason, maxsplit=1)[0] for s in self.skipped)
        out = [
            f"records read:      {self.records_read}",
            f"papers kept:       {self.papers}",
            f"duplicates merged: {self.duplicates}",
            f"records skipped:   {len(self.skipped)}"
            + (" (" + "; ".join(f"{n} {r}" for r, n in sorted(reasons.items())) + ")" if reasons else ""),
            f"warnings:          {len(self.warnings)}",
            "nodes:             " + ", ".join(f"{k} {self.nodes.get(k, 0)}" for k in NODE_KINDS),
            "edges:             " + ", ".join(f"{r} {self.edges.get(r, 0)}" for r in RELATIONS),
            f"claims:            {self.claims} (reified, with evidence)",
            f"triples:           {self.triples}",
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
    rdf_formats: Sequence[str] = ("turtle",),
    include_abstracts: bool = True,
    min_confidence: float = 0.0,
    max_nodes: int = HTML_MAX_NODES,
    on_skip: Callable[[Skip], None] | None = None,
    on_warning: Callable[[Skip], None] | None = None,
) -> tuple[nx.MultiDiGraph, BuildSummary]:
    """Build the graph of `inputs` (the bundled sample if none) and write its views to `out_dir`.

    Writes graph.<ext> for each of `rdf_formats` (turtle -> .ttl, ntriples -> .nt, jsonld ->
    .jsonld), graph.html and centrality.csv. Every file is replaced atomically.
    """
    unknown = [f for f in rdf_formats if f not in RDF_EXTENSIONS]
    if unknown or not rdf_formats:
        raise FormatError(value_invalid_msg("RDF format", ",".join(unknown), RDF_EXTENSIONS))
    t0 = time.perf_counter()
    out = Path(out_dir)
    ingested = read_papers(list(inputs) or [SAMPLE_CORPUS_DIR], fmt=fmt, on_skip=on_skip, on_warning=on_warning)
    summary = BuildSummary(ingested.records_read, len(ingested.papers), ingested.duplicates,
                           list(ingested.skipped), list(ingested.warnings))
    if not ingested.papers:
        raise InputError("no paper could be read from the input" + ("; see the skipped lines above" if ingested.skipped else ""))
    nlp = build_nlp()
    extractions = list(extract_all(ingested.papers, nlp, min_confidence=min_confidence))
    resolution = resolve(extractions)
    G = build_graph(ingested.papers, extractions, resolution)

    summary.nodes = Counter(d["kind"] for _, d in G.nodes(data=True))
    summary.edges = Counter(k for _, _, k in G.edges(keys=True))
    summary.claims = sum(len(d.get("claims", ())) for _, _, d in G.edges(data=True))

    scores = method_centrality(G, measure="pagerank", on="full")
    for rdf_format in rdf_formats:
        path = out / f"graph.{RDF_EXTENSIONS[rdf_format]}"
        summary.triples = write_rdf(G, path, fmt=rdf_format, include_abstracts=include_abstracts)
        summary.outputs.append(path)
    write_html(G, out / "graph.html", max_nodes=max_nodes, scores=scores)
    write_centrality_csv(G, out / "centrality.csv", scores)
    summary.outputs += [out / "graph.html", out / "centrality.csv"]
    summary.seconds = time.perf_counter() - t0
    return G, summary
