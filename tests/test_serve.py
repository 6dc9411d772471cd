"""The SPARQL endpoint, queried over real HTTP with urllib; updates are refused."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import make_tiny_graph, running_endpoint
from kg.export.rdf import write_rdf

R = "https://w3id.org/paperkg/resource/"
SELECT = "SELECT ?l WHERE { ?m a kg:Method ; rdfs:label ?l } ORDER BY ?l"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "graph.ttl"
    write_rdf(make_tiny_graph(), path)
    with running_endpoint(path) as server:
        yield f"http://127.0.0.1:{server.server_port}/sparql"


def fetch(url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode()


def test_get_returns_sparql_json(endpoint):
    status, ctype, body = fetch(endpoint + "?" + urllib.parse.urlencode({"query": SELECT}))
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    data = json.loads(body)
    assert [b["l"]["value"] for b in data["results"]["bindings"]] == ["FastNet", "SlowNet"]


def test_post_form_with_csv_negotiated(endpoint):
    body = urllib.parse.urlencode({"query": SELECT}).encode()
    status, ctype, text = fetch(endpoint, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                 "Accept": "text/csv"})
    assert status == 200 and ctype.startswith("text/csv")
    assert list(csv.reader(io.StringIO(text))) == [["l"], ["FastNet"], ["SlowNet"]]


def test_post_sparql_query_ask_and_construct(endpoint):
    status, _, body = fetch(endpoint, b"ASK { ?p kg:hasCode ?r }", {"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    q = "CONSTRUCT { ?m a kg:Method } WHERE { ?m rdfs:label 'FastNet' }".encode()
    status, ctype, body = fetch(endpoint, q, {"Content-Type": "application/sparql-query"})
    assert status == 200 and ctype.startswith("application/n-triples")
    assert body.strip() == (f"<{R}method/fastnet> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                            "<https://w3id.org/paperkg/ontology#Method> .")


def test_updates_are_refused(endpoint):
    update = "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"
    form = urllib.parse.urlencode({"update": update}).encode()
    assert fetch(endpoint, form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert fetch(endpoint, update.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    # An update smuggled in as a query does not parse as a query.
    status, _, body = fetch(endpoint + "?" + urllib.parse.urlencode({"query": update}))
    assert status == 400 and "updates are not supported" in body
    ask = urllib.parse.urlencode({"query": "ASK { <http://e/a> ?p ?o }"})
    assert json.loads(fetch(endpoint + "?" + ask)[2])["boolean"] is False


def test_bad_requests(endpoint):
    assert fetch(endpoint)[0] == 400
    assert fetch(endpoint.replace("/sparql", "/other"))[0] == 404
    assert fetch(endpoint, b"x", {"Content-Type": "text/plain"})[0] == 415
    status, _, body = fetch(endpoint + "?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE {"}))
    assert status == 400 and "line 1" in body


def test_csv_answers_never_carry_a_formula(endpoint):
    query = 'SELECT ?x WHERE { VALUES ?x { "=HYPERLINK(\\"http://evil\\")" "-0.5" } }'
    status, _, text = fetch(endpoint + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": "text/csv"})
    assert status == 200
    assert list(csv.reader(io.StringIO(text))) == [["x"], ["'=HYPERLINK(\"http://evil\")"], ["-0.5"]]
