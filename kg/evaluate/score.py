"""Score a built graph against hand labels: precision, recall and F1 per kind of entity and relation.

The gold file is JSON Lines, one paper per line (the format of the project's annotation guidelines):

    {"title": "...",                                   # matched to graph papers by normalised title
     "proposed": [{"name": "FooNet", "aliases": []}],  # methods the paper introduces
     "methods":  [{"name": "ResNet-50", "aliases": []}],
     "datasets": [...], "tasks": [...], "metrics": [...],
     "evaluates_on":  [["FooNet", "ImageNet"]],        # [method name, dataset name]
     "improves_over": [["FooNet", "ResNet-50"]],       # [better, worse]
     "repos": ["https://github.com/org/foonet"]}

Matching: an entity matches a node when any normalised form (lower case, letters and digits) of
its name or aliases equals one of the node's label or altLabels; `tasks~` also accepts a word
overlap of at least one half; a relation matches when both sides match; each gold item matches at
most one prediction. Proposed methods count as methods too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.export.rdf import read_graph

__all__ = ["KINDS", "Report", "Score", "evaluate", "evaluate_graph", "load_gold", "predictions", "score_predictions",
           "score_table"]

KINDS = ("proposed", "methods", "datasets", "tasks", "tasks~", "metrics", "evaluates_on", "improves_over", "repos")
_ENTITY_KIND = {"methods": "method", "datasets": "dataset", "tasks": "task", "metrics": "metric"}
_STOP = {"a", "an", "the", "of", "for", "and", "in", "on", "with", "to"}


@dataclass
class Score:
    tp: int = 0
    gold: int = 0
    pred: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _fold(s: str) -> str:
    return unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower()


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", _fold(s))


def _words(s: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", _fold(s)) if w not in _STOP}


def _forms(names: Iterable[str]) -> set[str]:
    return {n for n in map(_norm, names) if n}


def _same(gold_names: list[str], pred_names: list[str], lenient: bool = False) -> bool:
    if _forms(gold_names) & _forms(pred_names):
        return True
    if lenient:
        gw, pw = [_words(x) for x in gold_names], [_words(x) for x in pred_names]
        return any(a and b and len(a & b) / len(a | b) >= 0.5 for a in gw for b in pw)
    return False


def _match(gold: list, pred: list, same: Callable) -> int:
    used, tp = set(), 0
    for g in gold:
        hit = next((j for j, p in enumerate(pred) if j not in used and same(g, p)), None)
        if hit is not None:
            used.add(hit)
            tp += 1
    return tp


def load_gold(path: str | Path) -> list[dict]:
    """Gold records of a JSON Lines file; a malformed line is an InputError naming it."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such gold file")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as e:
            raise InputError(f"{path}:{n}: malformed JSON ({e.msg})") from e
        if not isinstance(rec, dict) or not isinstance(rec.get("title"), str):
            raise InputError(f"{path}:{n}: a gold record needs a \"title\"")
        out.append(rec)
    return out


def predictions(G) -> dict[str, dict[str, list]]:
    """Per normalised paper title: entity name lists by kind, relation name pairs, repo URLs.

    Items are in the order of their nodes' ids, as score.py sorts them by IRI: matching is greedy,
    so the order can change which prediction a gold item takes.
    """
    names = {n: [d["label"], *d.get("aliases", ())] for n, d in G.nodes(data=True)}
    out: dict[str, dict[str, list]] = {}
    by_paper: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for u, v, rel, d in sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[1]), str(e[0]), e[2])):
        if rel in ("mentions", "proposes"):
            kind = G.nodes[v]["kind"]
            plural = next((k for k, s in _ENTITY_KIND.items() if s == kind), None)
            if rel == "proposes":
                by_paper[u]["proposed"].append(names[v])
            if plural and (rel == "mentions" or not G.has_edge(u, v, "mentions")):
                by_paper[u][plural].append(names[v])
        elif rel == "hasCode":
            by_paper[u]["repos"].append(v)
        elif rel in ("evaluatesOn", "improvesOver"):
            kind = "evaluates_on" if rel == "evaluatesOn" else "improves_over"
            for claim in d.get("claims", ()):
                by_paper[claim["paper"]][kind].append((names[u], names[v]))
    for n, d in G.nodes(data=True):
        if d["kind"] == "paper":
            out[_norm(d["title"])] = by_paper.get(n, {})
    return out


