"""A build that never holds every paper, every RDF subject or a whole blob's text at once writes what a
build holding them wrote (kg.pipeline.stored, kg.export.rdf.triples, kg.graph.snapshot.to_blobs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg.graph.snapshot as snapshot
import kg.pipeline.stored as stored
from conftest import R, make_tiny_graph
from kg.export.rdf import write_rdf_formats
from kg.export.rdf.triples import _SnapshotSource
from kg.graph.snapshot import Snapshot, SortedIndex
from kg.ingest.papers import read_papers
from kg.pipeline.build import build
from kg.pipeline.cache import CACHE_FILENAME, CacheDamagedError, ExtractionCache
from kg.pipeline.parallel import encoded_chunk
from kg.pipeline.stored import StoredPapers, extract_stored_in
from kg.records import Extraction

FIX = Path(__file__).parent / "fixtures" / "inputs"
OUTPUTS = ("graph.ttl", "graph.nt", "graph.jsonld", "graph.html", "centrality.csv", "top_methods.svg", "trends.svg")


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_blobs_encoded_a_slice_at_a_time_are_the_whole_json(monkeypatch):
    snap = Snapshot.from_graph(make_tiny_graph())
    assert len(snap.claims) >= 2 and len(snap.nodes) >= 5
    whole = snap.to_blobs()
    claims = [[u, v, r, list(cs)] for (u, v, r), cs in sorted(snap.claims.items())]
    assert whole["claims"] == json.dumps(claims, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    assert whole["nodes"] == "\n".join(snap.nodes).encode()
    for size in (1, 2, 3):  # slice boundaries everywhere, and a last slice full or not
        monkeypatch.setattr(snapshot, "_SLICE", size)
        assert snap.to_blobs() == whole
    assert Snapshot.from_blobs(whole, snap.papers).claims == snap.claims


def test_empty_blobs_are_the_whole_json(monkeypatch):
    monkeypatch.setattr(snapshot, "_SLICE", 1)
    assert snapshot._dumps_array(iter([])) == b"[]"
    assert snapshot._joined_lines([]) == b""


def _written(G, tmp_path: Path, name: str) -> dict[str, bytes]:
    paths = {fmt: tmp_path / f"{name}.{fmt}" for fmt in ("turtle", "ntriples", "jsonld")}
    write_rdf_formats(G, paths)
    return {fmt: p.read_bytes() for fmt, p in paths.items()}


def test_papers_are_streamed_when_their_terms_sort_as_their_iris(tmp_path):
    G = make_tiny_graph()
    snap = Snapshot.from_graph(G)
    source = _SnapshotSource(snap)
    listed = {e[0] for e in source.entries()}
    papers = [n for n in snap.nodes if snap.kind_of(n) == "paper"]
    assert papers and not {f"<{p}>" for p in papers} & listed  # not held in the list to sort
    assert [e[2] for e in source.streamed()] == papers
    assert _written(snap, tmp_path, "snap") == _written(G, tmp_path, "nx")


def test_papers_whose_terms_sort_otherwise_are_sorted_with_the_rest(tmp_path):
    # "<.../a-b>" sorts before "<.../a>" ("-" before ">") though "a" sorts before "a-b"; "a b" is
    # percent-encoded. The writer must not stream these in node order.
    G = make_tiny_graph()
    for key in ("a", "a-b", "a b"):
        G.add_node(R + f"paper/{key}", kind="paper", label=key, title=key, authors=("X",))
        G.add_edge(R + f"paper/{key}", R + "dataset/toyset", key="mentions", rel="mentions")
    snap = Snapshot.from_graph(G)
    source = _SnapshotSource(snap)
    assert f"<{R}paper/a>" in {e[0] for e in source.entries()} and list(source.streamed()) == []
    assert _written(snap, tmp_path, "snap") == _written(G, tmp_path, "nx")


def test_spilled_papers_are_read_back_by_position_once_per_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(stored, "_BLOCK", 2)
    monkeypatch.setattr(stored, "BATCH", 2)
    papers = read_papers([FIX]).papers
    assert len(papers) >= 6
    with ExtractionCache(tmp_path / "c.sqlite3") as cache:
        table = StoredPapers(cache, papers)
        in_iri_order = sorted(papers, key=lambda p: p.key)
        assert [p.key for p in table.each_paper()] == [p.key for p in in_iri_order]
        some = table.at([5, 0, 3])
        assert len(some) == 3 and [p.key for p in some] == [in_iri_order[i].key for i in (5, 0, 3)]
        assert some[-1] == in_iri_order[3] and some[1:] == [in_iri_order[0], in_iri_order[3]]
        reads = []
        real = cache.spilled_at
        monkeypatch.setattr(cache, "spilled_at", lambda pos: reads.append(list(pos)) or real(pos))
        every = table.at(range(len(papers)))
        assert every[0:3] == in_iri_order[0:3] and every[0:3] == in_iri_order[0:3]
        assert reads == [[0, 1], [2]]  # the second slice of one chunk is not read again


def test_extraction_of_spilled_papers_reads_them_a_chunk_at_a_time(tmp_path):
    papers = read_papers([FIX]).papers
    seen = []

    def run(todo, on_progress=None):  # as the worker pool does: a slice per chunk
        for i in range(0, len(todo), 2):
            chunk = todo[i:i + 2]
            seen.append([p.key for p in chunk])
            yield encoded_chunk([Extraction(p.key, repos=[p.title]) for p in chunk])  # as the workers send them

    with ExtractionCache(tmp_path / "c.sqlite3") as cache:
        table = StoredPapers(cache, papers)
        got = extract_stored_in(cache, table, run, min_confidence=0.0)
        assert max(len(c) for c in seen) == 2 and sorted(k for c in seen for k in c) == sorted(p.key for p in papers)
        assert [(ex.paper_key, ex.repos) for ex in got.each([p.key for p in papers])] == \
            [(p.key, [p.title]) for p in papers]
        seen.clear()
        extract_stored_in(cache, table, run, min_confidence=0.0)  # all stored now: nothing to make
        assert seen == []


def test_a_cache_found_damaged_while_spilled_papers_are_extracted_is_set_aside(tmp_path, monkeypatch):
    build([FIX], out_dir=tmp_path / "held", cache=False, rdf_formats=("turtle", "ntriples", "jsonld"))
    real, calls = ExtractionCache.present, []

    def present(self, contents, conf):
        calls.append(self.path)
        if len(calls) == 1:
            raise CacheDamagedError(self.path, ValueError("edited"))
        return real(self, contents, conf)

    monkeypatch.setattr(ExtractionCache, "present", present)
    out = tmp_path / "cached"
    _, summary = build([FIX], out_dir=out, cache=True, rdf_formats=("turtle", "ntriples", "jsonld"))
    assert len(calls) == 2 and (out / f"{CACHE_FILENAME}.damaged-1").exists()
    assert any(line.startswith("cache:             damaged (edited)") for line in summary.lines())
    assert _outputs(out) == _outputs(tmp_path / "held")


def test_a_snapshots_index_is_found_by_bisection_as_a_dict_would_give_it():
    snap = Snapshot.from_graph(make_tiny_graph())
    snap._index = None  # as a built or loaded Snapshot has it: made when asked for
    index, as_dict = snap.index, {n: i for i, n in enumerate(snap.nodes)}
    assert isinstance(index, SortedIndex) and dict(index) == as_dict and len(index) == len(as_dict)
    for n in snap.nodes:
        assert index[n] == as_dict[n] and n in index and index.get(n) == as_dict[n]
    for missing in ("", R, snap.nodes[0] + "x", "zzz", None, 3):
        assert missing not in index and index.get(missing, -1) == -1
    with pytest.raises(KeyError):
        index["zzz"]
    unsorted = Snapshot(snap.nodes[::-1], snap.kind[::-1], snap.src[:0], snap.dst[:0], snap.rel[:0])
    assert unsorted.index == {n: i for i, n in enumerate(snap.nodes[::-1])}  # not bisected: a dict
