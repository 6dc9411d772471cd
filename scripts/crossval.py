"""K-fold cross-validation of the extractor's settings over both shipped dev sets (dev + era, 268 papers).

    python scripts/crossval.py                      # every configuration below, 5 folds, seed 0
    python scripts/crossval.py --configs baseline,junk --folds 5 --seed 0 --jobs 2

Each configuration (named settings of the extractor, see CONFIGS) is built once over each set's
papers (the bundled sample for `dev`, the era papers for `era`: resolution looks across papers, so
each set is built whole, as `kg eval --gold` does) and scored per paper. Papers are split into
folds, stratified by set, with a fixed seed. For each fold the configuration with the best
objective (mean F1 over OBJECTIVE_KINDS) on the other folds is chosen from GRID and scored on the
held-out fold: that figure, not the full-set one, says how a choice will hold on papers nobody
tuned to. Every other configuration (CONFIGS) is scored on the same folds, so each lever's gain
on held-out folds can be read against `baseline`.

Prints, per kind: the full-set figures of every configuration (both sets pooled), their held-out
F1 (mean over folds), and the cross-validated choice against the baseline.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kg.extract.junk as junk  # noqa: E402
from kg.evaluate.goldsets import GOLD_SETS, build_in_memory  # noqa: E402
from kg.evaluate.score import KINDS, Score, load_gold, predictions, score_predictions  # noqa: E402

#: The kinds whose mean F1 chooses a configuration (tasks~ stands for tasks; repos are rule-exact).
OBJECTIVE_KINDS = ("proposed", "methods", "datasets", "tasks~", "metrics", "evaluates_on", "improves_over")
_OFF = junk.JunkSettings(classes=frozenset(), retype_datasets=False)


@dataclass
class Config:
    name: str
    junk: junk.JunkSettings = field(default_factory=junk.JunkSettings)
    min_confidence: float = 0.0


def _without(cls: str) -> junk.JunkSettings:
    return junk.JunkSettings(classes=frozenset(junk.CLASSES) - {cls})


#: The settings compared (ablations: each lever of the junk screen off in turn). `baseline` has no screen.
CONFIGS = [
    Config("baseline", _OFF),
    Config("junk"),  # the shipped settings
    Config("junk-no-word", _without("word")),
    Config("junk-no-task", _without("task")),
    Config("junk-no-person", _without("person")),
    Config("junk-no-number", junk.JunkSettings(classes=frozenset(junk.CLASSES) - {"size", "score", "number"})),
    Config("junk-no-lists", junk.JunkSettings(classes=frozenset(junk.CLASSES) - {"organisation", "hardware", "language"})),
    Config("junk-no-retype", junk.JunkSettings(retype_datasets=False)),
    Config("junk-no-coord", junk.JunkSettings(coordination=False)),
    Config("junk-conf0.5", min_confidence=0.5),
]
#: The grid cross-validation chooses from: how common a plain word must be to be no name
#: (junk-no-word is rank 0). Ties go to the first listed, the shipped value.
GRID = [Config("junk")] + [Config(f"junk-rank{r // 1000}k", junk.JunkSettings(common_rank=r))
                           for r in (2000, 5000, 10000, 20000)] + [Config("junk-no-word", _without("word"))]


def _add(total: dict[str, Score], part: dict[str, Score]) -> None:
    for k, s in part.items():
        t = total[k]
        t.tp, t.gold, t.pred = t.tp + s.tp, t.gold + s.gold, t.pred + s.pred


def _objective(scores: dict[str, Score]) -> float:
    return sum(scores[k].f1 for k in OBJECTIVE_KINDS) / len(OBJECTIVE_KINDS)


def _score(preds: dict[str, dict], records: list[tuple[str, dict]]) -> dict[str, Score]:
    """Pooled scores of the gold records [(set name, record)] on their own set's predictions."""
    total = {k: Score() for k in KINDS}
    for set_name in GOLD_SETS:
        recs = [r for s, r in records if s == set_name]
        if recs:
            _add(total, score_predictions(preds[set_name], recs).scores)
    return total


def folds_of(records: list[tuple[str, dict]], k: int, seed: int) -> list[int]:
    """A fold number per record: each set shuffled with `seed` and dealt round-robin (stratified by set)."""
    fold = [0] * len(records)
    rng = random.Random(seed)
    for set_name in GOLD_SETS:
        idx = [i for i, (s, _) in enumerate(records) if s == set_name]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            fold[i] = j % k
    return fold


