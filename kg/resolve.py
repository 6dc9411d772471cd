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
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.errors import KGError
from kg.extract.lexicon import Lexicon, load_lexicon, norm_key
from kg.records import Entity, Extraction, Mention

__all__ = ["Resolution", "Resolver", "StaleResolutionError", "resolve", "entity_slug", "sizeless", "count_forms"]


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

    def used_ids(self) -> set[str]:
        """The ids of every entity a mention here resolved to."""
        return {eid for by_kind in self._index.values() for eid in by_kind.values()}

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


def _key(kind: str, text: str) -> str:
    return _task_key(text) if kind == "task" else norm_key(text)


def _forms(m: Mention) -> list[str]:
    return [f for f in (m.text, *m.aliases) if norm_key(f)]


class StaleResolutionError(KGError):
    """New papers define an acronym with a second meaning: links made earlier must be undone (Resolver.split)."""

    def __init__(self, keys: set[tuple[str, str]]) -> None:
        self.keys = keys
        super().__init__("an acronym now stands for different things in different papers: "
                         + ", ".join(sorted(k for _, k in keys)))


def _mentions_of(extractions: Iterable[Extraction]) -> list[tuple[Mention, list[str]]]:
    return list(_each_mention(extractions))


def _each_mention(extractions: Iterable[Extraction]) -> Iterator[tuple[Mention, list[str]]]:
    return ((m, forms) for ex in extractions for m in ex.mentions if (forms := _forms(m)))


def count_forms(counter: Counter, forms: list[str]) -> None:
    """Count a mention's forms on its component: its first form once, the others kept with no count
    (aliases, not label candidates)."""
    counter.update(forms[:1])
    counter.update({f: 0 for f in forms[1:]})


def _conflicting(longs: set[frozenset[str]]) -> bool:
    """Whether an acronym's long forms (as `_stems`) hold two that are not variants: an ambiguous acronym.

    Two long forms are variants when the content words of one hold those of the other
    (`reading comprehension` ~ `machine reading comprehension`); `continual learning` and
    `curriculum learning` are not.

    >>> _conflicting({_stems("continual learning"), _stems("curriculum learning")})
    True
    >>> _conflicting({_stems("reading comprehension"), _stems("machine reading comprehension")})
    False
    """
    return any(not (a <= b or b <= a) for a in longs for b in longs)


