"""Named methods, datasets and metrics in one paper: lexicon hits, name-shaped words, acronyms.

Works on a spaCy Doc whose first sentence is the title (see kg.nlp). Every function here is
pure over the Doc, so tests can call it on a blank pipeline.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc

from kg.extract.abbreviations import Abbreviation
from kg.extract.cues import Cues
from kg.extract.lexicon import Lexicon, norm_key

__all__ = ["Word", "Candidate", "words_of", "name_shape", "find_candidates"]

_EDGE_PUNCT = set("()[]{},.;:!?\"'`“”‘’")
_VERSION = re.compile(r"^(?:v\d+(?:\.\d+)*[A-Za-z]?|\d(?:\.\d+)?|\d+(?:\.\d+)?[BMK]|XL|XXL|Pro|Turbo|Mini|Large|Base|Small|Ultra|Plus|Lite|Instruct|Chat)$")
_NUMBERISH = re.compile(r"^(?:\d+(?:[.,]\d+)*(?:[A-Za-z]{0,2}|%|x|×)|[A-Za-z]\d?|\d+[DdKkMmBbx]|[IVX]+)$")
_MAX_LEX_TOKENS = 6
# A word without its edge punctuation: "(SAA)," -> "SAA", "GPT-4." -> "GPT-4".
_WORD_RE = re.compile(r"""[^\s()\[\]{},;:!?"'`“”‘’.]+(?:[.][^\s()\[\]{},;:!?"'`“”‘’.]+)*""")
_URLISH = re.compile(r"://|www\.|\.(?:com|org|io|net|ai)\b|@", re.IGNORECASE)


@dataclass(slots=True)
class Word:
    """A whitespace-delimited word with its edge punctuation stripped."""

    text: str
    start: int  # char offsets in doc.text
    end: int
    sent: int  # sentence index (0 = title)
    first_in_sent: bool


@dataclass(slots=True)
class Candidate:
    text: str
    start: int
    end: int
    sent: int
    kind: str | None  # None until classified
    confidence: float
    source: str  # "lexicon" | "shape" | "abbreviation" | "title"
    proposed: bool = False
    aliases: list[str] = field(default_factory=list)
    lexical: bool = False  # a lexicon entry (known, so never proposed by this paper)


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence; sentence 0 is the title."""
    return [(s.start_char, s.end_char) for s in doc.sents]


def sentence_at(bounds: list[tuple[int, int]], offset: int) -> int:
    return max(0, bisect_right([b[0] for b in bounds], offset) - 1)


def words_of(text: str, bounds: list[tuple[int, int]]) -> list[Word]:
    """Words of the text (whitespace-delimited, edge punctuation trimmed), sentence by sentence.

    A regex pass, not a loop over tokens: this runs on every abstract.
    """
    out: list[Word] = []
    for s_idx, (start, end) in enumerate(bounds):
        first = True
        for m in _WORD_RE.finditer(text, start, end):
            out.append(Word(m.group(), m.start(), m.end(), s_idx, first))
            first = False
    return out


def name_shape(w: str) -> str | None:
    """How a word looks like a name: "mixed" (DeepCache, GPT-4), "caps" (SAA), "title", or None.

    >>> [name_shape(x) for x in ["DeepCache", "GPT-4", "SAA", "Winoground", "model", "3D", "7B"]]
    ['mixed', 'mixed', 'caps', 'title', None, None, None]
    """
    if len(w) < 2 or _NUMBERISH.match(w) or not w[0].isalnum():
        return None
    letters = [c for c in w if c.isalpha()]
    if not letters:
        return None
    has_digit = any(c.isdigit() for c in w)
    uppers = sum(c.isupper() for c in letters)
    parts = [p for p in re.split(r"[-/]", w) if p]
    if not has_digit and len(parts) > 1 and all(_plain(p) for p in parts):
        # A title-cased compound ("Test-Time", "Training-Free") is no coined name.
        return "title" if w[0].isupper() else None
    if uppers == len(letters) and len(letters) >= 2:
        return "caps" if not has_digit else "mixed"
    if uppers == len(letters) and has_digit:
        return "mixed"  # T5, U2
    if any(c.isupper() for c in w[1:]) and uppers >= 1:
        return "mixed"
    if has_digit and uppers:
        return "mixed"
    if w[0].isupper():
        return "title"
    return None


def _plain(part: str) -> bool:
    return part.islower() or (len(part) > 1 and part[0].isupper() and part[1:].islower())


def _lexicon_hits(doc: Doc, lex: Lexicon, bounds: list[tuple[int, int]]) -> list[Candidate]:
    """Longest normalised n-gram matches of lexicon labels and aliases, at word boundaries.

    The key of an n-gram is the concatenation of its tokens' keys, grown one token at a time
    while it is still a prefix of some lexicon key: most tokens stop at once.
    """
    hits: list[Candidate] = []
    text = doc._.text
    toks = [t for t in doc if not t.is_space]
    n = len(toks)
    prefixes = lex.prefixes
    i = 0
    while i < n:
        t0 = toks[i]
        key0 = norm_key(t0.text)
        if not key0 or key0 not in prefixes or (
            i > 0 and not toks[i - 1].whitespace_ and toks[i - 1].text not in _EDGE_PUNCT
        ):
            i += 1
            continue
        sent_end = bounds[sentence_at(bounds, t0.idx)][1]
        match, key = None, ""
        for k in range(min(_MAX_LEX_TOKENS, n - i)):
            last = toks[i + k]
            if last.idx >= sent_end:
                break
            key += norm_key(last.text)
            if key not in prefixes:
                break
            entry = lex.by_key.get(key)
            nxt = toks[i + k + 1] if i + k + 1 < n else None
            # The match must end where the word ends: "ImageNet" is no hit inside "ImageNet-XL".
            if entry is None or (nxt is not None and not last.whitespace_ and nxt.text not in _EDGE_PUNCT):
                continue
            surface = text[t0.idx: last.idx + len(last.text)]
            if _case_fits(surface, entry):
                match = (k + 1, surface, entry)
        if match:
            k, surface, entry = match
            hits.append(Candidate(surface, t0.idx, t0.idx + len(surface), sentence_at(bounds, t0.idx),
                                  entry.kind, 0.9, "lexicon", lexical=True))
            i += k
        else:
            i += 1
    return hits


def _case_fits(text: str, entry) -> bool:
    """A capitalised name must be written with a capital (`transformer` is not `Transformer`)."""
    forms = (entry.label, *entry.aliases)
    if entry.case_sensitive or any(len(f) <= 4 and f.isupper() for f in forms if norm_key(f) == norm_key(text)):
        return text in forms
    if entry.kind in ("method", "dataset") and any(c.isupper() for c in entry.label):
        return any(c.isupper() for c in text)
    return True


def _shape_candidates(words: list[Word], lex: Lexicon, cues: Cues) -> list[Candidate]:
    """Name-shaped words, merged with following title-case words and version tags."""
    out: list[Candidate] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w.text.islower():  # most words: no capital, no digit, no name
            i += 1
            continue
        shape = name_shape(w.text)
        in_title = w.sent == 0
        strong = shape in ("mixed", "caps")
        weak = shape == "title" and not in_title and not w.first_in_sent
        if not (strong or weak) or lex.is_generic(w.text) or _URLISH.search(w.text):
            i += 1
            continue
        j = i + 1
        # Extend over adjacent words of the same sentence: capitalised names and version tags.
        while j < len(words) and words[j].sent == w.sent and words[j].start == words[j - 1].end + 1:
            nxt = words[j].text
            s = name_shape(nxt)
            if _VERSION.match(nxt) or (not in_title and s in ("mixed", "caps", "title")):
                j += 1
                continue
            break
        span = words[i:j]
        # Never end a name on a generic class word ("CLIP models" -> "CLIP").
        while len(span) > 1 and (lex.is_generic(span[-1].text) or span[-1].text.lower() in cues.dataset_nouns):
            span = span[:-1]
        text = " ".join(x.text for x in span)
        if not lex.is_generic(text):
            conf = 0.7 if strong else 0.45
            out.append(Candidate(text, span[0].start, span[-1].end, w.sent, None, conf, "shape"))
        i = j
    return out


def _title_prefix(doc: Doc, words: list[Word], title_end: int) -> Candidate | None:
    """`Name: a subtitle` in the title names what the paper introduces."""
    title = doc._.text[:title_end]
    m = re.match(r"^\s*([^:]{1,60}?)\s*:\s+\S", title)
    if not m:
        return None
    head = m.group(1)
    parts = head.split()
    if not 1 <= len(parts) <= 4:
        return None
    shaped = any(name_shape(p.strip("()")) in ("mixed", "caps") for p in parts)
    if not (shaped or len(parts) == 1):
        return None
    start = title.index(head)
    subtitle = title[m.end(1):].lower()
    # "X: A Benchmark for ..." introduces a dataset, which is no proposed method.
    if re.search(r"\b(?:benchmark|dataset|corpus|test suite|leaderboard)s?\b", subtitle[:60]):
        return Candidate(head, start, start + len(head), 0, "dataset", 0.8, "title")
    return Candidate(head, start, start + len(head), 0, None, 0.85, "title", proposed=True)


def find_candidates(doc: Doc, lex: Lexicon, cues: Cues, abbreviations: list[Abbreviation],
                    title_end: int) -> list[Candidate]:
    """All candidate names of the Doc, overlaps resolved (longer and surer wins)."""
    bounds = sentence_bounds(doc)
    words = words_of(doc._.text, bounds)
    cands = _lexicon_hits(doc, lex, bounds) + _shape_candidates(words, lex, cues)
    head = _title_prefix(doc, words, title_end)
    if head:
        cands.append(head)
    cands.extend(_abbreviation_candidates(abbreviations, lex, bounds))
    return _resolve_overlaps(cands)


def _abbreviation_candidates(abbreviations: list[Abbreviation], lex: Lexicon,
                             bounds: list[tuple[int, int]]) -> list[Candidate]:
    out = []
    for ab in abbreviations:
        if lex.is_generic(ab.short) or lex.is_generic(ab.long):
            continue
        sent = sentence_at(bounds, ab.short_start)
        entry = lex.lookup(ab.short) or lex.lookup(ab.long)
        cand = Candidate(ab.short, ab.short_start, ab.short_start + len(ab.short), sent,
                         entry.kind if entry else None, 0.85, "abbreviation",
                         aliases=[ab.long], lexical=entry is not None)
        out.append(cand)
        # The long form is the same entity: mark its span so shape words inside it drop out.
        out.append(Candidate(ab.long, ab.long_start, ab.long_start + len(ab.long), sent,
                             "_alias", 0.0, "abbreviation", aliases=[ab.short]))
    return out


_PRIORITY = {"abbreviation": 3, "title": 2, "lexicon": 2, "shape": 1}


def _resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    cands.sort(key=lambda c: (-(c.end - c.start), -_PRIORITY[c.source], c.start))
    taken: list[tuple[int, int]] = []
    kept = []
    for c in cands:
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        taken.append((c.start, c.end))
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    return kept
