"""A build streaming its extractions and papers from its cache (kg.pipeline.stored, kg.export.html.page):
the same files and the same graph as a build that holds them, however small the batches read back."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import kg.export.html.page as page
import kg.pipeline.cache
import kg.pipeline.stored as stored
from kg.export.html.data import Lazy, materialized
from kg.graph.assemble import paper_attrs, paper_iri
from kg.ingest.papers import read_papers
from kg.pipeline.build import build
from kg.pipeline.cache import CACHE_FILENAME, ExtractionCache
from kg.pipeline.parallel import encoded_chunk
from kg.pipeline.stored import StoredPapers, extract_stored_in
from kg.records import Extraction

FIX = Path(__file__).parent / "fixtures" / "inputs"
OUTPUTS = ("graph.ttl", "graph.nt", "graph.jsonld", "graph.html", "centrality.csv", "top_methods.svg", "trends.svg")


def _build(out: Path, **kw):
    G, _ = build([FIX], out_dir=out, rdf_formats=("turtle", "ntriples", "jsonld"), **kw)
    return G, {name: (out / name).read_bytes() for name in OUTPUTS}


def test_a_streamed_build_equals_one_that_holds_everything(tmp_path, monkeypatch):
    held_graph, held = _build(tmp_path / "held", cache=False)
    # Batches of two: every paper block and extraction batch boundary is crossed many times.
    monkeypatch.setattr(stored, "_BLOCK", 2)
    monkeypatch.setattr(stored, "BATCH", 2)
    monkeypatch.setattr(page, "_JSON_BLOCK", 3)
    cold_graph, cold = _build(tmp_path / "cached", cache=True)
    warm_graph, warm = _build(tmp_path / "cached", cache=True)
    assert held == cold == warm
    for G in (cold_graph, warm_graph):  # the graph returned after the cache closed holds every paper
        assert dict(G.nodes(data=True)) == dict(held_graph.nodes(data=True))
        assert list(G.edges(keys=True, data=True)) == list(held_graph.edges(keys=True, data=True))
    db = sqlite3.connect(tmp_path / "cached" / CACHE_FILENAME)  # the papers were saved from the spill
    saved = db.execute("SELECT count(*) FROM paper").fetchone()[0]
    db.close()
    assert saved == len([n for n, d in held_graph.nodes(data=True) if d["kind"] == "paper"])


def test_stored_papers_read_back_in_any_order(tmp_path, monkeypatch):
    monkeypatch.setattr(stored, "_BLOCK", 3)
    papers = read_papers([FIX]).papers
    with ExtractionCache(tmp_path / "c.sqlite3") as cache:
        table = StoredPapers(cache, papers)
        assert list(table) == sorted(paper_iri(p.key) for p in papers)
        shuffled = list(papers)
        random.Random(0).shuffle(shuffled)
        for p in shuffled:
            assert table[paper_iri(p.key)] == paper_attrs(p)
        assert paper_iri("no-such-paper") not in table
        assert [p.key for p in cache.spilled_in_order()] == [p.key for p in papers]


def test_what_is_made_while_the_extractor_changes_is_not_kept(tmp_path, monkeypatch):
    papers = read_papers([FIX]).papers[:3]
    made = lambda todo, on_progress=None: iter([encoded_chunk([Extraction(p.key) for p in todo])])  # noqa: E731
    with ExtractionCache(tmp_path / "c.sqlite3") as cache:
        monkeypatch.setattr(kg.pipeline.cache.extractor_version, "__wrapped__", lambda: "edited meanwhile")
        got = extract_stored_in(cache, papers, made, min_confidence=0.0)
        assert [ex.paper_key for ex in got.each(p.key for p in papers)] == [p.key for p in papers]
        got.forget_stale()
        assert cache.get([(p.key, p.title, p.abstract) for p in papers], min_confidence=0.0) == {}


def test_extractions_read_back_in_the_order_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(stored, "BATCH", 2)
    papers = read_papers([FIX]).papers[:5]
    made = lambda todo, on_progress=None: iter([encoded_chunk([Extraction(p.key, repos=[p.title]) for p in todo])])  # noqa: E731
    with ExtractionCache(tmp_path / "c.sqlite3") as cache:
        got = extract_stored_in(cache, papers, made, min_confidence=0.0)
        order = [p.key for p in reversed(papers)]
        assert [(ex.paper_key, ex.repos) for ex in got.each(order)] == [
            (k, [next(p.title for p in papers if p.key == k)]) for k in order]


def test_the_data_block_written_in_pieces_is_the_whole_block(monkeypatch):
    monkeypatch.setattr(page, "_JSON_BLOCK", 2)
    block = {"b": (x for x in ["<a>", "&", "é"]), "a": Lazy(lambda: {"z": list(range(5)), "y": []}),
             "c": iter([]), "d": {}, "e": [[1, 2], {"k": None}], "f": 1.5}
    pieces: list[str] = []
    whole = page._json_for_script(materialized({**block, "b": iter(["<a>", "&", "é"]),
                                                "a": Lazy(lambda: {"z": list(range(5)), "y": []}), "c": iter([])}))
    page._write_json(block, pieces.append)
    assert "".join(pieces) == whole and len(pieces) > 3


def test_loaded_mentions_share_their_names_and_confidences():
    from kg.pipeline.cache_json import extraction_from_json, extraction_to_json
    from kg.records import Claim, Mention

    text = extraction_to_json(Extraction("k", [Mention("Fast" + "Net", "method", 0.75, aliases=("F" + "N",))],
                                         [Claim("Fast" + "Net", "evaluatesOn", "SQuAD", "FastNet on SQuAD.", 0.75)]))
    a, b = extraction_from_json("a", text), extraction_from_json("b", text)
    assert a == Extraction("a", b.mentions, b.claims)
    ma, mb = a.mentions[0], b.mentions[0]
    assert ma.text is mb.text and ma.kind is mb.kind and ma.aliases[0] is mb.aliases[0]
    assert ma.confidence is mb.confidence and a.claims[0].subject is b.claims[0].subject
