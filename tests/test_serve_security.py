"""The endpoint against hostile web pages and clients: SERVICE, CORS, Host, bodies, time, rows, connections."""

from __future__ import annotations

import http.client
import json
import os
import socket
import urllib.parse

import pytest
from click.testing import CliRunner

from conftest import make_tiny_graph, running_endpoint
from kg.cli import cli
from kg.export.rdf import write_rdf

ALLOWED = "https://allowed.example"
PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 20000000"
HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("sec") / "graph.ttl"
    write_rdf(make_tiny_graph(), path)
    return path


@pytest.fixture(scope="module")
def server(graph):
    with running_endpoint(graph, timeout=1.0, max_rows=50, workers=2, cors_origins=[ALLOWED]) as server:
        yield server


def request(server, method="GET", query=None, body=None, headers=None, host=None):
    """(status, headers dict with lower-case names, body text) of one request."""
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=20)
    path = "/sparql" + ("?" + urllib.parse.urlencode({"query": query}) if query else "")
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host if host is not None else f"127.0.0.1:{server.server_port}")
    for k, v in (headers or {}).items():
        conn.putheader(k, v)
    if body is not None:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    resp = conn.getresponse()
    out = resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode()
    conn.close()
    return out


def test_service_is_refused_over_http(server, recorder):
    q = f"SELECT * WHERE {{ SERVICE SILENT <{recorder.url}sparql> {{ ?s ?p ?o }} }}"
    status, _, body = request(server, query=q)
    assert status == 403 and "--allow-service" in body
    status, _, body = request(server, "POST", body=q.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 403
    assert recorder.hits == []


def test_allow_service_is_an_explicit_option(graph, recorder):
    with running_endpoint(graph, allow_service=True, workers=1) as open_server:
        status, _, body = request(open_server, query=f"SELECT ?x WHERE {{ SERVICE <{recorder.url}> {{ ?x ?p ?o }} }}")
        assert status == 200 and "secret" in body and recorder.hits
    assert "--allow-service" in CliRunner().invoke(cli, ["serve", "--help"]).output


def test_no_cors_header_by_default(server):
    status, headers, _ = request(server, query="ASK {}")
    assert status == 200 and "access-control-allow-origin" not in headers


def test_other_origins_are_refused_and_allowed_ones_echoed(server):
    status, headers, body = request(server, query="ASK {}", headers={"Origin": "https://evil.example"})
    assert status == 403 and "--cors-origin" in body and "access-control-allow-origin" not in headers
    status, headers, body = request(server, query="ASK {}", headers={"Origin": ALLOWED})
    assert status == 200 and headers["access-control-allow-origin"] == ALLOWED and headers["vary"] == "Origin"
    assert json.loads(body)["boolean"] is True


def test_preflight(server):
    pre = {"Origin": ALLOWED, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    status, headers, _ = request(server, "OPTIONS", headers=pre)
    assert status == 204 and headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in headers["access-control-allow-methods"]
    assert "Content-Type" in headers["access-control-allow-headers"]
    status, headers, _ = request(server, "OPTIONS", headers=dict(pre, Origin="https://evil.example"))
    assert status == 403 and "access-control-allow-origin" not in headers


def test_host_header_must_name_this_server(server):
    port = server.server_port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        assert request(server, query="ASK {}", host=host)[0] == 200, host
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", "127.0.0.1", ""):
        status, _, body = request(server, query="ASK {}", host=host)
        assert status == 403 and "--allow-host" in body, host


def test_allow_host(graph):
    with running_endpoint(graph, allow_hosts=["kg.lan"], workers=1) as named:
        assert request(named, query="ASK {}", host=f"kg.lan:{named.server_port}")[0] == 200
        assert request(named, query="ASK {}", host=f"evil.lan:{named.server_port}")[0] == 403


def raw(server, head: bytes, timeout=10.0) -> bytes:
    """Send raw request bytes and read the reply until the server closes."""
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=timeout) as s:
        s.sendall(head)
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                return b"".join(chunks)
            chunks.append(data)


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "+5", "0x10", "5 5"])
def test_bad_content_length_is_400_without_reading_the_body(server, length):
    # No body follows: a server that waited for one would never answer (the client times out).
    head = (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{server.server_port}\r\nContent-Type: "
            f"application/sparql-query\r\nContent-Length: {length}\r\n\r\n").encode()
    assert raw(server, head).startswith(b"HTTP/1.0 400")


def test_row_cap_is_stated(server):
    status, headers, body = request(server, query=PRODUCT, headers={"Accept": "text/csv"})
    assert status == 200 and headers["x-paperkg-truncated"] == "true" and headers["x-paperkg-max-rows"] == "50"
    assert len(body.splitlines()) == 51  # the header line and 50 rows
    status, headers, body = request(server, query="SELECT ?m WHERE { ?m a kg:Method }")
    assert status == 200 and headers["x-paperkg-truncated"] == "false"
    assert len(json.loads(body)["results"]["bindings"]) == 2
    status, headers, body = request(server, query="CONSTRUCT WHERE { ?a ?b ?c . ?d ?e ?f }")
    assert status == 200 and headers["x-paperkg-truncated"] == "true" and len(body.splitlines()) == 50


def test_timeout_answers_503_and_stops_the_query(server):
    before = set(server.pool.pids())
    status, _, body = request(server, query=HOSTILE)
    assert status == 503 and "time limit of 1 s" in body
    killed = before - set(server.pool.pids())
    assert len(killed) == 1
    with pytest.raises(ProcessLookupError):  # the evaluation's process is gone, not left spinning
        os.kill(killed.pop(), 0)
    assert json.loads(request(server, query="ASK { ?m a kg:Method }")[2])["boolean"] is True


def test_idle_connections_are_dropped_and_connections_bounded(graph):
    with running_endpoint(graph, workers=1, max_connections=2, idle_timeout=3.0) as small:
        idle = [socket.create_connection(("127.0.0.1", small.server_port), timeout=10) for _ in range(2)]
        # Both slots are taken by silent clients: a third connection is turned away at once.
        assert raw(small, b"").startswith(b"HTTP/1.0 503")
        for s in idle:  # the server drops each silent connection (recv sees the close, not our timeout)
            assert s.recv(100) == b""
            s.close()
        assert request(small, query="ASK {}")[0] == 200
