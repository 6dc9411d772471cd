"""The extraction cache and `kg build --update` (kg.pipeline.cache, kg.pipeline.update): reuse never changes the output."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.pipeline.parallel
from kg.cli import cli
from kg.errors import InputError
from kg.ingest.papers import read_papers
from kg.pipeline.build import build
from kg.pipeline.cache import (
    CACHE_FILENAME,
    ExtractionCache,
    content_key,
    extraction_from_json,
    extraction_to_json,
    extractor_version,
)
from kg.pipeline.parallel import extract_parallel
from kg.records import Claim, Extraction, Mention

FIX = Path(__file__).parent / "fixtures" / "inputs"
FILES = sorted(FIX.iterdir())
COMPARED = ("graph.ttl", "graph.nt", "centrality.csv")
KG_DIR = Path(kg.pipeline.parallel.__file__).parent.parent


def _build(inputs, out: Path, **kw) -> dict[str, bytes]:
    build(inputs, out_dir=out, rdf_formats=("turtle", "ntriples"), **kw)
    return {name: (out / name).read_bytes() for name in COMPARED}


def _no_extraction(*a, **k):
    raise AssertionError("the extractor ran although every paper is cached")


def test_extractions_round_trip_through_json():
    papers = read_papers([FIX]).papers
    for ex in extract_parallel(papers, jobs=1):
        assert extraction_from_json(ex.paper_key, extraction_to_json(ex)) == ex
    ex = Extraction("k", [Mention("Ünï", "method", 0.25, True, ("U",))],
                    [Claim("Ünï", "improvesOver", "X", "Ünï beats X.", 0.5)], [])
    assert extraction_from_json("k", extraction_to_json(ex)) == ex


def test_content_key_is_title_newline_abstract():
    import hashlib

    assert content_key("T", "A") == hashlib.sha1(b"T\nA").hexdigest()


def test_builds_with_and_without_cache_are_byte_identical(tmp_path, monkeypatch):
    plain = _build([FIX], tmp_path / "plain", cache=False)
    cold = _build([FIX], tmp_path / "cached", cache=True)
    assert (tmp_path / "cached" / CACHE_FILENAME).exists() and not (tmp_path / "plain" / CACHE_FILENAME).exists()
    monkeypatch.setattr(kg.pipeline.parallel, "extract_chunks", _no_extraction)
    warm = _build([FIX], tmp_path / "cached", cache=True)
    assert plain == cold == warm


def test_cache_rows_are_json(tmp_path):
    _build([FIX], tmp_path, cache=True)
    db = sqlite3.connect(tmp_path / CACHE_FILENAME)
    rows = db.execute("SELECT data FROM extraction").fetchall() + db.execute("SELECT data FROM paper").fetchall()
    db.close()
    assert rows and all(isinstance(json.loads(d), dict) for (d,) in rows)


def test_entries_are_keyed_by_version_and_min_confidence(tmp_path):
    ex = Extraction("k1", [Mention("FooNet", "method", 0.9)], [], [])
    with ExtractionCache(tmp_path / "c.sqlite3", version="v1") as c:
        c.put([("T", "A", ex)], min_confidence=0.0)
        assert c.get([("k2", "T", "A")], min_confidence=0.0)["k2"].mentions == ex.mentions  # re-keyed
        assert c.get([("k2", "T", "A")], min_confidence=0.5) == {}
        assert c.get([("k2", "T", "B")], min_confidence=0.0) == {}
    with ExtractionCache(tmp_path / "c.sqlite3", version="v2") as c:
        assert c.get([("k1", "T", "A")], min_confidence=0.0) == {}
        assert c.prune() == 1


def test_any_rule_or_lexicon_change_changes_the_extractor_version(tmp_path):
    root = tmp_path / "kg"
    shutil.copytree(KG_DIR / "extract", root / "extract", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "data" / "lexicon").mkdir(parents=True)
    shutil.copy(KG_DIR / "records.py", root / "records.py")
    before = extractor_version(root)
    (root / "data" / "lexicon" / "datasets.jsonl").write_text('{"label": "ToySet"}\n', encoding="utf-8")
    with_lexicon = extractor_version.__wrapped__(root)
    pattern = next((root / "extract" / "patterns").iterdir())
    pattern.write_bytes(pattern.read_bytes() + b"\n")
    with_pattern = extractor_version.__wrapped__(root)
    assert len({before, with_lexicon, with_pattern}) == 3


def test_a_cache_that_is_not_a_database_is_set_aside_and_the_build_goes_on(tmp_path):
    (tmp_path / CACHE_FILENAME).write_bytes(b"not a database" * 100)
    heard = []
    _, summary = build([FIX], out_dir=tmp_path, cache=True, on_warning=heard.append)
    assert (tmp_path / f"{CACHE_FILENAME}.damaged-1").read_bytes() == b"not a database" * 100
    assert [str(w) for w in heard] == [f"{tmp_path / CACHE_FILENAME}: damaged cache (file is not a database) set "
                                       f"aside as {CACHE_FILENAME}.damaged-1; building without it"]
    assert any("set aside as .kg-cache.sqlite3.damaged-1" in line for line in summary.lines())
    with ExtractionCache(tmp_path / CACHE_FILENAME) as fresh:  # a working cache of this build replaced it
        assert fresh.load_build() is not None


def test_update_equals_a_full_rebuild(tmp_path, monkeypatch):
    # A later record repeating an earlier title (with a URL it lacked) and one sharing an arXiv id:
    # both must merge into the papers of the first build exactly as a full read merges them.
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        json.dumps({"title": "BarGAN: adversarial bars", "abstract": "Other text.",
                    "url": "https://example.org/x"}) + "\n"
        + json.dumps({"title": "FooNet - fast segmentation with folded kernels", "abstract": "x",
                      "url": "https://example.org/foonet", "authors": ["Ann Other"]}) + "\n"
        + json.dumps({"title": "Another title", "abstract": "Same arXiv paper.", "arxiv_id": "2401.00001"}) + "\n"
        + json.dumps({"title": "ZetaNet for Toy Tasks", "abstract": "We propose ZetaNet. ZetaNet outperforms "
                      "BarGAN on ChartQA."}) + "\n",
        encoding="utf-8")
    old, new = FILES[:4], FILES[4:] + [extra]
    full = _build(old + new, tmp_path / "full", cache=False)
    _build(old, tmp_path / "inc", cache=True)
    calls = []
    real = kg.pipeline.parallel.extract_chunks
    monkeypatch.setattr(kg.pipeline.parallel, "extract_chunks",
                        lambda papers, **kw: calls.append(len(papers)) or real(papers, **kw))
    _, summary = build(new, out_dir=tmp_path / "inc", rdf_formats=("turtle", "ntriples"), cache=True, update=True)
    assert {n: (tmp_path / "inc" / n).read_bytes() for n in COMPARED} == full
    assert calls == [summary.papers - len(read_papers(old).papers)]  # only the new papers were extracted
    assert summary.duplicates == 3
    # and again on top of the update: still a full rebuild's result
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"title": "Quiet Models", "abstract": "dup", "date": "2020-01-01"}) + "\n",
                    encoding="utf-8")
    full2 = _build(old + new + [more], tmp_path / "full2", cache=False)
    assert _build([more], tmp_path / "inc", cache=True, update=True) == full2


def test_update_needs_a_cached_previous_build(tmp_path):
    with pytest.raises(InputError, match="no cache of an earlier build.*with all inputs .* without --update"):
        build([FIX], out_dir=tmp_path, cache=True, update=True)
    assert not (tmp_path / CACHE_FILENAME).exists()  # and made none
    with pytest.raises(InputError, match="no-cache"):
        build([FIX], out_dir=tmp_path, cache=False, update=True)
    build(FILES[:2], out_dir=tmp_path, cache=True)
    build(FILES[:3], out_dir=tmp_path, cache=False)  # outputs replaced without state: the old state is void
    with pytest.raises(InputError, match="holds no earlier build"):
        build(FILES[3:], out_dir=tmp_path, cache=True, update=True)


def test_cli_update_and_no_cache(tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["build", *map(str, FILES[:3]), "--out", str(tmp_path), "-q"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["build", *map(str, FILES[3:]), "--out", str(tmp_path), "--update", "--jobs", "2"])
    assert res.exit_code == 0, res.output
    assert "records read:      11" in res.output and "\r" not in res.output  # no progress bar when piped
    res = runner.invoke(cli, ["build", str(FIX), "--out", str(tmp_path), "--update", "--no-cache"])
    assert res.exit_code == 1 and "--no-cache" in res.output


def test_update_reports_only_new_problems_but_counts_all(tmp_path):
    bad_old, bad_new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    bad_old.write_text('{"title": "Old Paper", "abstract": "Text."}\n{not json\n', encoding="utf-8")
    bad_new.write_text('{"title": "New Paper", "abstract": "Text."}\n{"title": "No Abstract"}\n', encoding="utf-8")
    _, full = build([bad_old, bad_new], out_dir=tmp_path / "full")
    build([bad_old], out_dir=tmp_path / "inc", cache=True)
    heard = []
    _, upd = build([bad_new], out_dir=tmp_path / "inc", cache=True, update=True, on_skip=heard.append)
    assert [(s.path, s.line) for s in heard] == [(str(bad_new), 2)]
    counts = lambda s: (s.records_read, s.papers, len(s.skipped))  # noqa: E731
    assert counts(upd) == counts(full) == (4, 2, 2)


def test_a_build_without_cache_sets_an_unreadable_cache_aside(tmp_path):
    (tmp_path / CACHE_FILENAME).write_bytes(b"not a database" * 100)
    _, summary = build([FIX], out_dir=tmp_path, cache=False)
    assert not (tmp_path / CACHE_FILENAME).exists()
    assert (tmp_path / f"{CACHE_FILENAME}.damaged-1").exists()
    assert "set aside as .kg-cache.sqlite3.damaged-1" in "\n".join(summary.lines())


def test_bulk_get_gives_equal_records_and_leaves_gc_as_it_was(tmp_path):
    import gc

    exs = [Extraction(f"k{i}", [Mention(f"Net{i}", "method", 0.5, proposed=True, aliases=(f"N{i}", "x")),
                                Mention("Set", "dataset", 0.25)],
                      [Claim(f"Net{i}", "evaluatesOn", "Set", f"Net{i} is run on Set.", 0.75)], ["https://github.com/a/b"])
           for i in range(1200)]  # more than one SELECT batch
    with ExtractionCache(tmp_path / "c.sqlite3", version="v1") as c:
        c.put([(f"T{i}", "A", ex) for i, ex in enumerate(exs)], min_confidence=0.0)
        items = [(f"k{i}", f"T{i}", "A") for i in range(len(exs))] + [("new", "T?", "A")]
        assert gc.isenabled()
        got = c.get(items, min_confidence=0.0)
        assert gc.isenabled()
        gc.disable()
        try:
            assert c.get(items[:3], min_confidence=0.0) == {ex.paper_key: ex for ex in exs[:3]}
            assert not gc.isenabled()
        finally:
            gc.enable()
    assert got == {ex.paper_key: ex for ex in exs}
    assert all(type(m.aliases) is tuple for ex in got.values() for m in ex.mentions)


def test_a_cache_of_an_older_schema_is_emptied_not_misread(tmp_path):
    ex = Extraction("k", [Mention("FooNet", "method", 0.9)], [], [])
    with ExtractionCache(tmp_path / "c.sqlite3", version="v1") as c:
        c.put([("T", "A", ex)], min_confidence=0.0)
    db = sqlite3.connect(tmp_path / "c.sqlite3")
    with db:  # as a release that stored records as JSON objects left it
        db.execute("UPDATE meta SET value = '1' WHERE name = 'schema'")
        db.execute("UPDATE extraction SET data = ?", (json.dumps({"mentions": [{"text": "FooNet"}], "claims": [],
                                                                  "repos": []}),))
    db.close()
    with ExtractionCache(tmp_path / "c.sqlite3", version="v1") as c:
        assert c.get([("k", "T", "A")], min_confidence=0.0) == {}


def test_a_stored_build_keeps_which_problems_were_skips_and_which_warnings(tmp_path):
    from kg.pipeline.cache import BuildState
    from kg.records import Problem

    state = BuildState([], 3, 0, [Problem.skip("a.jsonl", 2, "record has no abstract")],
                       [Problem.warning("b.jsonl", None, "not valid UTF-8; read as Latin-1 (Windows-1252)")], ["a.jsonl"])
    with ExtractionCache(tmp_path / CACHE_FILENAME, version="v") as c:
        c.save_build(state)
    with ExtractionCache(tmp_path / CACHE_FILENAME, version="v") as c:
        back = c.load_build()
    assert back.skipped == state.skipped and back.warnings == state.warnings
    assert [p.severity for p in back.skipped + back.warnings] == ["skip", "warning"]
