"""Property-based tests: any input bytes or text keeps ingest, name normalisation, IRI minting and
the RDF/HTML exports working; what is written parses back (rdflib and pyoxigraph) to the same graph."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from functools import lru_cache
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from conftest import parse_with_oxigraph
from kg.defaults import MAX_TITLE_CHARS
from kg.export.html.page import render_html
from kg.export.html.text import display_text
from kg.export.rdf import read_graph, safe_iri, to_ntriples, write_rdf
from kg.extract.lexicon import Lexicon, norm_key
from kg.graph.assemble import build_graph, entity_iri
from kg.ingest.fields import clean_text, normalise_title, paper_key
from kg.ingest.papers import FORMATS, read_papers
from kg.records import ENTITY_KINDS, Claim, Extraction, Mention, Paper
from kg.resolve import entity_slug, resolve

# KG_EXAMPLES=2000 pytest tests/test_properties.py searches harder (a few minutes).
EXAMPLES = int(os.environ.get("KG_EXAMPLES", "40"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
RL_FMT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}
EXT = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld"}
DCT_TITLE = rdflib.URIRef("http://purl.org/dc/terms/title")
# Text people paste: markup, quotes, Turtle/SPARQL syntax, controls, RTL, emoji, combining marks.
NASTY = [
    '<script>alert("x")</script>', "<img src=x onerror=alert(1)>", "</script><!--", '"""', "'''", "\\",
    "} ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #", "@prefix x: <y> .", "{a|b}^`c`", "\x00\x07\x1b[31m\x7f\x85",
    "\u202eevil\u202c", "שלום مرحبا", "👩\u200d🔬😀", "e\u0301", "\u2028\u2029", "\ufeff", "a\r\nb\tc",
]
nasty_text = st.one_of(st.text(max_size=30), st.sampled_from(NASTY),
                       st.lists(st.sampled_from(NASTY) | st.text(max_size=5), max_size=4).map("".join))
# Unpaired surrogates reach Python strings through JSON escapes ("\ud800").
with_surrogates = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.characters(), max_size=20)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _written(G) -> rdflib.Graph:
    """The triples the writers were given (kg.export.rdf's sorted N-Triples), as an rdflib graph."""
    return rdflib.Graph().parse(data=to_ntriples(G), format="nt")


def _surrogate_free(text: str) -> str:
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


def _assert_says_what_G_says(G, g: rdflib.Graph) -> None:
    """By meaning, independent of the writer: every title, label and evidence sentence, exactly."""
    literals = {(s, p): set() for s, p in g.subject_predicates()}
    for s_, p_, o_ in g:
        literals[(s_, p_)].add(str(o_))
    evidence = {str(o) for o in g.objects(None, rdflib.URIRef("https://w3id.org/paperkg/ontology#evidence"))}
    for n, d in G.nodes(data=True):
        s_ = rdflib.URIRef(safe_iri(n))
        if d["kind"] == "paper":
            assert _surrogate_free(d["title"]) in literals[(s_, DCT_TITLE)]
        elif d["kind"] != "repo":
            assert _surrogate_free(d["label"]) in literals[(s_, rdflib.RDFS.label)]
    for _, _, d in G.edges(data=True):
        for c in d.get("claims", ()):
            assert not c["evidence"] or _surrogate_free(c["evidence"]) in evidence


def _assert_isomorphic(expected: rdflib.Graph, got: rdflib.Graph, what: str) -> None:
    if not isomorphic(expected, got):
        _, only_e, only_g = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail(f"{what} differs\nonly written:\n{only_e.serialize(format='nt')}\nonly parsed:\n{only_g.serialize(format='nt')}")


def _ingest_accounting_holds(r) -> None:
    assert r.records_read == len(r.papers) + r.duplicates + sum(1 for s in r.skipped if s.line is not None)
    for p in r.papers:
        assert p.title and p.abstract and len(p.title) <= MAX_TITLE_CHARS
        for text in (p.title, p.abstract, *p.authors, *(x for x in (p.id, p.url, p.date) if x)):
            assert not CONTROL.search(text) and text == text.strip()
        assert re.fullmatch(r"[0-9a-f]{16}", p.key)


