"""`kg build --update` patches the stored graph and splices the RDF files: every output equals a full rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.defaults import SAMPLE_CORPUS_DIR
from kg.errors import InputError
from kg.pipeline.build import build

OUTPUTS = ("graph.ttl", "graph.nt", "graph.jsonld", "graph.html", "centrality.csv", "top_methods.svg", "trends.svg")
FORMATS = ("turtle", "ntriples", "jsonld")
SAMPLE = sorted(SAMPLE_CORPUS_DIR.iterdir())


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the map's header date


def files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def full(inputs, out: Path) -> dict[str, bytes]:
    build(inputs, out_dir=out, rdf_formats=FORMATS)
    return files(out)


@pytest.mark.slow
def test_updating_the_sample_file_by_file_equals_full_builds(tmp_path):
    out = tmp_path / "inc"
    build(SAMPLE[:2], out_dir=out, rdf_formats=FORMATS, cache=True)
    for i in range(2, len(SAMPLE)):
        _, summary = build(SAMPLE[i:i + 1], out_dir=out, rdf_formats=FORMATS, cache=True, update=True)
        assert summary.patched is not None, "the update built the graph afresh"
        assert files(out) == full(SAMPLE[:i + 1], tmp_path / f"full{i}"), f"after adding {SAMPLE[i].name}"


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_renames_splits_and_filled_metadata_equal_a_full_build(tmp_path):
    old = write_jsonl(tmp_path / "old.jsonl", [
        {"title": "Zorbnet: fast folding", "abstract": "We propose Zorbnet (ZN). ZN outperforms ResNet on ImageNet."},
        {"title": "Folding at scale", "abstract": "Zorbnet and ResNet are compared on CIFAR-10 with accuracy."},
        {"title": "Continual learning of folds", "abstract": "We study continual learning (CL) for folding. CL helps."},
    ])
    new = write_jsonl(tmp_path / "new.jsonl", [
        # ZN now also stands for another name, CL gets a second meaning, and a known paper gains a URL.
        {"title": "ZipNorm for folding", "abstract": "We introduce Zip Normalization (ZN). ZN beats ResNet on ImageNet."},
        {"title": "Curriculum folding", "abstract": "We propose curriculum learning (CL) for folding models."},
        {"title": "Folding at scale", "abstract": "Zorbnet.", "url": "https://example.org/fold"},
    ])
    build([old], out_dir=tmp_path / "inc", rdf_formats=FORMATS, cache=True)
    _, summary = build([new], out_dir=tmp_path / "inc", rdf_formats=FORMATS, cache=True, update=True)
    assert summary.patched is not None
    assert files(tmp_path / "inc") == full([old, new], tmp_path / "full")


def test_an_update_with_other_options_builds_afresh_and_an_edited_output_stops_it(tmp_path):
    out = tmp_path / "inc"
    build(SAMPLE[:1], out_dir=out, rdf_formats=FORMATS, cache=True)
    _, summary = build(SAMPLE[1:2], out_dir=out, rdf_formats=("turtle",), cache=True, update=True)
    assert summary.patched is None  # other RDF formats than the stored build's
    assert "removed stale graph.nt from an earlier build" in summary.lines()
    assert not (out / "graph.nt").exists() and not (out / "graph.jsonld").exists()
    _, summary = build(SAMPLE[2:3], out_dir=out, rdf_formats=("turtle",), cache=True, update=True)
    assert summary.patched is not None
    build(SAMPLE[:3], out_dir=tmp_path / "full", rdf_formats=("turtle",))
    for name in ("graph.ttl", "graph.html", "centrality.csv"):
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
    with open(out / "graph.ttl", "a", encoding="utf-8") as f:
        f.write("# edited by hand\n")
    before = files_of(out)
    with pytest.raises(InputError, match="graph.ttl does not match the build recorded in .*without --update"):
        build(SAMPLE[3:4], out_dir=out, rdf_formats=("turtle",), cache=True, update=True)
    assert files_of(out) == before


def files_of(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
