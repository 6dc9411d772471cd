"""Extraction on Dask (kg.pipeline.distributed): a local two-worker cluster gives the one-process result."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import KGError
from kg.ingest.papers import read_papers
from kg.pipeline.build import build
from kg.pipeline.distributed import extract_distributed
from kg.pipeline.parallel import extract_parallel

FIX = Path(__file__).parent / "fixtures" / "inputs"
COMPARED = ("graph.ttl", "graph.nt", "centrality.csv")


def test_needs_a_client_or_a_scheduler():
    with pytest.raises(KGError, match="client or a scheduler"):
        extract_distributed([], client=None, scheduler=None)


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c:
        yield c


@pytest.mark.slow
def test_two_workers_equal_one_process(cluster):
    from distributed import Client

    papers = read_papers([FIX]).papers
    with Client(cluster) as client:
        shards = extract_distributed(papers, client=client, partitions=5)  # shards span both workers
        assert len(client.scheduler_info()["workers"]) == 2
    assert shards == extract_parallel(papers, jobs=1)


@pytest.mark.slow
def test_build_on_the_cluster_is_byte_identical(cluster, tmp_path):
    def files(out: Path, **kw) -> dict[str, bytes]:
        build([FIX], out_dir=out, rdf_formats=("turtle", "ntriples"), **kw)
        return {n: (out / n).read_bytes() for n in COMPARED}

    # Through the scheduler's address, as `kg build --distributed tcp://...` connects.
    assert files(tmp_path / "dask", scheduler=cluster.scheduler_address) == files(tmp_path / "one", jobs=1)


@pytest.mark.slow
def test_a_worker_with_other_rules_is_refused(cluster, monkeypatch):
    from distributed import Client

    import kg.pipeline.cache

    monkeypatch.setattr(kg.pipeline.cache, "extractor_version", lambda *a: "0" * 40)  # this side only
    with Client(cluster) as client, pytest.raises(KGError, match="another extractor"):
        extract_distributed(read_papers([FIX]).papers[:2], client=client)
