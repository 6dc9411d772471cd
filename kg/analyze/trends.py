"""Entity mentions over time: counts per period and the entities on the rise."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import networkx as nx
import numpy as np

from kg.analyze.engines import AnalysisError
from kg.errors import value_invalid_msg

__all__ = ["PERIODS", "KINDS", "Dating", "TrendRow", "Rising", "RisingReport", "paper_periods", "date_papers",
           "period_label", "no_dates_reason", "trend_table", "trend_rows", "top_per_period", "rising", "rising_report"]

PERIODS = ("day", "month", "year")
Period = Literal["day", "month", "year"]
KINDS = ("method", "task", "dataset")

_FULL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ].*)?)?)?")  # 2024, 2024-03, 2024-03-11[T...]
_YEARLESS = re.compile(r"--(\d{2})-(\d{2})")  # a daily listing's date with no year
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Dating:
    """Which period each paper falls in; `undated` are the papers left out (sorted IRIs).

    `no_year` counts the papers whose date gives a month and day but no year (daily listing
    pages), whether they were placed (when no paper has a year) or left out.
    """

    periods: dict[str, str]
    undated: tuple[str, ...]
    no_year: int = 0

    @property
    def yearless(self) -> bool:
        """Whether the periods are months or days of an unknown year (listing dates)."""
        return any(p.startswith("--") for p in self.periods.values())


class TrendRow(NamedTuple):
    period: str
    kind: str
    label: str
    count: int  # papers of that period mentioning the entity
    node: str
    papers: int  # dated papers in that period, so count / papers is the entity's share


class Rising(NamedTuple):
    node: str
    kind: str
    label: str
    score: float  # share of papers in the later half minus share in the earlier half
    early: int  # papers mentioning it in the earlier half
    late: int  # papers mentioning it in the later half


def _parse(date) -> tuple[str | None, str | None, str | None] | None:
    """(year, month, day), parts absent as None; None when `date` is no date at all."""
    if not isinstance(date, str):
        return None
    date = date.strip()
    if m := _YEARLESS.fullmatch(date):
        y, mo, d = None, m[1], m[2]
    elif m := _FULL.fullmatch(date):
        y, mo, d = m[1], m[2], m[3]
    else:
        return None
    if (mo and not "01" <= mo <= "12") or (d and not "01" <= d <= "31"):
        return None
    return y, mo, d


def paper_periods(G: nx.MultiDiGraph, *, period: Period = "month") -> Dating:
    """Place every paper in a period ("2024-03-11", "2024-03" or "2024").

    A paper's `date` is ISO ("YYYY-MM-DD", or coarser) or "--MM-DD" when its listing gave no
    year. Yearless dates are used ("--03-11", "--03") only when no paper has a year, since
    they cannot be ordered against dated ones. A paper without a date fine enough for
    `period` (none, unparseable, yearless with period "year") is undated.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p1", kind="paper", date="2024-03-11"); G.add_node("p2", kind="paper", date="--04-01")
    >>> G.add_node("p3", kind="paper", date=None)
    >>> paper_periods(G, period="month")
    Dating(periods={'p1': '2024-03'}, undated=('p2', 'p3'), no_year=1)
    """
    return date_papers(((n, d.get("date")) for n, d in sorted(G.nodes(data=True)) if d.get("kind") == "paper"),
                       period=period)


def date_papers(dates: Iterable[tuple[str, object]], *, period: Period = "month") -> Dating:
    """`paper_periods` of the papers given as (IRI, date) pairs in IRI order.

    >>> date_papers([("a", "2024-03-11"), ("b", "2023")], period="year")
    Dating(periods={'a': '2024', 'b': '2023'}, undated=(), no_year=0)
    """
    if period not in PERIODS:
        raise AnalysisError(value_invalid_msg("period", period, PERIODS))
    dates = list(dates)
    # A large corpus has far fewer distinct dates than papers: parse and place each date once.
    parsed = {d: _parse(d) for d in {d for _, d in dates if isinstance(d, str)}}
    any_year = any(p and p[0] for p in parsed.values())
    key_of = {}
    for date, p in parsed.items():
        key = None
        if p and (p[0] or not any_year):
            y, mo, d = p
            prefix = y or "-"
            if period == "year":
                key = y
            elif period == "month":
                key = f"{prefix}-{mo}" if mo else None
            else:
                key = f"{prefix}-{mo}-{d}" if mo and d else None
        key_of[date] = key
    periods, undated, no_year = {}, [], 0
    for n, date in dates:
        key = key_of.get(date) if isinstance(date, str) else None
        if key:
            periods[n] = key
        else:
            undated.append(n)
        if isinstance(date, str) and (p := parsed[date]) and not p[0]:
            no_year += 1
    return Dating(periods, tuple(undated), no_year)


def period_label(period: str) -> str:
    """A period as people read it: yearless listing periods by month name, dated ones as ISO.

    >>> [period_label(p) for p in ("--03", "--03-11", "2024-03", "2024")]
    ['Mar', 'Mar 11', '2024-03', '2024']
    """
    if m := re.fullmatch(r"--(\d{2})(?:-(\d{2}))?", period):
        month = _MONTHS[int(m[1]) - 1] if "01" <= m[1] <= "12" else m[1]
        return f"{month} {int(m[2])}" if m[2] else month
    return period


def _mentions(G: nx.MultiDiGraph, kinds) -> dict[str, set[str]]:
    """{paper: entities of `kinds` it mentions or proposes}."""
    out = defaultdict(set)
    for p, e, k in G.edges(keys=True):
        if k in ("mentions", "proposes") and G.nodes[e].get("kind") in kinds:
            out[p].add(e)
    return out


def trend_table(G: nx.MultiDiGraph, *, period: Period = "month", kinds=KINDS,
                dating: Dating | None = None) -> list[TrendRow]:
    """How many papers of each period mention each entity of `kinds`.

    Rows are sorted by period, then kind (in the order of `kinds`), then count (high first),
    then label; only non-zero counts appear. Undated papers are left out: see `paper_periods`
    (`dating`, when the caller has it already).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p1", kind="paper", date="2024-03-11"); G.add_node("m", kind="method", label="M")
    >>> _ = G.add_edge("p1", "m", key="mentions")
    >>> trend_table(G, period="year")
    [TrendRow(period='2024', kind='method', label='M', count=1, node='m', papers=1)]
    """
    dating = paper_periods(G, period=period) if dating is None else dating
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    pairs = [(index[p], index[e]) for p, ents in _mentions(G, kinds).items() for e in ents]
    paper, entity = (np.array(a, dtype=np.int64) for a in zip(*pairs)) if pairs else (np.zeros(0, np.int64),) * 2
    node_data = G.nodes
    return trend_rows(dating.periods, nodes, paper, entity,
                      lambda i: (node_data[nodes[i]]["kind"], str(node_data[nodes[i]].get("label") or nodes[i])),
                      kinds=kinds)


def trend_rows(
    periods: Mapping[str, str],
    nodes: Sequence[str],
    paper: np.ndarray,
    entity: np.ndarray,
    describe: Callable[[int], tuple[str, str]],
    *,
    kinds=KINDS,
) -> list[TrendRow]:
    """`trend_table` from the dated papers' periods and who mentions what, however the graph is held.

    `nodes` names the indices: paper `nodes[paper[i]]` mentions (or proposes) entity
    `nodes[entity[i]]`, each pair once, every entity of one of `kinds`; `describe(index)` gives an
    entity's (kind, label). Papers missing from `periods` (undated) are left out; each row also
    gives the number of dated papers in its period.

    >>> trend_rows({"p": "2024"}, ["p", "m"], np.array([0]), np.array([1]), lambda i: ("method", "M"))
    [TrendRow(period='2024', kind='method', label='M', count=1, node='m', papers=1)]
    """
    totals = Counter(periods.values())
    names = sorted(totals)
    code = {name: i for i, name in enumerate(names)}
    period_of = np.fromiter((code.get(periods.get(n), -1) for n in nodes), dtype=np.int64, count=len(nodes))
    per = period_of[np.asarray(paper, dtype=np.int64)]
    dated = per >= 0
    n = max(len(nodes), 1)
    keys = np.sort(per[dated] * n + np.asarray(entity, dtype=np.int64)[dated])
    starts = np.flatnonzero(np.concatenate([keys[:1] >= 0, keys[1:] != keys[:-1]]))
    counts = np.diff(np.append(starts, len(keys)))
    per, ent = np.divmod(keys[starts], n)
    # Sorted in numpy on integer ranks (a large build has a hundred thousand rows and more): period,
    # kind in the order of `kinds`, count high first, then (label, IRI) ranked once per entity.
    ents = sorted(set(ent.tolist()))
    info = {e: describe(e) for e in ents}
    order = {k: i for i, k in enumerate(kinds)}
    by_label = sorted(ents, key=lambda e: (info[e][1], nodes[e]))
    rank = np.zeros(n, dtype=np.int64)
    rank[by_label] = np.arange(len(by_label))
    kind_rank = np.zeros(n, dtype=np.int64)
    kind_rank[ents] = [order[info[e][0]] for e in ents]
    rows = np.lexsort((rank[ent], -counts, kind_rank[ent], per))
    ent = ent[rows].tolist()
    period_names = [names[p] for p in per[rows].tolist()]
    return list(map(TrendRow._make, zip(period_names, [info[e][0] for e in ent], [info[e][1] for e in ent],
                                        counts[rows].tolist(), [nodes[e] for e in ent],
                                        [totals[p] for p in period_names])))


def top_per_period(rows: Iterable[TrendRow], top: int) -> list[TrendRow]:
    """The first `top` rows of each (period, kind) of `trend_table` rows: its most-mentioned entities.

    >>> rows = [TrendRow("2024", "method", x, 1, x, 3) for x in "abc"]
    >>> [r.label for r in top_per_period(rows, 2)]
    ['a', 'b']
    """
    seen: Counter = Counter()
    out = []
    for r in rows:
        seen[r.period, r.kind] += 1
        if seen[r.period, r.kind] <= top:
            out.append(r)
    return out


@dataclass(frozen=True)
class RisingReport:
    """The rising entities with what they were measured on, and why there are none when so."""

    rows: list[Rising]
    early: tuple[str, ...]  # the earlier half's periods, sorted
    late: tuple[str, ...]  # the later half's periods
    early_papers: int  # dated papers in the earlier half
    late_papers: int
    dating: Dating
    reason: str = ""  # why `rows` is empty, in a sentence ("" when it is not)


def rising(
    G: nx.MultiDiGraph, *, period: Period = "month", top: int | None = 10, kinds=KINDS, min_count: int = 2
) -> list[Rising]:
    """The entities whose share of papers grew most from the earlier to the later periods.

    The sorted periods are cut in two halves (with an odd count the middle one goes to the
    later half). An entity's share in a half is the fraction of that half's dated papers that
    mention it; its score is late share minus early share. Halves, not single periods, so one
    thin day cannot decide; a difference, not a ratio, so going from 0 to 1 paper does not top
    the list. Entities need `min_count` papers in all and a positive score. Fewer than two
    periods give an empty list; `rising_report` says why a list is empty.

    >>> G = nx.MultiDiGraph()
    >>> for i, (date, ents) in enumerate([("2024-01-05", "a"), ("2024-01-09", "ab"), ("2024-02-01", "b"),
    ...                                   ("2024-02-02", "b")]):
    ...     G.add_node(f"p{i}", kind="paper", date=date)
    ...     for e in ents:
    ...         G.add_node(e, kind="method", label=e.upper()); _ = G.add_edge(f"p{i}", e, key="mentions")
    >>> rising(G, period="month")
    [Rising(node='b', kind='method', label='B', score=0.5, early=1, late=2)]
    """
    return rising_report(G, period=period, top=top, kinds=kinds, min_count=min_count).rows


def rising_report(
    G: nx.MultiDiGraph, *, period: Period = "month", top: int | None = 10, kinds=KINDS, min_count: int = 2
) -> RisingReport:
    """`rising` with the halves it compared and, when nothing rose, which cause applies.

    The causes, checked in this order: no paper has a date fine enough for `period` (with
    `period` "year" and listing dates that give no year, it says so); every dated paper falls
    in one period; no entity is mentioned by `min_count` papers; no entity's share grew.

    >>> G = nx.MultiDiGraph(); G.add_node("p", kind="paper", date="--03-11")
    >>> rising_report(G, period="year").reason.startswith("no paper has a year")
    True
    >>> rising_report(G, period="month").reason
    'the one dated paper falls in one month (Mar), and it takes two to compare; a finer --period may split them'

    """
    if min_count < 1:
        raise AnalysisError(f"min_count {min_count!r} is invalid; it must be at least 1")
    dating = paper_periods(G, period=period)
    ordered = sorted(set(dating.periods.values()))
    late_periods = set(ordered[len(ordered) // 2 :]) if len(ordered) >= 2 else set()
    half = {p: per in late_periods for p, per in dating.periods.items()}
    papers = Counter(half.values())
    early, late = Counter(), Counter()
    for p, ents in _mentions(G, kinds).items():
        if p in half:
            (late if half[p] else early).update(ents)
    out = []
    if len(ordered) >= 2:
        for e in set(early) | set(late):
            if early[e] + late[e] < min_count:
                continue
            score = round(late[e] / papers[True] - early[e] / papers[False], 9)
            if score > 0:
                out.append(Rising(e, G.nodes[e]["kind"], str(G.nodes[e].get("label") or e), score, early[e], late[e]))
    out.sort(key=lambda r: (-r.score, r.label, r.node))
    reason = "" if out else _why_none(dating, ordered, period, early + late, min_count)
    return RisingReport(out[:top] if top else out, tuple(p for p in ordered if p not in late_periods),
                        tuple(sorted(late_periods)), papers[False], papers[True], dating, reason)


def no_dates_reason(dating: Dating, period: str) -> str:
    """Why no paper could be placed in a period, in a sentence.

    >>> no_dates_reason(Dating({}, ("p",), no_year=1), "year")
    'no paper has a year in its date (1 has a listing date with a month and day only); use --period month or day'
    """
    if period == "year" and dating.no_year:
        has = "has a listing date" if dating.no_year == 1 else "have listing dates"
        return (f"no paper has a year in its date ({dating.no_year} {has} with a month and day only); "
                "use --period month or day")
    return f"no paper has a date usable per {period}"


def _why_none(dating: Dating, ordered: list[str], period: str, totals: Counter, min_count: int) -> str:
    """The sentence saying why no entity rose (see rising_report for the order of the causes)."""
    if not ordered:
        return no_dates_reason(dating, period)
    if len(ordered) == 1:
        finer = "; a finer --period may split them" if period != "day" else ""
        k = len(dating.periods)
        who = f"all {k} dated papers fall" if k > 1 else "the one dated paper falls"
        return f"{who} in one {period} ({period_label(ordered[0])}), and it takes two to compare{finer}"
    most = max(totals.values(), default=0)
    if most < min_count:
        return (f"no entity is mentioned by --min-count {min_count} dated papers (the most is {most}); "
                "lower --min-count")
    n = sum(1 for c in totals.values() if c >= min_count)
    who = (f"none of the {n} entities mentioned by at least {min_count} papers has a" if n > 1
           else f"the one entity mentioned by at least {min_count} papers has no")
    return f"{who} larger share in the later half"
