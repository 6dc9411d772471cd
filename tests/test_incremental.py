"""Patching a stored graph with new papers gives the graph of a full rebuild (kg.graph.incremental)."""

from __future__ import annotations

import random

import pytest

from kg.defaults import SAMPLE_CORPUS_DIR
from kg.graph.assemble import build_graph
from kg.graph.incremental import PaperAttrs, patch_snapshot
from kg.graph.snapshot import Snapshot
from kg.ingest.papers import read_papers
from kg.pipeline.parallel import extract_papers
from kg.records import Claim, Extraction, Mention, Paper
from kg.resolve import Resolver, StaleResolutionError


def full_snapshot(papers, extractions):
    resolver = Resolver()
    resolver.add(extractions)
    G = build_graph(papers, extractions, resolver.resolution(extractions))
    snap = Snapshot.from_graph(G)
    snap.papers = PaperAttrs(papers)
    return snap, resolver, G


def patched(old_papers, new_papers, extractions, changed=()):
    by_key = {ex.paper_key: ex for ex in extractions}
    old, resolver, _ = full_snapshot(old_papers, [by_key[p.key] for p in old_papers])
    resolver = Resolver.from_json(resolver.to_json())  # as an update loads it
    old = Snapshot.from_blobs(old.to_blobs(), PaperAttrs(old_papers))
    papers = {p.key: p for p in old_papers + new_papers}
    return patch_snapshot(old, resolver, papers, {p.key: by_key[p.key] for p in new_papers}, changed,
                          lambda ps: {p.key: by_key[p.key] for p in ps})


@pytest.fixture(scope="module")
def sample():
    papers = read_papers([SAMPLE_CORPUS_DIR]).papers
    return papers, extract_papers(papers)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_patch_equals_full_rebuild_on_the_sample(sample, seed):
    papers, extractions = sample
    order = list(range(len(papers)))
    random.Random(seed).shuffle(order)
    cut = len(papers) - [40, 5, 150][seed]
    old = [papers[i] for i in sorted(order[:cut])]
    new = [papers[i] for i in sorted(order[cut:])]
    got = patched(old, new, extractions)
    want, _, G = full_snapshot(old + new, [e for e in extractions])
    assert got.snapshot.equals(want)
    assert got.recomputed >= len(new)


def test_patches_in_a_row_equal_a_full_rebuild(sample):
    papers, extractions = sample
    by_key = {e.paper_key: e for e in extractions}
    order = list(range(len(papers)))
    random.Random(7).shuffle(order)
    batches = [sorted(order[:200]), sorted(order[200:210]), sorted(order[210:300]), sorted(order[300:])]
    done = [papers[i] for i in batches[0]]
    snap, resolver, _ = full_snapshot(done, [by_key[p.key] for p in done])
    for batch in batches[1:]:
        new = [papers[i] for i in batch]
        resolver = Resolver.from_json(resolver.to_json())
        snap = Snapshot.from_blobs(snap.to_blobs(), PaperAttrs(done))
        got = patch_snapshot(snap, resolver, {p.key: p for p in done + new}, {p.key: by_key[p.key] for p in new}, [],
                             lambda ps: {p.key: by_key[p.key] for p in ps})
        done += new
        want, want_resolver, _ = full_snapshot(done, [by_key[p.key] for p in done])
        assert got.snapshot.equals(want)
        assert resolver.to_json() == want_resolver.to_json()  # the stored state is a full build's too
        snap = got.snapshot


def ex(key, *mentions, claims=()):
    return Extraction(key, list(mentions), list(claims), [])


def paper(key):
    return Paper(key, f"Title {key}", "Abstract.", f"f.jsonl:{key}")


def test_a_merge_renames_an_entity_and_its_old_papers_follow():
    # p1 and p2 name two entities; p3 says they are one (acronym definition): the merged entity takes the
    # most used form, and p1's edges and claims must move to its new IRI.
    m = lambda text, **kw: Mention(text, "method", 0.9, **kw)  # noqa: E731
    exs = [ex("p1", m("Zorbnet"), m("Quux"), claims=[Claim("Zorbnet", "improvesOver", "Quux", "Z beats Q.", 0.8)]),
           ex("p2", m("ZNT"), m("ZNT"), m("Quux")),
           ex("p3", m("ZNT", aliases=("Zorbnet",)), m("ZNT"), m("ZNT"))]
    old, new = [paper("p1"), paper("p2")], [paper("p3")]
    got = patched(old, new, exs)
    want, _, G = full_snapshot(old + new, exs)
    assert got.snapshot.equals(want)
    assert any("zorbnet" in n for n in got.owners)  # the old IRI's subjects are rewritten


def test_metadata_filled_in_marks_the_paper():
    exs = [ex("p1", Mention("Zorbnet", "method", 0.9)), ex("p2", Mention("Zorbnet", "method", 0.7))]
    old = [paper("p1"), paper("p2")]
    filled = [Paper(p.key, p.title, p.abstract, p.source, url="https://x.org/p1" if p.key == "p1" else None) for p in old]
    by_key = {e.paper_key: e for e in exs}
    snap, resolver, _ = full_snapshot(old, exs)
    got = patch_snapshot(snap, resolver, {p.key: p for p in filled}, {}, ["p1"], lambda ps: {p.key: by_key[p.key] for p in ps})
    want, _, _ = full_snapshot(filled, exs)
    assert got.snapshot.equals(want)
    assert "https://x.org/p1" == got.snapshot.node_attrs(next(n for n in got.snapshot.nodes if n.endswith("/p1")))["url"]


