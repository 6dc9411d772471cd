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

from train_decision import L2, collect  # noqa: E402
from train_decision import train as train_model  # noqa: E402

import kg.extract.coined as coined  # noqa: E402
import kg.extract.dataset_cues as dataset_cues  # noqa: E402
import kg.extract.decision as decision  # noqa: E402
import kg.extract.editions as editions  # noqa: E402
import kg.extract.entities as entities  # noqa: E402
import kg.extract.games as games  # noqa: E402
import kg.extract.junk as junk  # noqa: E402
import kg.extract.lexicon as lexicon  # noqa: E402
import kg.extract.metric_names as metric_names  # noqa: E402
import kg.extract.proposals as proposals  # noqa: E402
import kg.extract.relations as relations  # noqa: E402
import kg.extract.tasks as tasks  # noqa: E402
from kg.evaluate.goldsets import GOLD_SETS, build_in_memory  # noqa: E402
from kg.evaluate.score import KINDS, Score, _norm, load_gold, predictions, score_predictions  # noqa: E402

#: The kinds whose mean F1 chooses a configuration (tasks~ stands for tasks; repos are rule-exact).
OBJECTIVE_KINDS = ("proposed", "methods", "datasets", "tasks~", "metrics", "evaluates_on", "improves_over")
_OFF = junk.JunkSettings(classes=frozenset(), retype_datasets=False)


