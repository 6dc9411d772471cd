"""Curated facts from the Papers with Code archive (`kg build --facts FILE`), joined to the build's papers.

Two of the archive's files are facts about papers, not papers: links-between-papers-and-code
(a paper and a repository of its code) and the evaluation tables (task -> datasets -> rows of
a model's results: metric -> value, with the paper that reports them). They are read here into
`PaperFacts` per paper of the build, joined by arXiv id and else by normalised title; a fact that
names no paper of the build is counted, not added. A paper's own curated metadata (Papers with
Code's `tasks` and `methods` in papers-with-abstracts) joins the same record. The graph writes all
of them with their provenance (kg.graph.assemble), apart from what the extractor found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.fields import arxiv_id, clean_text, normalise_title
from kg.ingest.text import json_loads, open_input
from kg.records import Paper, Problem, shown_name

__all__ = ["FACT_SOURCE", "Result", "PaperFacts", "Facts", "facts_digest", "facts_kind", "read_facts"]

#: Who curated the facts this module reads (kg:PapersWithCode in the ontology).
FACT_SOURCE = "PapersWithCode"
_MAX_NAME = 300  # a longer model, dataset or metric name is not a name


@dataclass(frozen=True, slots=True)
class Result:
    """One value of an evaluation table: `method` scores `value` in `metric` on `dataset` (for `task`)."""

    method: str
    dataset: str
    metric: str
    value: str
    task: str | None = None


@dataclass(slots=True)
class PaperFacts:
    """What the curators say of one paper of the build."""

    paper_key: str
    tasks: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    repos: list[str] = field(default_factory=list)  # Papers with Code's links to code
    results: list[Result] = field(default_factory=list)
    code: list[str] = field(default_factory=list)  # repositories the paper's own record names (no curator)


@dataclass
class Facts:
    """The facts of a build: per paper key, and an account of those not added."""

    by_paper: dict[str, PaperFacts] = field(default_factory=dict)
    read: int = 0  # facts read from the --facts files (a link, or one metric value of a table row)
    unmatched: int = 0  # of those, facts naming a paper that is not in the build
    problems: list[Problem] = field(default_factory=list)

    def of(self, key: str) -> PaperFacts:
        return self.by_paper.setdefault(key, PaperFacts(key))


def facts_kind(rec: Any) -> str | None:
    """Which Papers with Code facts file a record comes from, or None for anything else."""
    if not isinstance(rec, dict):
        return None
    if "repo_url" in rec and ("paper_title" in rec or "paper_arxiv_id" in rec):
        return "links-between-papers-and-code"
    if "task" in rec and isinstance(rec.get("datasets"), list):
        return "evaluation-tables"
    return None


def _text(v: Any) -> str | None:
    if not isinstance(v, str):
        return None
    s = clean_text(v)
    return s if s and len(s) <= _MAX_NAME else None


@dataclass(frozen=True, slots=True)
class _Fact:
    """One fact as read: the paper it names (arXiv id and/or title), and what it says."""

    arxiv_id: str | None
    title: str | None
    repo: str | None = None
    result: Result | None = None


def _link_facts(rec: dict) -> Iterator[_Fact]:
    repo = rec.get("repo_url")
    if isinstance(repo, str) and repo.strip():
        yield _Fact(arxiv_id(rec.get("paper_arxiv_id"), rec.get("paper_url_abs"), rec.get("paper_url_pdf")),
                    _text(rec.get("paper_title")), repo=repo.strip())


def _table_facts(task: dict, parent: str | None = None) -> Iterator[_Fact]:
    """The results of a task's datasets (and their subdatasets), then of its subtasks."""
    name = _text(task.get("task")) or parent
    for ds in task.get("datasets") or ():
        if isinstance(ds, dict):
            yield from _dataset_facts(ds, name)
    for sub in task.get("subtasks") or ():
        if isinstance(sub, dict):
            yield from _table_facts(sub, name)