# --------------------------------------------------------------------------- ingest


@SETTINGS
@given(data=st.binary(max_size=600), fmt=st.sampled_from(("auto", *FORMATS)),
       suffix=st.sampled_from([".jsonl", ".json", ".csv", ".txt", ".atom", ""]))
def test_any_bytes_never_break_ingest(tmp_path, data, fmt, suffix):
    f = tmp_path / f"input{suffix}"
    f.write_bytes(data)
    _ingest_accounting_holds(read_papers([f], fmt=fmt))


@SETTINGS
@given(lines=st.lists(st.one_of(st.text(max_size=40), st.sampled_from(['{"title": "T', "[", "{}", "null", '{"title": 1e999}'])),
                      max_size=6))
def test_any_text_lines_never_break_ingest(tmp_path, lines):
    for name in ("x.jsonl", "x.json", "x.csv", "x.txt"):
        f = tmp_path / name
        f.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
        _ingest_accounting_holds(read_papers([f]))


def _expected_titles(records) -> list[str]:
    """The model: cleaned titles of usable records, the first copy of each normalised title."""
    out, seen = [], set()
    for title, abstract in records:
        t, a = clean_text(title), clean_text(abstract)
        if t and a and len(t) <= MAX_TITLE_CHARS and paper_key(t) not in seen:
            seen.add(paper_key(t))
            out.append(t)
    return out


records_st = st.lists(st.tuples(st.one_of(nasty_text, with_surrogates), st.one_of(nasty_text, with_surrogates)), max_size=6)


@SETTINGS
@given(records=records_st)
def test_jsonl_keeps_every_usable_record_once(tmp_path, records):
    f = tmp_path / "r.jsonl"
    f.write_text("".join(json.dumps({"title": t, "abstract": a}) + "\n" for t, a in records), encoding="ascii")
    r = read_papers([f])
    assert [p.title for p in r.papers] == _expected_titles(records)
    assert r.records_read == len(records)
    _ingest_accounting_holds(r)


@SETTINGS
@given(records=st.lists(st.tuples(nasty_text, nasty_text), max_size=6))
def test_csv_keeps_every_usable_record_once(tmp_path, records):
    buf = io.StringIO(newline="")
    w = csv.writer(buf)  # "\r\n" rows: then a lone "\r" in a cell is quoted too
    w.writerow(["title", "abstract"])
    w.writerows(records)
    f = tmp_path / "r.csv"
    f.write_text(buf.getvalue(), encoding="utf-8", newline="")
    r = read_papers([f])
    _ingest_accounting_holds(r)
    if r.skipped and r.skipped[0].reason == "binary file (not text)":  # over 5% control bytes
        assert not r.papers and len(r.skipped) == 1
        return
    assert [p.title for p in r.papers] == _expected_titles([rec for rec in records if any(x.strip() for x in rec)])


# --------------------------------------------------------------------------- names and IRIs


@SETTINGS
@given(title=st.text(max_size=60))
def test_paper_key_ignores_case_spacing_punctuation_and_cleaning(title):
    assume(any(c.isalnum() for c in normalise_title(title)))
    key = paper_key(title)
    assert re.fullmatch(r"[0-9a-f]{16}", key)
    assert paper_key(clean_text(title)) == key
    assert paper_key("  " + title.replace(" ", "  ") + " !") == key


@SETTINGS
@given(a=nasty_text, b=nasty_text)
def test_entity_slugs_are_iri_safe_and_never_collide(a, b):
    ka, kb = norm_key(a), norm_key(b)
    assume(ka and kb)
    for key in (ka, kb):
        slug = entity_slug(key)
        assert re.fullmatch(r"(?:[a-z0-9]|%2B)+|u-[0-9a-f]{16}", slug)  # "+" is kept, percent-encoded
        for kind in ENTITY_KINDS:
            iri = entity_iri(f"{kind}/{slug}")
            ox.NamedNode(iri)  # raises on an invalid IRI
            assert safe_iri(iri) == iri
    assert (entity_slug(ka) == entity_slug(kb)) == (ka == kb)