@dataclass
class Config:
    name: str
    junk: junk.JunkSettings = field(default_factory=junk.JunkSettings)
    min_confidence: float = 0.0
    # The learned method decision (kg.extract.decision) with this threshold, its weights trained on the
    # training folds only (None: no decision).
    decision: float | None = None
    decision_l2: float = L2  # its L2 penalty (scripts/train_decision.py)
    coined: coined.CoinedSettings = field(default_factory=coined.CoinedSettings)
    tasks: tasks.TaskSettings = field(default_factory=tasks.TaskSettings)
    lexicon: lexicon.LexiconSettings = field(default_factory=lexicon.LexiconSettings)
    editions: editions.EditionSettings = field(default_factory=editions.EditionSettings)
    relations: relations.RelationSettings = field(default_factory=relations.RelationSettings)
    games: games.GameSettings = field(default_factory=games.GameSettings)
    dataset_cues: dataset_cues.DatasetCueSettings = field(default_factory=dataset_cues.DatasetCueSettings)
    entities: entities.EntitySettings = field(default_factory=entities.EntitySettings)
    metric_names: metric_names.MetricSettings = field(default_factory=metric_names.MetricSettings)
    proposals: proposals.ProposalSettings = field(default_factory=proposals.ProposalSettings)


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
    Config("decision-0.4-l2-1", decision=0.4, decision_l2=1.0),
    Config("decision-0.4-l2-20", decision=0.4, decision_l2=20.0),
    Config("no-the-generic", coined=coined.CoinedSettings(the_generic=False)),
    Config("no-the-lower", coined=coined.CoinedSettings(the_lower=False)),
    # The Papers with Code name lists (kg/data/lexicon/pwc_*.txt), all off and each kind off in turn.
    Config("no-pwc", lexicon=lexicon.LexiconSettings(pwc=frozenset()),
           tasks=tasks.TaskSettings(general_heads=False)),
    Config("no-pwc-tasks", lexicon=lexicon.LexiconSettings(pwc=frozenset({"dataset", "metric"}))),
    Config("no-pwc-datasets", lexicon=lexicon.LexiconSettings(pwc=frozenset({"task", "metric"}))),
    Config("no-pwc-metrics", lexicon=lexicon.LexiconSettings(pwc=frozenset({"task", "dataset"}))),
    Config("no-pwc-heads", tasks=tasks.TaskSettings(general_heads=False)),
    # The task candidate rules of general forms (kg.extract.tasks), all off and each off in turn.
    Config("no-task-forms", tasks=tasks.TaskSettings(title_of=0, title_gerund=0, problem_heads=False)),
    Config("no-task-title-of", tasks=tasks.TaskSettings(title_of=0)),
    Config("no-task-gerund", tasks=tasks.TaskSettings(title_gerund=0)),
    Config("no-task-problem", tasks=tasks.TaskSettings(problem_heads=False)),
    # ... the abstract's task grammar: "a method for X", "results on X"; "three tasks: X, Y and Z".
    Config("no-task-grammar", tasks=tasks.TaskSettings(purpose=0, colon_list=False)),
    Config("no-task-purpose", tasks=tasks.TaskSettings(purpose=0)),
    Config("no-task-colon", tasks=tasks.TaskSettings(colon_list=False)),
    # ... a title gerund as its task noun; broken phrases trimmed before ranking; fields of study.
    Config("no-task-nominal", tasks=tasks.TaskSettings(nominal=False)),
    Config("no-task-trim", tasks=tasks.TaskSettings(trim_verbs=False)),
    Config("no-task-fields", tasks=tasks.TaskSettings(fields=False)),
    # ... "image and video generation" gives "image generation"; a result number before "on X"; a prefixed
    # head alone in a title; the object of "improve/enhance X"; a frame noun after a coordination ("A and B
    # tasks"); all five off (no-task-cues-2).
    Config("no-task-coordination", tasks=tasks.TaskSettings(coordination=False)),
    Config("no-task-result-on", tasks=tasks.TaskSettings(result_on=False)),
    Config("no-task-compound", tasks=tasks.TaskSettings(compound=False)),
    Config("no-task-improve", tasks=tasks.TaskSettings(improve=0)),
    Config("no-task-conjuncts", tasks=tasks.TaskSettings(conjuncts=False)),  # "A, B and C tasks": each one
    Config("no-task-cues-2", tasks=tasks.TaskSettings(coordination=False, result_on=False, compound=False,
                                                      improve=0, conjuncts=False)),
    # Benchmark editions (kg.extract.editions): both rules off, and each off in turn.
    Config("no-editions", editions=editions.EditionSettings(known=False, shared_task=False)),
    Config("no-edition-known", editions=editions.EditionSettings(known=False)),
    Config("no-edition-shared", editions=editions.EditionSettings(shared_task=False)),
    # A named model as the subject of a result verb is evaluated on its clause's datasets (kg.extract.relations).
    Config("no-achievers", relations=relations.RelationSettings(achievers=False)),
    # ... a result number ("88.5%", "0.73") with a dataset makes a result sentence without an evaluation word.
    Config("no-result-numbers", relations=relations.RelationSettings(result_numbers=False)),
    # ... words of running experiments ("ablations of X on D", "we assess X on D") as evaluation cues.
    Config("no-more-eval-cues", relations=relations.RelationSettings(more_eval_cues=False)),
    # Atari game titles as datasets in a text that names the Atari benchmark (kg.extract.games).
    Config("no-games", games=games.GameSettings(enabled=False)),
    # Dataset cues of kg.extract.dataset_cues: "benchmarks X and Y", "X, an English corpus of ...".
    Config("no-noun-before", dataset_cues=dataset_cues.DatasetCueSettings(noun_before=False)),
    Config("no-apposition", dataset_cues=dataset_cues.DatasetCueSettings(apposition=False)),
    # Method names: classic methods (lexicon/methods_classic.jsonl); known long forms found in lower case.
    Config("no-classic", lexicon=lexicon.LexiconSettings(classic=False)),
    Config("no-lower-long", entities=entities.EntitySettings(lower_long_forms=False)),
    Config("junk-no-venue", _without("venue")),
    Config("junk-no-unit", _without("unit")),
    Config("junk-no-hw-shape", junk.JunkSettings(hardware_shape=False)),
    Config("junk-no-concept", _without("concept")),
    Config("no-comma-pairs", dataset_cues=dataset_cues.DatasetCueSettings(comma_pairs=False)),
    # "building on X", "training on X": the other forms of the verbs after which "on X" is no benchmark.
    Config("no-not-on-forms", dataset_cues=dataset_cues.DatasetCueSettings(not_on_forms=False)),
    # A lexicon method right before "dataset"/"benchmark"/"corpus" ("the FooGAN dataset") is that dataset.
    Config("no-noun-retypes", dataset_cues=dataset_cues.DatasetCueSettings(noun_retypes=False)),
    # Metric rules (kg.extract.metric_names): each off in turn.
    Config("no-metric-case", metric_names=metric_names.MetricSettings(case=False)),
    Config("no-metric-background", metric_names=metric_names.MetricSettings(background=False)),
    Config("no-metric-owner", metric_names=metric_names.MetricSettings(owner=False)),
    Config("no-metric-plural", metric_names=metric_names.MetricSettings(known_plural=False)),
    Config("no-metric-glued", metric_names=metric_names.MetricSettings(glued=False)),
    # Proposed names away from their verb (kg.extract.proposals): all off, then each off in turn.
    Config("no-proposals", proposals=proposals.ProposalSettings(False, False, False, False)),
    Config("no-numbered-parts", proposals=proposals.ProposalSettings(numbered_parts=False)),
    Config("no-named-later", proposals=proposals.ProposalSettings(named_later=False)),
    Config("no-ie-paren", proposals=proposals.ProposalSettings(ie_paren=False)),
    Config("no-strict-cues", proposals=proposals.ProposalSettings(strict_cues=False)),
]
#: The grid cross-validation chooses from: how common a plain word must be to be no name
#: (junk-no-word is rank 0). Ties go to the first listed, the shipped value.
GRID = [Config("junk")] + [Config(f"junk-rank{r // 1000}k", junk.JunkSettings(common_rank=r))
                           for r in (2000, 5000, 10000, 20000)] + [Config("junk-no-word", _without("word"))] + [
    Config(f"decision-{t}", decision=t) for t in (0.2, 0.3, 0.4, 0.5)]
