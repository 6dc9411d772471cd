"""No paper lost to a false duplicate (issue 14): records with different arXiv ids or DOIs never
merge, whatever their titles; the summary says which rule merged how many."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.ingest.papers import read_papers

ATOM = Path(__file__).parent / "fixtures" / "samples" / "arxiv-api-2019.atom"
TITLE = "Comment: The 2005 Neyman Lecture: Dynamic Indeterminism in Science"


def write(tmp_path, rows, name="d.jsonl"):
    f = tmp_path / name
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return f


def test_atom_sample_keeps_both_same_title_papers():
    r = read_papers([ATOM])
    same = [p for p in r.papers if p.title == TITLE]
    assert len(r.papers) == 10 and r.duplicates == 0 and not r.skipped
    assert [(p.arxiv_id, p.authors, p.url, p.date) for p in same] == [
        ("0808.0631", ("Hans R. Künsch",), "http://arxiv.org/abs/0808.0631v1", "2008-08-05"),
        ("0808.0638", ("Grace L. Yang",), "http://arxiv.org/abs/0808.0638v1", "2008-08-05"),
    ]
    assert same[0].key != same[1].key  # two paper nodes
    assert [w.line for w in r.warnings] == [121]
    assert r.warnings[0].reason == f"same title as {same[0].source}, but another arXiv id: a different paper, both kept"
    assert same[0].source.endswith("arxiv-api-2019.atom:99")


def test_different_dois_never_merge_and_title_merge_needs_no_contradiction(tmp_path):
    f = write(tmp_path, [
        {"title": "Same Title", "abstract": "A.", "doi": "10.1000/a"},
        {"title": "same title", "abstract": "B.", "url": "https://doi.org/10.1000/B"},
        {"title": "Same Title!", "abstract": "C."},  # no id: merges with the first
        {"title": "Another Title", "abstract": "D.", "url": "https://doi.org/10.1000/A"},  # same DOI (case)
        {"title": "Arx", "abstract": "E.", "arxiv_id": "2401.00001", "doi": "10.1000/e"},
        {"title": "Arx", "abstract": "F.", "arxiv_id": "2401.00002", "doi": "10.1000/e"},  # arXiv ids differ
    ])
    r = read_papers([f])
    assert [p.abstract for p in r.papers] == ["A.", "B.", "E.", "F."]
    assert r.duplicates == 2 and dict(r.merged_by) == {"same title": 1, "same DOI": 1}
    assert len({p.key for p in r.papers}) == 4


def test_summary_says_which_rule_merged_how_many(tmp_path):
    f = write(tmp_path, [
        {"title": "One", "abstract": "A."},
        {"title": "one", "abstract": "A."},
        {"title": "Two", "abstract": "B.", "arxiv_id": "2401.00003"},
        {"title": "Two, revised", "abstract": "B.", "url": "https://arxiv.org/abs/2401.00003v2"},
    ])
    res = CliRunner().invoke(cli, ["build", str(f), "--out", str(tmp_path / "out")], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "duplicates merged: 2 (1 same arXiv id, 1 same title)" in res.output


def test_update_keeps_same_title_papers_apart(tmp_path):
    a = write(tmp_path, [{"title": "Twin", "abstract": "A.", "arxiv_id": "2401.00010"}], "a.jsonl")
    b = write(tmp_path, [{"title": "Twin", "abstract": "B.", "arxiv_id": "2401.00011"},
                         {"title": "Twin", "abstract": "A again.", "arxiv_id": "2401.00010"}], "b.jsonl")
    first = read_papers([a])
    r = read_papers([b], start=first)
    assert [p.arxiv_id for p in r.papers] == ["2401.00010", "2401.00011"] and r.duplicates == 1
    assert read_papers([a, b]).papers == r.papers
