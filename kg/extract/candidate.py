"""A candidate name in one paper's text: where it stands, what kind it may be, why it was found."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Candidate"]


@dataclass(slots=True)
class Candidate:
    text: str
    start: int
    end: int
    sent: int
    kind: str | None  # None until classified; "_alias" marks the long form of an acronym
    confidence: float
    source: str  # "lexicon" | "shape" | "abbreviation" | "title"
    proposed: bool = False
    aliases: list[str] = field(default_factory=list)
    lexical: bool = False  # a lexicon entry or a version of one (known, so never proposed)
    variant: bool = False  # a coined variant of a known name ("Llama-3-70B-Foo")
    cue_start: int = -1  # where the proposal cue is read from, if not `start` (an acronym's long form)
    plain_title: bool = False  # a title's `Plain Words:` head, a name only if the abstract bears it out
    part: bool = False  # a numbered part of the proposed method ("two branches: 1) Foo Branch"), not its results' subject