@SETTINGS
@given(names=st.lists(nasty_text, max_size=8), kind=st.sampled_from(ENTITY_KINDS[:3]))
def test_resolution_gives_one_valid_distinct_iri_per_distinct_name(names, kind):
    ex = Extraction("p", [Mention(n, kind, 0.9) for n in names])
    res = resolve([ex], Lexicon())
    keys = {norm_key(n) for n in names} - {""}
    assert len(res.entities) == len(keys)
    for e in res.entities.values():
        ox.NamedNode(entity_iri(e.id))
    for n in names:
        if norm_key(n):
            assert norm_key(res.entity_for("p", n, kind).label) == norm_key(n)


# --------------------------------------------------------------------------- export


@st.composite
def graphs(draw):
    """A graph built the way kg.pipeline.build builds it, from papers and extractions holding any text."""
    n = draw(st.integers(1, 3))
    papers, extractions = [], []
    for i in range(n):
        title = f"Paper {i} " + draw(nasty_text)
        p = Paper(key=paper_key(title), title=clean_text(title), abstract=draw(nasty_text) or "x",
                  source=f"in.jsonl:{i + 1}", id=draw(st.none() | nasty_text), url=draw(st.none() | nasty_text.map(lambda t: "https://e.org/" + t)),
                  date=draw(st.none() | st.sampled_from(["2024-02-29", "2023-02-29", "--02-29", "2024", "May 3"])),
                  authors=tuple(draw(st.lists(nasty_text, max_size=3))))
        if p.key in {q.key for q in papers}:
            continue
        # A mention whose own text has no letter or digit but an alias that has is test_bare_node's bug.
        names = draw(st.lists(nasty_text.filter(norm_key), min_size=2, max_size=4))
        kinds = [draw(st.sampled_from(ENTITY_KINDS)) for _ in names]
        mentions = [Mention(m, k, draw(st.floats(0, 1)), proposed=draw(st.booleans()),
                            aliases=tuple(draw(st.lists(nasty_text, max_size=2)))) for m, k in zip(names, kinds)]
        claims = [Claim(names[0], draw(st.sampled_from(["evaluatesOn", "improvesOver"])), names[1], draw(nasty_text), 0.7)]
        repos = ["https://github.com/" + draw(nasty_text) + "/" + draw(nasty_text)] if draw(st.booleans()) else []
        papers.append(p)
        extractions.append(Extraction(p.key, mentions, claims, repos))
    return build_graph(papers, extractions, resolve(extractions, Lexicon()))


def test_bare_node_from_a_claim_through_an_alias():
    p = Paper(key="k1", title="T", abstract="A", source="s:1")
    ex = Extraction("k1", [Mention("\u2014", "method", 0.9, aliases=("FooNet",)), Mention("BarNet", "method", 0.9)],
                    [Claim("FooNet", "improvesOver", "BarNet", "FooNet beats BarNet.", 0.8)])
    G = build_graph([p], [ex], resolve([ex], Lexicon()))
    assert all("kind" in d for _, d in G.nodes(data=True)), [n for n, d in G.nodes(data=True) if "kind" not in d]
    # The mention is recorded through its alias, so the claim keeps its edge.
    (foo,) = [n for n, d in G.nodes(data=True) if d.get("label") == "FooNet"]
    assert G.nodes[foo]["papers"] == ("https://w3id.org/paperkg/resource/paper/k1",)
    assert [k for _, _, k in G.out_edges(foo, keys=True)] == ["improvesOver"]


@SETTINGS
@given(G=graphs())
def test_every_rdf_format_parses_back_in_both_libraries_to_what_was_written(tmp_path, G):
    expected = _written(G)
    for fmt in ("turtle", "ntriples", "jsonld"):
        path = tmp_path / f"g.{EXT[fmt]}"
        assert write_rdf(G, path, fmt=fmt) == len(expected)
        by_rdflib = rdflib.Graph().parse(path, format=RL_FMT[fmt])
        _assert_isomorphic(expected, by_rdflib, f"{fmt} via rdflib")
        _assert_says_what_G_says(G, by_rdflib)
        by_oxigraph = parse_with_oxigraph(path, fmt)  # validates every IRI and escape
        _assert_isomorphic(expected, by_oxigraph, f"{fmt} via pyoxigraph")
    # And back into the graph model.
    H = read_graph(tmp_path / "g.ttl")
    for n, d in G.nodes(data=True):
        if d["kind"] == "paper":
            assert H.nodes[n]["title"] == d["title"]
        elif d["kind"] != "repo":
            assert H.nodes[n]["label"] == d["label"]


