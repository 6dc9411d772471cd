"""Graphs for the HTML map's tests: a tiny one with hostile text, and random ones shaped as kg.graph.assemble makes them."""

from __future__ import annotations

import random

import networkx as nx

from conftest import R, make_tiny_graph
from kg.defaults import CLAIM_RELATIONS

IMG_PROBE = "<img src=x onerror=alert(1)>"
SCRIPT_PROBE = "</script><script>alert(1)</script>"


def probe_graph() -> nx.MultiDiGraph:
    """The tiny graph with hostile text: P1's title, SlowNet's label and alias, an evidence sentence."""
    G = make_tiny_graph()
    p1 = G.nodes[R + "paper/p1"]
    p1["title"] = p1["label"] = IMG_PROBE
    p1["url"] = "javascript:alert(1)"
    slow = G.nodes[R + "method/slownet"]
    slow["label"] = SCRIPT_PROBE
    slow["aliases"] = ("<svg onload=alert(1)>",)
    G.edges[R + "method/fastnet", R + "method/slownet", "improvesOver"]["claims"] = (
        {"paper": R + "paper/p1", "evidence": "FastNet beats <b onmouseover=alert(1)>it</b> \u2028 & more.",
         "confidence": 0.9},
    )
    return G


ENTITY_KINDS = ("method", "dataset", "task", "metric")


def random_graph(seed: int, n_papers: int = 120, n_entities: int = 50, n_repos: int = 6) -> nx.MultiDiGraph:
    """A graph shaped as kg.graph.assemble.build_graph makes one (same attributes, same insertion order).

    Mentions are skewed (a few entities are in most papers, more than a panel lists), labels hold
    markup and non-ASCII text, some papers have no url, and claims pile up on a few edges.
    """
    rng = random.Random(seed)
    ents = [(f"{R}{ENTITY_KINDS[i % 4]}/e{i:03d}", ENTITY_KINDS[i % 4]) for i in range(n_entities)]
    repos = [f"https://github.com/org{i}/r\u00e9po{i}" for i in range(n_repos)]
    weights = [1 / (i + 1) for i in range(n_entities)]
    keys = [f"k{i:04d}" for i in range(n_papers)]
    mentioned_by: dict[str, set[str]] = {}
    edges: dict[tuple[str, str, str], list[dict]] = {}
    for key in keys:
        p = f"{R}paper/{key}"
        for iri, _ in sorted(set(rng.choices(ents, weights, k=rng.randint(0, 6)))):  # sorted: no hash order
            mentioned_by.setdefault(iri, set()).add(p)
            edges[(p, iri, "mentions")] = []
            if rng.random() < 0.2:
                edges[(p, iri, "proposes")] = []
        if rng.random() < 0.15:
            url = rng.choice(repos)
            mentioned_by.setdefault(url, set()).add(p)
            edges[(p, url, "hasCode")] = []
        for _ in range(rng.choice((0, 0, 1, 3))):
            u, v = rng.choices(ents[: n_entities // 2], weights[: n_entities // 2], k=2)
            if u == v:
                continue
            rel = "evaluatesOn" if v[1] == "dataset" else "improvesOver"
            edges.setdefault((u[0], v[0], rel), []).append(
                {"paper": p, "evidence": f"{key}: <i>{u[0][-4:]}</i> & \u201c{v[0][-4:]}\u201d \u2028.",
                 "confidence": round(rng.random(), 3)})

    G = nx.MultiDiGraph()
    for i, key in enumerate(keys):
        title = rng.choice(("Plain", "<script>x</script> title", "T\u00edtulo \u00fcber \U0001d4af", "A & B")) + f" {i}"
        G.add_node(f"{R}paper/{key}", kind="paper", label=title, aliases=(), title=title, abstract="...",
                   url=None if i % 3 == 0 else f"https://arxiv.org/abs/{i}", date=f"2024-01-{i % 28 + 1:02d}",
                   authors=("A. \u00c5uthor",) if i % 2 else (), arxiv_id=None, id=key, source=f"t:{i}")
    for i, (iri, kind) in enumerate(ents):
        if iri in mentioned_by:
            G.add_node(iri, kind=kind, label=f"Ent\u00eft\u00e9 <b>{i}</b> with a long name that gets cut",
                       aliases=tuple(sorted({f"E{i}", f"e-{i}"})) if i % 2 else (),
                       papers=tuple(sorted(mentioned_by[iri])), confidence=round(0.5 + i / 200, 3))
    for url in sorted(u for u in mentioned_by if not u.startswith(R)):
        G.add_node(url, kind="repo", label=url, aliases=(), papers=tuple(sorted(mentioned_by[url])))
    for (u, v, rel), claims in sorted(edges.items()):
        if u not in G or v not in G:
            continue
        attrs = {"rel": rel}
        if rel in CLAIM_RELATIONS:
            best: dict[str, dict] = {}
            for c in claims:
                if c["paper"] not in best or c["confidence"] > best[c["paper"]]["confidence"]:
                    best[c["paper"]] = c
            attrs["claims"] = tuple(best[p] for p in sorted(best))
        G.add_edge(u, v, key=rel, **attrs)
    return G


def rich_graph() -> nx.MultiDiGraph:
    """random_graph(11) with papers over three months, a claim in LaTeX and a curated value on one
    evaluatesOn edge: what the browser tests click through."""
    G = random_graph(11, n_papers=160, n_entities=60)
    papers = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "paper")
    for i, p in enumerate(papers):
        G.nodes[p]["date"] = f"2024-{i % 3 + 1:02d}-{i % 27 + 1:02d}"
        G.nodes[p]["abstract"] = f"Abstract of paper {i}: we study things at length."
    u, v = next((u, v) for u, v, k in sorted(G.edges(keys=True)) if k == "evaluatesOn")
    first = G.edges[u, v, "evaluatesOn"]["claims"][0]
    metric = next(n for n in sorted(G) if G.nodes[n]["kind"] == "metric")
    G.edges[u, v, "evaluatesOn"]["claims"] = (
        dict(first, evidence=r"It reaches 74.4\% on \textbf{the set}~\cite{x}."),
        {"paper": first["paper"], "source": "PapersWithCode", "metric": metric, "value": "74.4"},
    )
    return G
