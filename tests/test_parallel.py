"""Multi-process extraction (kg.pipeline.parallel) and progress bars (kg.pipeline.progress): same result as one process."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import kg.pipeline.parallel
from kg.errors import KGError
from kg.ingest.papers import read_papers
from kg.pipeline.build import build
from kg.pipeline.parallel import default_jobs, extract_parallel
from kg.pipeline.progress import Progress, Stages, bars_wanted, progress

FIX = Path(__file__).parent / "fixtures" / "inputs"
COMPARED = ("graph.ttl", "graph.nt", "centrality.csv")


@pytest.fixture(scope="module")
def papers():
    return read_papers([FIX]).papers


def test_two_workers_give_the_in_process_result_in_input_order(papers):
    one = extract_parallel(papers, jobs=1)
    done = []
    two = extract_parallel(papers, jobs=2, chunk_size=2, on_progress=done.append)  # 6 chunks, 2 processes
    assert two == one
    assert [e.paper_key for e in two] == [p.key for p in papers]
    assert sum(done) == len(papers) and len(done) == -(-len(papers) // 2)


def test_min_confidence_reaches_the_workers(papers):
    assert extract_parallel(papers, jobs=2, chunk_size=3, min_confidence=0.9) == extract_parallel(
        papers, jobs=1, min_confidence=0.9)


def test_forked_workers_see_settings_changed_in_memory_and_forkserver_ones_do_not(papers, monkeypatch):
    # scripts/crossval.py changes extractor settings in memory and needs forked workers; a build's
    # workers start from a forkserver (small, without the build's heap) and keep the shipped settings.
    import kg.extract.tasks as tasks

    shipped = extract_parallel(papers, jobs=1)
    assert any(m.kind == "task" for e in shipped for m in e.mentions)
    monkeypatch.setattr(tasks, "SETTINGS", tasks.TaskSettings(max_tasks=0))
    forked = extract_parallel(papers, jobs=2, chunk_size=3, fork=True)
    assert forked == extract_parallel(papers, jobs=1)
    assert not any(m.kind == "task" for e in forked for m in e.mentions)
    assert extract_parallel(papers, jobs=2, chunk_size=3) == shipped


def test_small_or_empty_input_and_bad_arguments(papers):
    assert extract_parallel([], jobs=2) == []
    assert extract_parallel(papers[:1], jobs=4) == extract_parallel(papers[:1], jobs=1)  # one chunk: no pool
    with pytest.raises(KGError, match="jobs"):
        extract_parallel(papers, jobs=-1)
    assert 1 <= default_jobs() <= kg.pipeline.parallel.MAX_DEFAULT_JOBS


def _build(out: Path, **kw) -> dict[str, bytes]:
    build([FIX], out_dir=out, rdf_formats=("turtle", "ntriples"), **kw)
    return {name: (out / name).read_bytes() for name in COMPARED}


def test_jobs_1_and_jobs_2_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setattr(kg.pipeline.parallel, "DEFAULT_CHUNK_SIZE", 2)  # so that --jobs 2 really starts a pool
    assert _build(tmp_path / "one", jobs=1) == _build(tmp_path / "two", jobs=2)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bars_only_on_a_terminal_and_never_when_quiet():
    assert not bars_wanted(stream=io.StringIO())
    assert not bars_wanted(quiet=True, stream=_Tty())
    assert bars_wanted(stream=_Tty())
    tty = _Tty()
    assert list(progress(range(3), desc="extracting", stream=tty)) == [0, 1, 2]
    assert "extracting" in tty.getvalue()
    piped = io.StringIO()
    with Progress(total=2, stream=piped) as bar:
        bar.update(2)
    assert bar.n == 2 and piped.getvalue() == ""


def test_stages_add_up_repeated_names():
    heard = []
    st = Stages(lambda name, s: heard.append(name))
    st.done("a"), st.done("b"), st.done("a")
    assert heard == ["a", "b", "a"] and list(st.seconds) == ["a", "b"]
    assert all(s >= 0 for s in st.seconds.values())
