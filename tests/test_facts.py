"""Curated facts from the Papers with Code archive (`kg build --facts`): joined to the build's papers,
written with their provenance apart from extracted claims, read back, validated and queried.

Expected values are read by hand from tests/fixtures/samples/pwc-*.json (see its README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.export.rdf import read_graph
from kg.graph.snapshot import Snapshot
from kg.ingest.papers import read_papers
from kg.ingest.pwc_facts import read_facts
from kg.pipeline.build import build
from kg.sparql.query import load_graph, resolve_query_arg, run_query
from kg.sparql.validate import validate_graph

FIX = Path(__file__).parent / "fixtures"
SAMPLES = FIX / "samples"
TABLES = SAMPLES / "pwc-evaluation-tables-snli.json"
LINKS = SAMPLES / "pwc-links-between-papers-and-code.json"
JOINED = FIX / "api" / "pwc-joined-papers.jsonl"  # three papers the facts name (README: written for these tests)
PWC_PAPERS = SAMPLES / "pwc-papers-with-abstracts.json"
R = "https://w3id.org/paperkg/resource/"
PWC = "https://paperswithcode.com/"


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def test_facts_join_by_arxiv_id_and_title_and_count_the_rest():
    papers = read_papers([JOINED]).papers
    facts = read_facts([TABLES, LINKS], papers)
    # 64 SNLI rows hold 190 non-empty metric cells; the links file 2 links.
    assert (facts.read, facts.unmatched) == (192, 181)
    by_title = {p.title: facts.by_paper[p.key] for p in papers}
    snli = by_title["A large annotated corpus for learning natural language inference"]  # joined by title
    assert sorted((r.method, r.metric, r.value) for r in snli.results) == [
        ("+ Unigram and bigram features", "% Test Accuracy", "78.2"),
        ("+ Unigram and bigram features", "% Train Accuracy", "99.7"),
        ("100D LSTM encoders", "% Test Accuracy", "77.6"),
        ("100D LSTM encoders", "% Train Accuracy", "84.8"),
        ("100D LSTM encoders", "Parameters", "220k"),
        ("Unlexicalized features", "% Test Accuracy", "50.4"),
        ("Unlexicalized features", "% Train Accuracy", "49.4")]
    assert {(r.dataset, r.task) for r in snli.results} == {("SNLI", "Natural Language Inference")}
    order = by_title["Order-Embeddings of Images and Language"]  # joined by the arXiv id in paper_url's PDF link
    assert sorted((r.metric, r.value) for r in order.results) == [
        ("% Test Accuracy", "81.4"), ("% Train Accuracy", "98.8"), ("Parameters", "15m")]
    odyssey = by_title["Odyssey: A Public GPU-Based Code for General-Relativistic Radiative Transfer in Kerr Spacetime"]
    assert (odyssey.repos, odyssey.results) == (["https://github.com/LeonGeiger/Kerr"], [])


def test_a_facts_file_given_as_papers_says_so_and_an_unknown_facts_file_is_refused(tmp_path):
    r = read_papers([LINKS, TABLES])
    assert not r.papers
    assert [s.reason for s in r.skipped] == [
        "a Papers with Code links-between-papers-and-code file: curated facts, not papers; give it with --facts",
        "a Papers with Code evaluation-tables file: curated facts, not papers; give it with --facts"]
    with pytest.raises(InputError, match="unrecognised format"):
        read_facts([PWC_PAPERS], [])


def test_a_facts_file_is_read_as_paper_files_are(tmp_path):
    # The same opening as papers (kg.ingest.text.open_input): UTF-16 with a byte-order mark reads, empty is said.
    papers = read_papers([JOINED]).papers
    utf16 = tmp_path / "links-utf16.json"
    utf16.write_bytes(LINKS.read_text(encoding="utf-8").encode("utf-16"))
    assert read_facts([utf16], papers).by_paper == read_facts([LINKS], papers).by_paper
    (tmp_path / "empty.json").write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        read_facts([tmp_path / "empty.json"], papers)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("facts")
    G, summary = build([JOINED, PWC_PAPERS], out_dir=out, facts=[TABLES, LINKS], rdf_formats=("turtle", "ntriples"))
    return out, G, summary


def test_the_summary_counts_facts_and_curated_results(built):
    _, _, summary = built
    lines = summary.lines()
    assert "curated facts:     192 read from 2 --facts file(s); 181 name papers not in the build, not added" in lines
    assert any(line.endswith("; 10 curated results (metric and value, no sentence)") for line in lines)


def test_curated_results_carry_metric_value_and_provenance_and_no_sentence(built):
    _, G, _ = built
    claims = [c for _, _, d in G.edges(data=True) for c in d.get("claims", ()) if c.get("source")]
    assert len(claims) == 10
    assert all(set(c) == {"paper", "source", "metric", "value"} and c["source"] == "PapersWithCode" for c in claims)
    edge = next(d for u, v, d in G.edges(data=True)
                if d["rel"] == "evaluatesOn" and G.nodes[u]["label"] == "Unlexicalized features")
    assert G.nodes[next(iter(G.successors(next(u for u, v, d in G.edges(data=True) if d is edge))))]["label"] == "SNLI"
    assert sorted(c["value"] for c in edge["claims"]) == ["49.4", "50.4"]
    assert {G.nodes[c["metric"]]["kind"] for c in claims} == {"metric"}
    repo = "https://github.com/LeonGeiger/Kerr"
    (paper,) = [u for u, v, d in G.edges(data=True) if v == repo and d["rel"] == "hasCode"]
    assert G.edges[paper, repo, "hasCode"]["curated"] == ("PapersWithCode",)


def test_papers_with_code_tasks_and_methods_are_curated_mentions(built):
    _, G, _ = built
    (paper,) = [n for n, d in G.nodes(data=True) if d.get("title") == "Dynamic Network Model from Partial Observations"]
    curated = {G.nodes[v]["label"]: G.nodes[v]["kind"] for _, v, d in G.out_edges(paper, data=True)
               if d["rel"] == "mentions" and d.get("curated") == ("PapersWithCode",)}
    # The record's `tasks` ["model", "Open-Ended Question Answering"] and `methods` [{"name": "ooJpiued"}].
    assert {name.lower(): kind for name, kind in curated.items()} == {
        "model": "task", "open-ended question answering": "task", "oojpiued": "method"}


def test_rdf_reads_back_to_the_same_graph_and_conforms(built):
    out, G, _ = built
    for name in ("graph.ttl", "graph.nt"):
        assert Snapshot.from_graph(read_graph(out / name)).equals(Snapshot.from_graph(G)), name
    conforms, messages = validate_graph(out / "graph.ttl")
    assert conforms, messages


def test_sparql_tells_curated_from_extracted(built):
    out, _, _ = built
    store = load_graph(out / "graph.ttl")
    rows = [tuple(t.value for t in row) for row in run_query(store, resolve_query_arg("curated-results")).rows]
    assert len(rows) == 10
    assert {(r[0], r[3]) for r in rows} >= {("Unlexicalized features", "50.4"), ("100D LSTM encoders", "220k")}
    def count(where: str) -> int:
        return int(run_query(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0][0].value)

    assert count("?st prov:wasAttributedTo ?who ; kg:evidence ?e") == 0  # a fact quotes no sentence
    assert count(f"?st rdf:predicate kg:evaluatesOn ; prov:wasAttributedTo <{PWC}>") == 10
    # The three Papers with Code mentions of the papers-with-abstracts record, and the facts' entities.
    assert count(f"?st rdf:predicate kg:mentions ; prov:wasAttributedTo <{PWC}>") > 3


def test_update_with_facts_equals_a_full_build_and_other_facts_are_refused(tmp_path):
    names = ("graph.ttl", "graph.html", "centrality.csv")
    inc = tmp_path / "inc"
    build([PWC_PAPERS], out_dir=inc, facts=[TABLES, LINKS], cache=True)
    _, summary = build([JOINED], out_dir=inc, facts=[TABLES, LINKS], cache=True, update=True)
    assert summary.patched is not None  # the new papers' facts patched in (tests/test_update_facts.py)
    build([PWC_PAPERS, JOINED], out_dir=tmp_path / "full", facts=[TABLES, LINKS])
    assert {n: (inc / n).read_bytes() for n in names} == {n: (tmp_path / "full" / n).read_bytes() for n in names}
    before = (inc / "graph.ttl").read_bytes()
    with pytest.raises(InputError, match="--facts files or --category differ"):
        build([JOINED], out_dir=inc, facts=[LINKS], cache=True, update=True)
    with pytest.raises(InputError, match="--facts files or --category differ"):
        build([JOINED], out_dir=inc, cache=True, update=True)
    assert (inc / "graph.ttl").read_bytes() == before


def test_facts_file_with_a_stray_record_reports_it(tmp_path):
    f = tmp_path / "links.json"
    records = json.loads(LINKS.read_text(encoding="utf-8")) + [{"something": "else"}]
    f.write_text(json.dumps(records), encoding="utf-8")
    facts = read_facts([f], read_papers([JOINED]).papers)
    assert (facts.read, facts.unmatched) == (2, 1)
    assert [str(p) for p in facts.problems] == [f"{f}:3: not a Papers with Code link or evaluation table record"]
