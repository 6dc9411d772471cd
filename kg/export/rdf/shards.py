"""N-Triples shards of a distributed build: one sorted file per partition, and the manifest that lists them.

A shard is what `write_rdf(part, fmt="ntriples")` writes for the graph of one partition's papers
(kg.pipeline.dask_build): its papers, their author lists and claims, whole; the entities and
repositories they link, with the edges this partition gives them (an entity linked from several
partitions is in several shards, each with its share of its edges). Like graph.nt, a shard is
sorted by subject, so kg.export.rdf.merge merges the shards into the one-process graph.nt.

The manifest (manifest.json beside the shards) names each shard with its triples, subjects, bytes
and SHA-256, so that a missing, cut or changed shard is an error, not a smaller graph.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kg.atomic import atomic_open, atomic_write_text
from kg.errors import KGError
from kg.export.rdf.blocks import _writer
from kg.export.rdf.triples import _grouped
from kg.graph.snapshot import Snapshot

__all__ = ["ShardError", "MANIFEST", "MANIFEST_FORMAT", "shard_name", "write_shard", "write_manifest", "read_manifest",
           "remove_shards"]

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "paperkg-ntriples-shards/1"


class ShardError(KGError):
    """A shard of a distributed build, or its manifest, is missing or does not match what was written."""


#: What every shard's name matches (shard_name).
SHARD_GLOB = "part-*.nt"


def shard_name(i: int) -> str:
    """The file name of partition `i`'s shard ("part-00003.nt": names sort in partition order)."""
    return f"part-{i:05d}.nt"


def write_shard(snap: Snapshot, path: str | Path, *, include_abstracts: bool = True) -> dict:
    """Write the sorted N-Triples of `snap` to `path` (atomically); return its manifest entry."""
    path = Path(path)
    digest = hashlib.sha256()
    triples = subjects = size = 0
    first = last = None
    with atomic_open(path, "wb") as f:
        writer, sink = _writer("ntriples")  # graph.nt's own writer, one subject at a time
        for s, po in _grouped(snap, include_abstracts):
            writer.subject(s, po)
            data = sink.take().encode("utf-8")
            f.write(data)
            digest.update(data)
            triples += len(po)
            subjects += 1
            size += len(data)
            first = s if first is None else first
            last = s
    return {"file": path.name, "triples": triples, "subjects": subjects, "bytes": size,
            "sha256": digest.hexdigest(), "first": first, "last": last}


def write_manifest(folder: str | Path, entries: list[dict], *, include_abstracts: bool) -> Path:
    """Write the manifest of the shards `entries` (in partition order) into `folder`; return its path."""
    path = Path(folder) / MANIFEST
    manifest = {"format": MANIFEST_FORMAT, "include_abstracts": include_abstracts,
                "shard_triples": sum(e["triples"] for e in entries), "shards": entries}
    atomic_write_text(path, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return path


_ENTRY_KEYS = {"file": str, "triples": int, "subjects": int, "bytes": int, "sha256": str}


def read_manifest(folder: str | Path) -> list[dict]:
    """The shard entries of `folder`'s manifest, each checked against the file on disk (presence and size)."""
    folder = Path(folder)
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ShardError(f"{path}: no shard manifest; the distributed build that writes the shards did not finish") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise ShardError(f"{path}: unreadable shard manifest ({e})") from e
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT or not isinstance(manifest.get("shards"), list):
        raise ShardError(f"{path}: not a paperkg shard manifest (expected format {MANIFEST_FORMAT!r})")
    entries = manifest["shards"]
    for n, e in enumerate(entries):
        if not isinstance(e, dict) or any(not isinstance(e.get(k), t) for k, t in _ENTRY_KEYS.items()):
            raise ShardError(f"{path}: shard entry {n} lacks one of {', '.join(_ENTRY_KEYS)}")
        name = e["file"]
        if Path(name).name != name or not name.endswith(".nt"):
            raise ShardError(f"{path}: shard entry {n} names {name!r}, not a file of this folder")
        try:
            size = (folder / name).stat().st_size
        except FileNotFoundError:
            raise ShardError(f"{folder / name}: shard missing (listed in {MANIFEST}); with workers on other "
                             "machines, is the output folder on a file system they all share?") from None
        if size != e["bytes"]:
            raise ShardError(f"{folder / name}: shard is {size} bytes, {MANIFEST} says {e['bytes']}; "
                             "it was cut or changed after the build")
    return entries


def remove_shards(folder: str | Path) -> bool:
    """Remove a shard folder (its manifest and shards, nothing else); True if there was one.

    A build that is not distributed (or an --update, which splices graph.nt) calls it: the shards of
    an earlier distributed build no longer describe graph.nt, and must not be loaded as if they did.
    """
    folder = Path(folder)
    if not (folder / MANIFEST).exists() and not any(folder.glob(SHARD_GLOB)):
        return False
    for path in [*folder.glob(SHARD_GLOB), folder / MANIFEST]:
        path.unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:  # something else was put there: left as it is
        pass
    return True