def test_a_new_meaning_of_an_acronym_splits_the_entity():
    # Before p3, "CL" means continual learning in p1 and p2, so it is one entity with the long form; p3
    # defines it as curriculum learning: the acronym now links nothing, as in a full build.
    t = lambda text, **kw: Mention(text, "task", 0.9, **kw)  # noqa: E731
    exs = [ex("p1", t("CL", aliases=("continual learning",))), ex("p2", t("CL"), t("continual learning")),
           ex("p4", t("CL")), ex("p3", t("CL", aliases=("curriculum learning",)))]
    old, new = [paper("p1"), paper("p2"), paper("p4")], [paper("p3")]
    with pytest.raises(StaleResolutionError):
        full_snapshot(old, exs[:3])[1].add(exs[3:], incremental=True)
    got = patched(old, new, exs)
    want, _, _ = full_snapshot(old + new, exs)
    assert got.snapshot.equals(want)


def test_components_that_share_an_id_make_one_entity():
    # "AIME" means two things, so it links nothing; "AIME-10" and "AIME-11" stay apart but both take the
    # lexicon's name AIME, hence one id: its node merges them, whichever paper came last.
    d = lambda text, conf, **kw: Mention(text, "dataset", conf, **kw)  # noqa: E731
    exs = [ex("p2", d("AIME", 0.9, aliases=("American Invitational Mathematics Examination",))),
           ex("p3", d("AIME", 0.9, aliases=("Artificial Intelligence Math Eval",))),
           ex("p4", d("AIME-11", 0.6, aliases=("AIME",))),
           ex("p1", d("AIME-10", 0.7, aliases=("AIME",)))]
    old, new = [paper("p2"), paper("p3"), paper("p4")], [paper("p1")]
    got = patched(old, new, exs)
    want, _, G = full_snapshot(old + new, exs)
    assert got.snapshot.equals(want)
    aime = [n for n in G if n.endswith("dataset/aime")]
    assert aime and {"AIME-10", "AIME-11"} <= set(G.nodes[aime[0]]["aliases"])


# Names chosen to collide: acronyms with several long forms, lexicon names with numbered variants,
# parameter-size tags, plural tasks, and one name used as two kinds.
_NAMES = {
    "method": ["ZN", "Zorbnet", "Zip Normalization", "GPT-4", "GPT4", "Llama 2 7B", "Llama 2", "LLaMA-2-70B",
               "FooNet", "FooNet-2", "CL"],
    "dataset": ["AIME", "AIME-10", "AIME-11", "ImageNet", "MBPP", "Mostly Basic Programming Problems", "FooNet"],
    "task": ["CL", "continual learning", "curriculum learning", "image classification", "image classifications"],
}
_ALIASES = {"ZN": ["Zorbnet", "Zip Normalization"], "CL": ["continual learning", "curriculum learning"],
            "AIME": ["American Invitational Mathematics Examination", "Artificial Intelligence Math Eval"],
            "AIME-10": ["AIME"], "AIME-11": ["AIME"], "MBPP": ["Mostly Basic Programming Problems"]}


def random_extractions(seed: int, n: int) -> list[Extraction]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        mentions = []
        for _ in range(rnd.randint(1, 4)):
            kind = rnd.choice(sorted(_NAMES))
            text = rnd.choice(_NAMES[kind])
            aliases = (rnd.choice(_ALIASES[text]),) if text in _ALIASES and rnd.random() < 0.6 else ()
            mentions.append(Mention(text, kind, rnd.choice([0.5, 0.7, 0.9]), proposed=rnd.random() < 0.3,
                                    aliases=aliases))
        claims = [Claim(a.text, rnd.choice(["evaluatesOn", "improvesOver"]), b.text, f"S{i}.{j}", rnd.choice([0.6, 0.8]))
                  for j, (a, b) in enumerate(zip(mentions, mentions[1:]))]
        repos = [f"https://github.com/x/r{rnd.randint(0, 3)}"] if rnd.random() < 0.2 else []
        out.append(Extraction(f"p{i:03d}", mentions, claims, repos))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_random_batches_equal_a_full_rebuild(seed):
    exs = random_extractions(seed, 40)
    papers = [paper(e.paper_key) for e in exs]
    by_key = {e.paper_key: e for e in exs}
    rnd = random.Random(seed)
    cuts = sorted(rnd.sample(range(1, 40), 3))
    done = papers[:cuts[0]]
    snap, resolver, _ = full_snapshot(done, [by_key[p.key] for p in done])
    for lo, hi in zip(cuts, cuts[1:] + [40]):
        new = papers[lo:hi]
        got = patch_snapshot(snap, resolver, {p.key: p for p in done + new}, {p.key: by_key[p.key] for p in new}, [],
                             lambda ps: {p.key: by_key[p.key] for p in ps})
        done += new
        want, want_resolver, _ = full_snapshot(done, [by_key[p.key] for p in done])
        assert got.snapshot.equals(want), f"after papers {lo}..{hi}"
        assert resolver.to_json() == want_resolver.to_json()
        snap = got.snapshot
