"""Entity resolution over partitions: each partition's share of kg.resolve.Resolver.add, summed on the driver.

`Resolver.add` makes two passes over every mention of the build. First it groups each acronym's
long forms by key (an acronym given two unrelated meanings becomes ambiguous and links nothing);
then each mention unions the keys of the forms it links, and its forms are counted on its
component. Both passes are sums over mentions that do not depend on their order (a component's
root is its smallest key, its forms a Counter, its confidence a maximum), so a partition computes
its share alone and the driver adds the shares up:

1. `acronym_meanings(extractions)` on each partition -> {(kind, acronym key): long forms};
   the driver unites them per key and finds the ambiguous acronyms (`ambiguous_keys`);
2. `name_links(extractions, ambiguous)` on each partition -> the partition's components (every key
   it saw -> its local root) and the forms and best confidence per local root;
3. `NameTable.add(links)` on the driver unions the local components into the global ones; `resolver()`
   gives the Resolver that one process would have made (same JSON, same entities).

What reaches the driver grows with the distinct names and acronyms, never with papers or mentions.
The helpers of kg.resolve are used as they are, so the two ways cannot drift apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from kg.extract.lexicon import Lexicon
from kg.records import Extraction
from kg.resolve import Resolver, _add_expansions, _conflicting, _each_mention, _key, _UnionFind, count_forms

__all__ = ["acronym_meanings", "ambiguous_keys", "name_links", "NameTable", "Links"]

Key = tuple[str, str]  # (kind, normalised key)
#: One partition's components: ({kind: {key: local root}}, {(kind, local root): forms}, {(kind, local root): confidence})
Links = tuple[dict[str, dict[str, str]], dict[Key, Counter], dict[Key, float]]


def acronym_meanings(extractions: Iterable[Extraction]) -> dict[Key, set[frozenset[str]]]:
    """The long forms each acronym is defined with in these papers (Resolver.add's first pass)."""
    pending: dict[Key, set[frozenset[str]]] = defaultdict(set)
    _add_expansions(pending, _each_mention(extractions), _key)
    return dict(pending)


def ambiguous_keys(meanings: dict[Key, set[frozenset[str]]]) -> set[Key]:
    """The acronyms whose long forms, over every partition, are not variants of one another."""
    return {k for k, longs in meanings.items() if _conflicting(longs)}


def name_links(extractions: Iterable[Extraction], ambiguous: set[Key], lexicon: Lexicon | None = None) -> Links:
    """One partition's share of Resolver.add's second pass, given every partition's ambiguous acronyms."""
    r = Resolver(lexicon)
    r.ambiguous = set(ambiguous)
    uf: dict[str, _UnionFind] = defaultdict(_UnionFind)
    forms_at: dict[Key, Counter] = {}
    conf_at: dict[Key, float] = {}
    for m, forms in _each_mention(extractions):
        kind = m.kind
        u = uf[kind]
        root, keys = r.links(m, forms)  # the very rule Resolver._link applies, in its order
        u.find(root)
        for k in keys:
            u.union(root, k)
        count_forms(forms_at.setdefault((kind, root), Counter()), forms)
        conf_at[(kind, root)] = max(conf_at.get((kind, root), 0.0), m.confidence)
    parents = {kind: {x: u.find(x) for x in u.parent} for kind, u in uf.items()}
    forms_out: dict[Key, Counter] = {}
    conf_out: dict[Key, float] = {}
    for (kind, root), counter in forms_at.items():
        comp = (kind, parents[kind][root])
        forms_out.setdefault(comp, Counter()).update(counter)
        conf_out[comp] = max(conf_out.get(comp, 0.0), conf_at[(kind, root)])
    return parents, forms_out, conf_out


class NameTable:
    """The driver's side: every partition's components united into the build's name -> entity table."""

    def __init__(self, meanings: dict[Key, set[frozenset[str]]], ambiguous: set[Key],
                 lexicon: Lexicon | None = None) -> None:
        self._r = Resolver(lexicon)
        for k, longs in meanings.items():
            self._r.expansions[k] |= longs
        self._r.ambiguous = set(ambiguous)
        self._forms: dict[Key, Counter] = {}  # (kind, a partition's root) -> forms, until resolver()
        self._conf: dict[Key, float] = {}

    def add(self, links: Links) -> None:
        """Unite one partition's components (in any order: the result is the same)."""
        parents, forms, conf = links
        for kind, parent in parents.items():
            u = self._r.uf[kind]
            for x, root in parent.items():
                u.union(x, root)
        for comp, counter in forms.items():
            self._forms.setdefault(comp, Counter()).update(counter)
            self._conf[comp] = max(self._conf.get(comp, 0.0), conf[comp])

    def resolver(self) -> Resolver:
        """The Resolver of every partition's mentions, as one Resolver.add over all of them makes it."""
        r = self._r
        for (kind, root), counter in self._forms.items():
            comp = (kind, r.uf[kind].find(root))
            r.surface.setdefault(comp, Counter()).update(counter)
            r.conf[comp] = max(r.conf.get(comp, 0.0), self._conf[(kind, root)])
        self._forms, self._conf = {}, {}
        for comp in sorted(r.surface):
            r.entity[comp] = r._entity(comp)
        return r
