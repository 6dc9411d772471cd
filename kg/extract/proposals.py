"""Proposed names that stand away from their propose verb: numbered parts, names given later, "(i.e., X)".

- Methods or parts of the paper's method listed after "N nouns:" ("our model has two branches:
  1) Foo Branch ...; 2) Bar Branch ...", "two components: Foo Mixing: it ...", "two methods: FooA,
  which ..., and FooB, which ..."): each item's leading name is proposed, found here when the name
  rules did not find it. A part (a branch, a module) is marked `part`: the paper's results are
  its method's, not its parts' (kg.extract.relations).
- A name given later than the proposal ("we refer to the tuned model as FooLM-X", "we call this
  approach Foo"): a naming cue whose object stands between the verb and "as".
- "(i.e., FooNet)" after a description, as "(FooNet)" is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.candidate import Candidate
from kg.extract.sentences import sentence_at

__all__ = ["ProposalSettings", "SETTINGS", "mark_parts", "numbered_parts", "named_later", "ie_parenthesised"]


@dataclass(frozen=True)
class ProposalSettings:
    """The proposal rules switched on (scripts/crossval.py switches each off to measure it)."""

    numbered_parts: bool = True  # numbered_parts
    named_later: bool = True  # named_later
    ie_paren: bool = True  # ie_parenthesised
    strict_cues: bool = True  # whole-word naming cues; "(with) the X"; "a recent X" is someone else's (roles)


#: Read at extraction time (scripts/crossval.py sets it before worker processes are forked).
SETTINGS = ProposalSettings()

# "two simple modules:", "three new sampling stages:": a count, up to three modifiers, a
# noun for methods (group 2) or for parts of one, a colon. (The count's first character leads, its
# word boundary looked behind after it: the regex engine skips in C to the next "t", "f" or digit.)
_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_PARTS_HEAD = re.compile(r"(t(?<!\w.)(?:wo|hree)|f(?<!\w.)(?:our|ive)|2(?<!\w.)|3(?<!\w.)|4(?<!\w.)|5(?<!\w.))"
                         r"\s+(?:[\w-]+\s+){0,3}?(?:(methods?|variants?|algorithms?|"
                         r"models?|approaches|schemes?|frameworks?|systems?)|components?|modules?|techniques?|"
                         r"strategies|stages?|steps?|branches|mechanisms?|parts?|designs?|blocks?|losses|"
                         r"objectives?|innovations?)\s*:\s*")
# An item marker: "1)", "(2)", "ii)", "(iii)".
_MARKER = re.compile(r"(?:^|(?<=[\s;.,:]))\(?(\d|i{1,3}|iv|v)\)\s*")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
# A name at an item's start: Title Case words (hyphens, digits inside), up to six.
_TITLE_NAME = re.compile(r"[A-Z][\w]*(?:-[A-Za-z0-9]+)*(?:\s+[A-Z][\w]*(?:-[A-Za-z0-9]+)*){0,5}")
_SELF = re.compile(r"\b(?:we|our|ours|this paper|this work|comprises|consists)\b")
# The next item of a list in one sentence: after "; ", ", and ", " and ", before a capital.
_NEXT_ITEM = re.compile(r"(?:[,;]\s+(?:and\s+|or\s+)?|\s(?:and|or)\s+)(?=[A-Z])")
# How far after the colon the items may stand.
_ITEM_REACH = 900


def _item_starts(text: str, colon_end: int, count: int) -> list[int]:
    """Where the items after "N nouns:" start: right after the colon, after "2)" .. "N)" markers,
    and, in the "Name: what it does" form, at each later sentence that starts with a name and a colon."""
    starts = [colon_end]
    want = 1
    reach = text[colon_end:colon_end + _ITEM_REACH]
    first = _MARKER.match(reach)
    if first is not None:
        starts = [colon_end + first.end()]
        want = 2
        for m in _MARKER.finditer(reach, first.end()):
            k = m.group(1)
            if (int(k) if k.isdigit() else _ROMAN[k]) == want:
                starts.append(colon_end + m.end())
                want += 1
                if want > count:
                    break
        return starts
    # "two components:Foo Mixing: it ... .Bar Pooling: it ...": names closed by a colon.
    head = _TITLE_NAME.match(reach)
    if head is None or reach[head.end():head.end() + 1] != ":":
        # "two methods: FooA, which prunes heads, and FooB, which ...": items of one sentence.
        end = reach.find(". ")
        for m in _NEXT_ITEM.finditer(reach, 0, end if end >= 0 else len(reach)):
            starts.append(colon_end + m.end())
            if len(starts) >= count:
                break
        return starts
    for m in re.finditer(r"[.;]\s*(?=[A-Z])", reach):
        name = _TITLE_NAME.match(reach, m.end())
        if name is not None and reach[name.end():name.end() + 1] == ":":
            starts.append(colon_end + m.end())
            if len(starts) >= count:
                break
    return starts


def _plain_name(name: str) -> bool:
    """One plain capitalised word ("The", "First") is no name; a hyphen, a capital inside or two words are."""
    return not (" " in name or "-" in name or any(ch.isdigit() or ch.isupper() for ch in name[1:]))


def numbered_parts(text: str, bounds: list[tuple[int, int]], cands: list[Candidate],
                   sent_of) -> tuple[list[tuple[Candidate, bool]], list[Candidate]]:
    """([(candidate to mark proposed, whether a part)], new candidates) for the items after "N
    part-nouns:" in a sentence of the paper's own (we, our, "comprises"). Items of "two methods:"
    are whole methods, those of "two modules:" parts of one.

    `sent_of(offset)` gives a sentence number. An item's name is the candidate that starts the item
    (or whose acronym's long form does), else the Title Case phrase there.
    """
    if not SETTINGS.numbered_parts or ":" not in text:
        return [], []
    marked: list[tuple[Candidate, bool]] = []
    new: list[Candidate] = []
    title_end = bounds[0][1] if bounds else 0
    for m in _PARTS_HEAD.finditer(text, title_end):
        part = m.group(2) is None
        s = sent_of(m.start())
        b0 = bounds[s][0]
        if not _SELF.search(text[b0:m.start()].lower()):
            continue
        for at in _item_starts(text, m.end(), _COUNT[m.group(1).lower()]):
            while at < len(text) and text[at] in " \t":
                at += 1
            if text.startswith(("the ", "The "), at):
                at += 4
            hit = [c for c in cands if c.start == at or c.cue_start == at]
            if hit:
                marked += [(c, part) for c in hit]
                continue
            name = _TITLE_NAME.match(text, at)
            if name is None or _plain_name(name.group(0)):
                continue
            # "Foo Bar (FB)": the acronym, found by the name rules, stands for the item.
            if text[name.end():name.end() + 2] == " (":
                continue
            new.append(Candidate(name.group(0), name.start(), name.end(), sent_of(name.start()), None, 0.75,
                                 "shape", proposed=True, part=part))
    return marked, new


def mark_parts(text: str, bounds: list[tuple[int, int]], real: list[Candidate]) -> list[Candidate]:
    """The candidates with the numbered parts marked proposed (and `part`), the parts the name
    rules did not find added; a name found inside a part's name ("Pose Mixing" in "Noise-Guided
    Pose Mixing") gives way to it."""
    starts = [b[0] for b in bounds]
    marked, new = numbered_parts(text, bounds, real, lambda at: sentence_at(starts, at))
    for c, part in marked:
        if not c.lexical and c.kind not in ("dataset", "metric"):
            c.part = part and not c.proposed
            c.proposed = True
            c.confidence = max(c.confidence, 0.8)
    inside = lambda d, c: c.start <= d.start and d.end <= c.end  # noqa: E731
    new = [c for c in new if all(inside(d, c) or not (d.start < c.end and c.start < d.end) for d in real)]
    if not new:
        return real
    return sorted([d for d in real if not any(inside(d, c) for c in new)] + new, key=lambda c: c.start)


# "we refer to the pruned network as", "we call this approach", "we term the resulting method":
# the naming verb, its object (no sentence or clause break), then "as" or the name itself.
_NAMED_AS = re.compile(r"\bwe\s+(?:\w+\s+)?(?:refer\s+to|denote|call|name|term|dub)\s+[^.;:()]{1,60}?\s+as\s+$")
_NAMED_BARE = re.compile(r"\bwe\s+(?:\w+\s+)?(?:call|name|term|dub)\s+(?:this|these|the|our|it|them)"
                         r"(?:\s+[\w-]+){0,4}\s+$")


def named_later(low_before: str) -> bool:
    """Whether the lower-cased sentence text before a name ends in a naming cue with its object
    between the verb and the name ("we refer to the tuned model as ")."""
    if not SETTINGS.named_later:
        return False
    tail = low_before[-120:]
    return "we " in tail and bool(_NAMED_AS.search(tail) or _NAMED_BARE.search(tail))


# "namely", "called" and "dubbed" are naming cues (patterns/cues.json), decided before this rule.
_IE = re.compile(r"\(i\.\s?e\.,?\s+$")


def ie_parenthesised(text: str, c: Candidate) -> bool:
    """The name stands in parentheses after "i.e.": "... a ranking loss for hard pairs (i.e., FooRank)"."""
    return SETTINGS.ie_paren and text[c.end:c.end + 1] == ")" and bool(_IE.search(text, max(0, c.start - 12), c.start))
