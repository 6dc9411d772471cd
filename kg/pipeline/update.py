"""`kg build --update`: a previous build's papers plus new inputs, merged as one full read would.

A full build reads its inputs in order and merges duplicates (same normalised title or arXiv id:
the first copy wins, later copies fill what it lacks; see kg.ingest.papers.read_papers). An update starts
from the papers the previous build kept (kg.pipeline.cache.BuildState) and goes on reading the new inputs
with that same function, so its papers are those of a full build over the old inputs then the new ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from operator import attrgetter
from pathlib import Path

from kg.ingest.papers import Ingested, read_papers
from kg.pipeline.cache import BuildState
from kg.records import Paper, Problem

__all__ = ["continue_ingest"]

_paper_fields = attrgetter(*(f.name for f in dataclasses.fields(Paper)))  # Paper(*these) copies a paper


def continue_ingest(
    previous: BuildState,
    inputs: Sequence[str | Path],
    *,
    fmt: str = "auto",
    on_skip: Callable[[Problem], None] | None = None,
    on_warning: Callable[[Problem], None] | None = None,
) -> Ingested:
    """The previous build's papers, then the records of `inputs` merged into them.

    Only the new inputs' skips and warnings are passed to `on_skip`/`on_warning`; the returned
    account covers both builds, as a full rebuild's would. `previous` is left as it was.
    """
    # read_papers fills metadata into the papers it starts from: give it (shallow) copies.
    start = Ingested([Paper(*_paper_fields(p)) for p in previous.papers], previous.records_read, previous.duplicates,
                     list(previous.skipped), list(previous.warnings))
    return read_papers(inputs, fmt=fmt, on_skip=on_skip, on_warning=on_warning, start=start)
