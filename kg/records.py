"""Plain records that flow between stages: papers in, mentions and claims out."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Paper", "Skip", "Mention", "Claim", "Extraction", "Entity", "ENTITY_KINDS"]

#: The kinds of named entity the extractor finds (code repositories are handled apart).
ENTITY_KINDS = ("method", "dataset", "task", "metric")


@dataclass(slots=True)
class Paper:
    """One paper after ingest: title and abstract plus whatever metadata the input had."""

    key: str  # stable id: a hash of the normalised title (see ingest.paper_key)
    title: str  # exactly as in the input
    abstract: str
    source: str  # "file:line" of the first record that gave this paper
    id: str | None = None  # the input's own identifier, if any
    arxiv_id: str | None = None
    url: str | None = None
    date: str | None = None  # ISO date (YYYY-MM-DD) or "--MM-DD" when the input has no year
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Skip:
    """A record (or whole file) that was not built, and why."""

    path: str
    line: int | None  # 1-based line (or record number for JSON arrays); None for whole files
    reason: str

    def __str__(self) -> str:
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
