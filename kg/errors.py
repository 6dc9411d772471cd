"""The exceptions paperkg raises; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

__all__ = [
    "KGError",
    "InputError",
    "FormatError",
    "GraphError",
    "QueryError",
    "ServiceRefusedError",
    "QueryTimeoutError",
    "AnalysisError",
    "OutputError",
    "value_invalid_msg",
]


class KGError(Exception):
    """Base class of every error paperkg raises on purpose."""


class InputError(KGError):
    """An input file is missing, unreadable or of no known format."""


class FormatError(InputError):
    """A format was asked for that paperkg does not know."""


class GraphError(KGError):
    """A graph file is missing, unreadable or does not use the paperkg vocabulary."""


class QueryError(KGError):
    """A SPARQL query is malformed, unknown or was given bad parameters."""


class ServiceRefusedError(QueryError):
    """A query asks for SERVICE (federation), which would contact other machines, and that was not allowed."""


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was stopped."""


class AnalysisError(KGError):
    """An analysis was asked for with a bad option or on a graph where it is undefined."""


class OutputError(KGError):
    """The output folder cannot be written: another build holds it, it is read-only or full, or not a folder."""


def value_invalid_msg(name: str, value: Any, valid_values: Collection[Any]) -> str:
    """One shape for every bad-option message (after textacy's errors.py)."""
    return f"{name} {value!r} is invalid; it must be one of: {', '.join(map(str, valid_values))}."
