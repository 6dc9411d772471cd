"""Streamed ingest: a large line-based file read line by line gives what reading it whole gives."""

from __future__ import annotations

import json

import pytest

import kg.ingest.text
from kg.ingest.papers import read_papers
from kg.ingest.text import InputText, open_input

# Streaming starts above this many bytes in these tests (the head must still hold 4 KiB of text).
SMALL = 8192


def _records(n: int) -> list[dict]:
    # Non-ASCII text, so the 8 KiB head boundary falls inside multi-byte characters too.
    return [{"id": f"r{i}", "title": f"Caf\u00e9 Net {i}: Fast \u00dcbung", "abstract": f"We propose Net{i}.\u2003It works."}
            for i in range(300)]


def _jsonl(path, records):
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines[5] = '{"title": "broken'  # a bad line is skipped, the next ones still read
    lines[7] = ""  # blank lines are no records
    lines[9] = json.dumps({"title": "Ctl\x07 title", "abstract": "bidi \u202e text"}, ensure_ascii=False)
    text = "\ufeff" + "\r\n".join(lines[:60]) + "\n" + "\n".join(lines[60:])  # BOM, CRLF then LF, no final LF
    path.write_text(text, encoding="utf-8", newline="")


def _listing(path, records):
    out = ["Subscribe", "Mar 11"]
    for i, r in enumerate(records):
        if i == 50:
            out += ["", "new", "Apr 2, 2024"]
        out += [r["title"], r["abstract"]]
    out.append("A title without an abstract")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _csv(path, records):
    rows = ["title,abstract,id"]
    for r in records:
        rows.append(f'"{r["title"]}","{r["abstract"]}\r\nsecond line, with a comma",{r["id"]}')
    rows[20] = "only one cell"
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8", newline="")


def _atom(path, records):
    entries = "".join(f"<entry><id>http://arxiv.org/abs/2401.{i:05d}v1</id><title>{r['title']}</title>"
                      f"<summary>{r['abstract']}</summary><published>2024-01-02T00:00:00Z</published></entry>\n"
                      for i, r in enumerate(records))
    path.write_text(f'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n{entries}</feed>\n',
                    encoding="utf-8")


def _read(path, monkeypatch, threshold):
    monkeypatch.setattr(kg.ingest.text, "STREAM_MIN_BYTES", threshold)
    r = read_papers([path])
    return r.papers, r.skipped, r.warnings, r.records_read, r.duplicates


@pytest.mark.parametrize("write,name", [(_jsonl, "a.jsonl"), (_listing, "a.txt"), (_csv, "a.csv"), (_atom, "a.atom")])
def test_a_streamed_file_reads_as_the_whole_file_does(tmp_path, monkeypatch, write, name):
    path = tmp_path / name
    write(path, _records(300))
    assert path.stat().st_size > 2 * SMALL
    monkeypatch.setattr(kg.ingest.text, "STREAM_MIN_BYTES", SMALL)
    kind, text = open_input(path, "auto", [])
    assert isinstance(text, InputText) and text.text is None, "expected the streamed path"
    streamed = _read(path, monkeypatch, SMALL)
    whole = _read(path, monkeypatch, 1 << 30)
    assert streamed == whole
    assert len(streamed[0]) > 250


def test_files_that_need_the_whole_text_are_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(kg.ingest.text, "STREAM_MIN_BYTES", SMALL)
    records = _records(300)
    latin = tmp_path / "latin.jsonl"  # not UTF-8 past the head: decoded whole as Windows-1252
    latin.write_bytes(b"\n".join(json.dumps(r).encode() for r in records) + b'\n{"title": "Caf\xe9", "abstract": "x"}\n')
    array = tmp_path / "array.json"
    array.write_text(json.dumps(records, indent=1), encoding="utf-8")
    broken_first = tmp_path / "broken.jsonl"  # a broken first line: detection reads the whole text
    broken_first.write_text('{"title": \n' + "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    for path in (latin, array, broken_first):
        warnings: list = []
        kind, text = open_input(path, "auto", warnings)
        assert text.text is not None, path.name
        assert _read(path, monkeypatch, SMALL) == _read(path, monkeypatch, 1 << 30)
    assert read_papers([latin]).papers[-1].title == "Caf\u00e9"


def test_binary_and_blank_large_files_are_reported_as_before(tmp_path, monkeypatch):
    monkeypatch.setattr(kg.ingest.text, "STREAM_MIN_BYTES", SMALL)
    pdf = tmp_path / "a.jsonl"
    pdf.write_bytes(b"%PDF-1.7\n" + b"x" * (3 * SMALL))
    blank = tmp_path / "b.jsonl"
    blank.write_bytes(b" \n" * (3 * SMALL))
    assert open_input(pdf, "auto", []) == "binary file (a PDF document)"
    assert open_input(blank, "auto", []) == "empty file"
