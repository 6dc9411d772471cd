"""Every stage on partitions (kg.pipeline.dask_resolve, dask_build, kg.export.rdf.shards, merge): the same graph as one process.

The fast tests run the partition steps in this process on hand-made extractions; the slow ones run
a whole build on a two-worker LocalCluster and compare every output file with a one-process build.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.export.rdf import write_rdf_formats
from kg.export.rdf.merge import merge_shards
from kg.export.rdf.shards import MANIFEST, ShardError, shard_name, write_manifest, write_shard
from kg.graph.assemble import build_snapshot
from kg.pipeline.dask_build import join_parts
from kg.pipeline.dask_resolve import NameTable, acronym_meanings, ambiguous_keys, name_links
from kg.records import Claim, Extraction, Mention, Paper
from kg.resolve import Resolver

FIX = Path(__file__).parent / "fixtures"
FORMATS = {"ntriples": "nt", "turtle": "ttl", "jsonld": "jsonld"}


def _paper(key: str, title: str, authors: tuple[str, ...] = ()) -> Paper:
    return Paper(key=key, title=title, abstract=f"The abstract of {title}.", source=f"papers.jsonl:{key}",
                 date="2024-0" + key[-1] + "-01", authors=authors)


# Six papers whose names only resolve right when the partitions are looked at together: "CL" means
# two unrelated things in p1 and p2, "Llama 2 7B" and "Llama-2" are one model, DeepCache is named in
# three papers (so its subject is in several shards), and p6 has eleven authors (cells n0..n10).
PAPERS = [_paper("p1", "Contrastive"), _paper("p2", "Curriculum"), _paper("p3", "Llama sizes"),
          _paper("p4", "Llama chat"), _paper("p5", "DeepCache"),
          _paper("p6", "Deep cache again", tuple(f"Author {i}" for i in range(11)))]
EXTRACTIONS = [
    Extraction("p1", [Mention("CL", "method", 0.9, aliases=("Contrastive Learning",)),
                      Mention("ImageNet", "dataset", 0.8)],
               [Claim("CL", "evaluatesOn", "ImageNet", "CL is evaluated on ImageNet.", 0.7)]),
    Extraction("p2", [Mention("CL", "method", 0.6, aliases=("Curriculum Learning",))]),
    Extraction("p3", [Mention("Llama 2 7B", "method", 0.9), Mention("DeepCache", "method", 0.5)]),
    Extraction("p4", [Mention("Llama-2", "method", 0.8), Mention("ImageNet", "dataset", 0.9)],
               [Claim("Llama-2", "evaluatesOn", "ImageNet", "Llama-2 is tried on ImageNet.", 0.6)]),
    Extraction("p5", [Mention("DeepCache", "method", 0.95, proposed=True), Mention("ImageNet", "dataset", 0.9),
                      Mention("Stable Diffusion", "method", 0.9)],
               [Claim("DeepCache", "improvesOver", "Stable Diffusion", "DeepCache beats Stable Diffusion.", 0.9),
                Claim("DeepCache", "evaluatesOn", "ImageNet", "DeepCache runs on ImageNet.", 0.8)],
               ["https://github.com/horseee/DeepCache"]),
    Extraction("p6", [Mention("deep-cache", "method", 0.7), Mention("ImageNet", "dataset", 0.5)],
               [Claim("deep-cache", "evaluatesOn", "ImageNet", "deep-cache is measured on ImageNet.", 0.5)],
               ["https://github.com/horseee/DeepCache"]),
]
# Odd and even papers: every name that links across papers is split between the partitions.
PARTS = [[0, 2, 4], [1, 3, 5]]


def _one_process() -> Resolver:
    r = Resolver()
    r.add(EXTRACTIONS)
    return r


def _partitioned(order: list[list[int]]) -> Resolver:
    meanings: dict = {}
    for part in order:
        for k, longs in acronym_meanings([EXTRACTIONS[i] for i in part]).items():
            meanings.setdefault(k, set()).update(longs)
    ambiguous = ambiguous_keys(meanings)
    table = NameTable(meanings, ambiguous)
    for part in order:
        table.add(name_links([EXTRACTIONS[i] for i in part], ambiguous))
    return table.resolver()


@pytest.mark.parametrize("order", [PARTS, PARTS[::-1], [[0], [1], [2], [3], [4], [5]]])
def test_partitions_resolve_as_one_process(order):
    want = _one_process()
    got = _partitioned(order)
    assert got.to_json() == want.to_json()
    # Only the two partitions together show that "CL" has two meanings: it links neither long form.
    assert ("method", "cl") in got.ambiguous
    assert not ambiguous_keys(acronym_meanings([EXTRACTIONS[i] for i in PARTS[0]]))
    assert len(got.components_of([("method", "contrastivelearning"), ("method", "curriculumlearning")])) == 2
    assert got.entities()["method/deepcache"].aliases == {"deep-cache"}  # p3, p5 and p6 (two partitions)
    assert {e.id for e in got.entities().values() if "Llama-2" in e.aliases | {e.label}} == {"method/llama2"}


def _shards(folder: Path, resolver: Resolver, parts=PARTS) -> list[dict]:
    entries = []
    for i, part in enumerate(parts):
        snap = build_snapshot([PAPERS[j] for j in part], [EXTRACTIONS[j] for j in part], resolver)
        entries.append(write_shard(snap, folder / shard_name(i)))
    write_manifest(folder, entries, include_abstracts=True)
    return entries


def test_merged_shards_equal_the_one_process_files(tmp_path):
    resolver = _partitioned(PARTS)
    whole = build_snapshot(PAPERS, EXTRACTIONS, _one_process())
    one = {fmt: tmp_path / f"one.{ext}" for fmt, ext in FORMATS.items()}
    triples = write_rdf_formats(whole, one)
    entries = _shards(tmp_path / "shards", resolver)
    merged = {fmt: tmp_path / f"merged.{ext}" for fmt, ext in FORMATS.items()}
    assert merge_shards(tmp_path / "shards", merged) == triples
    for fmt in FORMATS:
        assert merged[fmt].read_bytes() == one[fmt].read_bytes(), fmt
    # The merge had work to do: DeepCache's subject is in both shards, each with some of its edges.
    deepcache = "<https://w3id.org/paperkg/resource/method/deepcache> "
    shares = [[ln for ln in (tmp_path / "shards" / e["file"]).read_text().splitlines() if ln.startswith(deepcache)]
              for e in entries]
    assert all(shares) and shares[0] != shares[1]
    assert sum(e["triples"] for e in entries) > triples
    # Nothing is held back from a partition: the joined partitions are the one-process graph.
    blobs = [build_snapshot([PAPERS[j] for j in p], [EXTRACTIONS[j] for j in p], resolver).to_blobs() for p in PARTS]
    assert join_parts(blobs, PAPERS).equals(whole)


def _damage_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-5] = ord("X") if data[-5] != ord("X") else ord("Y")  # inside the last object: same size
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / MANIFEST).unlink(), "no shard manifest"),
    (lambda d: (d / MANIFEST).write_text("{not json"), "unreadable shard manifest"),
    (lambda d: (d / MANIFEST).write_text('{"format": "other", "shards": []}'), "not a paperkg shard manifest"),
    (lambda d: (d / shard_name(1)).unlink(), "part-00001.nt: shard missing"),
    (lambda d: (d / shard_name(0)).write_bytes((d / shard_name(0)).read_bytes()[:-40]), "part-00000.nt: shard is"),
    (lambda d: _damage_last_byte(d / shard_name(1)), "part-00001.nt: sha256"),
    (lambda d: (d / shard_name(0)).write_bytes(b"".join(sorted((d / shard_name(0)).read_bytes().splitlines(True),
                                                               reverse=True))), "out of order"),
])
def test_a_damaged_shard_or_manifest_is_an_error_and_the_old_file_stays(tmp_path, damage, message):
    _shards(tmp_path / "shards", _partitioned(PARTS))
    damage(tmp_path / "shards")
    target = tmp_path / "graph.nt"
    target.write_text("the previous build's graph\n")
    with pytest.raises(ShardError, match=message):
        merge_shards(tmp_path / "shards", {"ntriples": target})
    assert target.read_text() == "the previous build's graph\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c:
        yield c


OUTPUTS = ("graph.nt", "graph.ttl", "graph.jsonld", "graph.html", "centrality.csv", "top_methods.svg", "trends.svg")


@pytest.mark.slow
def test_every_stage_on_two_workers_gives_the_one_process_files(cluster, tmp_path):
    from kg.pipeline.build import build

    inputs = [FIX / "inputs", FIX / "api" / "pwc-joined-papers.jsonl"]
    facts = [FIX / "samples" / "pwc-evaluation-tables-snli.json", FIX / "samples" / "pwc-links-between-papers-and-code.json"]

    def files(out: Path, **kw) -> dict[str, bytes]:
        build(inputs, out_dir=out, rdf_formats=tuple(FORMATS), facts=facts, cache=True, return_graph=False, **kw)
        return {n: (out / n).read_bytes() for n in OUTPUTS}

    one = files(tmp_path / "one", jobs=1)
    assert files(tmp_path / "dask", scheduler=cluster.scheduler_address) == one
    manifest = json.loads((tmp_path / "dask" / "graph-shards" / MANIFEST).read_text())
    assert len(manifest["shards"]) >= 4  # up to four per worker, at least two papers each
    assert all((tmp_path / "dask" / "graph-shards" / e["file"]).exists() for e in manifest["shards"])
    # Again, every extraction now from the driver's cache: the workers only resolve and write.
    assert files(tmp_path / "dask", scheduler=cluster.scheduler_address) == one
    # A build that is not distributed removes the shards: they would no longer describe its graph.nt.
    assert files(tmp_path / "dask", jobs=1) == one
    assert not (tmp_path / "dask" / "graph-shards").exists()


def test_the_shards_load_into_oxigraph_as_the_merged_file(tmp_path):
    """docs/scaling.md: each shard may be bulk-loaded on its own; the store then holds graph.nt's triples."""
    pyoxigraph = pytest.importorskip("pyoxigraph")
    _shards(tmp_path / "shards", _partitioned(PARTS))
    merge_shards(tmp_path / "shards", {"ntriples": tmp_path / "graph.nt"})
    merged, sharded = pyoxigraph.Store(), pyoxigraph.Store()
    merged.bulk_load(path=str(tmp_path / "graph.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    for shard in sorted((tmp_path / "shards").glob("part-*.nt")):
        sharded.bulk_load(path=str(shard), format=pyoxigraph.RdfFormat.N_TRIPLES)
    lines = (tmp_path / "graph.nt").read_text().splitlines()
    assert len(merged) == len(sharded) == len(lines)  # an entity's lines in two shards are stored once
    # The author lists are blank nodes, each wholly in its paper's shard: every list is whole, its head first.
    prefixes = """PREFIX schema: <https://schema.org/>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        """
    names = prefixes + "SELECT ?paper ?name WHERE { ?paper schema:author ?list . ?list rdf:rest*/rdf:first ?name }"
    got = sorted((str(r["paper"]), str(r["name"])) for r in sharded.query(names))
    assert got == sorted((str(r["paper"]), str(r["name"])) for r in merged.query(names))
    assert len(got) == 11
    heads = prefixes + "SELECT ?name WHERE { ?paper schema:author/rdf:first ?name }"
    assert [str(r["name"]) for r in sharded.query(heads)] == ['"Author 0"']


@pytest.mark.slow
def test_a_worker_with_other_rules_stops_the_build(cluster, monkeypatch, tmp_path):
    from distributed import Client

    import kg.pipeline.dask_build
    from kg.errors import KGError
    from kg.pipeline.dask_build import build_on_cluster

    monkeypatch.setattr(kg.pipeline.dask_build, "extractor_version", lambda *a: "0" * 40)  # this side only
    with Client(cluster) as client, pytest.raises(KGError, match="another extractor"):
        build_on_cluster(client, PAPERS[:2], shard_dir=tmp_path / "shards")
    assert not (tmp_path / "shards" / MANIFEST).exists()
