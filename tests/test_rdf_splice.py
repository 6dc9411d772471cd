"""Splicing changed subjects into a written graph file gives exactly the file a full write would."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import FormatError, GraphError
from kg.export.rdf import (
    RDF_FORMATS,
    count_block_triples,
    file_frame,
    owned_blocks,
    owned_subjects,
    write_rdf_formats,
)
from kg.export.rdf.splice import splice_rdf

R = "https://w3id.org/paperkg/resource/"
EXT = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld"}
TEXTS = ["FastNet", "Ünïcödé — 東京 😀", 'quote " and \\ back', "new\nline\tand tab", "{braces} ; , . [x]",
         '"}, {"@id": "x"', " ;\n    fake turtle .\n\n<x>", "plain words"]
# Keys whose IRIs need escaping: spaces, quotes, braces, non-ASCII, and a key that is no IRI at all.
ODD_KEYS = ['https://github.com/o w n/re"po{x}|^`', R + "method/näive bayes", "not an iri: é"]


def random_graph(rnd: random.Random, n_papers: int = 7, n_ents: int = 9) -> nx.MultiDiGraph:
    """Papers with authors (up to 12, so cell n10 sorts before n2), entities with aliases, claims, repos."""
    G = nx.MultiDiGraph()
    papers = [R + f"paper/p{i}" for i in rnd.sample(range(20), n_papers)]
    kinds = ["method", "dataset", "task", "metric"]
    ents = [R + f"{rnd.choice(kinds)}/e{i}" for i in rnd.sample(range(30), n_ents)] + [ODD_KEYS[1]]
    repos = ["https://github.com/org/r1", ODD_KEYS[0]]
    for p in papers:
        n_auth = rnd.choice([0, 1, 2, 3, 11, 12])
        G.add_node(p, kind="paper", label=rnd.choice(TEXTS), aliases=(), title=rnd.choice(TEXTS),
                   abstract=rnd.choice(TEXTS + [""]), url=rnd.choice([None, "https://arxiv.org/abs/1 x"]),
                   date=rnd.choice([None, "2024-01-02", "--02-29", "2024"]),
                   authors=tuple(rnd.choice(TEXTS) + str(j) for j in range(n_auth)),
                   arxiv_id=rnd.choice([None, "2401.00001"]), id=rnd.choice([None, "x1"]), source="t:1")
    for e in ents:
        kind = e[len(R):].split("/")[0]
        G.add_node(e, kind=kind, label=rnd.choice(TEXTS), aliases=tuple(sorted(rnd.sample(TEXTS, rnd.randint(0, 3)))),
                   papers=(papers[0],), confidence=rnd.choice([0.5, 0.875, 1.0]))
    for r in repos:
        G.add_node(r, kind="repo", label=r, aliases=(), papers=(papers[0],))
    G.add_node(ODD_KEYS[2], kind="method", label="odd", aliases=(), papers=(), confidence=0.1)
    for p in papers:
        for e in rnd.sample(ents, 3):
            G.add_edge(p, e, key="mentions", rel="mentions")
            if rnd.random() < 0.3:
                G.add_edge(p, e, key="proposes", rel="proposes")
        if rnd.random() < 0.4:
            G.add_edge(p, rnd.choice(repos), key="hasCode", rel="hasCode")
    for _ in range(8):
        u, v = rnd.sample(ents + [ODD_KEYS[2]], 2)
        rel = rnd.choice(["evaluatesOn", "improvesOver"])
        claims = tuple({"paper": p, "evidence": rnd.choice(TEXTS), "confidence": rnd.choice([0.25, 0.8])}
                       for p in sorted(rnd.sample(papers, rnd.randint(1, 2))))
        G.add_edge(u, v, key=rel, rel=rel, claims=claims)
    return G


def mutate(G: nx.MultiDiGraph, rnd: random.Random) -> nx.MultiDiGraph:
    """A copy of `G` with a few nodes, attributes, edges and claims added, changed or removed."""
    H = G.copy()
    papers = sorted(n for n, d in H.nodes(data=True) if d["kind"] == "paper")
    ents = sorted(n for n, d in H.nodes(data=True) if d["kind"] not in ("paper", "repo"))
    for _ in range(rnd.randint(1, 5)):
        op = rnd.randrange(7)
        p, e = rnd.choice(papers), rnd.choice(ents)
        if op == 0 and p in H:
            kept = H.nodes[p]["authors"][:rnd.randint(0, 3)]
            H.nodes[p]["authors"] = tuple(kept) + ("New Author",) * rnd.randint(0, 9)
        elif op == 1 and p in H:
            H.nodes[p]["title"] = rnd.choice(TEXTS) + "!"
        elif op == 2 and len(papers) > 1:
            H.remove_nodes_from([p])
        elif op == 3:
            q = R + f"paper/new{rnd.randrange(1000)}"
            H.add_node(q, kind="paper", label="new", aliases=(), title="New paper", abstract="", url=None,
                       date=None, authors=("Z. Zed",) * rnd.randint(0, 2), arxiv_id=None, id=None, source=None)
            H.add_edge(q, e, key="proposes", rel="proposes")
        elif op == 4 and e in H:
            H.nodes[e]["aliases"] = tuple(sorted(set(H.nodes[e]["aliases"]) ^ {rnd.choice(TEXTS)}))
        elif op == 5 and e in H:
            H.remove_nodes_from([e])
        elif op == 6 and e in H:
            v = rnd.choice([n for n in ents if n in H and n != e] or [e])
            if v != e:
                ed = H.get_edge_data(e, v, "evaluatesOn")
                claims = ed["claims"] if ed else ()
                new = {"paper": rnd.choice(papers), "evidence": "changed " + rnd.choice(TEXTS), "confidence": 0.5}
                H.add_edge(e, v, key="evaluatesOn", rel="evaluatesOn", claims=claims[1:] + (new,))
    return H


def changed_owners(G1: nx.MultiDiGraph, G2: nx.MultiDiGraph) -> set:
    """Nodes whose owned content may differ: their attributes or out-edges (with claims) changed."""
    def sig(G, n):
        if n not in G:
            return None
        return dict(G.nodes[n]), {(v, k): d for v, keyed in G.succ[n].items() for k, d in keyed.items()}
    return {n for n in set(G1) | set(G2) if sig(G1, n) != sig(G2, n)}


def full_write(G: nx.MultiDiGraph, folder: Path, name: str, *, include_abstracts: bool = True) -> tuple[dict, int]:
    paths = {fmt: folder / f"{name}.{EXT[fmt]}" for fmt in RDF_FORMATS}
    return paths, write_rdf_formats(G, paths, include_abstracts=include_abstracts)


def check_update(G1, G2, owners, folder: Path, *, include_abstracts: bool = True) -> None:
    """Write G1, splice in what `owners` own in G2, and compare with a full write of G2, per format."""
    old, n1 = full_write(G1, folder, "old", include_abstracts=include_abstracts)
    ref, n2 = full_write(G2, folder, "ref", include_abstracts=include_abstracts)
    delete = owned_subjects(G1, owners)
    for fmt in RDF_FORMATS:
        blocks = owned_blocks(G2, owners, fmt, include_abstracts=include_abstracts)
        delta = splice_rdf(old[fmt], fmt, delete, blocks)
        assert old[fmt].read_bytes() == ref[fmt].read_bytes(), fmt
        assert n1 + delta == n2, fmt


def part(G: nx.MultiDiGraph, owners) -> nx.MultiDiGraph:
    """What an update holds of a graph: the owners with out-edges; targets bare."""
    H = nx.MultiDiGraph()
    for n in owners:
        if n in G:
            H.add_node(n, **G.nodes[n])
    for n in owners:
        if n in G:
            for _, v, k, d in G.out_edges(n, keys=True, data=True):
                if v not in H:
                    H.add_node(v)
                H.add_edge(n, v, key=k, **d)
    return H


@settings(max_examples=30, deadline=None)
@given(rnd=st.randoms(use_true_random=False), extra=st.integers(0, 3), abstracts=st.booleans())
def test_splicing_the_changed_owners_equals_a_full_write(rnd, extra, abstracts):
    G1 = random_graph(rnd)
    G2 = mutate(G1, rnd)
    # Any superset of the changed nodes gives the same file: add a few unchanged ones.
    owners = changed_owners(G1, G2) | set(rnd.sample(sorted(G1), extra))
    with tempfile.TemporaryDirectory() as d:
        check_update(G1, G2, owners, Path(d), include_abstracts=abstracts)


def with_hub(G: nx.MultiDiGraph, rnd: random.Random, n: int = 300) -> nx.MultiDiGraph:
    """`G` plus a method whose block is large (hundreds of claims), amid hundreds of small subjects."""
    hub, papers = R + "method/hub", sorted(n for n, d in G.nodes(data=True) if d["kind"] == "paper")
    G.add_node(hub, kind="method", label="Hub", aliases=(), papers=(), confidence=1.0)
    for i in range(n):
        e = R + f"dataset/d{i:03d}"
        G.add_node(e, kind="dataset", label=f"D{i}", aliases=(), papers=(), confidence=0.5)
        G.add_edge(hub, e, key="evaluatesOn", rel="evaluatesOn",
                   claims=({"paper": rnd.choice(papers), "evidence": f"Hub on D{i}.", "confidence": 0.5},))
    return G


@settings(max_examples=10, deadline=None)
@given(rnd=st.randoms(use_true_random=False))
def test_splicing_around_a_large_block(rnd):
    G1 = with_hub(random_graph(rnd, n_papers=12, n_ents=20), rnd)
    G2 = mutate(G1, rnd)
    if rnd.random() < 0.5:  # the hub changes too, or only its neighbours do
        G2.add_edge(R + "method/hub", R + "dataset/d000", key="improvesOver", rel="improvesOver",
                    claims=({"paper": R + "paper/x", "evidence": "new", "confidence": 0.5},))
    with tempfile.TemporaryDirectory() as d:
        check_update(G1, G2, changed_owners(G1, G2), Path(d))


@settings(max_examples=15, deadline=None)
@given(rnd=st.randoms(use_true_random=False))
def test_owned_blocks_of_every_node_make_the_whole_file(rnd, tmp_path_factory):
    G = random_graph(rnd)
    paths, n = full_write(G, tmp_path_factory.mktemp("w"), "g")
    for fmt in RDF_FORMATS:
        blocks = owned_blocks(G, list(G), fmt)
        assert set(blocks) == owned_subjects(G, list(G))
        head, foot = file_frame(fmt)
        keys = sorted(blocks)
        sep = ",\n" if fmt == "jsonld" else ""
        body = ("\n" if fmt == "jsonld" and keys else "") + sep.join(blocks[k] for k in keys)
        assert head + body + foot == paths[fmt].read_text(encoding="utf-8"), fmt
        assert sum(count_block_triples(blocks[k], fmt) for k in keys) == n


@settings(max_examples=15, deadline=None)
@given(rnd=st.randoms(use_true_random=False))
def test_a_partial_graph_gives_the_same_blocks_and_nothing_for_bare_targets(rnd):
    G = random_graph(rnd)
    owners = set(rnd.sample(sorted(G), 4)) | {"https://absent.example/x"}
    P = part(G, owners)
    for fmt in RDF_FORMATS:
        assert owned_blocks(P, owners, fmt) == owned_blocks(G, owners, fmt)
    assert owned_subjects(P, owners) == owned_subjects(G, owners)
    targets = {v for n in owners if n in G for v in G.succ[n]} - owners
    assert not {f"<{t}>" for t in targets} & owned_subjects(P, owners)


def base_graph() -> nx.MultiDiGraph:
    return random_graph(random.Random(7))


def subject_owner(G: nx.MultiDiGraph, key: str):
    """The paper whose node or author cells are subject `key`."""
    return next(n for n in G if key in owned_subjects(G, [n]))


@pytest.mark.parametrize("end", ["first", "last"])
def test_deleting_and_inserting_the_first_or_last_subject(tmp_path, end):
    G = base_graph()
    # A paper with no in-edges whose IRI sorts before every other subject.
    first = "https://a.example/paper/first"
    G.add_node(first, kind="paper", label="First", aliases=(), title="First", abstract="", url=None, date=None,
               authors=(), arxiv_id=None, id=None, source=None)
    subjects = sorted(owned_subjects(G, list(G)))
    owner = first if end == "first" else subject_owner(G, subjects[-1])
    assert f"<{first}>" == subjects[0]
    smaller = G.copy()
    smaller.remove_node(owner)
    owners = {owner} | {u for u, _ in G.in_edges(owner)}
    check_update(G, smaller, owners, tmp_path)  # delete
    check_update(smaller, G, owners, tmp_path)  # insert


def test_emptying_a_file_and_filling_an_empty_one(tmp_path):
    G, empty = base_graph(), nx.MultiDiGraph()
    check_update(G, empty, set(G), tmp_path)
    check_update(empty, G, set(G), tmp_path)


def test_nothing_to_change_leaves_the_file_as_it_was(tmp_path):
    G = base_graph()
    paths, _ = full_write(G, tmp_path, "g")
    for fmt, path in paths.items():
        before = path.read_bytes()
        assert splice_rdf(path, fmt, set(), {}) == 0
        assert splice_rdf(path, fmt, {"<https://absent.example/x>", "_:zzz"}, {}) == 0
        assert path.read_bytes() == before


def test_replacing_a_subject_with_its_own_text_changes_nothing(tmp_path):
    G = base_graph()
    paths, _ = full_write(G, tmp_path, "g")
    owners = set(sorted(G)[::3])
    for fmt, path in paths.items():
        before = path.read_bytes()
        assert splice_rdf(path, fmt, owned_subjects(G, owners), owned_blocks(G, owners, fmt)) == 0
        assert path.read_bytes() == before


@pytest.mark.parametrize("fmt", RDF_FORMATS)
@pytest.mark.parametrize("damage", ["garbage", "truncated", "no header", "empty"])
def test_a_file_not_written_by_the_writer_raises_graph_error(tmp_path, fmt, damage):
    G = base_graph()
    paths, _ = full_write(G, tmp_path, "g")
    path = paths[fmt]
    text = path.read_bytes()
    headless = b"x" + text if fmt == "ntriples" else text[text.index(b"\n<" if fmt == "turtle" else b"\n{") + 1:]
    bad = {"garbage": b"hello world, not a graph\n" * 50, "truncated": text[:-5], "no header": headless,
           "empty": b""}[damage]
    path.write_bytes(bad)
    key = min(owned_subjects(G, list(G)))
    if fmt == "ntriples" and damage == "empty":
        # An empty N-Triples file is what the writer makes of an empty graph: nothing to delete there.
        assert splice_rdf(path, fmt, {key}, {}) == 0 and path.read_bytes() == b""
        return
    with pytest.raises(GraphError, match="does not look like"):
        splice_rdf(path, fmt, {key}, {})
    assert path.read_bytes() == bad  # left alone, for a full write to replace


def test_a_block_that_is_not_its_subjects_raises_graph_error(tmp_path):
    G = base_graph()
    paths, _ = full_write(G, tmp_path, "g")
    blocks = owned_blocks(G, list(G)[:1], "turtle")
    v = next(iter(blocks.values()))
    with pytest.raises(GraphError, match="not a turtle block"):
        splice_rdf(paths["turtle"], "turtle", set(), {"<https://other.example/x>": v})
    with pytest.raises(GraphError, match="not a ntriples block"):
        splice_rdf(paths["ntriples"], "ntriples", set(), blocks)


def test_a_missing_file_raises_graph_error(tmp_path):
    with pytest.raises(GraphError, match="cannot read"):
        splice_rdf(tmp_path / "none.ttl", "turtle", {"<https://x.example/a>"}, {})


def test_an_unknown_format_raises_format_error(tmp_path):
    with pytest.raises(FormatError, match="rdfxml"):
        splice_rdf(tmp_path / "g.rdf", "rdfxml", {"<https://x.example/a>"}, {})
    with pytest.raises(FormatError, match="rdfxml"):
        owned_blocks(base_graph(), [], "rdfxml")
