"""What `kg build` does to an output folder it shares or cannot fully write: one build at a time, all
outputs or none, a stored build that must match its outputs, a damaged cache set aside, one-line errors."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.pipeline.build
import kg.pipeline.cache
import kg.pipeline.outputs
from kg.atomic import atomic_open, folder_lock
from kg.cli import cli
from kg.errors import InputError, OutputError
from kg.ingest.papers import read_papers
from kg.pipeline.build import build
from kg.pipeline.cache import CACHE_FILENAME, ExtractionCache, extractor_version
from kg.records import Extraction

FIX = Path(__file__).parent / "fixtures" / "inputs"
OLD, NEW = FIX / "papers.jsonl", FIX / "papers.csv"


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the map's header date


def kg_build(*args) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", *map(str, args)])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def outputs(out: Path) -> dict[str, bytes]:
    """Every file in `out` but the cache and the lock (which a build may touch without changing any output)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())
            if p.is_file() and not p.name.startswith((CACHE_FILENAME, ".kg-build.lock"))}


def error_line(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), output
    return lines[0]


# --- one build at a time ---------------------------------------------------------------------------

def test_a_build_into_a_folder_another_build_holds_stops_with_one_line(tmp_path):
    out = tmp_path / "out"
    build([OLD], out_dir=out)
    before = outputs(out)
    with folder_lock(out):  # what a running build holds
        code, output = kg_build(NEW, "--out", out)
    assert code == 1
    assert error_line(output) == f"Error: another build is writing to {out}; wait for it to finish or use another --out"
    assert outputs(out) == before


def test_only_temp_files_of_dead_writers_are_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = out / f".graph.ttl.{gone.pid}-k1ll3d.tmp"
    live = out / f".graph.ttl.{os.getppid()}-w0rk1n.tmp"  # the test runner's parent: alive, not this process
    unknown = out / ".graph.html.n0p1d.tmp"  # no writer id: nothing proves it stale
    for p in (dead, live, unknown):
        p.write_text("half a file")
    build([OLD], out_dir=out)
    assert not dead.exists()
    assert live.read_text() == unknown.read_text() == "half a file"


def test_temp_names_carry_the_writer_pid(tmp_path):
    with atomic_open(tmp_path / "graph.ttl") as f:
        (name,) = [p.name for p in tmp_path.iterdir()]
        f.write("x")
    assert name.startswith(f".graph.ttl.{os.getpid()}-") and name.endswith(".tmp")


# --- all outputs or none ---------------------------------------------------------------------------

def _full_disk_in(monkeypatch, writer: str) -> None:
    """Make kg.pipeline.build's `writer` write part of its file and then find the disk full."""

    def fail(snap, *args, **kwargs):
        path = next(a for a in (*args, *kwargs.values()) if isinstance(a, Path))
        with atomic_open(path) as f:
            f.write("<partial")
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(kg.pipeline.build, writer, fail)


@pytest.mark.parametrize("update", [False, True], ids=["build", "update"])
def test_a_full_disk_midway_leaves_every_old_output_unchanged(tmp_path, monkeypatch, update):
    out = tmp_path / "out"
    build([OLD], out_dir=out, rdf_formats=("turtle", "ntriples"), cache=True)
    before = outputs(out)
    # The RDF files are written first, the centrality CSV last: the disk fills up after the rest is done.
    _full_disk_in(monkeypatch, "write_centrality_csv_snapshot")
    with pytest.raises(OutputError) as e:
        build([NEW] if update else [OLD, NEW], out_dir=out, rdf_formats=("turtle", "ntriples"), cache=True,
              update=update)
    assert str(e.value) == (f"disk full: cannot write the outputs to {out} (No space left on device); "
                            "the previous outputs are unchanged")
    assert outputs(out) == before  # byte for byte, and no temp file left behind
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # The stored build still describes the old outputs: an update goes on from them.
    _, summary = build([NEW], out_dir=out, rdf_formats=("turtle", "ntriples"), cache=True, update=True)
    assert summary.patched is not None


def test_a_full_disk_while_saving_the_cache_leaves_every_old_output_unchanged(tmp_path, monkeypatch):
    out = tmp_path / "out"
    build([OLD], out_dir=out, cache=True)
    before = outputs(out)

    def full(self, *args, **kwargs):
        e = sqlite3.OperationalError("database or disk is full")
        e.sqlite_errorcode = sqlite3.SQLITE_FULL
        raise e

    monkeypatch.setattr(kg.pipeline.cache.ExtractionCache, "save_build", kg.pipeline.cache._guarded(full))
    with pytest.raises(OutputError, match=f"^disk full: cannot write the cache {out / CACHE_FILENAME}"):
        build([OLD, NEW], out_dir=out, cache=True)
    assert outputs(out) == before


