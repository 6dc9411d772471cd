"""Find lexicon forms in text: forms grouped by the word they start with, each group's trie walked only where its word is.

A form is split into units (letter runs, digit runs, runs of "+"; other symbols are ignored as
norm_key does). Between two letter units the text must separate them as a form may (one space,
hyphen, dot, "&"...); around a digit or "+" unit the separator is optional, so "GPT-4" also finds
"GPT4" and "Llama 2" finds "LLaMA-2". A form ends where no letter follows its last letter (no
digit after its last digit): "Image" is not found in "ImageNet".

Matches are leftmost, do not overlap, and at one place the walk tries, in this order, a separator,
an optional separator, the next character, and only then a form that ends there. That is the
order a backtracking regex of the same trie takes (tests/test_phrase_index.py checks that the two
agree); compiling that regex took seconds in every worker process, grouping the forms takes
milliseconds, and a group's trie is made the first time its word is met.

The text is split into letter and digit runs once. A form that ends with its first run is looked
for at every place that run is; one that goes on is looked for only where the next run is one it
can go on with, at most a separator away (both looked up in C: `map` over dicts). Only those places
are walked, in Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import accumulate, compress

__all__ = ["FormIndex", "units"]

_UNIT = re.compile(r"[^\W\d_]+|\d+|\++")
_SPLIT = re.compile(r"([^\W\d_]+|\d+)").split  # text -> [gap, run, gap, run, ..., gap]
_SPLIT_ASCII = re.compile(r"([a-z]+|[0-9]+)").split  # the same on lower-case ASCII, in half the time
_SEP_CHARS = "-_./·'@()"  # one of these or a space between units; also " & ", "+", "--"
_LONGEST_SEPARATOR = 3  # " & "
_MAND, _OPT = "\x01", "\x02"  # in a form's sequence: a separator the text must / may write
_ALPHA_END, _DIGIT_END = 1, 2  # a form ends here: no letter may follow / no digit may follow
_LETTER, _DIGIT = 1, 2  # the two kinds of text run


def units(form: str) -> tuple[str, ...]:
    """The lower-cased units of a form.

    >>> units("GPT-4o"), units("PointNet++")
    (('gpt', '4', 'o'), ('pointnet', '++'))
    """
    if form.isascii():  # lower() keeps every ASCII character's kind: split once, lowered
        return tuple(_UNIT.findall(form.lower()))
    return tuple(u.lower() for u in _UNIT.findall(form))


def _sequence(form: str) -> tuple[str, ...]:
    """The characters of a form's units with a _MAND or _OPT between units."""
    us = units(form)
    seq: list[str] = []
    for i, u in enumerate(us):
        if i:
            seq.append(_MAND if u[0].isalpha() and us[i - 1][-1].isalpha() else _OPT)
        seq.extend(u)
    return tuple(seq)


def _run_kind(ch: str) -> int:
    """_LETTER for a letter ([^\\W\\d_]), _DIGIT for a decimal digit, else 0."""
    if ch.isdecimal():
        return _DIGIT
    return _LETTER if ch.isalnum() else 0


class _Node:
    # `chain` (set when first walked, see _chain): the characters from here to the next node
    # that branches, ends a form or takes a separator, and that node.
    __slots__ = ("lit", "mand", "opt", "end", "chain")

    def __init__(self) -> None:
        self.lit: dict[str, _Node] = {}  # next character -> node
        self.mand: _Node | None = None  # after a separator the text must write
        self.opt: _Node | None = None  # after a separator the text may write
        self.end = 0  # _ALPHA_END / _DIGIT_END when a form ends here


def _trie(seqs: Iterable[tuple[str, ...]]) -> _Node:
    root = _Node()
    for seq in seqs:
        node = root
        for ch in seq:
            if ch == _MAND:
                nxt = node.mand
                if nxt is None:
                    nxt = node.mand = _Node()
            elif ch == _OPT:
                nxt = node.opt
                if nxt is None:
                    nxt = node.opt = _Node()
            else:
                nxt = node.lit.get(ch)
                if nxt is None:
                    nxt = node.lit[ch] = _Node()
            node = nxt
        node.end = _ALPHA_END if seq[-1].isalpha() else _DIGIT_END
    return root


def _separators(s: str, i: int, n: int) -> list[int]:
    """Where a separator starting at s[i] can end, in the order the walk tries them:
    an "&" or "+" with optional spaces around (longest first), one separator character, "--"."""
    out = []
    if i < n:
        c = s[i]
        if c.isspace():
            if i + 1 < n and s[i + 1] in "&+":
                if i + 2 < n and s[i + 2].isspace():
                    out.append(i + 3)
                out.append(i + 2)
            out.append(i + 1)
        elif c in "&+":
            if i + 1 < n and s[i + 1].isspace():
                out.append(i + 2)
            out.append(i + 1)
        elif c in _SEP_CHARS:
            out.append(i + 1)
            if c == "-" and i + 1 < n and s[i + 1] == "-":
                out.append(i + 2)
    return out


