"""The RDF writers and reader: parse with rdflib and pyoxigraph alike, byte-stable, round-trip."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from conftest import make_tiny_graph, outputs_under_hash_seeds, parse_with_oxigraph
from kg.errors import FormatError, GraphError
from kg.export.rdf import claim_iri, read_graph, safe_iri, to_rdf, write_rdf, write_rdf_formats

R = "https://w3id.org/paperkg/resource/"
EXT = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld"}
RL_FMT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}


def parse_rdflib(path: Path, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format=RL_FMT[fmt])


def assert_isomorphic(a: rdflib.Graph, b: rdflib.Graph) -> None:
    if not isomorphic(a, b):
        _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
        pytest.fail("graphs differ\nonly in first:\n" + only_a.serialize(format="nt")
                    + "\nonly in second:\n" + only_b.serialize(format="nt"))


NASTY = [
    'quote " and \\ backslash',
    "angle <b>bold</b> & {braces} | pipe ^ caret `tick`",
    "new\nline\r\nand\ttab",
    "control \x00\x01\x1b[31m\x7f",
    '"""triple quotes"""' + "'''",
    "Ünïcödé — 東京 😀",
    "RTL \u202eevil\u202c עברית العربية",
    "trailing backslash \\",
    "ends with quote\"",
    "@prefix x: <y> . # not a comment",
]


def nasty_graph() -> nx.MultiDiGraph:
    """The tiny graph plus a paper and entities whose text holds every character that needs care."""
    G = make_tiny_graph()
    p = R + "paper/nasty"
    G.add_node(p, kind="paper", label=NASTY[0], aliases=(), title=" ".join(NASTY), abstract="\n".join(NASTY),
               url='https://example.org/a b?q="x"&y={z}', date="2024-02-30", authors=tuple(NASTY[:3]),
               arxiv_id="2401.0\n0002", id="id\"1", source="file with spaces.jsonl:7")
    repo = 'https://github.com/o w n/re"po{x}|^`<>\\'
    G.add_node(repo, kind="repo", label=repo, aliases=(), papers=(p,))
    G.add_edge(p, repo, key="hasCode", rel="hasCode")
    for i, text in enumerate(NASTY):
        e = R + f"method/nasty{i}"
        G.add_node(e, kind="method", label=text, aliases=tuple(sorted(set(NASTY) - {text}))[:3], papers=(p,),
                   confidence=0.5)
        G.add_edge(p, e, key="mentions", rel="mentions")
        G.add_edge(e, R + "dataset/toyset", key="evaluatesOn", rel="evaluatesOn",
                   claims=({"paper": p, "evidence": text, "confidence": 0.25},))
    return G


@pytest.fixture(params=["tiny", "nasty"])
def graph(request):
    return make_tiny_graph() if request.param == "tiny" else nasty_graph()


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_every_format_parses_with_both_libraries_to_the_same_graph(tmp_path, graph, fmt):
    nt = tmp_path / "g.nt"
    write_rdf(graph, nt, fmt="ntriples")
    reference = parse_rdflib(nt, "ntriples")
    path = tmp_path / f"g.{EXT[fmt]}"
    n = write_rdf(graph, path, fmt=fmt)
    assert n == len(reference)
    assert_isomorphic(parse_rdflib(path, fmt), reference)
    assert_isomorphic(parse_with_oxigraph(path, fmt), reference)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_output_is_byte_identical_across_writes(tmp_path, fmt):
    a, b = tmp_path / "a", tmp_path / "b"
    write_rdf(nasty_graph(), a, fmt=fmt)
    G = nasty_graph()
    # The same graph built in another order must give the same bytes.
    H = nx.MultiDiGraph()
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    write_rdf(H, b, fmt=fmt)
    assert a.read_bytes() == b.read_bytes()


def test_output_is_byte_identical_across_processes(tmp_path):
    # Set and dict order depend on the hash seed; a second interpreter with another seed must agree.
    code = ("import sys; sys.path.insert(0, 'tests'); from test_rdf import nasty_graph; "
            "from kg.export.rdf import write_rdf; write_rdf(nasty_graph(), sys.argv[1])")
    outs = outputs_under_hash_seeds(code, tmp_path / "g.ttl")
    assert outs[0] == outs[1]


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_read_graph_round_trips_the_networkx_schema(tmp_path, fmt):
    G = make_tiny_graph()
    path = tmp_path / f"g.{EXT[fmt]}"
    write_rdf(G, path, fmt=fmt)
    H = read_graph(path)
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    for u, v, k, d in G.edges(keys=True, data=True):
        assert H.edges[u, v, k] == d


def test_read_graph_round_trips_nasty_text(tmp_path):
    G = nasty_graph()
    path = tmp_path / "g.ttl"
    write_rdf(G, path)
    H = read_graph(path)
    for i, text in enumerate(NASTY):
        assert H.nodes[R + f"method/nasty{i}"]["label"] == text
        (claim,) = H.edges[R + f"method/nasty{i}", R + "dataset/toyset", "evaluatesOn"]["claims"]
        assert claim == {"paper": R + "paper/nasty", "evidence": text, "confidence": 0.25}
    paper = H.nodes[R + "paper/nasty"]
    assert paper["title"] == " ".join(NASTY) and paper["abstract"] == "\n".join(NASTY)
    assert paper["authors"] == tuple(NASTY[:3])  # the order survives, through schema:author's rdf:List
    assert paper["date"] == "2024-02-30"  # not a real date: kept as a plain literal
    (repo,) = [n for n, d in H.nodes(data=True) if d["kind"] == "repo" and "o%20w%20n" in n]
    assert repo == safe_iri('https://github.com/o w n/re"po{x}|^`<>\\')


def test_contract_shapes_of_terms(tmp_path):
    g = to_rdf(make_tiny_graph())
    KG = rdflib.Namespace("https://w3id.org/paperkg/ontology#")
    p1 = rdflib.URIRef(R + "paper/p1")
    assert g.value(p1, rdflib.DCTERMS.date) == rdflib.Literal("2024-01-02", datatype=rdflib.XSD.date)
    assert g.value(rdflib.URIRef(R + "paper/p2"), rdflib.DCTERMS.date).datatype == rdflib.XSD.gMonthDay
    conf = g.value(rdflib.URIRef(R + "method/fastnet"), KG.confidence)
    assert conf.datatype == rdflib.XSD.decimal and float(conf) == 0.9
    assert (p1, KG.hasCode, rdflib.URIRef("https://github.com/example/fastnet")) in g


def test_claim_iris_are_stable_and_distinct_per_paper():
    a = claim_iri("s", "p", "o", "paper1")
    assert a == claim_iri("s", "p", "o", "paper1") and a.startswith(R + "claim/")
    assert a != claim_iri("s", "p", "o", "paper2")


def test_no_abstracts(tmp_path):
    path = tmp_path / "g.nt"
    write_rdf(make_tiny_graph(), path, fmt="ntriples", include_abstracts=False)
    assert "abstract" not in path.read_text()


@pytest.mark.parametrize("url", [
    "https://github.com/a/b", "https://github.com/a b/c", 'https://x.org/"{}|^`\\<>', "https://x.org/%zz%41",
    "https://x.org/a#b#c", "https://user@host:abc/x", "https://x.org/ünï/東京", "not a url", "https://x.org/[1]",
    "https://x.org/\x00\n",
])
def test_safe_iri_is_always_a_valid_iri(url):
    iri = safe_iri(url)
    ox.NamedNode(iri)  # pyoxigraph validates IRIs (RFC 3987) and raises on a bad one
    assert list(ox.parse(f"<{iri}> <http://e/p> <http://e/o> .", format=ox.RdfFormat.N_TRIPLES))
    assert safe_iri(iri) == iri


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_survives_a_round_trip(text):
    G = make_tiny_graph()
    G.nodes[R + "method/fastnet"]["label"] = text
    nt = to_rdf(G)  # parses our N-Triples with rdflib
    got = nt.value(rdflib.URIRef(R + "method/fastnet"), rdflib.RDFS.label)
    expected = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    assert str(got) == expected


def test_bad_format_is_a_format_error(tmp_path):
    with pytest.raises(FormatError, match="'rdfxml' is invalid"):
        write_rdf(make_tiny_graph(), tmp_path / "g.rdf", fmt="rdfxml")


def test_read_graph_errors_are_one_line(tmp_path):
    with pytest.raises(GraphError, match="not found"):
        read_graph(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(GraphError, match="not readable") as e:
        read_graph(bad)
    assert "\n" not in str(e.value)
    other = tmp_path / "other.ttl"
    other.write_text("<http://e/a> <http://e/b> <http://e/c> .\n")
    with pytest.raises(GraphError, match="no paperkg nodes"):
        read_graph(other)
    weird = tmp_path / "g.xyz"
    weird.write_text("")
    with pytest.raises(GraphError, match="suffix"):
        read_graph(weird)


def test_turtle_is_readable(tmp_path):
    path = tmp_path / "g.ttl"
    write_rdf(make_tiny_graph(), path)
    text = path.read_text()
    assert "@prefix kg:" in text
    assert "<https://w3id.org/paperkg/resource/method/fastnet> a kg:Method ;" in text
    assert "kg:confidence 0.9" in text


def test_tiny_graph_matches_the_golden_turtle(tmp_path):
    # The expected bytes of the tiny graph. After an intended change of the output, regenerate with:
    # .venv/bin/python -c "import sys; sys.path.insert(0, 'tests'); from conftest import make_tiny_graph, outputs_under_hash_seeds, parse_with_oxigraph; \
    #   from kg.export.rdf import write_rdf; write_rdf(make_tiny_graph(), 'tests/fixtures/rdf/tiny.ttl')"
    golden = Path(__file__).parent / "fixtures" / "rdf" / "tiny.ttl"
    path = tmp_path / "g.ttl"
    write_rdf(make_tiny_graph(), path)
    if path.read_bytes() != golden.read_bytes():
        assert_isomorphic(parse_rdflib(path, "turtle"), parse_rdflib(golden, "turtle"))
        pytest.fail("same graph, different bytes: the Turtle layout changed; regenerate the golden file")


def test_subjects_stay_sorted_and_whole_when_streamed(tmp_path):
    # Written subject by subject: two node keys with one IRI still make one subject, a paper with
    # twelve authors keeps its list order (cell "n10" sorts before "n2"), and every format agrees.
    G = make_tiny_graph()
    authors = tuple(f"Author {i}" for i in range(12))
    G.add_node(R + "paper/a b", kind="paper", title="Spaced", authors=authors)
    G.add_node(R + "paper/a%20b", kind="paper", title="Encoded", authors=authors)
    paths = {fmt: tmp_path / f"g.{ext}" for fmt, ext in EXT.items()}
    n = write_rdf_formats(G, paths)
    lines = paths["ntriples"].read_text(encoding="utf-8").splitlines()
    subjects = [line.split(" ", 1)[0] for line in lines]
    assert subjects == sorted(subjects) and len(lines) == len(set(lines)) == n  # so each subject is contiguous
    # One rdf:type, both titles, twelve dct:creator and one schema:author: the duplicates merged.
    assert sum(s == f"<{R}paper/a%20b>" for s in subjects) == 1 + 2 + 12 + 1
    assert read_graph(paths["turtle"]).nodes[R + "paper/a%20b"]["authors"] == authors
    for fmt, path in paths.items():
        single = tmp_path / f"single.{EXT[fmt]}"
        assert write_rdf(G, single, fmt=fmt) == n and single.read_bytes() == path.read_bytes()