def test_a_full_disk_is_one_line_from_the_cli(tmp_path, monkeypatch):
    out = tmp_path / "out"
    build([OLD], out_dir=out)
    before = outputs(out)
    _full_disk_in(monkeypatch, "write_html_snapshot")
    code, output = kg_build(OLD, NEW, "--out", out, "-q")
    assert code == 1
    assert error_line(output).startswith(f"Error: disk full: cannot write the outputs to {out}")
    assert outputs(out) == before


# --- ordinary OS errors ------------------------------------------------------------------------------

def test_an_out_path_under_a_regular_file_is_one_line(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    code, output = kg_build(OLD, "--out", tmp_path / "afile" / "sub")
    assert code == 1
    assert error_line(output) == (f"Error: cannot use {tmp_path / 'afile' / 'sub'} as the output folder: "
                                  "a part of that path is a file, not a folder")


def test_a_read_only_out_is_one_line(tmp_path, monkeypatch):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        if os.access(out, os.W_OK):  # root writes anyway: make the writes fail as they would for a user
            real_open = os.open

            def refuse(path, flags, *args, **kwargs):
                if Path(path).parent == out and flags & os.O_CREAT:
                    raise PermissionError(errno.EACCES, "Permission denied", str(path))
                return real_open(path, flags, *args, **kwargs)

            monkeypatch.setattr(os, "open", refuse)
        code, output = kg_build(OLD, "--out", out, "--no-cache")
    finally:
        out.chmod(0o755)
    assert code == 1
    assert error_line(output) == f"Error: cannot write to {out}: Permission denied (choose another --out)"


# --- stale outputs of other formats ------------------------------------------------------------------

def test_rdf_files_an_earlier_build_wrote_are_removed_and_said_so(tmp_path):
    out = tmp_path / "out"
    build([OLD, NEW], out_dir=out, rdf_formats=("turtle", "ntriples", "jsonld"))
    (out / "graph.nt.bak").write_text("mine")
    (out / "notes.txt").write_text("mine")
    code, output = kg_build(OLD, "--out", out, "--rdf-format", "ntriples")
    assert code == 0, output
    assert "removed stale graph.ttl from an earlier build" in output.splitlines()
    assert "removed stale graph.jsonld from an earlier build" in output.splitlines()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "centrality.csv", "graph.html", "graph.nt", "graph.nt.bak", "notes.txt", "top_methods.svg", "trends.svg"]


# --- --update must build on the outputs it is given --------------------------------------------------

def test_update_over_outputs_of_another_build_stops_and_says_how_to_rebuild(tmp_path):
    mine, other = tmp_path / "mine", tmp_path / "other"
    build([OLD], out_dir=mine, cache=True)
    build([FIX / "listing.txt"], out_dir=other, cache=True)
    for name, data in outputs(other).items():  # the outputs copied over, the hidden cache not
        (mine / name).write_bytes(data)
    before = outputs(mine)
    code, output = kg_build(NEW, "--out", mine, "--update")
    assert code == 1
    assert error_line(output) == (
        f"Error: --update: {mine / 'graph.ttl'} does not match the build recorded in {mine / CACHE_FILENAME} "
        "(copied from another build, or edited); run kg build with all inputs (the earlier ones and the new) "
        "without --update")
    assert outputs(mine) == before