def _ends(kind: int, s: str, i: int, n: int) -> bool:
    if i >= n:
        return True
    c = s[i]
    if kind == _ALPHA_END:
        return not c.isalnum() or c.isdecimal()  # no letter follows
    return not c.isdecimal()


def _chain(node: _Node) -> tuple[str, _Node]:
    """The characters of the single path from `node` through nodes of one child each that neither
    end a form nor take a separator, and the node it reaches (walked char by char it is the same)."""
    chars = []
    while node.mand is None and node.opt is None and not node.end and len(node.lit) == 1:
        (ch, node), = node.lit.items()
        chars.append(ch)
    return "".join(chars), node


def _walk(node: _Node, s: str, i: int, n: int) -> int:
    """The end of the first form the walk completes from `node` at s[i], or -1."""
    while node.mand is None and node.opt is None and not node.end:  # a plain run of characters
        if i == n:
            return -1
        lit = node.lit
        if len(lit) == 1:  # no branch: the text must spell the whole chain, compared at once
            try:
                seg, target = node.chain
            except AttributeError:
                seg, target = node.chain = _chain(node)
            if not s.startswith(seg, i):
                return -1
            node = target
            i += len(seg)
            continue
        node = lit.get(s[i])
        if node is None:
            return -1
        i += 1
    if node.mand is not None:
        for j in _separators(s, i, n):
            e = _walk(node.mand, s, j, n)
            if e >= 0:
                return e
    if node.opt is not None:
        for j in _separators(s, i, n):
            e = _walk(node.opt, s, j, n)
            if e >= 0:
                return e
        e = _walk(node.opt, s, i, n)
        if e >= 0:
            return e
    if i < n:
        child = node.lit.get(s[i])
        if child is not None:
            e = _walk(child, s, i + 1, n)
            if e >= 0:
                return e
    if node.end and _ends(node.end, s, i, n):
        return i
    return -1


def _walk_ignore_case(node: _Node, s: str, i: int, n: int, same: dict[str, list[str]]) -> int:
    """_walk with characters compared as `re.IGNORECASE` compares them (`same[c]`: the trie's
    characters that text character c matches, in sorted order)."""
    if node.mand is not None:
        for j in _separators(s, i, n):
            e = _walk_ignore_case(node.mand, s, j, n, same)
            if e >= 0:
                return e
    if node.opt is not None:
        for j in [*_separators(s, i, n), i]:
            e = _walk_ignore_case(node.opt, s, j, n, same)
            if e >= 0:
                return e
    if i < n:
        for k in same[s[i]]:
            child = node.lit.get(k)
            if child is not None:
                e = _walk_ignore_case(child, s, i + 1, n, same)
                if e >= 0:
                    return e
    if node.end and _ends(node.end, s, i, n):
        return i
    return -1


def _starts_ok(s: str, p: int) -> bool:
    """No word character or hyphen before p."""
    if p == 0:
        return True
    c = s[p - 1]
    return not (c.isalnum() or c == "_" or c == "-")


def _runs(seq: tuple[str, ...], i: int, kinds: dict[str, int]) -> tuple[list[tuple[str, int]], bool]:
    """The runs of the text that seq[i:] can start with, whole: [(run, where seq goes on after it)],
    and whether that is no guide (seq[i] is no letter or digit, or seq ends in a letter that is
    no alphabetic character, "²", after which a letter may follow).

    A form reads a letter (digit) run of the text to its end, passing through optional separators
    the text leaves out ("gpt4"), and then does something no letter (digit) continues: a separator,
    a character of another kind, or its end. `kinds`: _run_kind of every character of the forms.
    """
    kind = kinds[seq[i]]
    if not kind:
        return [], True
    out = []
    run = ""
    n = len(seq)
    while i < n:
        ch = seq[i]
        if ch == _MAND:
            break
        if ch == _OPT:
            out.append((run, i))
            if kinds[seq[i + 1]] != kind:
                return out, False
            i += 1
            continue
        if kinds[ch] != kind:
            break
        run += ch
        i += 1
    out.append((run, i))
    return out, i == n and kind == _LETTER and not run[-1].isalpha()


class _Group:
    """The forms that can start with one run of the text; their trie is made when first walked."""

    __slots__ = ("seqs", "root")

    def __init__(self) -> None:
        self.seqs: list[tuple[str, ...]] = []
        self.root: _Node | None = None