def run_config(cfg: Config, jobs: int) -> dict[str, dict]:
    """Per set: the predictions (kg.evaluate.score.predictions) of a build with `cfg`."""
    saved = junk.SETTINGS
    junk.SETTINGS = cfg.junk  # read at extraction time; worker processes are forked after this
    try:
        return {name: predictions(build_in_memory([gs.papers], jobs=jobs, min_confidence=cfg.min_confidence))
                for name, gs in GOLD_SETS.items()}
    finally:
        junk.SETTINGS = saved


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--configs", default=None, help="comma-separated names (default: all)")
    a = ap.parse_args(argv)
    configs = CONFIGS if not a.configs else [c for c in CONFIGS if c.name in a.configs.split(",")]
    if not configs or configs[0].name != "baseline":
        configs = [CONFIGS[0]] + [c for c in configs if c.name != "baseline"]
    named = {c.name for c in configs}
    configs += [c for c in GRID if c.name not in named]
    grid = [c for c in configs if c.name in {g.name for g in GRID}]
    records = [(name, r) for name, gs in GOLD_SETS.items() for r in load_gold(gs.gold)]
    fold = folds_of(records, a.folds, a.seed)
    preds = {}
    for cfg in configs:
        t0 = time.perf_counter()
        preds[cfg.name] = run_config(cfg, a.jobs)
        print(f"built {cfg.name} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    full = {c.name: _score(preds[c.name], records) for c in configs}
    per_set = {c.name: {s: _score(preds[c.name], [x for x in records if x[0] == s]) for s in GOLD_SETS}
               for c in configs}
    held = {c.name: [] for c in configs}  # per fold: scores of each fixed config on the held-out fold
    chosen, cv_held = [], []
    for f in range(a.folds):
        train = [x for x, g in zip(records, fold) if g != f]
        test = [x for x, g in zip(records, fold) if g == f]
        for c in configs:
            held[c.name].append(_score(preds[c.name], test))
        best = max(grid, key=lambda c: _objective(_score(preds[c.name], train)))  # first of equals
        chosen.append(best.name)
        cv_held.append(held[best.name][-1])

    def mean_f1(runs, k):
        return sum(r[k].f1 for r in runs) / len(runs)

    print(f"{len(records)} labelled papers ({', '.join(f'{s} {sum(1 for x in records if x[0] == s)}' for s in GOLD_SETS)}),"
          f" {a.folds} folds stratified by set, seed {a.seed}")
    print("\nF1 per configuration: full set (both sets pooled) / held-out folds (mean over folds)")
    print(f"{'kind':<15}" + "".join(f"{c.name:>18}" for c in configs))  # noqa: E501
    for k in KINDS:
        print(f"{k:<15}" + "".join(f"{full[c.name][k].f1:>9.3f}/{mean_f1(held[c.name], k):<8.3f}" for c in configs))
    print(f"{'objective':<15}" + "".join(
        f"{_objective(full[c.name]):>9.3f}/{sum(_objective(h) for h in held[c.name]) / a.folds:<8.3f}" for c in configs))
    print(f"\nchosen on the training folds: {', '.join(chosen)}")
    final = max(grid, key=lambda c: _objective(full[c.name]))
    print(f"chosen on all papers: {final.name}  (grid: {', '.join(c.name for c in grid)})")
    print("held-out F1: mean over folds of the F1 on each held-out fold (for the choice: of the configuration"
          " chosen on the other folds)")
    for cfg, held_f1 in ((final, cv_held), (configs[0], held["baseline"])):
        print(f"\n{cfg.name}" + (" (the cross-validated choice)" if cfg is final else " (no junk screen)"))
        print(f"{'kind':<15}{'dev P':>7}{'R':>7}{'F1':>7}{'era P':>7}{'R':>7}{'F1':>7}{'both F1':>9}{'held-out F1':>13}")
        for k in KINDS:
            d, e = per_set[cfg.name]["dev"][k], per_set[cfg.name]["era"][k]
            print(f"{k:<15}{d.precision:>7.3f}{d.recall:>7.3f}{d.f1:>7.3f}{e.precision:>7.3f}{e.recall:>7.3f}"
                  f"{e.f1:>7.3f}{full[cfg.name][k].f1:>9.3f}{mean_f1(held_f1, k):>13.3f}")


if __name__ == "__main__":
    main()