def test_update_after_a_same_size_edit_with_the_old_mtime_stops(tmp_path):
    out = tmp_path / "out"
    build([OLD], out_dir=out, cache=True)
    ttl = out / "graph.ttl"
    st = ttl.stat()
    data = ttl.read_bytes()
    i = data.index(b'rdfs:label "') + len(b'rdfs:label "')
    ttl.write_bytes(data[:i] + (b"Q" if data[i:i + 1] != b"Q" else b"R") + data[i + 1:])
    os.utime(ttl, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(InputError, match="graph.ttl does not match the build recorded in"):
        build([NEW], out_dir=out, cache=True, update=True)


def test_a_whole_build_folder_copied_elsewhere_still_updates(tmp_path, monkeypatch):
    src, out = tmp_path / "src", tmp_path / "out"
    build([OLD], out_dir=src, cache=True)
    shutil.copytree(src, out)  # new inodes and ctimes, the same bytes: checked by content
    read = []
    real = kg.pipeline.outputs._digest
    monkeypatch.setattr(kg.pipeline.outputs, "_digest", lambda p: read.append(p.name) or real(p))
    _, summary = build([NEW], out_dir=out, cache=True, update=True)
    assert summary.patched is not None
    assert read[0] == "graph.ttl"
    read.clear()
    # Untouched since that update: checked by inode, size, mtime and ctime, without reading the file.
    _, summary = build([FIX / "arxiv.jsonl"], out_dir=out, cache=True, update=True)
    assert summary.patched is not None
    assert read and all(name.startswith(".graph.ttl.") for name in read)  # only the new temp file was hashed


def test_update_with_a_missing_output_stops(tmp_path):
    out = tmp_path / "out"
    build([OLD], out_dir=out, cache=True)
    (out / "graph.ttl").unlink()
    with pytest.raises(InputError, match="graph.ttl is missing.*without --update"):
        build([NEW], out_dir=out, cache=True, update=True)


def test_update_next_to_outputs_without_a_cache_stops(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    build([OLD], out_dir=src, cache=True)
    out.mkdir()
    for name, data in outputs(src).items():
        (out / name).write_bytes(data)
    code, output = kg_build(NEW, "--out", out, "--update")
    assert code == 1
    assert "has no cache of an earlier build" in error_line(output) and "without --update" in output
    assert not (out / CACHE_FILENAME).exists()


# --- a damaged cache ---------------------------------------------------------------------------------

def _overwrite(path: Path, at: int, n: int = 3000) -> None:
    data = bytearray(path.read_bytes())
    data[at:at + n] = b"\xff" * min(n, len(data) - at)
    path.write_bytes(bytes(data))


def test_overwritten_cache_bytes_set_the_cache_aside_and_build_afresh(tmp_path):
    out, clean = tmp_path / "out", tmp_path / "clean"
    build([OLD], out_dir=out, cache=True)
    _overwrite(out / CACHE_FILENAME, 100)  # the first page's b-tree: every use of the file fails
    code, output = kg_build(OLD, NEW, "--out", out)
    assert code == 0, output
    assert f"warning {out / CACHE_FILENAME}: damaged cache (database disk image is malformed) set aside as " \
           f"{CACHE_FILENAME}.damaged-1; building without it" in output
    assert f"cache:             damaged (database disk image is malformed); set aside as {CACHE_FILENAME}.damaged-1" \
        in output.splitlines()
    build([OLD, NEW], out_dir=clean)
    assert outputs(out) == outputs(clean)
    assert (out / f"{CACHE_FILENAME}.damaged-1").read_bytes().startswith(b"SQLite format 3\0")
    # The fresh cache works: an update goes on from it.
    assert kg_build(FIX / "arxiv.jsonl", "--out", out, "--update")[0] == 0


def test_edited_extraction_rows_set_the_cache_aside(tmp_path):
    out = tmp_path / "out"
    papers = read_papers([OLD]).papers
    with ExtractionCache(out / CACHE_FILENAME, version=extractor_version()) as c:
        c.put([(p.title, p.abstract, Extraction(p.key, [], [], [])) for p in papers], min_confidence=0.0)
    db = sqlite3.connect(out / CACHE_FILENAME)
    db.execute("UPDATE extraction SET data = '{'")
    db.commit()
    db.close()
    _, summary = build([OLD], out_dir=out, cache=True)
    assert (out / f"{CACHE_FILENAME}.damaged-1").exists()
    assert any(line.startswith("cache:             damaged (Expecting property name") for line in summary.lines())
    assert summary.nodes["method"] > 0  # extracted afresh, not from the empty edited rows


@pytest.mark.parametrize("damage", ["bytes", "papers", "paper shape", "state", "meta"])
def test_update_from_a_damaged_cache_stops_with_one_line(tmp_path, damage):
    out = tmp_path / "out"
    build([OLD], out_dir=out, cache=True)
    cache = out / CACHE_FILENAME
    if damage == "bytes":
        _overwrite(cache, 100)
    else:
        db = sqlite3.connect(cache)
        db.execute({"papers": "DELETE FROM paper WHERE seq = 0",
                    "paper shape": """UPDATE paper SET data = '{"x": 1}'""",
                    "state": "UPDATE state SET data = X'00' WHERE name = 'resolver'",
                    "meta": "UPDATE meta SET value = '{' WHERE name = 'build'"}[damage])
        db.commit()
        db.close()
    before = outputs(out)
    saved = cache.read_bytes()
    code, output = kg_build(NEW, "--out", out, "--update")
    assert code == 1
    line = error_line(output)
    assert line.startswith(f"Error: the cache {cache} is damaged (")
    assert "run kg build with all inputs (the earlier ones and the new) without --update" in line
    assert outputs(out) == before and cache.read_bytes() == saved  # nothing touched: the user decides
    # and the rebuild the message asks for works
    code, output = kg_build(OLD, NEW, "--out", out)
    assert code == 0, output


def test_a_damaged_cache_with_no_cache_is_set_aside_not_a_traceback(tmp_path):
    out = tmp_path / "out"
    build([OLD], out_dir=out, cache=True)
    _overwrite(out / CACHE_FILENAME, 100)
    code, output = kg_build(OLD, "--out", out, "--no-cache")
    assert code == 0, output
    assert (out / f"{CACHE_FILENAME}.damaged-1").exists() and not (out / CACHE_FILENAME).exists()
