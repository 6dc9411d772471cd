"""Curated facts (kg.ingest.pwc_facts) -> what they add to the graph, apart from what was extracted.

A paper's facts become entity mentions (Papers with Code's tasks and methods; the method, dataset,
metric and task of each evaluation result), `hasCode` links and `evaluatesOn` claims that carry
their metric and value instead of a sentence. Their entities are resolved with the extracted ones
(`fact_extractions` is given to kg.resolve.Resolver beside the extractions), so "SNLI" from a
leaderboard and "SNLI" from an abstract are one node.

On the graph (kg.graph.assemble): a `mentions` or `hasCode` edge that a curator gives has
`curated`, the sorted tuple of its sources ("PapersWithCode"); an `evaluatesOn` claim of a fact is
{"paper": paper IRI, "source": "PapersWithCode", "metric": metric entity IRI, "value": "74.4"}
(an extracted claim is {"paper", "evidence", "confidence"}). A repository the paper's own record
names (Hugging Face's `githubRepo`) is a plain `hasCode`, as one in its abstract is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.extract.repos import find_repos
from kg.ingest.pwc_facts import FACT_SOURCE, PaperFacts
from kg.records import Extraction, Mention
from kg.resolve import Resolution

__all__ = ["FactEdges", "fact_extractions", "fact_edges"]


def _mentions(f: PaperFacts) -> list[Mention]:
    named = [(t, "task") for t in f.tasks] + [(m, "method") for m in f.methods]
    for r in f.results:
        named += [(r.method, "method"), (r.dataset, "dataset"), (r.metric, "metric")]
        if r.task:
            named.append((r.task, "task"))
    return [Mention(text, kind, 1.0) for text, kind in dict.fromkeys(named)]


def fact_extractions(facts: Iterable[PaperFacts]) -> list[Extraction]:
    """The entities the facts name, as one Extraction per paper, for the resolver (sorted by paper)."""
    return [Extraction(f.paper_key, ms) for f in sorted(facts, key=lambda f: f.paper_key) if (ms := _mentions(f))]


def _repo(url: str) -> str | None:
    """A repository URL as the extractor normalises it (https://github.com/owner/repo), else as given."""
    found = find_repos(url)
    if found:
        return found[0]
    return url.rstrip("/") if url.lower().startswith(("https://", "http://")) and " " not in url else None


@dataclass
class FactEdges:
    """What one paper's facts add: entity ids mentioned, repos linked, and claims (as assemble holds them)."""

    mentions: dict[str, set[str]] = field(default_factory=dict)  # entity id -> sources
    repos: dict[str, set[str]] = field(default_factory=dict)  # repo URL -> sources (empty: the record's own link)
    claims: dict[tuple[str, str, str], list[dict]] = field(default_factory=dict)  # (subj id, obj id, pred) -> claims


def fact_edges(f: PaperFacts, paper: str, resolution: Resolution) -> FactEdges:
    """The edges and claims of one paper's facts (`paper`: its IRI), given what their names resolved to."""
    out = FactEdges()

    def entity(text: str, kind: str) -> str | None:
        e = resolution.entity_for(f.paper_key, text, kind)
        return e.id if e is not None else None

    for m in _mentions(f):
        if (eid := entity(m.text, m.kind)) is not None:
            out.mentions.setdefault(eid, set()).add(FACT_SOURCE)
    for url in f.repos:
        if (repo := _repo(url)) is not None:
            out.repos.setdefault(repo, set()).add(FACT_SOURCE)
    for url in f.code:
        if (repo := _repo(url)) is not None:
            out.repos.setdefault(repo, set())
    seen = set()
    for r in f.results:
        s, o, metric = entity(r.method, "method"), entity(r.dataset, "dataset"), entity(r.metric, "metric")
        if s is None or o is None or metric is None or s == o or (s, o, metric, r.value) in seen:
            continue
        seen.add((s, o, metric, r.value))
        out.claims.setdefault((s, o, "evaluatesOn"), []).append(
            {"paper": paper, "source": FACT_SOURCE, "metric": metric, "value": r.value})  # metric: an id here
    return out
