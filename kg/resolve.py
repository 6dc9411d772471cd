"""Cross-paper entity resolution: one node per entity, other surface forms kept as aliases.

Two mentions of one kind are one entity when they share a normalised form (letters and digits,
lower case: `Stable-Diffusion` = `Stable Diffusion`, `GPT4` = `GPT-4`, but `GPT-4o` stays apart)
or, for models, differ only in a parameter-count tag (`Llama 2 7B` = `Llama 2`, but `Llama 2-Chat`
stays apart),
when the lexicon lists them as one entry, or when one paper defines one as the acronym of the
other (`Sample Adaptive Augmentation (SAA)`). The id of an entity is derived from its canonical
name, so it is stable across builds and two different names never share one.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.extract.lexicon import Lexicon, load_lexicon, norm_key
from kg.records import Entity, Extraction

__all__ = ["Resolution", "resolve", "entity_slug", "sizeless"]


def entity_slug(key: str) -> str:
    """An IRI-safe slug for a normalised key; non-ASCII keys are hashed so none collide.

    ASCII keys hold only letters, digits and "+", which is percent-encoded (a slug never holds
    "%" otherwise, so "cfg++" and "cfgplus" stay apart).

    >>> entity_slug("gpt4"), entity_slug("cfg++"), entity_slug("tülu3")[:2]
    ('gpt4', 'cfg%2B%2B', 'u-')
    """
    if key.isascii() and key.replace("+", "").isalnum():
        return key.replace("+", "%2B")
    return "u-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# A parameter-count tag ("7B", "1.3B", "350M", "8x7B") after a separator: the only part of a
# model name that may differ between two forms of one entity ("Llama-2-7B-Chat" = "Llama 2 Chat
# 13B"). Versions ("v1.5", "4o") and tuned variants ("-Chat", "-Instruct", "mini") stay apart.
_PARAM_SIZE = re.compile(r"[\s\-_](?:\d+x)?\d+(?:\.\d+)?[BbMm](?![A-Za-z0-9])")


def sizeless(text: str) -> str:
    """A model name without its parameter-count tags.

    >>> sizeless("Llama-2-70B-Chat"), sizeless("Mixtral 8x7B"), sizeless("GPT-4o")
    ('Llama-2-Chat', 'Mixtral', 'GPT-4o')
    """
    out = _PARAM_SIZE.sub("", text)
    return out if norm_key(out) else text


def _task_key(text: str) -> str:
    # Tasks are noun phrases: "image classifications" and "image classification" are one.
    k = norm_key(text)
    return k[:-1] if k.endswith("s") and not k.endswith("ss") else k


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key becomes the root so the result does not depend on input order.
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


@dataclass(slots=True)
class Resolution:
    entities: dict[str, Entity] = field(default_factory=dict)  # id -> Entity
    _index: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # (paper, key) -> kind -> id

    def entity_for(self, paper_key: str, text: str, kind: str | None) -> Entity | None:
        """The entity a surface form of one paper resolved to (any kind if `kind` is None)."""
        by_kind = self._index.get((paper_key, norm_key(text)), {})
        if kind is not None:
            eid = by_kind.get(kind)
        else:
            eid = next((by_kind[k] for k in ("method", "dataset", "metric", "task") if k in by_kind), None)
        return self.entities.get(eid) if eid else None


def _is_acronym(text: str) -> bool:
    """A short all-capitals form such as `CL` or `SAA` (a plural `s` allowed)."""
    core = text[:-1] if text.endswith("s") else text
    return 2 <= len(core) <= 6 and core.isupper() and core.replace("-", "").isalnum()


_STOP = frozenset({"a", "an", "the", "of", "for", "and", "in", "on", "with", "to", "from", "by", "via"})


def _stems(long_form: str) -> frozenset[str]:
    """Content words cut to five letters: `policy optimisation` ~ `Policy Optimization`."""
    return frozenset(w[:5] for w in re.findall(r"[a-z0-9]+", long_form.lower()) if w not in _STOP)


def _ambiguous_acronyms(mentions, keyfn) -> set[tuple[str, str]]:
    """(kind, acronym key) pairs that papers define with long forms that are not variants.

    Two long forms are variants when the content words of one hold those of the other
    (`reading comprehension` ~ `machine reading comprehension`); `continual learning` and
    `curriculum learning` are not.

    >>> from kg.records import Mention
    >>> def m(short, long): return ("p", Mention(short, "task", 1, aliases=(long,)), [short, long])
    >>> ms = [m("CL", "continual learning"), m("CL", "curriculum learning"),
    ...       m("MRC", "reading comprehension"), m("MRC", "machine reading comprehension")]
    >>> sorted(_ambiguous_acronyms(ms, lambda kind, t: t.lower()))
    [('task', 'cl')]
    """
    expansions: dict[tuple[str, str], set[frozenset[str]]] = defaultdict(set)
    for _paper, m, forms in mentions:
        longs = {_stems(f) for f in forms if not _is_acronym(f)} - {frozenset()}
        for f in forms:
            if _is_acronym(f) and longs:
                expansions[(m.kind, keyfn(m.kind, f))] |= longs
    return {k for k, longs in expansions.items()
            if any(not (a <= b or b <= a) for a in longs for b in longs)}


def resolve(extractions: Iterable[Extraction], lexicon: Lexicon | None = None) -> Resolution:
    """Merge the mentions of all papers into entities."""
    lex = lexicon or load_lexicon()
    uf: dict[str, _UnionFind] = defaultdict(_UnionFind)
    keyfn = lambda kind, t: _task_key(t) if kind == "task" else norm_key(t)  # noqa: E731
    mentions = [(ex.paper_key, m, [f for f in (m.text, *m.aliases) if norm_key(f)])
                for ex in extractions for m in ex.mentions]
    ambiguous = _ambiguous_acronyms(mentions, keyfn)
    seen: list[tuple[str, str, str, list[str], float]] = []  # paper, kind, key, forms, confidence
    for paper_key, m, forms in mentions:
        if not forms:
            continue
        u = uf[m.kind]
        # An acronym that stands for different things in different papers links nothing: each
        # paper's mention joins the entity of its own long form.
        linking = [f for f in forms if (m.kind, keyfn(m.kind, f)) not in ambiguous] if len(forms) > 1 else forms
        linking = linking or forms
        root = keyfn(m.kind, m.text) if m.text in linking else keyfn(m.kind, linking[0])
        u.find(root)
        for f in linking:
            u.union(root, keyfn(m.kind, f))
            if m.kind == "method":
                u.union(root, norm_key(sizeless(f)))
            entry = lex.lookup(f)
            if entry is not None and entry.kind == m.kind:
                u.union(root, keyfn(m.kind, entry.label))
        seen.append((paper_key, m.kind, root, forms, m.confidence))

    surface: dict[tuple[str, str], Counter] = defaultdict(Counter)
    conf: dict[tuple[str, str], float] = defaultdict(float)
    for _paper, kind, key, forms, c in seen:
        comp = (kind, uf[kind].find(key))
        surface[comp].update(forms[:1])
        surface[comp].update({f: 0 for f in forms[1:]})
        conf[comp] = max(conf[comp], c)

    res = Resolution()
    comp_id: dict[tuple[str, str], str] = {}
    for comp in sorted(surface):
        kind, root = comp
        forms = surface[comp]
        entry = next((lex.lookup(f) for f in sorted(forms) if lex.lookup(f) and lex.lookup(f).kind == kind), None)
        if entry is not None:
            label = entry.label
            aliases = set(forms) | set(entry.aliases)
        else:
            # The most used first form; ties go to the alphabetically first, for stable output.
            label = sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            aliases = set(forms)
        aliases.discard(label)
        eid = f"{kind}/{entity_slug(keyfn(kind, label) or root)}"
        res.entities[eid] = Entity(eid, kind, label, aliases, conf[comp])
        comp_id[comp] = eid
    for paper, kind, key, forms, _c in seen:
        eid = comp_id[(kind, uf[kind].find(key))]
        for f in forms:
            res._index.setdefault((paper, norm_key(f)), {}).setdefault(kind, eid)
    return res