def _dataset_facts(ds: dict, task: str | None) -> Iterator[_Fact]:
    dataset = _text(ds.get("dataset"))
    sota = ds.get("sota") if isinstance(ds.get("sota"), dict) else {}
    for row in sota.get("rows") or () if dataset else ():
        if not isinstance(row, dict) or not isinstance(row.get("metrics"), dict):
            continue
        model = _text(row.get("model_name"))
        if not model:
            continue
        arxiv, title = arxiv_id(row.get("paper_url")), _text(row.get("paper_title"))
        for metric, value in sorted(row["metrics"].items()):
            value = clean_text(str(value)) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
            metric = _text(metric)
            if metric and value:  # an empty cell is no result
                yield _Fact(arxiv, title, result=Result(model, dataset, metric, value, task))
    for sub in ds.get("subdatasets") or ():
        if isinstance(sub, dict):
            yield from _dataset_facts(sub, task)


def _file_facts(path: Path, problems: list[Problem]) -> Iterator[_Fact]:
    where = shown_name(path)
    got = open_input(path, "json", problems)  # whole, never streamed: "json" is not a line-based format
    if isinstance(got, str):
        raise InputError(f"--facts {where}: {got}, not a Papers with Code JSON file")
    try:
        value = json_loads(got[1].text)
    except (ValueError, RecursionError) as e:
        raise InputError(f"--facts {where}: malformed JSON ({e})") from e
    records = value if isinstance(value, list) else [value]
    kinds = {facts_kind(r) for r in records} - {None}
    if not kinds:
        raise InputError(f"--facts {where}: unrecognised format (facts read: Papers with Code "
                         "links-between-papers-and-code.json and evaluation-tables.json)")
    for n, rec in enumerate(records, 1):
        kind = facts_kind(rec)
        if kind == "links-between-papers-and-code":
            yield from _link_facts(rec)
        elif kind == "evaluation-tables":
            yield from _table_facts(rec)
        else:
            problems.append(Problem.skip(where, n, "not a Papers with Code link or evaluation table record"))


def _title_key(title: str) -> str:
    return normalise_title(title)


def read_facts(paths: Sequence[str | Path], papers: Iterable[Paper]) -> Facts:
    """The facts of `paths` and the papers' own curated metadata (tasks, methods, code), joined to `papers` by arXiv id, else by title.

    A file that cannot be read or holds no Papers with Code facts raises InputError (the user named
    it); a record of another kind in it is a Problem.
    """
    papers = list(papers)
    out = Facts()
    for p in papers:
        if p.tasks or p.methods or p.code:
            f = out.of(p.key)
            f.tasks.extend(p.tasks)
            f.methods.extend(p.methods)
            f.code.extend(p.code)
    by_arxiv: dict[str, str] = {}
    by_title: dict[str, str] = {}
    for p in papers if paths else ():  # the first paper of an id or title, as ingest keeps the first copy
        if p.arxiv_id:
            by_arxiv.setdefault(p.arxiv_id, p.key)
        by_title.setdefault(_title_key(p.title), p.key)
    for path in paths:
        for fact in _file_facts(Path(path), out.problems):
            out.read += 1
            key = by_arxiv.get(fact.arxiv_id or "") or (by_title.get(_title_key(fact.title)) if fact.title else None)
            if key is None:
                out.unmatched += 1
                continue
            f = out.of(key)
            if fact.repo is not None:
                f.repos.append(fact.repo)
            if fact.result is not None:
                f.results.append(fact.result)
    return out


def facts_digest(paths: Sequence[str | Path]) -> list[str]:
    """The sha1 of each facts file's bytes, in order: what an update compares with the previous build's."""
    out = []
    for p in paths:
        try:
            out.append(hashlib.sha1(Path(p).read_bytes()).hexdigest())
        except OSError as e:
            raise InputError(f"--facts {shown_name(p)}: cannot be read ({e.strerror or e})") from e
    return out
