"""Records as the cache stores them: JSON, never pickle (a cache file is data, and loading it runs no code)."""

from __future__ import annotations

import dataclasses
import json
import sys
from functools import cache
from typing import Any

from kg.records import Claim, Extraction, Mention, Paper

__all__ = ["extraction_to_json", "extraction_from_json", "record", "dump_paper"]


@cache  # asked once per record loaded: dataclasses.fields() is slow next to the rest of a load
def _tuple_fields(cls: type) -> tuple[str, ...]:
    # Annotations are strings (from __future__ import annotations): "tuple[str, ...]" etc.
    return tuple(f.name for f in dataclasses.fields(cls) if str(f.type).startswith("tuple"))


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@cache
def _tuple_positions(cls: type) -> tuple[int, ...]:
    return tuple(i for i, name in enumerate(_field_names(cls)) if name in _tuple_fields(cls))


def record(cls: type, obj: dict) -> Any:
    """`cls` from its JSON object (a fresh dict from json.loads, changed in place): lists back to tuples."""
    for k in _tuple_fields(cls):
        v = obj.get(k)
        if v is not None:
            obj[k] = tuple(v)
    return cls(**obj)


def _plain(obj: Any) -> dict:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def dump_paper(p: Paper) -> str:
    """A Paper as the cache's JSON object of its fields."""
    return json.dumps(_plain(p), ensure_ascii=False, separators=(",", ":"))


def _row(obj: Any) -> list:
    return [getattr(obj, name) for name in _field_names(type(obj))]


def _from_row(cls: type, row: list) -> Any:
    """The inverse of _row (`row` is a fresh list from json.loads, changed in place)."""
    for i in _tuple_positions(cls):
        if i < len(row) and row[i] is not None:
            row[i] = tuple(row[i])
    return cls(*row)


def extraction_to_json(ex: Extraction) -> str:
    """An Extraction as JSON, without its paper key (entries are shared by papers of equal text).

    Mentions and claims are arrays of their fields in declaration order, not objects: loading
    100,000 cached extractions is then several times faster. Field order cannot drift under a
    stored entry: kg/records.py is part of extractor_version, so editing it makes every entry stale.
    """
    return json.dumps({"mentions": [_row(m) for m in ex.mentions], "claims": [_row(c) for c in ex.claims],
                       "repos": list(ex.repos)}, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def extraction_from_json(paper_key: str, text: str) -> Extraction:
    """The inverse of extraction_to_json, for the paper `paper_key`.

    >>> ex = Extraction("k", [Mention("X", "method", 0.5, aliases=("Y",))], [], ["https://github.com/a/b"])
    >>> extraction_from_json("k", extraction_to_json(ex)) == ex
    True
    """
    obj = json.loads(text)
    return Extraction(paper_key, [_from_row(Mention, _shared(m, _MENTION_NAMES, _MENTION_CONF, _MENTION_ALIASES))
                                  for m in obj["mentions"]],
                      [_from_row(Claim, _shared(c, _CLAIM_NAMES, _CLAIM_CONF)) for c in obj["claims"]], list(obj["repos"]))


#: Positions of the names (a few thousand distinct strings over a build's million mentions, where
#: json.loads makes a new string for each) and of the confidence (a handful of distinct floats) in a
#: mention's and a claim's row. A claim's evidence sentence is its own.
_MENTION_NAMES, _MENTION_CONF, _MENTION_ALIASES = (0, 1), 2, 4
_CLAIM_NAMES, _CLAIM_CONF = (0, 1, 2), 4
_FLOATS: dict[float, float] = {}
_MAX_FLOATS = 4096


def _shared(row: list, names: tuple[int, ...], conf: int, aliases: int | None = None) -> list:
    """A mention's or claim's row (changed in place) with its names and confidence shared with the
    equal ones loaded before: resolution holds every mention of the build at once."""
    for i in names:
        if isinstance(row[i], str):
            row[i] = sys.intern(row[i])
    if aliases is not None and aliases < len(row) and row[aliases]:
        row[aliases] = [sys.intern(x) if isinstance(x, str) else x for x in row[aliases]]
    if conf < len(row) and isinstance(row[conf], float):
        shared = _FLOATS.get(row[conf])
        if shared is None and len(_FLOATS) < _MAX_FLOATS:
            shared = _FLOATS[row[conf]] = row[conf]
        if shared is not None:
            row[conf] = shared
    return row
