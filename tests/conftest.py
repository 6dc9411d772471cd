"""Shared fixtures: a tiny hand-built graph with known contents, following kg.graph.assemble's schema."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib

R = "https://w3id.org/paperkg/resource/"


def make_tiny_graph() -> nx.MultiDiGraph:
    """Two papers; FastNet (proposed by P1) beats SlowNet on ToySet, scored by accuracy."""
    G = nx.MultiDiGraph()
    p1, p2 = R + "paper/p1", R + "paper/p2"
    fast, slow = R + "method/fastnet", R + "method/slownet"
    toy, acc, task = R + "dataset/toyset", R + "metric/accuracy", R + "task/image-classification"
    repo = "https://github.com/example/fastnet"
    G.add_node(p1, kind="paper", label="FastNet: Fast Networks", aliases=(), title="FastNet: Fast Networks",
               abstract="We propose FastNet. FastNet outperforms SlowNet on ToySet.", url="https://arxiv.org/abs/2401.00001",
               date="2024-01-02", authors=("A. Author", "B. Author"), arxiv_id="2401.00001", id="2401.00001", source="t:1")
    G.add_node(p2, kind="paper", label="A <b>study</b> of SlowNet", aliases=(), title="A <b>study</b> of SlowNet",
               abstract="We evaluate SlowNet on ToySet.", url=None, date="--03-11", authors=(), arxiv_id=None,
               id=None, source="t:3")
    G.add_node(fast, kind="method", label="FastNet", aliases=("Fast Network",), papers=(p1,), confidence=0.9)
    G.add_node(slow, kind="method", label="SlowNet", aliases=(), papers=(p1, p2), confidence=0.8)
    G.add_node(toy, kind="dataset", label="ToySet", aliases=(), papers=(p1, p2), confidence=0.95)
    G.add_node(acc, kind="metric", label="accuracy", aliases=(), papers=(p1,), confidence=0.9)
    G.add_node(task, kind="task", label="image classification", aliases=(), papers=(p1,), confidence=0.7)
    G.add_node(repo, kind="repo", label=repo, aliases=(), papers=(p1,))
    for e in (fast, slow, toy, acc, task):
        G.add_edge(p1, e, key="mentions", rel="mentions")
    G.add_edge(p1, fast, key="proposes", rel="proposes")
    G.add_edge(p1, repo, key="hasCode", rel="hasCode")
    for e in (slow, toy):
        G.add_edge(p2, e, key="mentions", rel="mentions")
    G.add_edge(fast, slow, key="improvesOver", rel="improvesOver",
               claims=({"paper": p1, "evidence": "FastNet outperforms SlowNet on ToySet.", "confidence": 0.9},))
    G.add_edge(fast, toy, key="evaluatesOn", rel="evaluatesOn",
               claims=({"paper": p1, "evidence": "FastNet outperforms SlowNet on ToySet.", "confidence": 0.8},))
    G.add_edge(slow, toy, key="evaluatesOn", rel="evaluatesOn",
               claims=({"paper": p2, "evidence": "We evaluate SlowNet on ToySet.", "confidence": 0.8},))
    return G


@pytest.fixture
def tiny_graph() -> nx.MultiDiGraph:
    return make_tiny_graph()


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    dt = term.datatype.value if term.datatype else None
    return rdflib.Literal(term.value, lang=term.language, datatype=None if term.language or dt == _XSD_STRING else dt)


def parse_with_oxigraph(path, fmt: str) -> rdflib.Graph:
    """The file as pyoxigraph reads it (which checks every IRI and escape), as an rdflib Graph to compare."""
    g = rdflib.Graph()
    for q in ox.parse(path=str(path), format=_OX_FORMAT[fmt]):
        g.add((_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object)))
    return g


ROOT = Path(__file__).resolve().parent.parent


def outputs_under_hash_seeds(code: str, out_path, seeds=("1", "2")) -> list[bytes]:
    """Run `code` (which writes the file named by sys.argv[1]) in a fresh interpreter per hash seed.

    Set and dict order depend on the seed, so equal results show nothing written depends on it.
    """
    outs = []
    for seed in seeds:
        subprocess.run([sys.executable, "-c", code, str(out_path)], check=True, cwd=ROOT,
                       env=dict(os.environ, PYTHONHASHSEED=seed))
        outs.append(Path(out_path).read_bytes())
    return outs


class RecordingServer:
    """An HTTP server on 127.0.0.1 that records every request and answers like a SPARQL endpoint.

    A test points a query (SERVICE) or a file (a JSON-LD @context) at `url` and then checks that
    `hits` stayed empty: that nothing reached the network.
    """

    def __init__(self) -> None:
        import http.server
        import threading

        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                hits.append((self.command, self.path, self.rfile.read(size) if size > 0 else b""))
                body = (b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", '
                        b'"value": "secret"}}]}}') if "ctx" not in self.path else b'{"@context": {}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json" if "ctx" not in self.path
                                 else "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def recorder():
    """A RecordingServer for one test."""
    server = RecordingServer()
    yield server
    server.close()


@contextlib.contextmanager
def running_endpoint(graph_path, **options):
    """`kg serve` on a free loopback port in a thread, for as long as the block runs."""
    from kg.sparql.serve import make_sparql_server

    server = make_sparql_server(graph_path, host="127.0.0.1", port=0, quiet=True, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def nlp():
    """The extractor's spaCy pipeline, built once for every test that runs it."""
    from kg.extract.pipeline import build_nlp

    return build_nlp()


def run_extraction(nlp, title: str, abstract: str):
    """The Extraction of one invented paper, and its mentions as kind -> text -> Mention."""
    from kg.extract import extract
    from kg.records import Paper

    ex = extract(Paper("k", title, abstract, "test:1"), nlp)
    by_kind: dict = {}
    for m in ex.mentions:
        by_kind.setdefault(m.kind, {})[m.text] = m
    return ex, by_kind


def claim_pairs(ex, predicate: str) -> set[tuple[str, str]]:
    """(subject, object) of an Extraction's claims of one predicate."""
    return {(c.subject, c.object) for c in ex.claims if c.predicate == predicate}