def _repo_key(url: str) -> str:
    m = re.search(r"(?:github\.com|gitlab\.com|bitbucket\.org)/([^/\s]+)/([^/\s#?]+)", url, re.I)
    return (m.group(1) + "/" + re.sub(r"\.git$", "", m.group(2))).lower() if m else _norm(url)


@dataclass
class Report:
    """Scores per kind (see KINDS), how many gold papers there were and the titles not in the graph."""

    scores: dict[str, Score]
    total: int
    missing: list[str]

    @property
    def found(self) -> int:
        return self.total - len(self.missing)


def score_predictions(preds: dict[str, dict[str, list]], gold: list[dict]) -> Report:
    """Score `predictions(G)` against gold records (a subset of papers scores a fold)."""
    scores = {k: Score() for k in KINDS}
    missing = []
    for rec in gold:
        pr = preds.get(_norm(rec["title"]))
        if pr is None:
            missing.append(rec["title"])
        pr = pr or {}
        entry_names = {}
        for kind in ("proposed", "methods", "datasets", "tasks", "metrics"):
            for e in rec.get(kind, []):
                entry_names[e["name"]] = [e["name"], *e.get("aliases", [])]
        for kind in ("proposed", "methods", "datasets", "tasks", "metrics"):
            gold_items = [[e["name"], *e.get("aliases", [])] for e in rec.get(kind, [])]
            if kind == "methods":  # a proposed method is a method too
                gold_items += [[e["name"], *e.get("aliases", [])] for e in rec.get("proposed", [])]
            pred_items = pr.get(kind, [])
            for label, lenient in ((kind, False), ("tasks~", True)) if kind == "tasks" else ((kind, False),):
                s = scores[label]
                s.tp += _match(gold_items, pred_items, lambda g, p, lenient=lenient: _same(g, p, lenient))
                s.gold += len(gold_items)
                s.pred += len(pred_items)
        for kind in ("evaluates_on", "improves_over"):
            pairs = [(entry_names.get(a, [a]), entry_names.get(b, [b])) for a, b in rec.get(kind, [])]
            pred_pairs = pr.get(kind, [])
            s = scores[kind]
            s.tp += _match(pairs, pred_pairs, lambda g, p: _same(g[0], p[0]) and _same(g[1], p[1]))
            s.gold += len(pairs)
            s.pred += len(pred_pairs)
        gold_repos = {_repo_key(u) for u in rec.get("repos", [])}
        pred_repos = {_repo_key(u) for u in pr.get("repos", [])}
        s = scores["repos"]
        s.tp += len(gold_repos & pred_repos)
        s.gold += len(gold_repos)
        s.pred += len(pred_repos)
    return Report(scores, len(gold), missing)


def evaluate(G, gold: list[dict]) -> tuple[dict[str, Score], int]:
    """Scores per kind (see KINDS) and the number of gold papers found in the graph."""
    report = evaluate_graph(G, gold)
    return report.scores, report.found


def evaluate_graph(G, gold: list[dict]) -> Report:
    """The Report of a graph (networkx, as kg.graph.assemble builds it or read_graph reads it) on gold records."""
    return score_predictions(predictions(G), gold)


def score_table(report: Report, *, show_missing: int = 5) -> list[str]:
    """The table `kg eval` prints, then the gold papers it could not find (their count, the first few titles)."""
    lines = [f"papers matched by title: {report.found}/{report.total}",
             f"{'kind':<15}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}"]
    for k in KINDS:
        s = report.scores[k]
        lines.append(f"{k:<15}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.gold:>7}{s.pred:>7}")
    if report.missing:
        # Unmatched papers score as all misses: say so, or a low recall reads as the extractor's fault.
        lines.append(f"not matched by title: {len(report.missing)} gold papers (scored as misses), e.g.")
        lines += [f"  {t}" for t in report.missing[:show_missing]]
    return lines


def evaluate_files(graph_path: str | Path, gold_path: str | Path) -> list[str]:
    """Read a built graph and a gold file; the score table."""
    return score_table(evaluate_graph(read_graph(graph_path), load_gold(gold_path)))
