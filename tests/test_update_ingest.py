"""An update's ingest (read_papers read on from stored papers) indexes the stored titles only when a
new record has one of them, and still merges and keys every record as one full read does."""

from __future__ import annotations

import json

from kg.ingest.papers import read_papers


def write(tmp_path, rows, name):
    f = tmp_path / name
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return f


def _same(r, full):
    assert [(p.key, p.arxiv_id, p.title, p.abstract, p.authors) for p in r.papers] == \
        [(p.key, p.arxiv_id, p.title, p.abstract, p.authors) for p in full.papers]
    assert (r.duplicates, dict(r.merged_by)) == (full.duplicates, dict(full.merged_by))
    assert [w.reason for w in r.warnings] == [w.reason for w in full.warnings]


def test_new_titles_before_and_after_a_stored_title_merge_as_a_full_read(tmp_path):
    a = write(tmp_path, [{"title": "Twin", "abstract": "A.", "arxiv_id": "2401.00010"},
                         {"title": "Twin", "abstract": "B.", "arxiv_id": "2401.00011"},
                         {"title": "Other", "abstract": "O."}], "a.jsonl")
    # New titles first (indexed before the stored titles are), then the second stored Twin again
    # (a title key only its first paper has), then the new titles again.
    b = write(tmp_path, [{"title": "Fresh", "abstract": "F.", "arxiv_id": "2402.00001"},
                         {"title": "Fresh", "abstract": "F2.", "arxiv_id": "2402.00002"},
                         {"title": "Twin", "abstract": "B again.", "arxiv_id": "2401.00011", "authors": ["Ann"]},
                         {"title": "Twin", "abstract": "C.", "arxiv_id": "2401.00012"},
                         {"title": "Fresh", "abstract": "F again.", "arxiv_id": "2402.00002", "authors": ["Bo"]},
                         {"title": "Twin", "abstract": "B once more.", "arxiv_id": "2401.00011", "url": "https://x.org/b"}],
              "b.jsonl")
    start = read_papers([a])
    stored = list(start.papers)
    before = [(p.key, p.authors, p.url) for p in stored]
    r = read_papers([b], start=start)
    full = read_papers([a, b])
    _same(r, full)
    assert [p.url for p in r.papers if p.arxiv_id == "2401.00011"] == ["https://x.org/b"]
    # The stored Paper objects are as they were (an update compares them with what they became):
    # the one filled in is a copy in the list, filled twice (found by title, then by title again).
    assert [(p.key, p.authors, p.url) for p in stored] == before
    assert [p is q for p, q in zip(r.papers, stored)] == [True, False, True]
    assert [p.arxiv_id for p in r.papers if p.title == "Twin"] == ["2401.00010", "2401.00011", "2401.00012"]
    assert [p.authors for p in r.papers if p.title != "Other"] == [(), ("Ann",), (), ("Bo",), ()]
    assert r.duplicates == 3


def test_no_stored_title_met_leaves_stored_papers_as_they_were(tmp_path):
    a = write(tmp_path, [{"title": "Twin", "abstract": "A.", "arxiv_id": "2401.00010"},
                         {"title": "Twin", "abstract": "B.", "arxiv_id": "2401.00011"}], "a.jsonl")
    b = write(tmp_path, [{"title": "Twin copy", "abstract": "A.", "arxiv_id": "2401.00011", "authors": ["Ann"]},
                         {"title": "New", "abstract": "N."},
                         {"title": "Twin copy 2", "abstract": "A.", "arxiv_id": "2401.00011", "url": "https://x.org/b"}],
              "b.jsonl")
    start = read_papers([a])
    stored = list(start.papers)
    r = read_papers([b], start=start)
    _same(r, read_papers([a, b]))
    assert (stored[1].authors, stored[1].url) == ((), None) and r.papers[1] is not stored[1] and r.papers[0] is stored[0]
    assert (r.papers[1].authors, r.papers[1].url) == (("Ann",), "https://x.org/b")
    # Merged by arXiv id into the second Twin (not by title): 3 papers.
    assert [p.title for p in r.papers] == ["Twin", "Twin", "New"] and r.papers[1].authors == ("Ann",)
