"""`kg build --update`: a previous build's papers plus new inputs, merged as one full read would.

A full build reads its inputs in order and merges duplicates (same normalised title or arXiv id:
the first copy wins, later copies fill what it lacks; see kg.ingest.read_papers). An update starts
from the papers the previous build kept (kg.cache.BuildState) and goes on reading the new inputs
with the same rule, so its papers are those of a full build over the old inputs then the new ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from kg.cache import BuildState
from kg.errors import FormatError, value_invalid_msg
from kg.ingest import FORMATS, Ingested, iter_records
from kg.ingest import _files, _fill  # noqa: PLC2701  (the same walk and merge as read_papers)
from kg.records import Paper, Skip

__all__ = ["continue_ingest"]


def continue_ingest(
    previous: BuildState,
    inputs: Sequence[str | Path],
    *,
    fmt: str = "auto",
    on_skip: Callable[[Skip], None] | None = None,
    on_warning: Callable[[Skip], None] | None = None,
) -> Ingested:
    """The previous build's papers, then the records of `inputs` merged into them.

    Only the new inputs' skips and warnings are passed to `on_skip`/`on_warning`; the returned
    account covers both builds, as a full rebuild's would.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise FormatError(value_invalid_msg("format", fmt, ("auto", *FORMATS)))
    papers = [_copy(p) for p in previous.papers]
    out = Ingested(papers, previous.records_read, previous.duplicates, list(previous.skipped), list(previous.warnings))
    by_key: dict[str, Paper] = {p.key: p for p in papers}
    by_arxiv: dict[str, str] = {}
    by_id: dict[str, Paper] = {}
    for p in papers:  # first kept paper per arXiv id and per input id, as read_papers registers them
        if p.arxiv_id:
            by_arxiv.setdefault(p.arxiv_id, p.key)
        if p.id:
            by_id.setdefault(p.id, p)
    reported = [len(out.skipped), len(out.warnings)]

    def report() -> None:  # as read_papers reports: one file's problems, in line order
        news = [(s, on_skip) for s in out.skipped[reported[0]:]] + [(w, on_warning) for w in out.warnings[reported[1]:]]
        for s, callback in sorted(news, key=lambda t: t[0].line or 0):
            if callback is not None:
                callback(s)
        reported[:] = [len(out.skipped), len(out.warnings)]

    files = list(_files(inputs, out.skipped))
    report()
    for path in files:
        n_skip = len(out.skipped)
        for _source, paper in iter_records(path, fmt, out.skipped, out.warnings):
            out.records_read += 1
            first = by_key.get(paper.key)
            if first is None and paper.arxiv_id in by_arxiv:
                first = by_key[by_arxiv[paper.arxiv_id]]
            if first is not None:
                out.duplicates += 1
                _fill(first, paper)
                continue
            other = by_id.get(paper.id) if paper.id else None
            if other is not None:
                line = int(paper.source.rsplit(":", 1)[1])
                out.warnings.append(Skip(str(path), line, f"id {paper.id!r} is also the id of {other.source}, "
                                                          "which has another title; both are kept"))
            elif paper.id:
                by_id[paper.id] = paper
            by_key[paper.key] = paper
            if paper.arxiv_id:
                by_arxiv.setdefault(paper.arxiv_id, paper.key)
            out.papers.append(paper)
        out.records_read += sum(1 for s in out.skipped[n_skip:] if s.line is not None)
        report()
    return out


def _copy(p: Paper) -> Paper:
    # _fill mutates the first copy; the caller's BuildState stays as it was loaded.
    return dataclasses.replace(p)
