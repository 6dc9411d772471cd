"""A build's extractions and papers kept in its cache and read back a batch at a time, not held in memory.

A build of 100,000 papers would hold every Paper (its abstract) and every Extraction (mentions, claims
and their sentences) for its whole run; each is needed only a few times, in order: the extractions
once to resolve the mentions and once to make the graph, the papers when a writer reaches them (the
RDF and the map go through the papers in sorted order). So the extractions are stored in the cache
as they come back from the workers (`extract_stored`), and the papers are spilled to a scratch table
of the cache (`StoredPapers`), before extraction: the papers to extract are read back from there a
chunk at a time as the workers ask (`StoredPapers.at`), so from the end of the ingest on the build
holds none of them. Both are read back in batches.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from kg.errors import KGError
from kg.graph.assemble import paper_attrs, paper_iri
from kg.graph.snapshot import SortedIndex
from kg.pipeline.cache import BATCH, ExtractionCache, content_key
from kg.records import Extraction, Paper

if TYPE_CHECKING:
    from kg.pipeline.parallel import EncodedChunk

__all__ = ["StoredExtractions", "StoredPapers", "SpilledSequence", "extract_stored_in"]

#: Papers read back from the spill at a time (a writer asks for them in sorted order).
_BLOCK = 512


def extract_stored_in(
    cache: ExtractionCache,
    papers: Sequence[Paper] | StoredPapers,
    run: Callable[..., Iterable[EncodedChunk]],
    *,
    min_confidence: float,
    on_progress: Callable[[int], None] | None = None,
) -> StoredExtractions:
    """Every paper's Extraction put in `cache`, none held: those not there yet are made by
    `run(missing_papers, on_progress=...)`, which gives them a chunk at a time in order (EncodedChunks:
    each as the cache stores it, and their acronyms' meanings), and each chunk is stored as it comes. The
    result reads them back in batches (StoredExtractions.each) and holds the meanings of those made.

    `papers` spilled to `cache` (StoredPapers) are read back as they are needed: the missing ones are
    given to `run` as a sequence that reads a chunk from the spill when sliced, in IRI order."""
    conf = repr(float(min_confidence))
    spilled = isinstance(papers, StoredPapers)
    contents = {p.key: content_key(p.title, p.abstract) for p in (papers.each_paper() if spilled else papers)}
    present = cache.present(set(contents.values()), conf)
    if spilled:  # contents is in spill (IRI) order: a paper's position is its rank there
        missing = papers.at([pos for pos, c in enumerate(contents.values()) if c not in present])
    else:
        missing = [p for p in papers if contents[p.key] not in present]
    del present
    if on_progress and len(missing) < len(papers):
        on_progress(len(papers) - len(missing))
    made = 0
    meanings: dict[tuple[str, str], set[frozenset[str]]] = defaultdict(set)
    for chunk in run(missing, on_progress=on_progress) if missing else ():
        done = missing[made:made + len(chunk)]
        if len(done) != len(chunk):
            break
        cache.put_encoded(((p.title, p.abstract, data) for p, data in zip(done, chunk.texts)),
                          min_confidence=min_confidence)
        for k, longs in chunk.meanings.items():
            meanings[k] |= longs
        made += len(chunk)
    if made != len(missing):
        raise KGError(f"extraction returned {made} results for {len(missing)} papers")
    # Files edited while this build ran (a rule or lexicon being worked on): what was made may come
    # from either version, so it is read back for this build only and then deleted
    # (StoredExtractions.forget_stale), never served to a later build.
    stale = not cache.version_current()
    made_contents = {contents[p.key] for p in missing} if missing else set()
    return StoredExtractions(cache, contents, conf, made_contents if stale else set(), dict(meanings), made_contents)


class StoredExtractions:
    """The Extractions of a build's papers as they sit in its cache: read back a batch at a time, in
    the order asked, so a build never holds them all; and the acronym meanings (`meanings`) of those
    made by this build (their contents: `learned`), which resolution's first pass need not read back."""

    def __init__(self, cache: ExtractionCache, contents: dict[str, str], conf: str, stale: set[str],
                 meanings: dict | None = None, learned: set[str] | None = None) -> None:
        self.cache, self.contents, self.conf, self.stale = cache, contents, conf, stale
        self.meanings, self.learned = meanings or {}, learned or set()

    def unlearned(self, keys: Iterable[str]) -> Iterator[str]:
        """Those of the papers `keys` whose meanings are not in `meanings` (extracted by an earlier build)."""
        return (k for k in keys if self.contents[k] not in self.learned)

    def __len__(self) -> int:
        return len(self.contents)

    def each(self, keys: Iterable[str]) -> Iterator[Extraction]:
        """The Extractions of the papers `keys` (of this build), in that order."""
        batch: list[str] = []
        for key in keys:
            batch.append(key)
            if len(batch) == BATCH:
                yield from self.cache.load_extractions(batch, self.contents, self.conf)
                batch = []
        if batch:
            yield from self.cache.load_extractions(batch, self.contents, self.conf)

    def forget_stale(self) -> None:
        """Delete what this build made while the extractor's files changed (see extract_stored_in)."""
        if self.stale:
            self.cache.forget(self.stale, self.conf)
            self.stale = set()


class StoredPapers(Mapping):
    """paper IRI -> node attributes (kg.graph.assemble.paper_attrs), as a Snapshot's `papers`: the
    papers are spilled to the cache's scratch table in IRI order and read back a block at a time,
    so a writer going through them in order reads each block once. Also what save_build copies."""

    def __init__(self, cache: ExtractionCache, papers: Sequence[Paper]) -> None:
        order = sorted(range(len(papers)), key=lambda i: papers[i].key)  # IRI order: one prefix, then the key
        cache.spill_papers((pos, seq, papers[seq]) for pos, seq in enumerate(order))
        self.cache = cache
        self._iris = [paper_iri(papers[seq].key) for seq in order]
        # Sorted, so a paper's position is found by bisection: no dict of every IRI besides the list.
        self._pos = SortedIndex(self._iris)
        self._lo, self._block = 0, []

    def __getitem__(self, iri: str) -> dict:
        pos = self._pos[iri]
        if not self._lo <= pos < self._lo + len(self._block):
            self._lo = pos
            self._block = self.cache.spilled_papers(pos, pos + _BLOCK)
        return paper_attrs(self._block[pos - self._lo])

    def __contains__(self, iri: object) -> bool:
        return iri in self._pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._iris)

    def __len__(self) -> int:
        return len(self._iris)

    def each_paper(self) -> Iterator[Paper]:
        """Every spilled Paper, in IRI order, read a block at a time."""
        for lo in range(0, len(self._iris), _BLOCK):
            yield from self.cache.spilled_papers(lo, lo + _BLOCK)

    def at(self, positions: Sequence[int]) -> SpilledSequence:
        """The Papers at `positions` (in IRI order) as a sequence read from the spill when sliced."""
        return SpilledSequence(self.cache, positions)


