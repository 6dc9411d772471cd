"""No network: the build, the HTML map and queries run with every outgoing connection refused."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.export.html.page import write_html
from kg.export.rdf import read_graph
from kg.pipeline.build import build

FIX = Path(__file__).parent / "fixtures" / "inputs"


class NetworkUsed(AssertionError):
    pass


def _refuse(*args, **kwargs):
    raise NetworkUsed(f"network access attempted: {args!r}")


@pytest.fixture
def no_network(monkeypatch):
    """Outgoing connections and name lookups raise; local sockets (AF_UNIX pipes) still work."""
    real_connect = socket.socket.connect

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _refuse(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    monkeypatch.setattr(socket, "gethostbyname", _refuse)


def test_the_guard_works(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.org", 80))
    with pytest.raises(NetworkUsed):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("93.184.216.34", 80))


def test_build_and_html_run_offline(no_network, tmp_path):
    G, summary = build([FIX], out_dir=tmp_path, rdf_formats=("turtle", "ntriples", "jsonld"))
    assert summary.papers == 11 and (tmp_path / "graph.html").stat().st_size > 0
    write_html(read_graph(tmp_path / "graph.ttl"), tmp_path / "again.html", build_date="2024-01-01")
    result = CliRunner().invoke(cli, ["centrality", "--graph", str(tmp_path / "graph.ttl"), "--top", "3"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_query_runs_offline(no_network, tmp_path):
    pytest.importorskip("kg.sparql.query", reason="kg.sparql.query is not written yet")
    build([FIX / "papers.jsonl"], out_dir=tmp_path)
    result = CliRunner().invoke(cli, ["query", "SELECT ?t WHERE { ?p dcterms:title ?t }", "--graph",
                                      str(tmp_path / "graph.ttl"), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


# Every Python process started with this on its path (workers too) refuses outgoing connections.
SITECUSTOMIZE = '''
import socket
def _refuse(*a, **k):
    raise OSError("paperkg test: network access attempted")
_real = socket.socket.connect
def _connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse()
    return _real(self, address)
socket.socket.connect = socket.socket.connect_ex = _connect
socket.create_connection = socket.getaddrinfo = _refuse
'''


@pytest.mark.slow
def test_kg_command_runs_offline_in_a_fresh_process(tmp_path):
    (tmp_path / "guard").mkdir()
    (tmp_path / "guard" / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path / "guard"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('example.org', 80))"],
                           env=env, capture_output=True, text=True)
    assert "network access attempted" in probe.stderr  # the guard is live in child processes
    done = subprocess.run([sys.executable, "-m", "kg", "build", str(FIX), "--out", str(tmp_path / "out"),
                           "--rdf-format", "turtle,ntriples"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "network access attempted" not in done.stderr
