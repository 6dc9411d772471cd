"""Ingest: every input format, detection, the duplicate merge, and bad records skipped with reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.defaults import SAMPLE_CORPUS_DIR
from kg.errors import FormatError
from kg.ingest.fields import normalise_title, paper_key
from kg.ingest.papers import detect_format, read_papers

FIX = Path(__file__).parent / "fixtures" / "inputs"


def titles(result):
    return [p.title for p in result.papers]


@pytest.mark.parametrize("name,fmt", [
    ("listing.txt", "listing"), ("papers.jsonl", "jsonl"), ("papers.json", "json"), ("arxiv.jsonl", "arxiv-jsonl"),
    ("arxiv.atom", "arxiv-atom"), ("papers.csv", "csv"), ("pwc.json", "pwc"),
])
def test_format_is_detected_from_content(name, fmt):
    assert detect_format((FIX / name).read_text(encoding="utf-8"), str(FIX / name)) == fmt


def test_listing_page_skips_chrome_and_dates_papers():
    r = read_papers([FIX / "listing.txt"])
    assert titles(r) == ["FooNet: Fast Segmentation with Folded Kernels", "A Study of Benchmark Leakage"]
    assert [p.date for p in r.papers] == ["--04-02", "--04-03"]
    assert r.papers[0].source.endswith("listing.txt:11") and not r.skipped


def test_jsonl_keeps_metadata():
    p = read_papers([FIX / "papers.jsonl"]).papers[0]
    assert (p.id, p.url, p.date, p.authors) == ("j1", "https://example.org/j1", "2024-02-01", ("Ada Lovelace", "Alan Turing"))


def test_json_array_and_author_string():
    r = read_papers([FIX / "papers.json"])
    assert titles(r) == ["Array Paper One", "Array Paper Two"]
    assert r.papers[1].authors == ("Grace Hopper", "Edsger Dijkstra")
    assert r.papers[1].source.endswith("papers.json:3")


def test_arxiv_snapshot_folds_whitespace_and_reads_ids():
    (p,) = read_papers([FIX / "arxiv.jsonl"]).papers
    assert p.title == "An arXiv Paper with a Folded Title" and p.abstract == "We study folded titles."
    assert (p.arxiv_id, p.url, p.date, p.categories) == ("2401.00001", "https://arxiv.org/abs/2401.00001", "2024-01-05", ("cs.LG", "cs.CL"))
    assert p.authors == ("A. Author", "B. Author")


def test_arxiv_atom():
    (p,) = read_papers([FIX / "arxiv.atom"]).papers
    assert p.title == "Atom Feeds for Paper Metadata" and p.arxiv_id == "2402.00002"
    assert (p.date, p.authors, p.categories) == ("2024-02-02", ("Carol Coder", "Dan Data"), ("cs.DL",))


def test_csv_with_quotes_and_empty_cells():
    r = read_papers([FIX / "papers.csv"])
    assert titles(r) == ["Comma, Separated Values", "Second CSV Paper"]
    assert r.papers[0].abstract == 'An abstract with a comma, and "quotes".'
    assert r.papers[1].url is None and r.papers[1].source.endswith("papers.csv:3")


def test_papers_with_code_archive():
    (p,) = read_papers([FIX / "pwc.json"]).papers
    assert (p.arxiv_id, p.date, p.authors) == ("2301.00003", "2023-01-02", ("Pat Archive",))


def test_folder_of_mixed_formats_reads_every_file():
    r = read_papers([FIX])
    assert len(r.papers) == 11 and not r.skipped


def test_sample_corpus_is_400_papers_from_435_records():
    r = read_papers([SAMPLE_CORPUS_DIR])
    assert (r.records_read, len(r.papers), r.duplicates, r.skipped) == (435, 400, 35, [])
    assert all(p.title and p.abstract for p in r.papers)
    assert not any(p.title.startswith("Subscribe") for p in r.papers)


def test_duplicates_merge_by_title_and_by_arxiv_id(tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in [
        {"title": "Same Paper", "abstract": "A."},
        {"title": "same  paper!", "abstract": "A again.", "url": "https://example.org/same"},
        {"title": "Old Title", "abstract": "B.", "arxiv_id": "2401.12345"},
        {"title": "New Title", "abstract": "B v2.", "url": "https://arxiv.org/abs/2401.12345v2"},
    ]), encoding="utf-8")
    r = read_papers([f])
    assert titles(r) == ["Same Paper", "Old Title"] and r.duplicates == 2 and r.records_read == 4
    assert r.papers[0].url == "https://example.org/same"  # metadata filled from the copy


def test_paper_key_is_stable_and_title_based():
    assert paper_key("DeepNet: A Title") == paper_key("deepnet  a title") != paper_key("DeepNet: Another Title")
    assert normalise_title("???") == "???"


def test_bad_records_are_skipped_with_file_line_and_reason(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"title": "Good One", "abstract": "Fine."}\n{"title": "Trunc\n{"abstract": "no title"}\n'
                 '{"title": "No Abstract"}\n[1, 2]\n{"title": "Good Two", "abstract": "Fine too."}\n', encoding="utf-8")
    seen = []
    r = read_papers([f], on_skip=seen.append)
    assert titles(r) == ["Good One", "Good Two"]
    reasons = {s.line: s.reason for s in r.skipped}
    assert reasons[2].startswith("malformed JSON") and reasons[3] == "record has no title"
    assert reasons[4] == "record has no abstract" and "not an object" in reasons[5]
    assert [str(s) for s in seen] == [str(s) for s in r.skipped]
    assert str(r.skipped[0]) == f"{f}:2: {reasons[2]}"
    assert r.records_read == 6


def test_missing_file_among_several_is_reported_and_others_built(tmp_path):
    r = read_papers([tmp_path / "nope.jsonl", FIX / "papers.jsonl"])
    assert len(r.papers) == 2 and r.skipped[0].reason == "no such file or folder" and r.skipped[0].line is None


def test_csv_without_abstract_column_is_one_clear_skip(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("title,year\nA,2020\n", encoding="utf-8")
    r = read_papers([f])
    assert not r.papers and r.skipped[0].reason == "CSV has no 'abstract' column (columns: title, year)"


def test_unknown_format_is_a_format_error():
    with pytest.raises(FormatError, match="format 'yaml' is invalid"):
        read_papers([FIX], fmt="yaml")


def test_an_arxiv_id_filled_in_from_a_copy_merges_later_records_as_an_update_does(tmp_path):
    from kg.pipeline.cache import BuildState
    from kg.pipeline.update import continue_ingest

    rec = lambda title, **kw: json.dumps({"title": title, "abstract": "We study it.", **kw})  # noqa: E731
    old = tmp_path / "old.jsonl"
    old.write_text("\n".join([rec("Alpha Paper"), rec("Beta Paper", arxiv_id="2401.00001"),
                              rec("Alpha Paper", arxiv_id="2401.00001")]) + "\n", encoding="utf-8")
    new = tmp_path / "new.jsonl"
    new.write_text(rec("Gamma Paper", arxiv_id="2401.00001", url="https://example.org/g") + "\n", encoding="utf-8")
    full = read_papers([old, new])
    first = read_papers([old])
    update = continue_ingest(BuildState(first.papers, first.records_read, first.duplicates, first.skipped,
                                        first.warnings), [new])
    assert full.papers == update.papers and full.duplicates == update.duplicates == 2
    # Alpha Paper, first in the list, holds the arXiv id it was given by its copy: Gamma merges into it.
    assert [(p.title, p.url) for p in full.papers] == [("Alpha Paper", "https://example.org/g"), ("Beta Paper", None)]


def test_skips_and_warnings_are_problems_of_their_severity(tmp_path):
    good = tmp_path / "a.jsonl"
    good.write_bytes(b'{"title": "Caf\xe9 nets", "abstract": "We study caf\xe9 nets."}\n{"title": "No abstract"}\n')
    r = read_papers([good])
    assert [(p.line, p.severity) for p in r.skipped] == [(2, "skip")]
    assert r.warnings and {p.severity for p in r.warnings} == {"warning"}  # read as Latin-1
    assert str(r.skipped[0]) == f"{good}:2: record has no abstract"  # the printed line names no severity