class SpilledSequence(Sequence):
    """Spilled Papers at given positions, read back when asked for: a slice (a chunk for the workers)
    reads its papers in one query and the last few slices read are kept, so the build, which slices
    the same chunk again to store what was made of it, reads each paper once."""

    _KEPT = 8  # slices kept: the chunks queued for the workers (two per worker) and the one being stored

    def __init__(self, cache: ExtractionCache, positions: Sequence[int]) -> None:
        self.cache, self.positions = cache, array("q", positions)
        self._slices: dict[tuple[int, int], list[Paper]] = {}

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, i):
        if isinstance(i, slice):
            lo, hi, step = i.indices(len(self.positions))
            if step != 1:
                return [self[j] for j in range(lo, hi, step)]
            got = self._slices.get((lo, hi))
            if got is None:
                got = self._read(self.positions[lo:hi])
                if len(self._slices) >= self._KEPT:
                    del self._slices[next(iter(self._slices))]
                self._slices[(lo, hi)] = got
            return list(got)
        return self._read([self.positions[i]])[0]

    def __iter__(self) -> Iterator[Paper]:
        for lo in range(0, len(self.positions), _BLOCK):
            yield from self._read(self.positions[lo:lo + _BLOCK])

    def _read(self, positions: Sequence[int]) -> list[Paper]:
        out: list[Paper] = []
        for lo in range(0, len(positions), BATCH):
            out += self.cache.spilled_at(positions[lo:lo + BATCH])
        return out
