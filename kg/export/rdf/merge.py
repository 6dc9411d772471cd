"""A k-way merge of the sorted N-Triples shards (kg.export.rdf.shards) into the one-process files, streaming.

graph.nt is sorted by subject, and each subject's lines are its rdf:type lines, then its other
(predicate, object) pairs sorted, with no repeat (kg.export.rdf.triples). Every shard is sorted the
same way, so `heapq.merge` of the shards' subject blocks gives the subjects in graph.nt's order. A
subject found in one shard is copied as it is; one found in several (an entity linked from several
partitions) gets the union of its lines, ordered as triples.py orders them. The merged subjects go
through the usual writers, so graph.nt, graph.ttl and graph.jsonld equal a one-process build's.

Memory: one subject block per shard at a time. Each shard's lines are hashed as they are read and
checked against the manifest (order, triples, subjects, SHA-256) before the outputs are renamed into
place: a damaged shard raises ShardError and leaves the previous outputs as they were.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Iterator, Mapping
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from kg.export.rdf.shards import ShardError, read_manifest
from kg.export.rdf.terms import T_TYPE
from kg.export.rdf.triples import _merged
from kg.export.rdf.writers import write_subjects

__all__ = ["merged_subjects", "merge_shards"]

def _blocks(path: Path, entry: dict) -> Iterator[tuple[bytes, list[bytes]]]:
    """(subject, its lines) of one shard in file order, checked against its manifest entry at the end."""
    digest = hashlib.sha256()
    triples = subjects = 0
    subject: bytes | None = None
    lines: list[bytes] = []
    with path.open("rb") as f:
        for line in f:
            digest.update(line)
            triples += 1
            s, sep, _ = line.partition(b" ")
            if not sep or not line.endswith(b" .\n"):
                raise ShardError(f"{path}: line {triples} is not an N-Triples line of a paperkg shard")
            if s != subject:
                if subject is not None:
                    if s < subject:
                        raise ShardError(f"{path}: line {triples} is out of order; a shard is sorted by subject")
                    yield subject, lines
                subject, lines = s, []
                subjects += 1
            lines.append(line)
    if subject is not None:
        yield subject, lines
    got = {"triples": triples, "subjects": subjects, "sha256": digest.hexdigest()}
    for k, v in got.items():
        if entry[k] != v:
            raise ShardError(f"{path}: {k} {v} but the manifest says {entry[k]}; the shard was changed after the build")


def _pairs(s: bytes, lines: list[bytes]) -> list[tuple[str, str]]:
    """A subject's (predicate, object) terms from its lines."""
    cut = len(s) + 1
    out = []
    for line in lines:
        p, _, o = line[cut:-3].partition(b" ")
        out.append((p.decode("utf-8"), o.decode("utf-8")))
    return out


def merged_subjects(folder: str | Path) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """The subjects of the shards in `folder` (per their manifest), merged: (subject, [(predicate, object)])
    in graph.nt's order, as kg.export.rdf.triples gives them for the whole graph."""
    folder = Path(folder)
    entries = read_manifest(folder)
    streams = [_blocks(folder / e["file"], e) for e in entries]
    merged = heapq.merge(*streams, key=itemgetter(0))
    for s, group in groupby(merged, key=itemgetter(0)):
        yield _subject(s, [lines for _, lines in group])


def _subject(s: bytes, blocks: list[list[bytes]]) -> tuple[str, list[tuple[str, str]]]:
    if len(blocks) == 1:
        return s.decode("utf-8"), _pairs(s, blocks[0])
    # One subject from several shards: ordered as kg.export.rdf.triples orders one subject's pairs.
    pairs = [pair for lines in blocks for pair in _pairs(s, lines)]
    return _merged(s.decode("utf-8"), [q for q in pairs if q[0] == T_TYPE], [q for q in pairs if q[0] != T_TYPE])


def merge_shards(folder: str | Path, paths: Mapping[str, str | Path]) -> int:
    """Merge the shards in `folder` into one file per RDF format, {format: path} (each written atomically,
    equal to what write_rdf_formats writes for the whole graph); return the number of triples."""
    return write_subjects(merged_subjects(folder), paths)
