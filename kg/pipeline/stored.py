"""A build's extractions and papers kept in its cache and read back a batch at a time, not held in memory.

A build of 100,000 papers would hold every Paper (its abstract) and every Extraction (mentions, claims
and their sentences) for its whole run; each is needed only a few times, in order: the extractions
once to resolve the mentions and once to make the graph, the papers when a writer reaches them (the
RDF and the map go through the papers in sorted order). So the extractions are stored in the cache
as they come back from the workers (`extract_stored`), and the papers are spilled to a scratch table
of the cache (`StoredPapers`); both are read back in batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from kg.errors import KGError
from kg.graph.assemble import paper_attrs, paper_iri
from kg.pipeline.cache import BATCH, ExtractionCache, content_key
from kg.records import Extraction, Paper

__all__ = ["StoredExtractions", "StoredPapers", "extract_stored_in"]

#: Papers read back from the spill at a time (a writer asks for them in sorted order).
_BLOCK = 512


def extract_stored_in(
    cache: ExtractionCache,
    papers: Sequence[Paper],
    run: Callable[..., Iterable[list[Extraction]]],
    *,
    min_confidence: float,
    on_progress: Callable[[int], None] | None = None,
) -> StoredExtractions:
    """Every paper's Extraction put in `cache`, none held: those not there yet are made by
    `run(missing_papers, on_progress=...)`, which gives them a chunk at a time in order, each as the
    cache stores it (extraction_to_json), and each chunk is stored as it comes. The result reads them back in batches (StoredExtractions.each)."""
    conf = repr(float(min_confidence))
    contents = {p.key: content_key(p.title, p.abstract) for p in papers}
    present = cache.present(set(contents.values()), conf)
    missing = [p for p in papers if contents[p.key] not in present]
    del present
    if on_progress and len(missing) < len(papers):
        on_progress(len(papers) - len(missing))
    made = 0
    for chunk in run(missing, on_progress=on_progress) if missing else ():
        done = missing[made:made + len(chunk)]
        if len(done) != len(chunk):
            break
        cache.put_encoded(((p.title, p.abstract, data) for p, data in zip(done, chunk)), min_confidence=min_confidence)
        made += len(chunk)
    if made != len(missing):
        raise KGError(f"extraction returned {made} results for {len(missing)} papers")
    # Files edited while this build ran (a rule or lexicon being worked on): what was made may come
    # from either version, so it is read back for this build only and then deleted
    # (StoredExtractions.forget_stale), never served to a later build.
    stale = not cache.version_current()
    return StoredExtractions(cache, contents, conf, {contents[p.key] for p in missing} if stale else set())


class StoredExtractions:
    """The Extractions of a build's papers as they sit in its cache: read back a batch at a time, in
    the order asked, so a build never holds them all."""

    def __init__(self, cache: ExtractionCache, contents: dict[str, str], conf: str, stale: set[str]) -> None:
        self.cache, self.contents, self.conf, self.stale = cache, contents, conf, stale

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
        self._pos = {iri: pos for pos, iri in enumerate(self._iris)}
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
