"""Determinism: the same input gives byte-identical graph.ttl, graph.nt, graph.jsonld and
centrality.csv, in one process or in two with different hash seeds; the HTML differs at most where
it states the build time."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

FIX = Path(__file__).parent / "fixtures" / "inputs"
FILES = ("graph.ttl", "graph.nt", "graph.jsonld", "centrality.csv", "graph.html")
ARGS = ("--rdf-format", "turtle,ntriples,jsonld", "-q")
# Text whose order or form could wobble: ties, accents, case, RTL, emoji, aliases, shared names.
NASTY = [
    {"title": "Zeta: Ünïcode Network", "abstract": "We propose ZetaNet (ZN). ZN outperforms BERT and RoBERTa on GLUE and SQuAD."},
    {"title": "alpha: a tie", "abstract": "We propose AlphaNet. AlphaNet outperforms ZetaNet on GLUE. שלום 😀"},
    {"title": "Alpha: A Tie", "abstract": "Duplicate title by normalisation; merged."},
    {"title": "Beta \u202eNet", "abstract": "We propose BetaNet. BetaNet outperforms AlphaNet and ZetaNet on ImageNet and CIFAR-10 with top-1 accuracy."},
    {"title": "Gamma", "abstract": "GammaNet improves over BetaNet on ImageNet. Code: https://github.com/g/gamma."},
]


def _html_without_build_time(data: bytes) -> bytes:
    return re.sub(rb"<span>built [^<]*</span>", b"", data)


def _outputs(out: Path) -> dict[str, bytes]:
    got = {name: (out / name).read_bytes() for name in FILES}
    got["graph.html"] = _html_without_build_time(got["graph.html"])
    return got


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("in")
    for name in ("papers.jsonl", "arxiv.atom", "papers.csv", "listing.txt"):
        (d / name).write_bytes((FIX / name).read_bytes())
    (d / "nasty.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in NASTY), encoding="utf-8")
    return d


def test_two_builds_in_one_process_are_byte_identical(inputs, tmp_path):
    for out in ("a", "b"):
        result = CliRunner().invoke(cli, ["build", str(inputs), "--out", str(tmp_path / out), *ARGS],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
    a, b = _outputs(tmp_path / "a"), _outputs(tmp_path / "b")
    for name in FILES:
        assert a[name] == b[name], name


@pytest.mark.slow
def test_builds_in_processes_with_different_hash_seeds_are_byte_identical(inputs, tmp_path):
    children = []
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        children.append(subprocess.Popen(
            [sys.executable, "-m", "kg", "build", str(inputs), "--out", str(tmp_path / seed), *ARGS],
            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for child in children:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err.decode()
    a, b = _outputs(tmp_path / "1"), _outputs(tmp_path / "4242")
    for name in FILES:
        assert a[name] == b[name], name
