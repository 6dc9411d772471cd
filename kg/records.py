"""Plain records that flow between stages: papers in, mentions and claims out."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Paper", "Problem", "Severity", "Mention", "Claim", "Extraction", "Entity", "ENTITY_KINDS", "shown_name"]

#: The kinds of named entity the extractor finds (code repositories are handled apart).
ENTITY_KINDS = ("method", "dataset", "task", "metric")


def shown_name(name: str | os.PathLike) -> str:
    """A file name (or message) as one printable line that encodes as UTF-8: what a log, the cache and
    the RDF may hold.

    A byte that is not UTF-8 (which Python keeps as a surrogate, "surrogateescape") becomes ``\\xff``;
    a newline, another control character or a bidi override becomes its escape as in repr, so a
    name cannot forge a log line ("skipped x.jsonl:1: ...") or turn itself around on screen.
    Backslashes are kept as they are (Windows paths), so ``\\n`` in a name could mean either; it
    still cannot start a line. Printable text is returned unchanged, so escaping twice is escaping once.

    >>> shown_name("bad\\udcff.jsonl"), shown_name("fake.jsonl:1: x\\nreal")
    ('bad\\\\xff.jsonl', 'fake.jsonl:1: x\\\\nreal')
    """
    text = os.fsdecode(name)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else
                   f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else repr(c)[1:-1] for c in text)


@dataclass(slots=True)
class Paper:
    """One paper after ingest: title and abstract plus whatever metadata the input had."""

    key: str  # stable id: a hash of the normalised title (see ingest.paper_key); with its id when titles clash
    title: str  # exactly as in the input
    abstract: str
    source: str  # "file:line" of the first record that gave this paper
    id: str | None = None  # the input's own identifier, if any
    arxiv_id: str | None = None
    url: str | None = None
    date: str | None = None  # ISO date (YYYY-MM-DD) or "--MM-DD" when the input has no year
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # arXiv-style subject categories ("cs.LG"), as the input lists them
    doi: str | None = None  # lower case, without "https://doi.org/"
    revised: str | None = None  # ISO date of the latest revision, when the input tells it apart from `date`
    # What the input's curators (not the extractor) say of the paper: Papers with Code's `tasks` and
    # `methods`, a repository the input names (Hugging Face's `githubRepo`). Written with that provenance.
    tasks: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    code: tuple[str, ...] = ()


#: How bad a Problem is: "skip", the record or file was not built; "warning", it was built, changed.
Severity = Literal["skip", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with an input, and where: a record or file not built (severity "skip"), or
    built with a change the user should know of (severity "warning")."""

    path: str
    line: int | None  # 1-based line (or record number for JSON arrays); None for whole files
    reason: str
    severity: Severity = "skip"

    def __post_init__(self) -> None:
        # Made safe here, where every problem passes, so no caller can forget: a file name is
        # printed, stored in the cache and compared as this text (see shown_name).
        object.__setattr__(self, "path", shown_name(self.path))
        object.__setattr__(self, "reason", shown_name(self.reason))

    @classmethod
    def skip(cls, path: str, line: int | None, reason: str) -> Problem:
        """A record or file that was not built, and why."""
        return cls(path, line, reason, "skip")

    @classmethod
    def warning(cls, path: str, line: int | None, reason: str) -> Problem:
        """A record or file that was built, but changed or left partly out, and how."""
        return cls(path, line, reason, "warning")

    def __str__(self) -> str:
        # The severity is not printed: the caller says "skipped" or "warning:" (kg.cli).
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class Mention:
    """One named entity found in one paper."""

    text: str  # surface form as written
    kind: str  # one of ENTITY_KINDS
    confidence: float
    proposed: bool = False  # the paper introduces it
    aliases: tuple[str, ...] = ()  # other forms in the same paper (long form of an acronym, ...)


@dataclass(slots=True)
class Claim:
    """A relation stated in one paper, with the sentence that supports it."""

    subject: str  # surface form of the subject mention
    predicate: str  # "evaluatesOn" or "improvesOver"
    object: str
    evidence: str
    confidence: float


@dataclass(slots=True)
class Extraction:
    """Everything the extractor found in one paper."""

    paper_key: str
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    repos: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Entity:
    """One resolved entity shared across papers: a node of the graph."""

    id: str  # "<kind>/<slug>", the tail of its IRI
    kind: str
    label: str
    aliases: set[str] = field(default_factory=set)
    confidence: float = 0.0
