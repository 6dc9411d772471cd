"""Write kg/data/lexicon/pwc_{tasks,datasets,metrics}.txt from the Papers with Code task taxonomy.

    python scripts/make_pwc_lexicon.py SOURCE_DIR [--out kg/data/lexicon]

SOURCE_DIR holds the taxonomy export: all_tasks.txt (one quoted task name a line),
*_tasks_detailed.csv (per task: common datasets, benchmarks, SOTA metrics, subtasks) and
task_hierarchy.csv (parent and child tasks). Papers with Code data is CC-BY-SA 4.0; so are the
derived lists, whose headers say so. The export is noisy (leaderboard splits, languages, units,
one-off names), so only names that general rules keep are written:

- tasks: lower case but for acronyms, at most five words, no parentheses left, no numbers or
  language/variant suffixes; a single word only if it is no common English word (`defogging`).
- datasets: named by at least MIN_TASKS tasks, split words cut off (`COCO test-dev` is COCO),
  written like a name (a capital or a digit) and not one common English word.
- metrics: reported by at least MIN_TASKS tasks, at most four words, not a bare number or a
  unit, not one common English word unless it has two capitals or more (an acronym).

The output is sorted and deterministic for the same input.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.atomic import atomic_write_text  # noqa: E402
from kg.defaults import LEXICON_DIR, PATTERN_DIR  # noqa: E402
from kg.extract.lexicon import load_wordlist, norm_key  # noqa: E402

#: A dataset or metric named by fewer tasks than this is too often a one-off entry.
MIN_TASKS = 2
#: A noun of action that ends this many task names is a task head ("... regression", "... counting").
MIN_HEAD_TASKS = 5
_MAX_TASK_WORDS, _MAX_DATASET_WORDS, _MAX_METRIC_WORDS = 5, 4, 4
_HEADER = ("# {what} from the Papers with Code task taxonomy (paperswithcode.com, CC-BY-SA 4.0),\n"
           "# filtered by scripts/make_pwc_lexicon.py; this derived list is CC-BY-SA 4.0 too.\n"
           "# {how}\n")
# Evaluation splits and subsets after a benchmark's name ("COCO test-dev", "GQA test-std").
_SPLIT = re.compile(r"(?:\s+(?:test|val|valid|validation|dev|train|test-dev|test-std|test-challenge|testA|testB|"
                    r"test-P|minival|full|subset|split|benchmark|dataset|set|\d+%?))+$", re.IGNORECASE)
_ACRONYM_PAREN = re.compile(r"^(.*?)\s*\(([A-Z][a-z0-9-]?[A-Z][A-Za-z0-9-]{0,8})\)$")
# "translation deu-eng": a language pair names a leaderboard, not a task.
_LANGUAGE_PAIR = re.compile(r"(?<![\w-])[a-z]{3}-[a-z]{3}(?![\w-])")
_UNIT_OR_NUMBER = re.compile(r"^[\d.,%+\-x×~<>≤≥ ]+$|^\d|%|\(|\)|[<>=@|;]|\.\.")
# Nouns of action and process: the last word of a task's name outside the head list.
_ACTION_NOUN = re.compile(r"(?:tion|sion|ing|ment|sis|ance|ence|ization|isation|ysis)$")
_EVAL_PREFIX = re.compile(r"^(?:test|val|validation|dev|eval)\s+(?=\S+$)", re.IGNORECASE)
# Costs and sizes are reported beside metrics but are no evaluation metrics of a task.
_COST = re.compile(r"\b(?:params?|parameters|epochs?|g?flops|fps|macs|operations|time|memory|speed|latency)\b",
                   re.IGNORECASE)
# A benchmark's name: letters, digits, and the joining marks names use.
_DATASET_CHARS = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9'+.-]| (?=[A-Za-z0-9]))*[A-Za-z0-9+]?")
_QUALIFIERS = frozenset({"overall", "total", "final", "avg", "average", "averaged", "mean", "median"})
_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9'+-]*$")


def _task_case(word: str) -> str:
    """Lower case, except acronyms and names with capitals inside (`RGB-D`, `3D`, `PointNet`);
    a title-cased compound is lower-cased part by part (`Semi-Supervised`)."""
    return "-".join(p if any(c.isupper() for c in p[1:]) or any(c.isdigit() for c in p) else p.lower()
                    for p in word.split("-"))


def _task_like(word: str, heads: frozenset[str]) -> bool:
    """A word that can end a task's name: a task head or a noun of action (`... imputation`)."""
    w = word.lower()
    return (w in heads or w.rstrip("s") in heads or w.split("-")[-1] in heads
            or _ACTION_NOUN.search(w) is not None)