class _Page(HTMLParser):
    """Tags, attributes and script bodies of a page, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_data(self, data):
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def assert_inert(html: str, texts: list[str]) -> None:
    """Paper text only inside the JSON data block, escaped so it cannot end it; no injected tags."""
    page = _Page()
    page.feed(html)
    assert len(page.scripts) == 3, [a for a, _ in page.scripts]
    (data,) = [body for attrs, body in page.scripts if attrs.get("type") == "application/json"]
    assert "<" not in data and ">" not in data and "&" not in data
    decoded = json.dumps(json.loads(data), ensure_ascii=False)
    for tag, attrs in page.tags:
        assert tag not in ("img", "svg", "iframe", "object", "embed", "base"), tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    for text in texts:
        marker = display_text(text)[:40]  # the map shows text cleaned for reading (kg.export.html.text)
        assert json.dumps(marker, ensure_ascii=False)[1:-1] in decoded  # it is there, as data


@SETTINGS
@given(G=graphs())
def test_html_keeps_any_paper_text_inert(G):
    # A marker no template holds (non-ASCII, so it shows raw wherever text escapes the JSON block).
    texts = []
    for i, (n, d) in enumerate(sorted(G.nodes(data=True))):
        tag = f"\u27e6{i}\u27e7<img src=x onerror=alert({i})>"
        if d["kind"] != "repo":
            d["label"] = tag + d["label"]
            texts.append(d["label"])
        if d["kind"] == "paper":
            d["title"] = d["label"]
    for u, v, k, d in G.edges(keys=True, data=True):
        if d.get("claims"):
            d["claims"] = tuple(dict(c, evidence="\u27e6e\u27e7</script><script>alert(0)</script>" + c["evidence"])
                                for c in d["claims"])
            texts.append(d["claims"][0]["evidence"])
    html, _ = render_html(G, max_nodes=len(G) + 1)
    assert "\u27e6" not in html and "\u27e7" not in html
    assert_inert(html, texts)


# --------------------------------------------------------------------------- the whole pipeline


@lru_cache(maxsize=1)
def _nlp():
    from kg.extract.pipeline import build_nlp

    return build_nlp()


@settings(max_examples=max(EXAMPLES // 2, 10), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.tuples(nasty_text, st.lists(nasty_text | st.sampled_from([
    "We propose FooNet.", "FooNet outperforms BarNet on ImageNet.", "Code: https://github.com/o/r.",
    "(FN) Foo Network (FN)", "achieves 91.2% accuracy on CIFAR-10 and SQuAD."]), min_size=1, max_size=5).map(" ".join)),
    min_size=1, max_size=4))
def test_any_paper_text_goes_through_ingest_extraction_and_every_export(tmp_path, records):
    from kg.extract import extract_all

    f = tmp_path / "in.jsonl"
    f.write_text("".join(json.dumps({"title": f"T{i} {t}", "abstract": a}) + "\n" for i, (t, a) in enumerate(records)),
                 encoding="utf-8")
    papers = read_papers([f]).papers
    assume(papers)
    extractions = list(extract_all(papers, _nlp()))
    G = build_graph(papers, extractions, resolve(extractions))
    expected = _written(G)
    for fmt in ("turtle", "ntriples"):
        path = tmp_path / f"g.{EXT[fmt]}"
        write_rdf(G, path, fmt=fmt)
        got = parse_with_oxigraph(path, fmt)
        _assert_isomorphic(expected, got, fmt)
        _assert_says_what_G_says(G, got)
    assert {str(o) for o in expected.objects(None, DCT_TITLE)} == {p.title for p in papers}
    html, _ = render_html(G)
    assert_inert(html, [])
