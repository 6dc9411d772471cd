"""The bad-input gallery (issue 7): each case, through `kg build`, gives one message naming file, line
and reason, still builds every good record, counts the skip, and exits with the documented status.

Exit status: 0 built (skips reported); 3 with --strict when anything was skipped; 2 usage error;
1 nothing could be built. Odd files (binary, Latin-1, BOM, UTF-16) are made here, not committed.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

import kg.ingest.fields
from kg.cli import EXIT_ERROR, EXIT_SKIPPED, EXIT_USAGE, cli
from kg.defaults import MAX_ABSTRACT_CHARS
from kg.ingest.papers import read_papers

GOOD = [
    {"id": "g1", "title": "GoodNet: A Fine Network", "abstract": "We propose GoodNet. GoodNet outperforms ResNet-50 on ImageNet."},
    {"id": "g2", "title": "A Second Good Paper", "abstract": "We evaluate BERT on SQuAD with F1."},
]


def jsonl(*records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def good(tmp_path) -> Path:
    f = tmp_path / "good.jsonl"
    f.write_text(jsonl(*GOOD), encoding="utf-8")
    return f


def build(tmp_path, *inputs, strict=False):
    """`kg build INPUTS` into a fresh folder: (result, stderr lines, out folder)."""
    out = tmp_path / f"out{len(list(tmp_path.glob('out*')))}"
    result = run("build", *inputs, "--out", out, *(["--strict"] if strict else []))
    return result, result.stderr.splitlines(), out


def papers_in(out: Path) -> set[str]:
    g = rdflib.Graph().parse(out / "graph.nt", format="nt") if (out / "graph.nt").exists() else \
        rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    return {str(t) for t in g.objects(None, rdflib.URIRef("http://purl.org/dc/terms/title"))}


def assert_case(tmp_path, bad, good, *, messages, kept, summary, extra_inputs=(), strict=False):
    """The bad input beside a good file: exactly `messages` on stderr, good + `kept` titles built,
    the `summary` line printed, exit 0 (with `strict`, --strict and exit 3 when anything was skipped)."""
    result, err, out = build(tmp_path, *extra_inputs, bad, good, strict=strict)
    skipped = any(m.startswith("skipped ") for m in messages)
    if strict and skipped:
        assert err[-1] == f"Error: {sum(m.startswith('skipped ') for m in messages)} record(s) or file(s) skipped (--strict)"
        err = err[:-1]
    assert err == messages
    assert result.exit_code == (EXIT_SKIPPED if strict and skipped else 0), result.output
    assert summary in result.stdout, result.stdout
    assert papers_in(out) == {r["title"] for r in GOOD} | set(kept)


# --------------------------------------------------------------------------- files


def test_empty_file(tmp_path, good):
    bad = tmp_path / "empty.jsonl"
    bad.write_bytes(b"")
    assert_case(tmp_path, bad, good, messages=[f"skipped {bad}: empty file"], kept=[],
                summary="records skipped:   1 (1 empty file)", strict=True)


def test_empty_file_alone_builds_nothing_and_exits_1(tmp_path):
    bad = tmp_path / "blank.txt"
    bad.write_text("  \n\n", encoding="utf-8")
    result, err, out = build(tmp_path, bad)
    assert err == [f"skipped {bad}: empty file",
                   "Error: no paper could be read from the input; see the skipped lines above"]
    assert result.exit_code == EXIT_ERROR and not (out / "graph.ttl").exists()


@pytest.mark.parametrize("name,data,kind", [
    ("random.jsonl", bytes(range(256)) * 4, "not text"),
    ("figure.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "a PNG image"),
    ("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "a PDF document"),
    ("papers.jsonl.gz", gzip.compress(jsonl(*GOOD).encode(), mtime=0), "gzip-compressed; decompress it first with gunzip"),
    ("export.xlsx", b"PK\x03\x04" + bytes(40), "a ZIP archive (or .docx/.xlsx); unzip it first"),
])
def test_binary_file(tmp_path, good, name, data, kind):
    bad = tmp_path / name
    bad.write_bytes(data)
    assert_case(tmp_path, bad, good, messages=[f"skipped {bad}: binary file ({kind})"], kept=[],
                summary="records skipped:   1 (1 binary file)")


def test_latin1_file_is_read_with_a_warning(tmp_path, good):
    bad = tmp_path / "latin1.jsonl"
    rec = {"title": "Café Networks for Naïve Users", "abstract": "Résumé: we study naïve models."}
    bad.write_bytes(json.dumps(rec, ensure_ascii=False).encode("latin-1") + b"\n")
    assert_case(tmp_path, bad, good, messages=[f"warning {bad}:1: not valid UTF-8; read as Latin-1 (Windows-1252)"],
                kept=[rec["title"]], summary="warnings:          1", strict=True)  # warnings alone: exit 0


@pytest.mark.parametrize("name,encode", [
    ("bom.jsonl", lambda t: b"\xef\xbb\xbf" + jsonl({"title": t, "abstract": "With a byte-order mark."}).encode()),
    ("bom.csv", lambda t: b"\xef\xbb\xbf" + f'title,abstract\n"{t}",With a byte-order mark.\n'.encode()),
    ("utf16.jsonl", lambda t: jsonl({"title": t, "abstract": "Saved as UTF-16."}).encode("utf-16")),
])
def test_byte_order_mark_is_honoured_silently(tmp_path, good, name, encode):
    bad = tmp_path / name
    bad.write_bytes(encode("Ünïcode BOM Paper"))
    assert_case(tmp_path, bad, good, messages=[], kept=["Ünïcode BOM Paper"], summary="records skipped:   0")


# --------------------------------------------------------------------------- records


def test_truncated_json_line_in_the_middle(tmp_path, good):
    bad = tmp_path / "cut.jsonl"
    bad.write_text(jsonl({"title": "Before the Cut", "abstract": "Kept."}) + '{"title": "Cut Off Here", "abs\n'
                   + jsonl({"title": "After the Cut", "abstract": "Kept too."}), encoding="utf-8")
    assert_case(tmp_path, bad, good,
                messages=[f"skipped {bad}:2: malformed JSON (Unterminated string starting at column 27; the line ends early)"],
                kept=["Before the Cut", "After the Cut"], summary="records skipped:   1 (1 malformed JSON)", strict=True)


def test_truncated_json_array_keeps_the_items_before(tmp_path, good):
    bad = tmp_path / "cut.json"
    bad.write_text('[\n  {"title": "Array Item Kept", "abstract": "Kept."},\n  {"title": "Array Item Cut", "abs',
                   encoding="utf-8")
    assert_case(tmp_path, bad, good,
                messages=[f"skipped {bad}:3: malformed JSON (Unterminated string starting at line 3, column 31; "
                          "the file ends early); the rest of the file is not read"],
                kept=["Array Item Kept"], summary="records skipped:   1 (1 malformed JSON)")


def test_truncated_atom_feed_keeps_the_entries_before(tmp_path, good):
    bad = tmp_path / "cut.atom"
    bad.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
                   "<entry><title>Atom Entry Kept</title><summary>Kept.</summary></entry>\n"
                   "<entry><title>Atom Entry Cut", encoding="utf-8")
    assert_case(tmp_path, bad, good,
                messages=[f"skipped {bad}:5: malformed XML (no element found: line 5, column 0); "
                          "the rest of the file is not read"],
                kept=["Atom Entry Kept"], summary="records skipped:   1 (1 malformed XML)")


def test_record_without_title_or_abstract(tmp_path, good):
    bad = tmp_path / "partial.jsonl"
    bad.write_text(jsonl({"abstract": "An abstract with no title."}, {"title": "A Title With No Abstract"},
                         {"title": "  ", "abstract": "\t"}, {"title": ["not", "text"], "abstract": "x"}), encoding="utf-8")
    assert_case(tmp_path, bad, good, messages=[
        f"skipped {bad}:1: record has no title",
        f"skipped {bad}:2: record has no abstract",
        f"skipped {bad}:3: record has no title",
        f"skipped {bad}:4: title is not text (a JSON array)",
    ], kept=[], summary="records skipped:   4 (1 record has no abstract; 2 record has no title; 1 title is not text)")


def test_one_megabyte_abstract_is_cut_with_a_warning(tmp_path, good, monkeypatch):
    rec = {"title": "The Longest Abstract", "abstract": "We propose LongNet. " * 50_000}  # 1,000,000 characters
    bad = tmp_path / "long.jsonl"
    bad.write_text(jsonl(rec), encoding="utf-8")
    (p,) = read_papers([bad], on_warning=lambda w: None).papers
    assert len(p.abstract) == MAX_ABSTRACT_CHARS
    assert read_papers([bad]).warnings[0].reason == f"abstract cut from 999,999 to {MAX_ABSTRACT_CHARS:,} characters"
    # Through the CLI with a smaller cap: extracting 100,000 characters takes seconds (see the report).
    monkeypatch.setattr(kg.ingest.fields, "MAX_ABSTRACT_CHARS", 5_000)
    assert_case(tmp_path, bad, good, messages=[f"warning {bad}:1: abstract cut from 999,999 to 5,000 characters"],
                kept=[rec["title"]], summary="warnings:          1")


def test_ten_thousand_character_title_is_skipped(tmp_path, good):
    bad = tmp_path / "title.jsonl"
    bad.write_text(jsonl({"title": "D" * 10_000, "abstract": "A normal abstract."}), encoding="utf-8")
    assert_case(tmp_path, bad, good,
                messages=[f"skipped {bad}:1: title is 10,000 characters long (at most 2,000); not a title"],
                kept=[], summary="records skipped:   1 (1 title is 10,000 characters long)")


def test_control_rtl_emoji_and_combining_marks(tmp_path, good):
    title = "Ctrl\x07\x1b[0m Net \u202eevil\u202c שלום مرحبا 🚀👩\u200d🔬 Cafe\u0301"
    bad = tmp_path / "unicode.jsonl"
    bad.write_text(jsonl({"title": title, "abstract": "We propose Ctrl Net.\x0c It is 😀 fast."}), encoding="utf-8")
    # Controls and bidi overrides go (with a warning); RTL letters, emoji (with ZWJ) stay; é is composed.
    clean = "Ctrl[0m Net evil שלום مرحبا 🚀👩\u200d🔬 Café"
    assert_case(tmp_path, bad, good, messages=[
        f"warning {bad}:1: title: removed 4 control or bidi-override character(s)",
        f"warning {bad}:1: abstract: removed 1 control or bidi-override character(s)",
    ], kept=[clean], summary="warnings:          2")


def test_html_and_javascript_in_titles_and_abstracts_are_kept_as_text(tmp_path, good):
    title = '<script>alert("t")</script> ScriptNet <img src=x onerror=alert(1)>'
    abstract = ("We propose ScriptNet. ScriptNet outperforms <b onmouseover=alert(2)>BoldNet</b> on ImageNet. "
                "</script><svg onload=alert(3)> Code: https://github.com/x/y\"><script>alert(4)</script>")
    bad = tmp_path / "xss.jsonl"
    bad.write_text(jsonl({"title": title, "abstract": abstract, "url": "javascript:alert(5)"}), encoding="utf-8")
    assert_case(tmp_path, bad, good, messages=[f"warning {bad}:1: url 'javascript:alert(5)' is not an http(s) URL; left out"],
                kept=[title], summary="warnings:          1")
    html = (tmp_path / "out0" / "graph.html").read_text(encoding="utf-8")
    for probe in ("<script>alert", "<img src=x", "<svg onload", "<b onmouseover", "javascript:alert"):
        assert probe not in html


NAMES = ['"Quoted" Net', "<Angle> Net", "{Brace} Net", "Pipe|Net", "Caret^Net", "`Tick` Net",
         "SELECT * WHERE { ?s ?p ?o }", "} ; DROP ALL ; INSERT DATA { <a> <b> <c> } #", "Net\\ ' \"\"\" '''"]


def test_quotes_brackets_and_sparql_keywords_in_names(tmp_path, good):
    bad = tmp_path / "names.jsonl"
    bad.write_text(jsonl(*({"title": n, "abstract": f"We propose {n}. It outperforms ResNet on CIFAR-10."} for n in NAMES)),
                   encoding="utf-8")
    assert_case(tmp_path, bad, good, messages=[], kept=NAMES, summary="papers kept:       11")
    # The turtle parses in both libraries, and each title comes back whole.
    import pyoxigraph as ox

    ttl = tmp_path / "out0" / "graph.ttl"
    titles = {q.object.value for q in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)
              if q.predicate.value == "http://purl.org/dc/terms/title"}
    assert set(NAMES) <= titles


def test_two_records_with_one_id_and_different_titles(tmp_path, good):
    bad = tmp_path / "ids.jsonl"
    bad.write_text(jsonl({"id": "x1", "title": "First Title", "abstract": "A."},
                         {"id": "x1", "title": "Second Title", "abstract": "B."},
                         {"id": "x1", "title": "first title!", "abstract": "A again."}), encoding="utf-8")
    assert_case(tmp_path, bad, good, messages=[
        f"warning {bad}:2: id 'x1' is also the id of {bad}:1, which has another title; both are kept",
    ], kept=["First Title", "Second Title"], summary="duplicates merged: 1")


# --------------------------------------------------------------------------- several files


def test_directory_of_mixed_formats(tmp_path, good):
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "a.jsonl").write_text(jsonl({"title": "Mixed JSONL", "abstract": "One."}), encoding="utf-8")
    (d / "b.csv").write_text("title,abstract\nMixed CSV,Two.\n", encoding="utf-8")
    (d / "c.json").write_text(json.dumps([{"title": "Mixed JSON", "abstract": "Three."}]), encoding="utf-8")
    (d / "d.atom").write_text('<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Mixed Atom</title>'
                              "<summary>Four.</summary></entry></feed>", encoding="utf-8")
    (d / "sub").mkdir()
    (d / "sub" / "e.txt").write_text("Mar 3\n\nMixed Listing\n\nFive.\n", encoding="utf-8")
    (d / "notes.md").write_text("# my notes\n", encoding="utf-8")
    (d / ".hidden.jsonl").write_text("not read", encoding="utf-8")
    assert_case(tmp_path, d, good, messages=[
        f"warning {d / 'notes.md'}: not an input file, left out: paperkg reads .atom, .bib, .csv, .json, .jsonl, .ndjson, "
        ".tsv, .txt, .xml files in folders (name a file to read it anyway)",
    ], kept=["Mixed JSONL", "Mixed CSV", "Mixed JSON", "Mixed Atom", "Mixed Listing"],
        summary="warnings:          1")


def test_missing_file_among_several(tmp_path, good):
    missing = tmp_path / "missing.jsonl"
    other = tmp_path / "other.jsonl"
    other.write_text(jsonl({"title": "Another File's Paper", "abstract": "Here."}), encoding="utf-8")
    assert_case(tmp_path, missing, good, extra_inputs=(other,), messages=[f"skipped {missing}: no such file or folder"],
                kept=["Another File's Paper"], summary="records skipped:   1 (1 no such file or folder)")


def test_csv_with_a_missing_column(tmp_path, good):
    bad = tmp_path / "nocol.csv"
    bad.write_text("title,year\nA Title Only,2020\n", encoding="utf-8")
    assert_case(tmp_path, bad, good, messages=[f"skipped {bad}:1: CSV has no 'abstract' column (columns: title, year)"],
                kept=[], summary="records skipped:   1 (1 CSV has no 'abstract' column)")


def test_csv_rows_with_missing_cells(tmp_path, good):
    bad = tmp_path / "short.csv"
    bad.write_text("title,abstract,url\nOnly A Title\nShort Row Kept,Its abstract.\n", encoding="utf-8")
    assert_case(tmp_path, bad, good, messages=[
        f"skipped {bad}:2: row has 1 of 3 cells; no abstract",
        f"warning {bad}:3: row has 2 of 3 cells; url left empty",
    ], kept=["Short Row Kept"], summary="records skipped:   1 (1 row has 1 of 3 cells; no abstract)")


def test_csv_with_an_abstract_longer_than_the_csv_field_limit(tmp_path, good):
    bad = tmp_path / "big.csv"
    bad.write_text("title,abstract\nBig Cell Paper," + "word " * 40_000 + "\nAfter Big Cell,Small.\n", encoding="utf-8")
    r = read_papers([bad])
    assert [p.title for p in r.papers] == ["Big Cell Paper", "After Big Cell"] and not r.skipped


# --------------------------------------------------------------------------- exit status


def test_usage_errors_exit_2(tmp_path, good):
    assert run("build", good, "--format", "yaml", "--out", tmp_path).exit_code == EXIT_USAGE
    assert run("build", good, "--no-such-option").exit_code == EXIT_USAGE


def test_nothing_buildable_exits_1_even_with_strict(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "no abstract"}\n', encoding="utf-8")
    result, err, _ = build(tmp_path, bad, strict=True)
    assert result.exit_code == EXIT_ERROR
    assert err == [f"skipped {bad}:1: record has no abstract",
                   "Error: no paper could be read from the input; see the skipped lines above"]


def test_help_documents_the_exit_status():
    text = run("build", "--help").output
    assert "0 built" in text and "1 nothing could be built" in text and "2" in text and "3" in text


# --------------------------------------------------------------------------- queries over such names


@pytest.fixture
def names_graph(tmp_path, good) -> Path:
    pytest.importorskip("kg.sparql.query")
    bad = tmp_path / "names.jsonl"
    bad.write_text(jsonl(*({"title": n, "abstract": f"We propose {n}. It is evaluated on ImageNet."} for n in NAMES)),
                   encoding="utf-8")
    result, _, out = build(tmp_path, bad, good)
    assert result.exit_code == 0, result.output
    return out / "graph.ttl"


@pytest.mark.parametrize("name", NAMES)
def test_a_name_reaches_a_query_only_as_a_bound_value(names_graph, name):
    result = run("query", "SELECT ?paper ?t WHERE { ?paper dcterms:title ?t }", "--param", f"t={name}",
                 "--graph", names_graph, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert [r["t"]["value"] for r in rows] == [name]  # exactly that paper: the value was never query text


def test_an_injection_in_a_saved_query_parameter_matches_nothing(names_graph):
    for value in ['ImageNet") } UNION { ?method ?p ?label } #', "x' || true || '", "ImageNet\" . ?s ?p ?o . #"]:
        result = run("query", "methods-on-dataset", "--param", f"dataset={value}", "--graph", names_graph,
                     "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["results"]["bindings"] == []
    ok = run("query", "methods-on-dataset", "--param", "dataset=imagenet", "--graph", names_graph, "--format", "json")
    assert json.loads(ok.stdout)["results"]["bindings"]  # while the honest value finds the methods


@pytest.mark.parametrize("text,where", [
    ("SELECT ?x WHERE { ?x a kg:Method", "line 1, column"),
    ("SELECT ?x\nWHERE {\n  ?x rdfs:label ?l .\n  FILTER(?l = )\n  ?x a ?t .\n}", "line 4, column"),
    ("SELEC ?x WHERE { }", "line 1, column 1"),
])
def test_invalid_sparql_is_one_error_line_with_its_position(names_graph, text, where):
    result = run("query", text, "--graph", names_graph)
    assert result.exit_code == EXIT_ERROR
    (line,) = result.output.strip().splitlines()
    assert line.startswith("Error: SPARQL syntax error at ") and where in line, line