def clean_task(raw: str, common: frozenset[str], heads: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """(task name, its acronym or "") from one taxonomy name, or None for noise.

    >>> clean_task("Visual Question Answering (VQA)", frozenset())
    ('visual question answering', 'VQA')
    >>> clean_task("Speech Synthesis - Manipuri", frozenset()), clean_task("Graph Neural Network", frozenset())
    (None, None)
    """
    name = raw.strip().strip('"').strip()
    acronym = ""
    m = _ACRONYM_PAREN.match(name)
    if m:
        name, acronym = m.group(1), m.group(2)
    if not name or " - " in name or any(c in name for c in "()[]:,/&;") or "..." in name:
        return None
    words = name.split()
    if not 1 <= len(words) <= _MAX_TASK_WORDS or len(name) > 60:
        return None
    if any(not _WORD.match(w) for w in words if not re.fullmatch(r"\d[Dd]", w)) or _LANGUAGE_PAIR.search(name):
        return None  # numbers, sizes, symbols, languages: a leaderboard's variant, not a task
    out = " ".join(_task_case(w) for w in words)
    if not _task_like(words[-1], heads):
        return None  # "Large Language Model", "Knowledge Graph", "Atari Games": things, not problems
    if len(words) == 1 and (out.lower() in common or len(out) < 4 or out.lower() in heads or out != out.lower()):
        # One common word ("Classification") or a bare head ("Denoising") is a task only where a
        # paper frames it; one capitalised word is more often a benchmark's name.
        return None
    return out, acronym


def clean_dataset(raw: str) -> str | None:
    """A benchmark's name without its split, or None if it does not look like a name.

    >>> clean_dataset("Cityscapes test"), clean_dataset("VQA v2 val"), clean_dataset("wireframe dataset")
    ('Cityscapes', 'VQA v2', None)
    """
    name = _SPLIT.sub("", raw.strip())
    if not _DATASET_CHARS.fullmatch(name) or ". " in name or any(c.isdigit() for c in name.split()[-1][:1]):
        return None  # symbols, subsets ("X 10% labeled data", "X / Y"), a number after the name
    words = name.split()
    if len(words) > _MAX_DATASET_WORDS or len(name) > 40 or len(name) < 4:
        # (Three letters or fewer are too often some other acronym: "SGD", "MAD", "CPU".)
        return None
    if not any(c.isupper() or c.isdigit() for c in name) or not name[0].isalnum():
        return None  # a lower-case phrase is a description, not a benchmark's name
    if len(name) <= 4 and name.isalpha() and name.isupper():
        return None  # a short acronym ("FLIP", "PIC") is too often some method's or concept's
    return name


def clean_metric(raw: str) -> str | None:
    """A metric's name, or None for a number, a unit, a column label with qualifiers.

    >>> clean_metric("Mean IoU"), clean_metric("test mIoU"), clean_metric("30%"), clean_metric("Params (M)")
    ('Mean IoU', 'mIoU', None, None)
    """
    name = _EVAL_PREFIX.sub("", raw.strip())
    if len(name) < 3 or _UNIT_OR_NUMBER.search(name) or "," in name or ":" in name or "/" in name:
        return None
    words = name.split()
    if len(words) > _MAX_METRIC_WORDS or len(name) > 40 or any(not _WORD.match(w) for w in words):
        return None
    return name


def _items(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip() and x.strip() != "N/A"]


def read_source(src: Path) -> tuple[list[str], dict[str, set[str]], dict[str, set[str]]]:
    """Task names; and for each dataset, metric and raw lower-case-seen metric, the tasks naming it."""
    tasks: list[str] = []
    datasets: dict[str, set[str]] = defaultdict(set)
    metrics: dict[str, set[str]] = defaultdict(set)
    all_tasks = src / "all_tasks.txt"
    if all_tasks.exists():
        tasks += [line for line in all_tasks.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted(src.glob("*_tasks_detailed.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                task = row.get("Task Name", "").strip()
                if not task:
                    continue
                tasks.append(task)
                tasks += _items(row.get("Subtasks", ""))
                for cell in ("Common Datasets (Top 10)", "Benchmarks"):
                    for d in _items(row.get(cell, "")):
                        name = clean_dataset(d)
                        if name:
                            datasets[name].add(task)
                for m in _items(row.get("SOTA Metrics", "")):
                    name = clean_metric(m)
                    if name:
                        metrics[name].add(task)
    hierarchy = src / "task_hierarchy.csv"
    if hierarchy.exists():
        with hierarchy.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                tasks.append(row.get("Parent Task", ""))
                tasks += [t.rstrip(".") for t in _items(row.get("Child Tasks", "")) if not t.endswith("...")]
    return tasks, datasets, metrics


def _by_key(names: dict[str, set[str]]) -> dict[str, tuple[str, set[str]]]:
    """Spellings of one name (`Cityscapes`, `CityScapes`) pooled: the most used form, all tasks."""
    pooled: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    for name, tasks in names.items():
        pooled[norm_key(name)].append((name, tasks))
    out = {}
    for k, forms in pooled.items():
        tasks = set().union(*(t for _, t in forms))
        best = sorted(forms, key=lambda f: (-len(f[1]), f[0]))[0][0]
        out[k] = (best, tasks)
    return out


def build(src: Path, common: frozenset[str]) -> dict[str, list[str]]:
    """The lists' lines (without headers), sorted; `common` holds common English words."""
    heads = frozenset(w.lower() for w in load_wordlist(PATTERN_DIR / "task_heads.txt"))
    raw_tasks, raw_datasets, raw_metrics = read_source(src)
    tasks: dict[str, str] = {}
    for raw in raw_tasks:
        got = clean_task(raw, common, heads)
        if got:
            name, acronym = got
            k = norm_key(name)
            if k and (k not in tasks or acronym and "\t" not in tasks[k]):
                tasks[k] = name + ("\t" + acronym if acronym else "")
    datasets = []
    for _, (name, named_by) in sorted(_by_key(raw_datasets).items()):
        if len(named_by) < MIN_TASKS:
            continue
        if " " not in name and name.lower() in common and not any(c.isdigit() for c in name) \
                and sum(c.isupper() for c in name) < 2:
            continue  # "Satellite", "Incidents": common words, too often no benchmark
        datasets.append(name)
    metric_keys = {norm_key(n) for n in raw_metrics}
    metrics = []
    for _, (name, named_by) in sorted(_by_key(raw_metrics).items()):
        first, _, rest = name.partition(" ")
        if first.lower() in _QUALIFIERS and rest and (norm_key(rest) in metric_keys or rest.lower() in common):
            continue  # "Overall Accuracy", "Mean IoU": a leaderboard's column; the text says "accuracy"
        if len(named_by) < MIN_TASKS or _COST.search(name):
            continue
        if len(name) <= 3 and (len(named_by) < 2 * MIN_TASKS or name.lower() in common):
            continue  # a short acronym ("WAR", "POS") is too often something else
        if " " not in name and name.lower() in common and sum(c.isupper() for c in name) < 2:
            continue  # "Overall", "Accuracy", "Open": a word; the curated metrics lexicon has the real ones
        metrics.append(name)
    ends: dict[str, int] = defaultdict(int)
    for line in tasks.values():
        words = line.split("\t")[0].split()
        if len(words) > 1:
            ends[words[-1].lower()] += 1
    task_heads = [w for w, n in ends.items() if n >= MIN_HEAD_TASKS and _ACTION_NOUN.search(w) and w not in heads]
    return {"tasks": sorted(tasks.values(), key=str.lower), "datasets": sorted(datasets, key=str.lower),
            "metrics": sorted(metrics, key=str.lower), "task_heads": sorted(task_heads)}


_ABOUT = {
    "tasks": ("Task names", "One task a line, lower case but for acronyms; an acronym the taxonomy gives "
                            "follows a tab."),
    "datasets": ("Dataset and benchmark names", f"One name a line; each is a common dataset or benchmark of at "
                                                f"least {MIN_TASKS} tasks."),
    "metrics": ("Metric names", f"One name a line; each is a reported metric of at least {MIN_TASKS} tasks."),
    "task_heads": ("Task head words", f"Nouns of action that end at least {MIN_HEAD_TASKS} task names and are not "
                                      f"in kg/extract/patterns/task_heads.txt."),
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path, help="folder of the Papers with Code taxonomy export")
    ap.add_argument("--out", type=Path, default=LEXICON_DIR)
    a = ap.parse_args(argv)
    if not (a.source / "all_tasks.txt").exists() and not list(a.source.glob("*_tasks_detailed.csv")):
        sys.exit(f"{a.source}: no all_tasks.txt or *_tasks_detailed.csv here")
    lists = build(a.source, frozenset(load_wordlist(LEXICON_DIR / "english_common.txt")))
    a.out.mkdir(parents=True, exist_ok=True)
    for kind, lines in lists.items():
        what, how = _ABOUT[kind]
        atomic_write_text(a.out / f"pwc_{kind}.txt", _HEADER.format(what=what, how=how) + "\n".join(lines) + "\n")
        print(f"pwc_{kind}.txt: {len(lines)} names")


if __name__ == "__main__":
    main()
