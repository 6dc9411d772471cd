"""The README documents every command, every saved query, and the exact test command CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.cli import cli
from kg.sparql.query import list_queries

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_a_readme_entry(name):
    assert f"### `kg {name}`" in README


@pytest.mark.parametrize("name", [n for n, _ in list_queries()])
def test_every_saved_query_is_listed(name):
    assert f"| `{name}` |" in README


def test_ci_runs_the_readme_test_command():
    test_command = re.search(r"^    (python3 -m venv .*pytest)$", README, re.M).group(1)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # CI makes its own fresh environment, then runs the rest of the README's command verbatim.
    assert test_command.split(" && ", 2)[2] in ci.splitlines()


def test_setup_commands_call_an_unversioned_python():
    # A fresh machine with another Python 3 has no `python3.11`.
    setup = re.findall(r"^    (python3\S* -m venv .*)$", README, re.M)
    assert len(setup) == 2
    assert all(c.startswith("python3 -m venv ") for c in setup)


def test_no_file_names_a_path_of_one_machine():
    # A clone has no ../shared and no /work: every script, doc and module must run from the clone.
    bad = re.compile(r"/work/|\.\./shared\b|/home/\w+|/root/")
    offenders = []
    for folder in ("kg", "scripts", "docs", "tests", "schema"):
        for p in sorted((ROOT / folder).rglob("*")):
            if p.is_file() and p.suffix in {".py", ".md", ".rq", ".ttl", ".txt", ".sh", ".js"} and p != Path(__file__):
                text = p.read_text(encoding="utf-8", errors="replace")
                offenders += [f"{p.relative_to(ROOT)}: {m.group()}" for m in bad.finditer(text)]
    for p in (ROOT / "README.md", ROOT / ".ci" / "run", ROOT / "pyproject.toml"):
        offenders += [f"{p.relative_to(ROOT)}: {m.group()}" for m in bad.finditer(p.read_text(encoding="utf-8"))]
    assert not offenders, offenders
