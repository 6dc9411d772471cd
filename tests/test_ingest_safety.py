"""Ingest against hostile input: huge numbers, unprintable file names, unreadable folders, the build's
own outputs inside an input folder, and runaway lines. Each input spoils one record or file, never the build."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.ingest.text
from kg.cli import EXIT_SKIPPED, cli
from kg.ingest.papers import read_papers

GOOD = {"title": "FastNet: Fast Networks for Everything", "abstract": "We propose FastNet. It beats SlowNet on ToySet."}


def jsonl(path: Path, *records: dict | str) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


def record(n: int, **fields) -> str:
    """A JSON Lines record whose fields may be raw JSON text (an integer too long for json.dumps)."""
    body = {"title": json.dumps(f"Paper number {n} on segmentation"), "abstract": json.dumps(f"Abstract {n} of a paper."),
            **fields}
    return "{" + ", ".join(f'"{k}": {v}' for k, v in body.items()) + "}"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


# --- huge integers ---------------------------------------------------------------------------

@pytest.mark.parametrize("digits", [401, 5000])
def test_huge_integer_id_spoils_only_its_own_field(tmp_path, digits):
    f = jsonl(tmp_path / "p.jsonl", record(1, id="7" * digits), record(2))
    r = read_papers([f])
    assert [p.title for p in r.papers] == ["Paper number 1 on segmentation", "Paper number 2 on segmentation"]
    assert not r.skipped
    if digits <= kg.ingest.text.MAX_INT_DIGITS:  # exact as text: an id, like any numeric id
        assert r.papers[0].id == "7" * digits and not r.warnings
    else:
        assert r.papers[0].id is None
        assert [str(w) for w in r.warnings] == [f"{f}:1: id is not text (a JSON number of 5,000 digits); left out"]


@pytest.mark.parametrize("digits", [401, 5000])
def test_huge_integer_title_and_author(tmp_path, digits):
    f = jsonl(tmp_path / "p.jsonl", record(1, authors=f'["Ada Lovelace", {"9" * digits}]'),
              '{"title": %s, "abstract": "An abstract."}' % ("8" * digits), record(3))
    r = read_papers([f])
    kept = [p.title for p in r.papers]
    assert kept[0] == "Paper number 1 on segmentation" and kept[-1] == "Paper number 3 on segmentation"
    if digits <= kg.ingest.text.MAX_INT_DIGITS:
        assert kept[1] == "8" * digits and r.papers[0].authors == ("Ada Lovelace", "9" * digits)
        assert not r.skipped
    else:
        assert len(kept) == 2 and r.papers[0].authors == ("Ada Lovelace",)
        assert [str(s) for s in r.skipped] == [f"{f}:2: title is not text (a JSON number of 5,000 digits)"]
        assert [str(w) for w in r.warnings] == [f"{f}:1: an author is not text (a JSON number of 5,000 digits); left out"]


def test_huge_integer_in_a_json_array_spoils_one_record(tmp_path):
    f = tmp_path / "p.json"
    f.write_text("[%s,\n%s]\n" % (record(1, id="1" * 5000), record(2, date="2" * 401)), encoding="utf-8")
    r = read_papers([f])
    assert len(r.papers) == 2 and not r.skipped and r.papers[0].id is None


def test_huge_integer_build_counts_the_skip(tmp_path):
    f = jsonl(tmp_path / "p.jsonl", json.dumps(GOOD), '{"title": %s, "abstract": "x y"}' % ("1" * 5000),
              '{"id": %s, "title": "Second Paper on Graphs", "abstract": "A b."}' % ("3" * 401))
    result = run("build", f, "--out", tmp_path / "out", "--no-cache")
    assert result.exit_code == 0, result.output
    assert f"skipped {f}:2: title is not text (a JSON number of 5,000 digits)" in result.output
    assert "papers kept:       2" in result.output and "records skipped:   1" in result.output


# --- file names ------------------------------------------------------------------------------

def test_shown_name_escapes_and_is_idempotent():
    from kg.records import Problem, shown_name

    assert shown_name("bad\udcff.jsonl") == "bad\\xff.jsonl"
    assert shown_name("a\nb\tc\u202ed.jsonl") == "a\\nb\\tc\\u202ed.jsonl"
    assert shown_name(b"bad\xff.jsonl") == "bad\\xff.jsonl"
    assert shown_name(shown_name("x\ny")) == shown_name("x\ny") == "x\\ny"
    assert shown_name("Café/ü.jsonl") == "Café/ü.jsonl"
    assert str(Problem.skip("f\nskipped g", 1, "bad\nline")) == "f\\nskipped g:1: bad\\nline"


def test_non_utf8_file_name_is_read_and_built_with_its_cache(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    name = os.fsdecode(b"bad\xff.jsonl")
    jsonl(folder / name, GOOD, {"title": "No abstract here"})
    r = read_papers([folder])
    assert len(r.papers) == 1
    assert r.papers[0].source == f"{folder}/bad\\xff.jsonl:1"
    assert [str(s) for s in r.skipped] == [f"{folder}/bad\\xff.jsonl:2: record has no abstract"]
    out = tmp_path / "out"
    result = run("build", folder, "--out", out, "--cache")  # the cache holds sources and skips: must encode
    assert result.exit_code == 0, result.output
    assert (out / ".kg-cache.sqlite3").exists()
    assert "bad\\xff.jsonl:2: record has no abstract" in result.output
    again = run("build", folder, "--out", out, "--cache")
    assert again.exit_code == 0, again.output


def test_non_utf8_file_named_on_the_command_line_builds_with_cache(tmp_path):
    f = jsonl(tmp_path / os.fsdecode(b"named\xfe.jsonl"), GOOD)
    result = run("build", f, "--out", tmp_path / "out", "--cache")  # the cache also keeps the inputs' names
    assert result.exit_code == 0, result.output
    assert "papers kept:       1" in result.output


def test_file_name_with_newline_gives_one_message_line(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    jsonl(folder / "x.jsonl\nskipped fake.jsonl:1: forged.jsonl", GOOD, {"title": "Only a Title"})
    result = run("build", folder, "--out", tmp_path / "out", "--no-cache")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "skipped" in line and "fake" in line]
    assert lines == [f"skipped {folder}/x.jsonl\\nskipped fake.jsonl:1: forged.jsonl:2: record has no abstract"]


# --- unreadable folders ----------------------------------------------------------------------

@pytest.fixture
def locked_folder(tmp_path, monkeypatch):
    """papers/ with a readable file and a subfolder `locked` that cannot be listed (tests run as root,
    so chmod 000 would not stop them: os.scandir is made to refuse it)."""
    folder = tmp_path / "papers"
    (folder / "locked").mkdir(parents=True)
    jsonl(folder / "locked" / "hidden.jsonl", {"title": "Locked Away", "abstract": "Never read."})
    jsonl(folder / "open.jsonl", GOOD)
    real = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return folder


def test_unreadable_subfolder_is_a_skip(locked_folder):
    r = read_papers([locked_folder])
    assert [p.title for p in r.papers] == [GOOD["title"]]
    assert [str(s) for s in r.skipped] == [f"{locked_folder}/locked: folder cannot be read (Permission denied); "
                                           "its files are not read"]
    assert r.records_read == 1  # a folder is no record


def test_unreadable_subfolder_fails_strict(locked_folder, tmp_path):
    result = run("build", locked_folder, "--out", tmp_path / "out", "--no-cache", "--strict")
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert f"skipped {locked_folder}/locked: folder cannot be read (Permission denied)" in result.output


def test_unreadable_input_folder_is_one_skip(tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    monkeypatch.setattr(os, "scandir", lambda path=".": (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    r = read_papers([folder])
    assert [s.reason for s in r.skipped] == ["folder cannot be read (Permission denied); its files are not read"]


# --- the build's own outputs -----------------------------------------------------------------

def test_out_folder_inside_the_input_is_not_read_back(tmp_path):
    papers = tmp_path / "papers"
    papers.mkdir()
    jsonl(papers / "p.jsonl", GOOD, {"title": "Second Paper on Graphs", "abstract": "We study graphs."})
    first = run("build", papers, "--out", papers / "out", "--strict")
    assert first.exit_code == 0, first.output
    second = run("build", papers, "--out", papers / "out", "--strict")
    assert second.exit_code == 0, second.output
    assert "records read:      2" in second.output and "records skipped:   0" in second.output
    assert "centrality.csv" not in second.output.split("records read")[0]  # no message about the outputs
    # --no-cache leaves no cache file: graph.html beside centrality.csv still marks the folder.
    third = run("build", papers, "--out", papers / "out", "--strict", "--no-cache")
    assert third.exit_code == 0 and "records read:      2" in third.output


def test_build_does_not_read_its_out_folder(tmp_path):
    papers = tmp_path / "papers"
    (papers / "out").mkdir(parents=True)
    jsonl(papers / "p.jsonl", GOOD)
    jsonl(papers / "out" / "old.jsonl", {"title": "Left In The Out Folder", "abstract": "A b."})
    result = run("build", papers, "--out", papers / "out", "--no-cache")
    assert result.exit_code == 0, result.output
    assert "records read:      1" in result.output


def test_excluded_folder_and_out_equal_to_input(tmp_path):
    papers = tmp_path / "papers"
    (papers / "out").mkdir(parents=True)
    jsonl(papers / "p.jsonl", GOOD)
    jsonl(papers / "out" / "notes.jsonl", {"title": "Read Only If Not Excluded", "abstract": "A b."})
    assert len(read_papers([papers]).papers) == 2
    assert len(read_papers([papers], exclude=[papers / "out"]).papers) == 1
    # `kg build papers/ --out papers/`: the input folder holds the outputs; only they are left out.
    (papers / "centrality.csv").write_text("rank,label,pagerank,papers,iri\n", encoding="utf-8")
    (papers / "graph.html").write_text("<html></html>\n", encoding="utf-8")
    r = read_papers([papers], exclude=[papers / "out"])
    assert [p.title for p in r.papers] == [GOOD["title"]] and not r.skipped and not r.warnings


def test_output_files_are_the_ones_a_build_writes(tmp_path):
    from kg.ingest.papers import OUTPUT_FILES

    out = tmp_path / "out"
    result = run("build", jsonl(tmp_path / "p.jsonl", GOOD), "--out", out, "--no-cache",
                 "--rdf-format", "turtle,ntriples,jsonld")
    assert result.exit_code == 0, result.output
    assert {f.name for f in out.iterdir() if not f.name.startswith(".")} <= OUTPUT_FILES  # hidden ones are never read


# --- runaway lines ---------------------------------------------------------------------------

def _streamed_file(path: Path, long_chars: int) -> Path:
    """More than STREAM_MIN_BYTES of JSON Lines (so it is streamed), with one runaway line of NULs."""
    good = [json.dumps({"title": f"Paper {i} on Graph Learning", "abstract": "x " * 300}) for i in range(2000)]
    with path.open("w", encoding="utf-8") as f:
        f.write("\n".join(good[:1000]) + "\n")
        f.write('{"title": "Runaway", "abstract": "' + "\0" * long_chars + '"}\n')
        f.write("\n".join(good[1000:]) + "\n")
    assert path.stat().st_size > kg.ingest.text.STREAM_MIN_BYTES
    return path


def _peak_reading(path: Path):
    tracemalloc.start()
    try:
        r = read_papers([path])
        return r, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_runaway_line_is_skipped_in_bounded_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(kg.ingest.text, "MAX_LINE_CHARS", 64 * 1024)
    f = _streamed_file(tmp_path / "big.jsonl", 8 << 20)
    r, peak = _peak_reading(f)
    assert len(r.papers) == 2000
    assert [str(s) for s in r.skipped] == [f"{f}:1001: line is {(8 << 20) + 36:,} characters long (at most 65,536); not read"]
    _, peak_without = _peak_reading(_streamed_file(tmp_path / "small.jsonl", 10))
    # The line alone is 8 MiB: reading it whole would hold it at least once.
    assert peak < peak_without + (2 << 20), (peak, peak_without)


@pytest.mark.parametrize("streamed", [False, True])
def test_long_line_same_problem_streamed_or_not(tmp_path, monkeypatch, streamed):
    monkeypatch.setattr(kg.ingest.text, "MAX_LINE_CHARS", 1000)
    f = _streamed_file(tmp_path / "big.jsonl", 2000)
    if not streamed:  # read whole, as a small file is
        monkeypatch.setattr(kg.ingest.text, "STREAM_MIN_BYTES", 1 << 30)
    r = read_papers([f])
    assert [str(s) for s in r.skipped] == [f"{f}:1001: line is 2,036 characters long (at most 1,000); not read"]
    assert len(r.papers) == 2000


def test_long_line_in_csv_and_listing(tmp_path, monkeypatch):
    monkeypatch.setattr(kg.ingest.text, "MAX_LINE_CHARS", 100)
    csv_file = tmp_path / "p.csv"
    csv_file.write_text("title,abstract\nFirst Paper,An abstract.\nRunaway," + "y" * 300
                        + "\nThird Paper,Another abstract.\n", encoding="utf-8")
    r = read_papers([csv_file])
    assert [p.title for p in r.papers] == ["First Paper", "Third Paper"]
    assert [str(s) for s in r.skipped] == [f"{csv_file}:3: line is 308 characters long (at most 100); not read"]
    listing = tmp_path / "page.txt"
    listing.write_text("First Paper\nAn abstract.\n" + "T" * 300 + "\nIts abstract.\nThird Paper\nAnother one.\n",
                       encoding="utf-8")
    r = read_papers([listing])
    assert [p.title for p in r.papers] == ["First Paper", "Third Paper"]
    assert [str(s) for s in r.skipped] == [f"{listing}:3: line is 300 characters long (at most 100); not read; "
                                           "nor the line after it, its abstract"]