class FormIndex:
    """Every form of a list of names, found in text as `finditer` describes.

    >>> FormIndex(["GPT-4", "GPT-4o", "Llama 2", "MultiPL-E"]).finditer(
    ...     "gpt4o beats llama-2 and gpt-4 on multiple tasks.")
    [(0, 5), (12, 19), (24, 29)]
    """

    def __init__(self, forms: Iterable[str]) -> None:
        self._groups: dict[str, _Group] = {}
        self._odd: list[tuple[str, ...]] = []  # forms no run of the text guides to (see _runs)
        alone: set[str] = set()  # runs a form can end with, or go on from in a way no run guides
        pairs: set[tuple[str, str]] = set()  # (run, the next run of the text a form can go on with)
        seqs = dict.fromkeys(s for s in map(_sequence, forms) if s)  # in order, once each
        kinds = {ch: _run_kind(ch) for ch in {ch for seq in seqs for ch in seq}}
        for seq in seqs:
            firsts, odd = _runs(seq, 0, kinds)
            if odd:
                self._odd.append(seq)
                continue
            for run, i in firsts:
                group = self._groups.get(run)
                if group is None:
                    group = self._groups[run] = _Group()
                group.seqs.append(seq)
                if i == len(seq):
                    alone.add(run)
                    continue
                nexts, odd = _runs(seq, i + 1 if seq[i] in (_MAND, _OPT) else i, kinds)
                if odd:
                    alone.add(run)
                else:
                    pairs.update((run, nxt) for nxt, _ in nexts)
        self._alone = {run: self._groups[run] for run in alone}
        self._pairs = {pair: self._groups[pair[0]] for pair in pairs if pair[0] not in alone}
        self._prefixes = tuple(sorted({"".join(seq[:_stretch(seq)]) for seq in self._odd}))
        self._full: _Node | None = None  # the trie of every form: for odd forms and "İ"
        self._chars: list[str] = []
        self._same: dict[str, list[str]] = {}

    def finditer(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every form in `text`, case ignored, leftmost first, never overlapping."""
        low = text.lower()
        n = len(low)
        if n != len(text):  # lower() lengthened a character ("İ"): compare as re.IGNORECASE does
            return self._finditer_ignore_case(text)
        parts = _SPLIT_ASCII(low) if low.isascii() else _SPLIT(low)
        runs = parts[1::2]
        alone = self._alone
        hits = [*compress(range(len(runs)), map(alone.get, runs)),
                *compress(range(len(runs)), map(self._pairs.get, zip(runs, runs[1:])))]
        if self._odd:
            return self._finditer_full(low, parts, hits)
        if not hits:
            return []
        hits.sort()
        out = []
        last = 0
        # The offset of run i, summed on from the last hit's (few runs are hits: no table of all).
        p = j = 0
        for i in hits:
            before = parts[2 * i]
            if (before[-1] in "-_") if before else i:
                continue  # a word character or a hyphen before it
            p += sum(map(len, parts[j:2 * i + 1]))
            j = 2 * i + 1
            if p < last:
                continue
            run = runs[i]
            if run not in alone and len(parts[2 * i + 2]) > _LONGEST_SEPARATOR:
                continue  # the next run is more than a separator away
            group = self._groups[run]
            root = group.root
            if root is None:
                root = group.root = _trie(group.seqs)
            e = _walk(root, low, p, n)
            if e >= 0:
                out.append((p, e))
                last = e
        return out

    def _full_trie(self) -> _Node:
        if self._full is None:
            self._full = _trie([*dict.fromkeys(s for g in self._groups.values() for s in g.seqs), *self._odd])
        return self._full

    def _finditer_full(self, low: str, parts: list[str], hits: list[int]) -> list[tuple[int, int]]:
        """finditer when some form is odd: the places the runs guide to and where an odd form's
        first characters are, each walked in the trie of every form."""
        offsets = list(accumulate(map(len, parts), initial=0))
        starts = {offsets[2 * i + 1] for i in hits}
        for pre in self._prefixes:
            p = low.find(pre)
            while p >= 0:
                starts.add(p)
                p = low.find(pre, p + 1)
        root, n = self._full_trie(), len(low)
        out = []
        last = 0
        for p in sorted(starts):
            if p >= last and _starts_ok(low, p):
                e = _walk(root, low, p, n)
                if e >= 0:
                    out.append((p, e))
                    last = e
        return out

    def _finditer_ignore_case(self, text: str) -> list[tuple[int, int]]:
        root = self._full_trie()
        if not self._chars:
            self._chars = sorted(_characters(root))
        same = self._same
        for c in set(text) - same.keys():
            same[c] = [k for k in self._chars if re.fullmatch(re.escape(k), c, re.IGNORECASE)]
        out = []
        p, n = 0, len(text)
        while p < n:
            if _starts_ok(text, p):
                e = _walk_ignore_case(root, text, p, n, same)
                if e >= 0:
                    out.append((p, e))
                    p = e
                    continue
            p += 1
        return out


def _stretch(seq: tuple[str, ...]) -> int:
    """How many characters start `seq` before its first separator."""
    for i, ch in enumerate(seq):
        if ch in (_MAND, _OPT):
            return i
    return len(seq)


def _characters(root: _Node) -> set[str]:
    out, todo = set(), [root]
    while todo:
        node = todo.pop()
        out.update(node.lit)
        todo.extend(x for x in (*node.lit.values(), node.mand, node.opt) if x is not None)
    return out
