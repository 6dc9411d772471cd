"""Load on loopback: small queries keep being answered while hostile ones (cartesian products) run."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import make_tiny_graph, running_endpoint
from kg.export.rdf import write_rdf

HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
SMALL = "SELECT ?l WHERE { ?m a kg:Method ; rdfs:label ?l } ORDER BY ?l"


def get(base, query):
    try:
        with urllib.request.urlopen(base + "?" + urllib.parse.urlencode({"query": query}), timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def worker_cpu_ticks(pids) -> int:
    """User+system clock ticks the processes have used (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except FileNotFoundError:
            pass
    return total


@pytest.fixture
def server(tmp_path):
    path = tmp_path / "graph.ttl"
    write_rdf(make_tiny_graph(), path)
    with running_endpoint(path, timeout=2.0, workers=3) as server:
        yield server


@pytest.mark.slow
def test_small_queries_answered_while_hostile_ones_run(server):
    base = f"http://127.0.0.1:{server.server_port}/sparql"
    hostile_status = []

    def attack():
        for _ in range(2):
            hostile_status.append(get(base, HOSTILE)[0])

    attackers = [threading.Thread(target=attack) for _ in range(2)]
    for t in attackers:
        t.start()
    time.sleep(0.3)  # let both products start (not an assertion on time)
    answered, latencies = 0, []
    while any(t.is_alive() for t in attackers) and answered < 300:
        t0 = time.monotonic()
        status, body = get(base, SMALL)
        latencies.append(time.monotonic() - t0)
        assert status == 200, body
        assert [b["l"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["FastNet", "SlowNet"]
        answered += 1
    for t in attackers:
        t.join()
    assert hostile_status == [503] * 4
    assert answered >= 10
    # Once the products were stopped, no worker is still computing.
    pids = server.pool.pids()
    ticks = worker_cpu_ticks(pids)
    time.sleep(0.5)
    idle_ticks = worker_cpu_ticks(pids) - ticks
    latencies.sort()
    print(f"\n{answered} small queries answered during 4 hostile ones; median {latencies[len(latencies) // 2]:.3f} s, "
          f"max {latencies[-1]:.3f} s; worker CPU in 0.5 s after: {idle_ticks} ticks")


@pytest.mark.slow
def test_a_client_that_leaves_does_not_leave_a_busy_worker(server):
    before = set(server.pool.pids())
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=5) as s:
        q = urllib.parse.urlencode({"query": HOSTILE})
        s.sendall(f"GET /sparql?{q} HTTP/1.1\r\nHost: 127.0.0.1:{server.server_port}\r\n\r\n".encode())
    # The worker running the product is killed at the time limit although nobody waits for it.
    for _ in range(100):
        if before - set(server.pool.pids()):
            break
        time.sleep(0.1)
    assert len(before - set(server.pool.pids())) == 1
