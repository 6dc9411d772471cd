"""Counts per period and rising entities on hand-dated papers."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.analyze.centrality import AnalysisError
from kg.analyze.trends import Rising, TrendRow, paper_periods, period_label, rising, rising_report, trend_table
from kg.cli import cli
from kg.export.rdf import write_rdf


def dated(papers: list[tuple[str | None, str]]) -> nx.MultiDiGraph:
    """papers: [(date, entity letters)] -> methods A, B, ... and dataset d mentioned by them."""
    G = nx.MultiDiGraph()
    for i, (date, ents) in enumerate(papers):
        p = f"p{i:02d}"
        G.add_node(p, kind="paper", date=date)
        for e in ents:
            G.add_node(e, kind="dataset" if e.islower() else "method", label=f"L{e}")
            G.add_edge(p, e, key="mentions")
    return G


def test_periods_day_month_year_and_undated():
    G = dated([("2024-01-02", "A"), ("2024-02-03T10:00:00Z", "A"), ("2023", "A"), (None, "A"),
               ("2024-13-01", "A"), ("not a date", "A"), ("--03-11", "A")])
    d = paper_periods(G, period="month")
    assert d.periods == {"p00": "2024-01", "p01": "2024-02"}
    # The year-only date is too coarse for months; the yearless one cannot be ordered among years.
    assert d.undated == ("p02", "p03", "p04", "p05", "p06")
    assert paper_periods(G, period="year").periods == {"p00": "2024", "p01": "2024", "p02": "2023"}
    assert paper_periods(G, period="day").periods == {"p00": "2024-01-02", "p01": "2024-02-03"}


def test_yearless_listing_dates_are_used_when_no_paper_has_a_year():
    G = dated([("--03-11", "A"), ("--03-12", "A"), ("--04-01", "B")])
    assert paper_periods(G, period="month").periods == {"p00": "--03", "p01": "--03", "p02": "--04"}
    assert paper_periods(G, period="day").periods["p02"] == "--04-01"
    assert paper_periods(G, period="year").undated == ("p00", "p01", "p02")


def test_trend_table_counts_papers_per_period_and_kind():
    G = dated([("2024-01-02", "Ab"), ("2024-01-05", "AB"), ("2024-02-01", "B"), (None, "AB")])
    G.add_node("r", kind="repo", label="repo")
    G.add_edge("p00", "r", key="hasCode")
    # The last field is the period's dated papers: January has two, February one.
    assert trend_table(G, period="month") == [
        TrendRow("2024-01", "method", "LA", 2, "A", 2),
        TrendRow("2024-01", "method", "LB", 1, "B", 2),
        TrendRow("2024-01", "dataset", "Lb", 1, "b", 2),
        TrendRow("2024-02", "method", "LB", 1, "B", 1),
    ]
    assert [r.kind for r in trend_table(G, kinds=("dataset",))] == ["dataset"]


def test_proposes_counts_once_with_mentions():
    G = dated([("2024-01-02", "A")])
    G.add_edge("p00", "A", key="proposes")
    assert trend_table(G)[0].count == 1


def test_rising_compares_shares_of_the_two_halves():
    # Months 1-2 early (4 papers), months 3-4 late (4 papers). B goes from 1/4 to 4/4, A falls,
    # C appears once only (below min_count), D grows a little.
    G = dated([("2024-01-01", "AD"), ("2024-01-02", "AB"), ("2024-02-01", "A"), ("2024-02-02", "D"),
               ("2024-03-01", "BD"), ("2024-03-02", "BD"), ("2024-04-01", "BC"), ("2024-04-02", "BD")])
    assert rising(G, period="month") == [Rising("B", "method", "LB", 0.75, 1, 4),
                                         Rising("D", "method", "LD", 0.25, 2, 3)]
    # With min_count 1, C (0 -> 1 of 4 papers) ties D at 0.25; ties go by label.
    assert [r.node for r in rising(G, period="month", min_count=1)] == ["B", "C", "D"]
    assert rising(G, period="month", top=1)[0].node == "B"


def test_rising_needs_two_periods():
    assert rising(dated([("2024-01-01", "A"), ("2024-01-09", "A")]), period="month") == []
    assert rising(dated([]), period="day") == []


def test_bad_options():
    with pytest.raises(AnalysisError, match="period 'week' is invalid"):
        trend_table(dated([]), period="week")
    with pytest.raises(AnalysisError, match="min_count"):
        rising(dated([]), min_count=0)


def test_tiny_fixture(tiny_graph):
    # p1 is dated 2024-01-02; p2 only has a yearless listing date, so it is left out.
    assert paper_periods(tiny_graph).undated == ("https://w3id.org/paperkg/resource/paper/p2",)
    assert {r.label for r in trend_table(tiny_graph)} == {"FastNet", "SlowNet", "ToySet", "image classification"}


def test_cli_trends_reports_undated_papers(tiny_graph, tmp_path):
    write_rdf(tiny_graph, tmp_path / "g.ttl")
    res = CliRunner().invoke(cli, ["trends", "--graph", str(tmp_path / "g.ttl"), "--all", "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert "1 of 2 papers have no date usable per month" in res.output
    assert "2024-01,method,FastNet,1,1,1.0," in res.output
    res = CliRunner().invoke(cli, ["trends", "--graph", str(tmp_path / "g.ttl")])
    assert res.exit_code == 0 and "no rising entity: the one dated paper falls in one month (2024-01)" in res.output


def test_yearless_periods_read_as_months_and_days():
    assert [period_label(p) for p in ("--01", "--12-31", "--03-01", "2024-03-01")] == [
        "Jan", "Dec 31", "Mar 1", "2024-03-01"]
    G = dated([("--03-11", "A"), ("--05-02", "A"), (None, "A")])
    assert paper_periods(G).yearless and paper_periods(G).no_year == 2
    assert not paper_periods(dated([("2024-03-11", "A"), ("--03-11", "A")])).yearless


def test_rising_report_names_the_cause_when_nothing_rose():
    listing = dated([("--03-11", "A"), ("--03-12", "AB"), ("--05-08", "B"), ("--05-09", "B")])
    year = rising_report(listing, period="year")
    assert year.rows == [] and year.reason.startswith("no paper has a year in its date (4 have listing dates")
    month = rising_report(listing, period="month")
    assert [r.node for r in month.rows] == ["B"] and month.reason == ""
    assert (month.early, month.late, month.early_papers, month.late_papers) == (("--03",), ("--05",), 2, 2)
    too_high = rising_report(listing, period="month", min_count=4)
    assert too_high.reason == ("no entity is mentioned by --min-count 4 dated papers (the most is 3); "
                               "lower --min-count")
    falling = rising_report(dated([("2024-01-01", "A"), ("2024-01-02", "A"), ("2024-02-01", "B")]), min_count=2)
    assert falling.reason == "the one entity mentioned by at least 2 papers has no larger share in the later half"
    assert rising_report(dated([(None, "A")]), period="day").reason == "no paper has a date usable per day"


def listing_ttl(tmp_path) -> str:
    G = dated([("--03-11", "AB"), ("--03-12", "AC"), ("--05-08", "BC"), ("--05-09", "B"), (None, "A")])
    write_rdf(G, tmp_path / "g.ttl")
    return str(tmp_path / "g.ttl")


def test_cli_says_when_periods_have_no_year(tmp_path):
    path = listing_ttl(tmp_path)
    res = CliRunner().invoke(cli, ["trends", "--graph", path])
    assert res.exit_code == 0, res.output
    assert "compared Mar (2 papers) with May (2 papers)" in res.output
    assert "dates give no year (daily listing pages)" in res.output
    assert "--03" not in res.output
    res = CliRunner().invoke(cli, ["trends", "--graph", path, "--period", "year"])
    assert res.exit_code == 0
    assert "no rising entity: no paper has a year in its date (4 have listing dates" in res.output
    assert "use --period month or day" in res.output
    res = CliRunner().invoke(cli, ["trends", "--graph", path, "--min-count", "9", "--format", "json"])
    assert res.exit_code == 0 and "no rising entity: no entity is mentioned by --min-count 9" in res.output


def test_cli_all_honours_top_and_shows_shares(tmp_path):
    path = listing_ttl(tmp_path)
    res = CliRunner().invoke(cli, ["trends", "--graph", path, "--all", "--top", "1"])
    assert res.exit_code == 0, res.output
    body = [line.split() for line in res.output.splitlines() if line.startswith(("Mar", "May", "period"))]
    # One method per period (the most-mentioned), with its papers and share of that period's papers.
    assert body == [["period", "kind", "entity", "papers", "share"],
                    ["Mar", "method", "LA", "2", "100.0%"], ["May", "method", "LB", "2", "100.0%"]]
    res = CliRunner().invoke(cli, ["trends", "--graph", path, "--all", "--top", "1", "--format", "json"])
    assert [(d["period"], d["period_label"], d["label"]) for d in json.loads(res.stdout)] == [
        ("--03", "Mar", "LA"), ("--05", "May", "LB")]