class Resolver:
    """The state of entity resolution: which keys are one entity, and each entity's surface forms.

    Papers can be added in any number of batches (`add`): the result is the same as adding them all
    at once, because an entity is a connected component of the keys its mentions link (its root
    is its smallest key), and its forms are counted over all its mentions. The one exception is
    an acronym that a new batch makes ambiguous: the links it made before must be undone, so
    `add(..., incremental=True)` raises StaleResolutionError and the caller starts afresh.
    """

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lex = lexicon or load_lexicon()
        self.uf: dict[str, _UnionFind] = defaultdict(_UnionFind)
        self.expansions: dict[tuple[str, str], set[frozenset[str]]] = defaultdict(set)
        self.ambiguous: set[tuple[str, str]] = set()
        self.surface: dict[tuple[str, str], Counter] = {}
        self.conf: dict[tuple[str, str], float] = {}
        self.entity: dict[tuple[str, str], Entity] = {}  # (kind, root) -> its entity

    # -- adding papers ---------------------------------------------------------------------------

    def _root(self, m: Mention, forms: list[str]) -> tuple[str, list[str]]:
        """The key a mention joins under, and the forms it links (acronyms of many meanings link nothing)."""
        linking = [f for f in forms if (m.kind, _key(m.kind, f)) not in self.ambiguous] if len(forms) > 1 else forms
        linking = linking or forms
        root = _key(m.kind, m.text) if m.text in linking else _key(m.kind, linking[0])
        return root, linking

    def links(self, m: Mention, forms: list[str]) -> tuple[str, list[str]]:
        """The key a mention joins under and the keys it unites with it, in union order: each linking
        form's key, for a model its key without a parameter-count tag, and the lexicon label of a
        form the lexicon lists under the mention's kind. The one linking rule of every resolution
        (this class and kg.pipeline.dask_resolve); the order keeps union-find roots the same."""
        kind = m.kind
        root, linking = self._root(m, forms)
        keys = []
        for f in linking:
            keys.append(_key(kind, f))
            if kind == "method":
                keys.append(norm_key(sizeless(f)))
            entry = self.lex.lookup(f)
            if entry is not None and entry.kind == kind:
                keys.append(_key(kind, entry.label))
        return root, keys

    def _union(self, kind: str, a: str, b: str, touched: set) -> None:
        u = self.uf[kind]
        ra, rb = u.find(a), u.find(b)
        if ra == rb:
            return
        u.union(ra, rb)
        lo, hi = (ra, rb) if u.find(ra) == ra else (rb, ra)
        # The absorbed component's forms and confidence move to the surviving root.
        gone = (kind, hi)
        if gone in self.surface:
            self.surface.setdefault((kind, lo), Counter()).update(self.surface.pop(gone))
            self.conf[(kind, lo)] = max(self.conf.get((kind, lo), 0.0), self.conf.pop(gone))
        touched.add(gone)
        touched.add((kind, lo))

    def add(self, extractions: Iterable[Extraction], *, incremental: bool = False) -> tuple[dict, dict]:
        """Resolve the mentions of more papers.

        Returns the entities of the components this changed, before and after: ({(kind, root):
        Entity}, {(kind, root): Entity}); a component merged into another is only in the first.
        With `incremental`, raises StaleResolutionError (and changes nothing) when the papers give
        an acronym of the earlier ones a second meaning: see `split`.
        """
        mentions = _mentions_of(extractions)
        self._learn(mentions, incremental=incremental)
        return self._link(mentions)

    def add_twice(self, first: Iterable[Extraction], second: Iterable[Extraction], *,
                  learned: dict[tuple[str, str], set[frozenset[str]]] | None = None) -> tuple[dict, dict]:
        """`add` over papers read twice, in bounded memory: the acronyms' meanings from `first`,
        then the links from `second`, which must yield the same papers (in any order).

        No list of every mention is made (`add` needs one for its two passes); the resolver
        ends as `add` leaves it and the return is the same. `learned`: the meanings of some of the
        papers, gathered as they were made (kg.pipeline.dask_resolve.acronym_meanings); `first` then
        yields only the others (a sum: the order and the split do not matter)."""
        self._learn(_each_mention(first), incremental=False, learned=learned)
        return self._link(_each_mention(second))

    def _learn(self, mentions: Iterable, *, incremental: bool, learned: dict | None = None) -> None:
        """The first pass: each acronym's long forms; those given two meanings become ambiguous."""
        pending: dict[tuple[str, str], set[frozenset[str]]] = defaultdict(set)
        for k, longs in (learned or {}).items():
            pending[k] |= longs
        _add_expansions(pending, mentions, _key)
        newly = {k for k, longs in pending.items()
                 if k not in self.ambiguous and _conflicting(self.expansions.get(k, set()) | longs)}
        if newly and incremental and self.surface:
            raise StaleResolutionError(newly)
        for k, longs in pending.items():
            self.expansions[k] |= longs
        self.ambiguous |= newly

    def split(self, keys: set[tuple[str, str]], extractions: Iterable[Extraction]) -> tuple[dict, dict]:
        """Make the acronyms `keys` ((kind, key) pairs) ambiguous, undoing the links they made.

        `extractions` must hold every paper with a mention in the components of those keys: their
        mentions are linked again, without the acronyms. Returns (before, after) as `add` does.
        """
        roots: dict[str, set[str]] = defaultdict(set)
        for kind, k in keys:
            if k in self.uf[kind].parent:
                roots[kind].add(self.uf[kind].find(k))
        mentions = [(m, forms) for m, forms in _mentions_of(extractions)
                    if (root := self._root(m, forms)[0]) in self.uf[m.kind].parent
                    and self.uf[m.kind].find(root) in roots.get(m.kind, ())]
        before = {}
        for kind, rs in roots.items():
            parent = self.uf[kind].parent
            for x in [x for x in parent if self.uf[kind].find(x) in rs]:
                del parent[x]
            for r in rs:
                if (kind, r) in self.entity:
                    before[(kind, r)] = self.entity.pop((kind, r))
                self.surface.pop((kind, r), None)
                self.conf.pop((kind, r), None)
        self.ambiguous |= set(keys)
        _, after = self._link(mentions)
        return before, after

    def components_of(self, keys: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """The components (kind, root) that hold the (kind, key) pairs `keys`, sorted."""
        return sorted({(kind, self.uf[kind].find(k)) for kind, k in keys if k in self.uf[kind].parent})

    def _link(self, mentions: Iterable) -> tuple[dict, dict]:
        touched: set[tuple[str, str]] = set()
        for m, forms in mentions:
            root, keys = self.links(m, forms)
            self.uf[m.kind].find(root)
            for k in keys:
                self._union(m.kind, root, k, touched)
            # Counted on the component as it is now: a later union moves the counts to the
            # surviving root (_union), so the sums are those of counting after every union.
            comp = (m.kind, self.uf[m.kind].find(root))
            count_forms(self.surface.setdefault(comp, Counter()), forms)
            self.conf[comp] = max(self.conf.get(comp, 0.0), m.confidence)
            touched.add(comp)
        before = {c: self.entity.pop(c) for c in sorted(touched) if c in self.entity}
        after = {}
        for comp in sorted(c for c in touched if c in self.surface):
            after[comp] = self.entity[comp] = self._entity(comp)
        return before, after

    def _entity(self, comp: tuple[str, str]) -> Entity:
        kind, root = comp
        forms = self.surface[comp]
        lex = self.lex
        entry = next((lex.lookup(f) for f in sorted(forms) if lex.lookup(f) and lex.lookup(f).kind == kind), None)
        if entry is not None:
            label = entry.label
            aliases = set(forms) | set(entry.aliases)
        else:
            # The most used first form; ties go to the alphabetically first, for stable output.
            label = sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            aliases = set(forms)
        aliases.discard(label)
        eid = f"{kind}/{entity_slug(_key(kind, label) or root)}"
        return Entity(eid, kind, label, aliases, self.conf[comp])

    # -- reading the result ----------------------------------------------------------------------

    def entities(self, ids: Iterable[str] | None = None) -> dict[str, Entity]:
        """id -> Entity, over every component (or those whose id is in `ids`).

        Components whose names are kept apart can still share a canonical name, and so an id:
        forms that an ambiguous acronym does not link ("AIME-10" with the alias "AIME") each
        resolve to the lexicon's "AIME". They are one node, so their entity merges them all.
        """
        wanted = None if ids is None else set(ids)
        groups: dict[str, list[Entity]] = defaultdict(list)
        for _, e in sorted(self.entity.items()):
            if wanted is None or e.id in wanted:
                groups[e.id].append(e)
        return {eid: _merged(es) for eid, es in sorted(groups.items())}

    def resolution(self, extractions: Iterable[Extraction], entities: dict[str, Entity] | None = None) -> Resolution:
        """What the mentions of `extractions` (papers already added) resolve to."""
        res = Resolution(self.entities() if entities is None else entities)
        for ex in extractions:
            for m in ex.mentions:
                forms = _forms(m)
                if not forms:
                    continue
                root, _ = self._root(m, forms)
                eid = self.entity[(m.kind, self.uf[m.kind].find(root))].id
                for f in forms:
                    res._index.setdefault((ex.paper_key, norm_key(f)), {}).setdefault(m.kind, eid)
        return res

    # -- storage ---------------------------------------------------------------------------------

    def to_json(self) -> str:
        """The whole state as JSON (never pickle: a cache file is data)."""
        state = {
            "parent": {k: {x: u.find(x) for x in sorted(u.parent)} for k, u in sorted(self.uf.items())},
            "expansions": sorted([k, v, sorted(sorted(s) for s in longs)] for (k, v), longs in self.expansions.items()),
            "ambiguous": sorted(self.ambiguous),
            "components": sorted([k, r, sorted(self.surface[(k, r)].items()), self.conf[(k, r)],
                                  e.id, e.label, sorted(e.aliases), e.confidence]
                                 for (k, r), e in self.entity.items()),
        }
        return json.dumps(state, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    @classmethod
    def from_json(cls, text: str, lexicon: Lexicon | None = None) -> Resolver:
        state = json.loads(text)
        r = cls(lexicon)
        for kind, parent in state["parent"].items():
            r.uf[kind].parent = parent
        for kind, key, longs in state["expansions"]:
            r.expansions[(kind, key)] = {frozenset(s) for s in longs}
        r.ambiguous = {(k, v) for k, v in state["ambiguous"]}
        for kind, root, forms, conf, eid, label, aliases, econf in state["components"]:
            r.surface[(kind, root)] = Counter(dict(forms))
            r.conf[(kind, root)] = conf
            r.entity[(kind, root)] = Entity(eid, kind, label, set(aliases), econf)
        return r


def _merged(entities: list[Entity]) -> Entity:
    """One entity of several components with one id: the first one's label, every other name an alias."""
    first = entities[0]
    if len(entities) == 1:
        return first
    aliases = set().union(*(e.aliases | {e.label} for e in entities)) - {first.label}
    return Entity(first.id, first.kind, first.label, aliases, max(e.confidence for e in entities))


def _add_expansions(expansions: dict, mentions, keyfn) -> set[tuple[str, str]]:
    """Record the long forms each acronym is defined with; returns the (kind, acronym key)s touched."""
    touched = set()
    for m, forms in mentions:
        if len(forms) < 2:  # an acronym with its long form takes two forms; most mentions have one
            continue
        longs = {_stems(f) for f in forms if not _is_acronym(f)} - {frozenset()}
        for f in forms:
            if _is_acronym(f) and longs:
                key = (m.kind, keyfn(m.kind, f))
                expansions[key] |= longs
                touched.add(key)
    return touched


def resolve(extractions: Iterable[Extraction], lexicon: Lexicon | None = None) -> Resolution:
    """Merge the mentions of all papers into entities."""
    extractions = list(extractions)
    resolver = Resolver(lexicon)
    resolver.add(extractions)
    return resolver.resolution(extractions)