# ... and the task rule's choices (kg.extract.tasks.TaskSettings): tasks kept per paper, the weight of
# a name on the broad task list, the share of the best task's evidence a task needs, the weight of a
# name in the curated task lexicon.
GRID += [Config(f"tasks-max{n}", tasks=tasks.TaskSettings(max_tasks=n)) for n in (4, 6)]
GRID += [Config(f"tasks-general{w}", tasks=tasks.TaskSettings(general=w)) for w in (1.0, 2.0)]
GRID += [Config(f"tasks-relative{r}", tasks=tasks.TaskSettings(relative=r)) for r in (0.2, 0.4)]
GRID += [Config(f"tasks-lexicon{w}", tasks=tasks.TaskSettings(lexicon=w)) for w in (0.5, 1.5)]


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


#: Config field -> the module whose SETTINGS it stands for while a configuration is built (read at
#: extraction time; in-memory builds fork their workers after this, so they see it too).
_SETTINGS_OF = {"junk": junk, "coined": coined, "tasks": tasks, "lexicon": lexicon, "editions": editions, "relations": relations,
                "games": games, "dataset_cues": dataset_cues, "entities": entities, "metric_names": metric_names,
                "proposals": proposals}


def run_config(cfg: Config, jobs: int, model: decision.DecisionModel | None = None) -> dict[str, dict]:
    """Per set: the predictions (kg.evaluate.score.predictions) of a build with `cfg` (and the decision `model`)."""
    saved = {name: module.SETTINGS for name, module in _SETTINGS_OF.items()}
    saved_decision = decision.SETTINGS
    for name, module in _SETTINGS_OF.items():
        module.SETTINGS = getattr(cfg, name)
    decision.SETTINGS = decision.DecisionSettings(enabled=model is not None, model=model, threshold=cfg.decision)
    try:
        return {name: predictions(build_in_memory([gs.papers], jobs=jobs, min_confidence=cfg.min_confidence))
                for name, gs in GOLD_SETS.items()}
    finally:
        for name, module in _SETTINGS_OF.items():
            module.SETTINGS = saved[name]
        decision.SETTINGS = saved_decision


def run_folds(cfg: Config, jobs: int, rows, fold_of: dict[tuple[str, str], int], folds: int) -> list[dict]:
    """Predictions per fold, then on all papers: a decision configuration is trained on the other folds."""
    if cfg.decision is None:
        return [run_config(cfg, jobs)] * (folds + 1)
    out = []
    for f in [*range(folds), None]:
        train_rows = [r for r in rows if f is None or fold_of.get(r[:2]) != f]
        out.append(run_config(cfg, jobs, train_model(train_rows, cfg.decision, cfg.decision_l2)))
    return out


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
    fold_of = {(s, _norm(r["title"])): g for (s, r), g in zip(records, fold)}
    rows = collect() if any(c.decision is not None for c in configs) else []
    preds = {}  # name -> predictions per fold (the model of a decision configuration not trained on it), then all
    for cfg in configs:
        t0 = time.perf_counter()
        preds[cfg.name] = run_folds(cfg, a.jobs, rows, fold_of, a.folds)
        print(f"built {cfg.name} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    full = {c.name: _score(preds[c.name][-1], records) for c in configs}
    per_set = {c.name: {s: _score(preds[c.name][-1], [x for x in records if x[0] == s]) for s in GOLD_SETS}
               for c in configs}
    held = {c.name: [] for c in configs}  # per fold: scores of each fixed config on the held-out fold
    chosen, cv_held = [], []
    for f in range(a.folds):
        train = [x for x, g in zip(records, fold) if g != f]
        test = [x for x, g in zip(records, fold) if g == f]
        for c in configs:
            held[c.name].append(_score(preds[c.name][f], test))
        best = max(grid, key=lambda c: _objective(_score(preds[c.name][f], train)))  # first of equals
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
