"""The Papers with Code name lists: the filter script on invented rows, and how the lists load.

The taxonomy rows here are invented for the tests (names in the export's style, none copied);
the shipped lists are checked for their licence header and against the curated lexicons.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import kg.extract.lexicon as lexicon
from kg.defaults import LEXICON_DIR
from kg.extract.lexicon import LexiconSettings, load_lexicon, load_wordlist, norm_key

_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "make_pwc_lexicon.py"


@pytest.fixture(scope="module")
def pwc():
    spec = importlib.util.spec_from_file_location("make_pwc_lexicon", _SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_pwc_lexicon"] = mod
    spec.loader.exec_module(mod)
    return mod


_HEADER = ("Task Name,Dataset Count,Common Datasets (Top 10),Benchmarks,SOTA Metrics,Subtasks,Categories,"
           "Description (First 200 chars)\n")
_ROWS = [
    'Glyph Restoration,3,QuillSet; Parchment-40k; Lantern,QuillSet test; Parchment-40k val,PSNR-G; Overall Accuracy; '
    '30%; Params (M),Faded Glyph Restoration,Vision,"Restoring glyphs."',
    'Scroll Dating,2,QuillSet; Parchment-40k; Lantern; OnlyOnce,QuillSet,PSNR-G; Overall Accuracy; Epochs,,Vision,"x"',
    'Graph Neural Network,1,QuillSet,,Accuracy,,Graphs,"not a problem"',
]


def _source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "vision_tasks_detailed.csv").write_text(_HEADER + "\n".join(_ROWS) + "\n", encoding="utf-8")
    (src / "all_tasks.txt").write_text('"Speech Synthesis - Elvish"\n"12k"\n"Rune Segmentation (RS)"\n'
                                       '"Large Language Model"\n', encoding="utf-8")
    return src


# --- the filter ----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,expected", [
    ("Rune Segmentation (RS)", ("rune segmentation", "RS")),
    ("Semi-Supervised Glyph Classification", ("semi-supervised glyph classification", "")),
    ("3D Scroll Reconstruction", ("3D scroll reconstruction", "")),
])
def test_task_names_are_kept_in_the_papers_spelling(pwc, raw, expected):
    assert pwc.clean_task(raw, frozenset(), frozenset({"segmentation", "classification"})) == expected


@pytest.mark.parametrize("raw", [
    "Speech Synthesis - Elvish",  # a language variant of a leaderboard
    "Translation elv-dwa",  # a language pair
    "12k", "Glyph Restoration (8 classes)",  # numbers and qualifiers
    "Large Language Model", "Graph Neural Network",  # things, not problems
    "Classification",  # one common word
    "Denoising",  # a bare head: a task only where a paper frames it
    "Lantern",  # one capitalised word: more often a benchmark
])
def test_noise_is_no_task(pwc, raw):
    assert pwc.clean_task(raw, frozenset({"classification", "lantern"}), frozenset({"denoising"})) is None


def test_datasets_and_metrics_need_two_tasks_and_a_name_shape(pwc, tmp_path):
    lists = pwc.build(_source(tmp_path), frozenset({"lantern"}))
    assert lists["datasets"] == ["Parchment-40k", "QuillSet"]  # splits cut off; OnlyOnce is named by one task
    assert lists["metrics"] == ["PSNR-G"]  # no numbers, sizes, epochs, "Overall X" column labels
    tasks = [line.split("\t")[0] for line in lists["tasks"]]
    assert "glyph restoration" in tasks and "rune segmentation" in tasks and "scroll dating" in tasks
    assert "graph neural network" not in tasks and "large language model" not in tasks


def test_the_script_is_deterministic(pwc, tmp_path):
    src = _source(tmp_path)
    outs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        pwc.main([str(src), "--out", str(out)])
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1] and set(outs[0]) == {"pwc_tasks.txt", "pwc_datasets.txt", "pwc_metrics.txt",
                                                   "pwc_task_heads.txt"}


# --- the shipped lists ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["pwc_tasks.txt", "pwc_datasets.txt", "pwc_metrics.txt", "pwc_task_heads.txt"])
def test_shipped_lists_carry_their_licence(name):
    text = (LEXICON_DIR / name).read_text(encoding="utf-8")
    assert "Papers with Code" in text.splitlines()[0] and "CC-BY-SA 4.0" in text
    assert len(load_wordlist(LEXICON_DIR / name)) >= 20


def test_general_entries_never_take_a_curated_name():
    lex = load_lexicon()
    curated = [e for e in lex.entries if not e.general]
    assert any(e.general for e in lex.entries)
    for e in curated:
        assert not lex.lookup(e.label).general, e.label


def test_the_lists_can_be_switched_off(monkeypatch):
    on = load_lexicon()
    monkeypatch.setattr(lexicon, "SETTINGS", LexiconSettings(pwc=frozenset()))
    off = load_lexicon()
    assert not any(e.general for e in off.entries)
    assert {norm_key(e.label) for e in off.entries} < {norm_key(e.label) for e in on.entries}
