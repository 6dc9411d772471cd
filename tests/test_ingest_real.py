"""Real input files (issue 14): arXiv snapshot dates and categories, DOIs, code links, unrecognised files,
and files of the same formats the readers were not written against.

Expected values are read by hand from tests/fixtures/samples/ (as published) and tests/fixtures/api/
(written for these tests; see tests/fixtures/samples/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest.papers import detect_format, read_papers
from kg.ingest.text import FORMATS

FIX = Path(__file__).parent / "fixtures"
SAMPLES = FIX / "samples"
API = FIX / "api"
UNRECOGNISED = f"unrecognised format (formats read: {', '.join(FORMATS)})"


def one(path: Path, **kw):
    r = read_papers([path], **kw)
    return {p.title: p for p in r.papers}, r


def test_arxiv_snapshot_is_dated_by_its_first_version_and_keeps_the_revision():
    papers, r = one(SAMPLES / "arxiv-metadata-snapshot.jsonl")
    assert len(r.papers) == 60
    p = papers["Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"]
    # versions[0].created "Mon, 2 Apr 2007 19:18:42 GMT"; update_date "2008-11-26".
    assert (p.date, p.revised, p.doi) == ("2007-04-02", "2008-11-26", "10.1103/physrevd.76.013009")
    assert (p.arxiv_id, p.url, p.categories) == ("0704.0001", "https://arxiv.org/abs/0704.0001", ("hep-ph",))
    assert p.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan")
    q = next(x for x in r.papers if x.arxiv_id == "0704.0004")  # created Sat, 31 Mar 2007; updated 2007-05-23
    assert (q.date, q.revised, q.doi) == ("2007-03-31", "2007-05-23", None)


def test_category_keeps_named_categories_or_archives_and_counts_the_rest():
    _, r = one(SAMPLES / "arxiv-metadata-snapshot.jsonl", categories=["cs"])
    # Four of the 60 records list a cs category: 0704.0002 (cs.CG), 0704.0046 (cs.IT), 0704.0047, 0704.0050 (cs.NE).
    assert sorted(p.arxiv_id for p in r.papers) == ["0704.0002", "0704.0046", "0704.0047", "0704.0050"]
    assert (r.off_category, r.records_read, r.skipped) == (56, 60, [])
    _, r = one(SAMPLES / "arxiv-metadata-snapshot.jsonl", categories=["cs.NE", "cs.CL"])
    assert sorted(p.arxiv_id for p in r.papers) == ["0704.0047", "0704.0050"]
    _, r = one(SAMPLES / "arxiv-api-2019.atom", categories=["cs.LO", "stat.ME"])  # Atom: <category term=...>
    assert (len(r.papers), r.off_category) == (5, 5)
    _, r = one(SAMPLES / "hf-daily-papers.json", categories=["cs.LG"])  # no categories in the format: all kept
    assert (len(r.papers), r.off_category) == (3, 0)


def test_dois_from_every_format_that_has_them():
    assert one(SAMPLES / "openalex-work.json")[1].papers[0].doi == "10.7717/peerj.4375"
    assert one(SAMPLES / "semantic-scholar-paper.json")[1].papers[0].doi == "10.1/xyz"
    papers, _ = one(API / "mixed-entries.bib")
    assert papers["Étude des réseaux à mémoire"].doi == "10.5555/revue.2021.7"


def test_hugging_face_github_repo_is_code():
    papers, _ = one(API / "hf-papers.json")
    assert papers["Résumé Models"].code == ("https://github.com/example/resume-models",)


def test_papers_with_code_tasks_methods_and_page():
    papers, r = one(SAMPLES / "pwc-papers-with-abstracts.json")
    p = papers["Dynamic Network Model from Partial Observations"]
    assert (p.tasks, p.methods) == (("model", "Open-Ended Question Answering"), ("ooJpiued",))
    assert (p.id, p.arxiv_id, p.date) == ("https://paperswithcode.com/paper/dynamic-network-model-from-partial",
                                          "1805.10616", "2018-05-27")
    assert p.categories == ()  # Papers with Code's tasks are not arXiv categories


# --- unrecognised structure -----------------------------------------------------------------------

@pytest.mark.parametrize("name,text", [
    ("config.yaml", "name: experiment\nruns:\n  - model: resnet50\n    dataset: imagenet\n"),
    ("notes.txt", "# Reading list\n\n- [x] Attention Is All You Need\n- [ ] Mamba\n"),
    ("settings.ini", "[paths]\ninput = papers.jsonl\noutput = outputs/\n"),
    ("one-line.txt", "just one line of text\n"),
    ("fields.bib.txt", "  title = {A Title},\n  abstract = {An abstract.},\n  publisher = {PMLR},\n"),
])
def test_a_file_no_reader_recognises_says_so(tmp_path, name, text):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    assert detect_format(text, str(f)) is None
    r = read_papers([f])
    assert not r.papers and [s.reason for s in r.skipped] == [UNRECOGNISED]
    assert r.skipped[0].line is None and r.records_read == 0


def test_the_shipped_yaml_fixture_is_unrecognised():
    _, r = one(API / "unrecognised.yaml")
    assert [str(s) for s in r.skipped] == [f"{API / 'unrecognised.yaml'}: {UNRECOGNISED}"]


@pytest.mark.parametrize("name,text,first", [
    ("a.json", '[{"label": "x", "value": 1}, {"label": "y", "value": 2}]', "record has no title (2 records)"),
    ("a.jsonl", '{"foo": 1}\n{"foo": 2}\n', "record has no title (2 records)"),
    ("a.xml", '<?xml version="1.0"?><rss><channel><item>x</item></channel></rss>', "XML holds no Atom <entry> elements"),
    ("b.json", "[1, 2, 3]", "record is a JSON int, not an object (3 records)"),
])
def test_structured_files_of_no_known_shape_are_unrecognised_naming_why(tmp_path, name, text, first):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    r = read_papers([f])
    assert [s.reason for s in r.skipped] == [f"{UNRECOGNISED}; {first}"]


def test_a_record_without_title_among_papers_is_still_named_by_line(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"title": "T", "abstract": "A."}\n{"abstract": "no title"}\n', encoding="utf-8")
    r = read_papers([f])
    assert len(r.papers) == 1 and [str(s) for s in r.skipped] == [f"{f}:2: record has no title"]


def test_structured_text_is_never_a_listing_and_a_listing_is_recognised_by_its_own_structure():
    bib = (SAMPLES / "pmlr-entry.bib").read_text(encoding="utf-8")
    assert detect_format(bib, "citation.txt") == "bibtex"
    assert detect_format("title,abstract\nT,A\n", "x.txt") == "csv"
    assert detect_format("<feed></feed>", "x.txt") == "arxiv-atom"
    assert detect_format("First Paper\nAn abstract.\nSecond Paper\nAnother abstract.\n", "page.txt") == "listing"
    assert detect_format("Mar 11\n\nA Title\n\nIts abstract.\n", "page") == "listing"  # a date line
    assert detect_format((FIX / "inputs" / "listing.txt").read_text(encoding="utf-8")) == "listing"


# --- other real files of the same formats -----------------------------------------------------------

def test_a_second_openalex_work_with_other_fields():
    papers, r = one(API / "openalex-work-2.json")
    p = papers["Sparse Mixture-of-Experts Routing without Load Losses"]
    # abstract_inverted_index with "We", "tokens" and "experts" at two positions each, and markup.
    assert p.abstract == ("We route tokens to experts so tokens spread across experts We keep balance "
                          "without auxiliary losses.")
    assert (p.doi, p.arxiv_id, p.url, p.date) == (None, "2307.12345", "https://arxiv.org/abs/2307.12345", "2023-07-24")
    assert p.authors == ("Zoë Müller", "Kenji Sato")  # the second authorship has only raw_author_name
    assert p.id == "https://openalex.org/W4385245566"


def test_a_semantic_scholar_search_page_with_nulls():
    papers, r = one(API / "semantic-scholar-search-nulls.json")
    react = papers["ReAct: Synergizing Reasoning and Acting in Language Models"]
    assert (react.arxiv_id, react.doi, react.date) == ("2210.03629", "10.48550/arxiv.2210.03629", "2022-10-06")
    assert react.authors == ("Shunyu Yao", "Jeffrey Zhao") and react.categories == ()
    bare = papers["A Workshop Paper Without Identifiers"]
    assert (bare.arxiv_id, bare.doi, bare.date, bare.url, bare.authors) == (None, None, None, "https://example.org/w.pdf", ())
    assert [str(s) for s in r.skipped] == [f"{API / 'semantic-scholar-search-nulls.json'}:4: record has no title"]


def test_a_bibtex_file_with_strings_comments_and_three_entry_types():
    papers, r = one(API / "mixed-entries.bib")
    t = papers["Attention Is All You Need"]
    assert (t.arxiv_id, t.date, t.authors) == ("1706.03762", "2017-12", ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar"))
    e = papers["Étude des réseaux à mémoire"]
    assert (e.abstract, e.authors, e.date) == ("Nous étudions les réseaux à mémoire.", ("María González", "Jörg Müller"),
                                              "2021")
    assert [s.reason for s in r.skipped] == ["record has no abstract (BibTeX entry 'noabstract2020')"]
