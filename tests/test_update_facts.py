"""`kg build --update` with curated facts: the new papers' facts are patched in; every output equals a full rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.pipeline.build import build

FIX = Path(__file__).parent / "fixtures"
TABLES = FIX / "samples" / "pwc-evaluation-tables-snli.json"
LINKS = FIX / "samples" / "pwc-links-between-papers-and-code.json"
JOINED = FIX / "api" / "pwc-joined-papers.jsonl"  # three papers the facts name
PWC_PAPERS = FIX / "samples" / "pwc-papers-with-abstracts.json"
OUTPUTS = ("graph.ttl", "graph.nt", "graph.html", "centrality.csv", "top_methods.svg", "trends.svg")
FORMATS = ("turtle", "ntriples")


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the map's header date


def files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_new_papers_facts_are_patched_in_and_equal_a_full_build(tmp_path):
    inc = tmp_path / "inc"
    build([PWC_PAPERS], out_dir=inc, rdf_formats=FORMATS, facts=[TABLES, LINKS], cache=True)
    _, summary = build([JOINED], out_dir=inc, rdf_formats=FORMATS, facts=[TABLES, LINKS], cache=True, update=True)
    assert summary.patched is not None, "the update built the graph afresh"
    assert summary.curated_claims > 0  # the new papers' facts are in the graph
    _, full = build([PWC_PAPERS, JOINED], out_dir=tmp_path / "full", rdf_formats=FORMATS, facts=[TABLES, LINKS])
    assert files(inc) == files(tmp_path / "full")
    assert summary.curated_claims == full.curated_claims


def pwc_record(n: int, title: str, abstract: str, tasks: list[str], methods: list[str]) -> dict:
    """A Papers with Code papers-with-abstracts record: its tasks and methods are the curators'."""
    return {"paper_url": f"https://paperswithcode.com/paper/p{n}", "arxiv_id": f"2401.0000{n}", "title": title,
            "abstract": abstract, "tasks": tasks, "methods": [{"name": m} for m in methods]}


def test_papers_own_curated_tasks_no_longer_force_a_rebuild(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps([pwc_record(1, "Zorbnet for folding", "We propose Zorbnet. It beats ResNet.",
                                          ["Protein Folding"], ["Zorbnet"])]), encoding="utf-8")
    new.write_text(json.dumps([pwc_record(2, "Folding with Zorbnet", "Zorbnet and ResNet on CIFAR-10.",
                                          ["Protein Folding", "Image Classification"], ["ResNet"])]), encoding="utf-8")
    inc = tmp_path / "inc"
    build([old], out_dir=inc, rdf_formats=FORMATS, cache=True)
    _, summary = build([new], out_dir=inc, rdf_formats=FORMATS, cache=True, update=True)
    assert summary.patched is not None
    build([old, new], out_dir=tmp_path / "full", rdf_formats=FORMATS)
    assert files(inc) == files(tmp_path / "full")
    assert b"Image Classification" in (inc / "graph.nt").read_bytes()


def test_facts_that_move_to_a_new_paper_are_built_afresh_with_the_same_result(tmp_path):
    # The link names an arXiv id and a title: matched by title to the old paper (which has no id),
    # then by id to the new paper that has it. The old paper's facts change: no patch, same files.
    link = [{"paper_url": "https://paperswithcode.com/paper/zorbnet", "paper_title": "Zorbnet for folding",
             "paper_arxiv_id": "2401.00001", "paper_url_abs": "https://arxiv.org/abs/2401.00001",
             "repo_url": "https://github.com/acme/zorbnet", "is_official": True, "framework": "none"}]
    links = tmp_path / "links.json"
    links.write_text(json.dumps(link), encoding="utf-8")
    old = tmp_path / "old.jsonl"
    new = tmp_path / "new.jsonl"
    old.write_text(json.dumps({"title": "Zorbnet for folding", "abstract": "We propose Zorbnet."}) + "\n",
                   encoding="utf-8")
    new.write_text(json.dumps({"title": "Zorbnet, the journal version", "arxiv_id": "2401.00001",
                               "abstract": "Zorbnet beats ResNet."}) + "\n", encoding="utf-8")
    inc = tmp_path / "inc"
    build([old], out_dir=inc, rdf_formats=FORMATS, facts=[links], cache=True)
    assert b"https://github.com/acme/zorbnet" in (inc / "graph.nt").read_bytes()
    _, summary = build([new], out_dir=inc, rdf_formats=FORMATS, facts=[links], cache=True, update=True)
    assert summary.patched is None
    build([old, new], out_dir=tmp_path / "full", rdf_formats=FORMATS, facts=[links])
    assert files(inc) == files(tmp_path / "full")
