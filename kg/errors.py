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
    "AnalysisError",
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


class AnalysisError(KGError):
    """An analysis was asked for with a bad option or on a graph where it is undefined."""


def value_invalid_msg(name: str, value: Any, valid_values: Collection[Any]) -> str:
    """One shape for every bad-option message (after textacy's errors.py)."""
    return f"{name} {value!r} is invalid; it must be one of: {', '.join(map(str, valid_values))}."
