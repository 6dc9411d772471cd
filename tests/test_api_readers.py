"""Readers of OpenAlex, Semantic Scholar and Hugging Face papers JSON (issue 14), on the shared
real samples (tests/fixtures/samples/, provenance in its README) and small edge-case files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.ingest.papers import detect_format, read_papers

SAMPLES = Path(__file__).parent / "fixtures" / "samples"
API = Path(__file__).parent / "fixtures" / "api"


def one_file(path, **kw):
    return read_papers([path], **kw)


@pytest.mark.parametrize("path,fmt", [
    (SAMPLES / "openalex-work.json", "openalex"),
    (SAMPLES / "semantic-scholar-paper.json", "semantic-scholar"),
    (SAMPLES / "semantic-scholar-search.json", "semantic-scholar"),
    (SAMPLES / "hf-daily-papers.json", "hf-papers"),
    (API / "openalex-page.json", "openalex"),
    (API / "openalex-snapshot.jsonl", "openalex"),
    (API / "semantic-scholar-page.json", "semantic-scholar"),
    (API / "hf-papers.json", "hf-papers"),
])
def test_api_formats_are_detected_from_content(path, fmt):
    assert detect_format(path.read_text(encoding="utf-8"), str(path)) == fmt


def test_openalex_sample_work():
    r = one_file(SAMPLES / "openalex-work.json")
    assert not r.skipped and len(r.papers) == 1
    p = r.papers[0]
    assert p.title == "The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles"
    # The sample's inverted index is trimmed: "Despite" 0, "growing" 1, "interest" 2, "in" 3, 57, 73, 110, 122.
    assert p.abstract == "Despite growing interest in in in in in"
    assert (p.id, p.url, p.date) == ("https://openalex.org/W2741809807", "https://doi.org/10.7717/peerj.4375", "2018-02-13")
    assert p.authors == ("Heather A. Piwowar", "Jason Priem", "Vincent Larivière", "Juan Pablo Alperín", "Lisa Matthias",
                         "Bree Norlander", "Ashley Farley", "Jevin D. West", "Stefanie Haustein")
    assert p.arxiv_id is None


def test_openalex_results_page_rebuilds_abstracts_with_repeated_words():
    r = one_file(API / "openalex-page.json")
    assert [p.title for p in r.papers] == ["CaféNet: Attention over Attention", "Landing Page Only"]
    a, b = r.papers
    assert a.abstract == "We attention over attention works."
    assert (a.id, a.url, a.date, a.authors) == ("https://openalex.org/W1000000001", "https://doi.org/10.1000/café",
                                               "2021-06-30", ("Zoë Müller", "Jan Štěpánek"))
    assert (b.abstract, b.url, b.date) == ("Only a landing page.", "https://example.org/w3", "2019")
    assert [(s.line, s.reason) for s in r.skipped] == [(15, "record has no abstract")]
    assert r.papers[0].source.endswith("openalex-page.json:4")


def test_openalex_snapshot_json_lines():
    r = one_file(API / "openalex-snapshot.jsonl")
    assert [(p.title, p.abstract, p.url, p.date) for p in r.papers] == [
        ("Snapshot Work One", "One abstract.", "https://doi.org/10.1000/one", "2022-01-02"),
        ("Snapshot Work Two", "Two and Two", "https://doi.org/10.1000/two", "2022-03-04"),
    ]
    assert r.papers[0].authors == ("Ann Lee",) and not r.skipped


def test_openalex_snapshot_is_streamed_when_large(tmp_path, monkeypatch):
    from kg.ingest import text
    monkeypatch.setattr(text, "STREAM_MIN_BYTES", 4096)
    line = (API / "openalex-snapshot.jsonl").read_text(encoding="utf-8").splitlines()[0]
    rows = [json.loads(line) | {"title": f"Work {i}", "id": f"https://openalex.org/W{i}",
                                "doi": f"https://doi.org/10.1/{i}"} for i in range(100)]
    f = tmp_path / "works.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    got = text.open_input(f, "auto", [])
    assert got[0] == "openalex" and got[1].text is None
    r = one_file(f)
    assert len(r.papers) == 100 and not r.skipped and r.papers[99].source.endswith("works.jsonl:100")


def test_semantic_scholar_single_paper_sample():
    r = one_file(SAMPLES / "semantic-scholar-paper.json")
    assert not r.skipped and len(r.papers) == 1
    p = r.papers[0]
    assert (p.title, p.abstract, p.id, p.arxiv_id) == ("Gust-Robust Quadrotor Control", "We reject gusts.", "abc123",
                                                       "2501.00001")
    assert (p.url, p.date, p.authors) == ("https://arxiv.org/abs/2501.00001", "2025", ())


def test_semantic_scholar_search_sample_has_no_abstract():
    # The documented search shape asks for no abstract: the paper is skipped with that reason, not "no title".
    r = one_file(SAMPLES / "semantic-scholar-search.json")
    assert not r.papers and [(s.line, s.reason) for s in r.skipped] == [(1, "record has no abstract")]


def test_semantic_scholar_data_page():
    r = one_file(API / "semantic-scholar-page.json")
    assert len(r.papers) == 1
    p = r.papers[0]
    assert (p.title, p.abstract, p.id, p.arxiv_id, p.url, p.date, p.authors) == (
        "DOI Only Paper", "An abstract with ünicode.", "s2a", None, "https://doi.org/10.1000/doi-only", "2023-05-06",
        ("Mei Chen", "Raj Patel"))
    assert [(s.line, s.reason) for s in r.skipped] == [(4, "record has no abstract")]


def test_hugging_face_daily_papers_sample():
    r = one_file(SAMPLES / "hf-daily-papers.json")
    assert not r.skipped
    assert [(p.title, p.arxiv_id, p.url, p.date) for p in r.papers] == [
        ("Coding Agents for Generalized Task and Motion Planning Problems", "2609.30233",
         "https://arxiv.org/abs/2609.30233", "2026-09-24"),
        ("Training Object Permanence in World Models", "2609.28654", "https://arxiv.org/abs/2609.28654", "2026-09-23"),
        ("Just-in-Time Memory: Learning to Curate Task-Adaptive Memory for LLM Agents", "2609.27334",
         "https://arxiv.org/abs/2609.27334", "2026-09-23"),
    ]
    assert r.papers[0].abstract == ("Task and motion planning (TAMP) problems remain difficult even with full "
                                    "observability. We investigate whether coding agents can automate this process.")
    assert r.papers[0].authors == ("Matteo Merler", "Bowen Li")
    assert r.papers[2].authors == ("Yefan Zhou", "Yang Li", "Zeyu Leo Liu", "Semih Yavuz")


def test_hugging_face_edge_cases():
    r = one_file(API / "hf-papers.json")
    assert [(p.title, p.abstract, p.authors) for p in r.papers] == [
        ("Résumé Models", "We model résumés. Over two lines.", ("Ana Ruiz",))]
    assert [(s.line, s.reason) for s in r.skipped] == [(6, "record has no abstract")]


@pytest.mark.parametrize("fmt", ["openalex", "semantic-scholar", "hf-papers"])
def test_format_can_be_named(tmp_path, fmt):
    # A record that auto-detection would read as plain JSON is read by the named API reader.
    rec = {"openalex": {"display_name": "Named", "abstract_inverted_index": {"Hi.": [0]}},
           "semantic-scholar": {"title": "Named", "abstract": "Hi.", "externalIds": {"ArXiv": "2401.00001"}},
           "hf-papers": {"paper": {"id": "2401.00001", "title": "Named", "summary": "Hi."}}}[fmt]
    f = tmp_path / "x.json"
    f.write_text(json.dumps([rec]), encoding="utf-8")
    r = one_file(f, fmt=fmt)
    assert [(p.title, p.abstract) for p in r.papers] == [("Named", "Hi.")]


def test_cli_build_reads_api_samples(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli
    res = CliRunner().invoke(cli, ["build", str(SAMPLES / "hf-daily-papers.json"), str(SAMPLES / "openalex-work.json"),
                                    "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "papers kept:       4" in res.output and "records skipped:   0" in res.output, res.output
