"""centrality.csv: every scored node with its rank, label, score and paper count, best first."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from kg.analyze.centrality import DEFAULT_MEASURE, ranking
from kg.analyze.snapshot_views import node_label, paper_counts
from kg.atomic import atomic_open
from kg.csvsafe import safe_cell
from kg.graph.snapshot import KIND_CODE, Snapshot

__all__ = ["score_column", "write_centrality_csv", "write_centrality_csv_snapshot"]


def write_centrality_csv(G: nx.MultiDiGraph, path: Path, scores: dict[str, float], *,
                         measure: str = DEFAULT_MEASURE) -> None:
    """rank, label, score, papers, iri: every method, best first (see write_centrality_csv_snapshot)."""
    write_centrality_csv_snapshot(Snapshot.from_graph(G), path, scores, measure=measure)


def score_column(measure: str) -> str:
    """The header of the score column: the measure's name ("support_pagerank" for the default).

    >>> score_column("support"), score_column("betweenness")
    ('support_pagerank', 'betweenness')
    """
    return "support_pagerank" if measure == "support" else measure


def write_centrality_csv_snapshot(snap: Snapshot, path: str | Path, scores: dict[str, float], *,
                                  measure: str = DEFAULT_MEASURE) -> None:
    """centrality.csv: rank, label, the score (headed by its `measure`), papers, iri for every scored
    node, best first."""
    counts = paper_counts(snap).tolist()
    index = snap.index
    paper_code = KIND_CODE["paper"]
    with atomic_open(path) as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["rank", "label", score_column(measure), "papers", "iri"])
        for rank, (node, score) in enumerate(ranking(scores), 1):
            i = index[node]
            # Paper nodes carry no `papers` attribute in the graph: 0, whatever links to them.
            papers = len(snap.papers[node].get("papers", ())) if snap.kind[i] == paper_code else counts[i]
            w.writerow([rank, safe_cell(node_label(snap, node)), f"{score:.9f}", papers, node])
