"""BibTeX input read with bibtexparser (issue 14): the shared PMLR sample and an edge-case file."""

from __future__ import annotations

import sys
from pathlib import Path

from kg.ingest.papers import detect_format, read_papers

SAMPLE = Path(__file__).parent / "fixtures" / "samples" / "pmlr-entry.bib"
EDGE = Path(__file__).parent / "fixtures" / "api" / "edge.bib"


def test_bibtex_is_detected_from_content_not_read_as_a_listing(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    assert detect_format(text) == "bibtex"
    f = tmp_path / "citation.txt"  # a listing page's suffix: still BibTeX, no "publisher = {PMLR}," paper
    f.write_text(text, encoding="utf-8")
    r = read_papers([f])
    assert [p.title for p in r.papers] == ["ViLT: Vision-and-Language Transformer Without Convolution or Region Supervision"]


def test_pmlr_sample():
    r = read_papers([SAMPLE])
    assert not r.skipped and len(r.papers) == 1
    p = r.papers[0]
    assert p.title == "ViLT: Vision-and-Language Transformer Without Convolution or Region Supervision"
    assert p.abstract.startswith("Vision-and-Language Pre-training (VLP) has improved performance on various joint")
    assert p.abstract.endswith("Our code and pre-trained weights are available at https://github.com/dandelin/vilt.")
    assert (p.id, p.url, p.date, p.authors, p.arxiv_id) == (
        "pmlr-v139-kim21k", "http://proceedings.mlr.press/v139/kim21k.html", "2021-07",
        ("Wonjae Kim", "Bokyung Son", "Ildoo Kim"), None)
    assert p.source.endswith("pmlr-entry.bib:1")


def test_edge_cases_latex_missing_abstract_and_broken_entry():
    r = read_papers([EDGE])
    assert [(p.title, p.abstract, p.authors, p.date, p.arxiv_id, p.url) for p in r.papers] == [
        ("CaféNet: Attention over Attention", "We study cafés. 50% better.", ("Zoë Müller", "John Doe"), "2020-03",
         "2001.01234", "https://doi.org/10.1000/xyz"),
        ("Last One", "Quoted abstract.", ("Solo Author",), "2018-11", None, "https://x.org/p"),
    ]
    assert [(s.line, s.reason.split(" (")[0]) for s in r.skipped] == [
        (10, "record has no abstract"), (11, "malformed BibTeX entry")]
    assert r.skipped[0].reason == "record has no abstract (BibTeX entry 'noabs')"
    assert r.papers[1].source.endswith("edge.bib:12")


def test_without_bibtexparser_the_file_is_skipped_with_a_clear_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "bibtexparser", None)
    r = read_papers([SAMPLE])
    assert not r.papers
    assert [s.reason for s in r.skipped] == [
        "reading BibTeX needs the bibtexparser package (>= 2.0): pip install 'bibtexparser>=2.0'"]


def test_format_can_be_named(tmp_path):
    f = tmp_path / "refs"
    f.write_text("\n\n" + SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert len(read_papers([f], fmt="bibtex").papers) == 1
