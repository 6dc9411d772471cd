"""Atomic outputs: a write that fails, or a build killed with SIGKILL midway, leaves the previous
files intact; a reader never sees half a file under an output's name."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.atomic import atomic_open, atomic_write_text, output_batch
from kg.cli import cli

FIX = Path(__file__).parent / "fixtures" / "inputs"
OUTPUTS = ("graph.ttl", "graph.nt", "graph.html", "centrality.csv", "top_methods.svg", "trends.svg")
# The outputs a kill is aimed at: each differs between the two builds (the trends chart may not).
TARGETS = OUTPUTS[:5]


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "graph.ttl"
    atomic_write_text(path, "old\n")
    with pytest.raises(RuntimeError):
        with atomic_open(path) as f:
            f.write("new, but only half")
            raise RuntimeError("killed by a bug midway")
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_binary_mode_and_missing_folder(tmp_path):
    path = tmp_path / "new" / "deeper" / "graph.html"
    with atomic_open(path, "wb") as f:
        f.write(b"<!DOCTYPE html>")
    assert path.read_bytes() == b"<!DOCTYPE html>"


def test_a_batch_renames_every_file_at_its_end_or_none(tmp_path):
    a, b = tmp_path / "graph.ttl", tmp_path / "graph.html"
    atomic_write_text(a, "old a")
    atomic_write_text(b, "old b")
    with pytest.raises(OSError):
        with output_batch():
            atomic_write_text(a, "new a")
            assert a.read_text() == "old a"  # written, not yet renamed
            with atomic_open(b) as f:
                f.write("half of new b")
                raise OSError(28, "No space left on device")
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html", "graph.ttl"]  # no temp left
    with output_batch() as pending:
        atomic_write_text(a, "new a")
        atomic_write_text(b, "new b")
        assert [path for _, path in pending] == [a, b]
    assert (a.read_text(), b.read_text()) == ("new a", "new b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html", "graph.ttl"]


# The child: a real `kg build` whose writes into one output stall halfway (flushed to disk), so the
# parent can SIGKILL it at exactly that point. Nothing else of the build is changed.
CHILD = r"""
import os, sys, tempfile, time
from pathlib import Path
flag, target = Path(sys.argv[1]), sys.argv[2]
current = {}
real_mkstemp, real_fdopen = tempfile.mkstemp, os.fdopen

def mkstemp(*args, **kwargs):
    fd, name = real_mkstemp(*args, **kwargs)
    current[fd] = os.path.basename(name)
    return fd, name

class Stalling:
    def __init__(self, f, name):
        self.f, self.name = f, name
    def write(self, s):
        if self.name.startswith("." + target + "."):
            self.f.write(s[: max(1, len(s) // 2)])
            self.f.flush()
            os.fsync(self.f.fileno())
            flag.write_text(self.name)
            time.sleep(600)
        return self.f.write(s)
    def writelines(self, lines):
        for line in lines:
            self.write(line)
    def __getattr__(self, name):
        return getattr(self.f, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self.f.__exit__(*exc)

tempfile.mkstemp = mkstemp
os.fdopen = lambda fd, *a, **k: Stalling(real_fdopen(fd, *a, **k), current.get(fd, ""))
from kg.cli import cli
cli(sys.argv[3:])
"""


def build(inputs, out):
    result = CliRunner().invoke(cli, ["build", *map(str, inputs), "--out", str(out), "--rdf-format", "turtle,ntriples", "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def before_and_after(tmp_path_factory):
    """The outputs of a build of one file (there before the kill) and of the whole folder (the new build)."""
    old = build([FIX / "papers.jsonl"], tmp_path_factory.mktemp("old"))
    new = build([FIX], tmp_path_factory.mktemp("new"))
    assert all(old[n] != new[n] for n in TARGETS)
    return old, new


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("target", TARGETS)
def test_build_killed_midway_leaves_previous_outputs_intact(tmp_path, target, before_and_after):
    old, new = before_and_after
    out = tmp_path / "out"
    out.mkdir()
    for name, data in old.items():
        (out / name).write_bytes(data)

    flag = tmp_path / "stalled"
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), str(flag), target, "build", str(FIX), "--out", str(out),
         "--rdf-format", "turtle,ntriples", "-q"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the child never reached the write"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    stalled = out / flag.read_text()
    assert stalled.exists() and 0 < stalled.stat().st_size  # the kill really came mid-file
    assert (out / target).read_bytes() == old[target]  # the file being written is the old one, whole
    for name in OUTPUTS:  # every other output is whole too: the old one, or the new one if it was done
        assert (out / name).read_bytes() in (old[name], new[name]), name
    # Nothing but hidden files (the stalled temp file, a cache) sits beside the outputs, and the
    # next build replaces everything cleanly.
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(OUTPUTS)
    if target == OUTPUTS[0]:
        assert build([FIX], out) == new
        assert not list(out.glob(".*.tmp"))  # the next build removed the killed one's temp file
