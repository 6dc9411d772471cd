"""The benchmark scripts run from any clone: the corpus generator ships in scripts/, and no script names an absolute path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"


def make_corpus(tmp_path: Path, *args: str) -> list[dict]:
    out = tmp_path / f"c{len(list(tmp_path.iterdir()))}.jsonl"
    subprocess.run([sys.executable, str(SCRIPTS / "make_corpus.py"), *args[:1], str(out), *args[1:]], check=True,
                   cwd=tmp_path)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_synthetic_corpus_is_reproducible_and_distinct_numbers_titles(tmp_path):
    a = make_corpus(tmp_path, "30", "--distinct")
    assert a == make_corpus(tmp_path, "30", "--distinct") and len(a) == 30
    assert len({r["title"] for r in a}) == 30 and all(r["title"].endswith(f"(no. {r['id']})") for r in a)
    assert all(r["abstract"] and set(r) == {"id", "title", "abstract", "url"} for r in a)
    assert make_corpus(tmp_path, "30", "--distinct", "--seed", "1") != a


def test_from_dev_repeats_the_268_labelled_papers_with_numbered_titles(tmp_path):
    recs = make_corpus(tmp_path, "300", "--from-dev")
    assert len(recs) == 300 and len({r["title"] for r in recs}) == 300
    base = [r["title"].rsplit(" (no. ", 1)[0] for r in recs]
    assert len(set(base)) == 268 and base[268:] == base[:32]
    assert recs[268]["abstract"] == recs[0]["abstract"] and all(r["abstract"] for r in recs)
    # Papers of both sets: one of the era set's venues' papers and one of the bundled sample's.
    era = json.loads((ROOT / "kg/data/eval/era_dev_papers.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert era["title"] in base


def test_bench_help_runs():
    res = subprocess.run([sys.executable, str(SCRIPTS / "bench.py"), "--help"], capture_output=True, text=True,
                         check=True)
    assert "--corpus" in res.stdout and "--from-dev" in res.stdout


def test_no_benchmark_names_an_absolute_path():
    # Folders that exist on one machine only (a temporary folder in a usage example is everyone's).
    absolute = re.compile(r"""(?<![\w.:/])/(?:work|home|Users|root|mnt|data|srv|opt)/""")
    for script in sorted(SCRIPTS.glob("*.py")):
        text = script.read_text(encoding="utf-8")
        assert not absolute.search(text), f"{script.name} names an absolute path"
