"""Named methods, datasets and metrics in one paper: lexicon hits, name-shaped words, acronyms.

Works on the plain text of title + abstract and its sentence bounds (sentence 0 = the title,
see kg.extract.sentences): regex passes over strings, no loop over tokens, since this runs on
every abstract. Every function is pure, so tests call it on strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.abbreviations import Abbreviation
from kg.extract.candidate import Candidate
from kg.extract.coined import introduced_the, lower_coined, lower_the_named, quoted_names
from kg.extract.cues import Cues
from kg.extract.editions import edition_end, shared_task_spans
from kg.extract.games import game_candidates
from kg.extract.lexicon import LexEntry, Lexicon, norm_key
from kg.extract.metric_names import metric_phrases
from kg.extract.sentences import sentence_at
from kg.extract.urls import url_spans

__all__ = ["Candidate", "EntitySettings", "SETTINGS", "name_shape", "find_candidates", "strip_suffix",
           "is_plural_acronym"]


@dataclass(frozen=True)
class EntitySettings:
    """Switches of the name rules (scripts/crossval.py measures each)."""

    # A known method of several capitalised plain words ("Elastic Weight Consolidation") is also
    # found written in lower case ("elastic weight consolidation"), unless that is a generic class.
    lower_long_forms: bool = True


#: Read at extraction time; scripts/crossval.py swaps it.
SETTINGS = EntitySettings()

# A version or size tag that continues a name: "Stable Diffusion v1.5", "Llama 2 7B", "ViT-B/16".
_VERSION = re.compile(r"^(?:v\d+(?:\.\d+)*[A-Za-z]?|V\d+(?:\.\d+)*|\d(?:\.\d+)?|\d+(?:\.\d+)?[BMKbmk]|\d+x\d+[BM]|"
                      r"[BLSHT]/\d+|XL|XXL|Pro|Turbo|Mini|Large|Base|Small|Tiny|Huge|Ultra|Plus|Lite|Instruct|Chat)$")
# Size tags name the same model (Llama 2 7B is Llama 2); numbered versions and tuned variants
# (Llama 2-Chat, GPT-4o mini, -Instruct) are other models.
_SIZE = re.compile(r"^(?:\d+(?:\.\d+)?[BMKbmk]|\d+x\d+[BM]|[BLSHT]/\d+|XL|XXL|Large|Base|Small|Tiny|Huge)$")
_SIZED_TAIL = re.compile(r"-\d+(?:\.\d+)?[bm](?![\w-])")  # "-7b" after a lower-cased known model
_NUMBERISH = re.compile(r"^(?:\d+(?:[.,]\d+)*(?:[A-Za-z]{0,2}|%|x|×)|[A-Za-z]\d?|\d+[DdKkMmBbx]|[IVX]+)$")
# A word holding an upper-case letter or a digit (the only words that can be a coined name),
# at the start of the text or after a space, an opening mark or a slash. The mark before it
# is matched, not looked behind: a pattern led by a character class lets the regex engine
# skip to the next candidate position in C, where a lookbehind is tried at every character.
# A dash ("an optimizer—FooNet—that") parts two words like a space does. The word's letters up
# to its first capital or digit are one possessive run of a class without them (what a lazy
# `*?` found, in half the regex steps).
_NAME_BODY = r"[^\s()\[\]{},;:!?\"'`“”‘’—A-Z0-9]*+[A-Z0-9][^\s()\[\]{},;:!?\"'`“”‘’—]*+"
_NAMEISH_AT_START = re.compile(_NAME_BODY)
_NAMEISH = re.compile(r"[\s(\[{\"'`“‘/—](" + _NAME_BODY + ")")
# ... and LaTeX commands glued to a word by a lossy conversion ("scriptsizeQuuxNet").
_JUNK = re.compile(r"_\{?\d|^(?:scriptsize|footnotesize|textbf|textit|texttt|textsc|mathrm|mathbf|mathcal|emph|tiny|small|"
                   r"large|huge)[A-Z]|[\\=<>|~$%#@]|\^(?!\d+$)|\*(?!$)|^\*|://|www\.|--|\.(?:com|org|io|net|ai)\b|^\d+[/\-]|"
                   r"/\d+[A-Za-z]*-")
# (A superscript number or a trailing star is part of a name: "QuuxVR^2", "Zeta*".)
# Lower-case tails that turn a name into a modifier: "CLIP-based", "GPT-4-generated".
_SUFFIX = re.compile(r"-(?:based|driven|guided|trained|tuned|related|style|like|aware|specific|level|sized|size|free|"
                     r"conditioned|only|centric|agnostic|generated|augmented|enhanced|powered|compatible|friendly|"
                     r"inspired|oriented|dependent|type|scale|scaled|class|grade|equivalent|distilled|initialized|"
                     r"pretrained|pre-trained|finetuned|fine-tuned|produced|annotated|labeled|labelled|supervised|"
                     r"emitting|bound|sized|series|family|variants?|models?|version)$", re.IGNORECASE)
_PART_SPLIT = re.compile(r"(?:[^/.]|\.(?![A-Z]))+")
# "deep-QRN", "data-LLM": a lower-case word in front makes a description, not a coined name.
_LOWER_HEAD = re.compile(r"^[a-z]{3,}-")
_GREEK = frozenset("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma "
                   "tau upsilon phi chi psi omega".split())
_WORD_END = set(" \t\n,;:!?)]}\"'”’")
_EDITION = re.compile(r"-?\d{2,4}")
_NEXT_WORD = re.compile(r"[^\s,;:()]+")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
# A character other than the opening marks a sentence's first word may stand behind.
_NOT_OPENING = re.compile(r"[^ \"'“‘(\[]")


@lru_cache(maxsize=1 << 16)
def name_shape(w: str) -> str | None:
    """How a word looks like a name: "mixed" (ZephyrNet, GPT-4), "caps" (QBN), "title", or None.

    >>> [name_shape(x) for x in ["ZephyrNet", "GPT-4", "QBN", "Quorra", "model", "3D", "7B"]]
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


@lru_cache(maxsize=1 << 16)
def _word_facts(w: str) -> tuple[str, str | None, bool, bool, bool]:
    """What the shape rule asks of one word, asked once per distinct word.

    (the word without a modifier tail, its name_shape, junk?, plural acronym?, version tag?)
    """
    base = strip_suffix(w) if "-" in w else w
    return base, name_shape(base), _JUNK.search(base) is not None, is_plural_acronym(base), \
        _VERSION.match(base) is not None


def _plain(part: str) -> bool:
    return part.islower() or (len(part) > 1 and part[0].isupper() and part[1:].islower())


def strip_suffix(word: str) -> str:
    """A name without a modifier tail: "CLIP-based" -> "CLIP".

    >>> strip_suffix("GPT-4o-based"), strip_suffix("FlowNet")
    ('GPT-4o', 'FlowNet')
    """
    return _SUFFIX.sub("", word)


def is_plural_acronym(word: str) -> bool:
    """"LLMs", "GNNs", "Video-LLMs": the plural of an acronym names a class, not one thing.

    >>> is_plural_acronym("LRMs"), is_plural_acronym("ResNets"), is_plural_acronym("SAMs")
    (True, False, True)
    """
    return len(word) >= 3 and word[-1] == "s" and word[-2].isupper() and word[-3].isupper() | word[-3].isdigit() | (word[-3] == "-")


def _case_fits(text: str, entry: LexEntry) -> bool:
    """A capitalised name must be written with a capital (`transformer` is not `Transformer`)."""
    forms = (entry.label, *entry.aliases)
    if entry.case_sensitive or any(len(f) <= 4 and f.isupper() for f in entry.forms_of(text)):
        return text in forms
    if entry.kind in ("method", "dataset") and any(c.isupper() for c in entry.label):
        if text[:1].isupper() and text[1:].islower() and text not in forms:
            return False  # "Zero" is not ZeRO, "Complex" not ComplEx
        return any(c.isupper() for c in text)
    return True


_TITLE_WORD = re.compile(r"[A-Z]?[a-z]+(?:-[A-Z]?[a-z]+)*")


@lru_cache(maxsize=1 << 12)
def _lower_long_form(text: str, entry: LexEntry) -> bool:
    """`text` is a lower-case spelling of a form of method `entry` made of two or more plain words.

    Names of techniques are written in lower case as often as capitalised ("batch normalization");
    a one-word name ("Zero" vs ZeRO) or a form with an acronym or inner capitals stays case-bound.
    """
    if entry.kind != "method" or entry.case_sensitive or not text.islower() or " " not in text:
        return False
    return any(" " in f and all(_TITLE_WORD.fullmatch(w) for w in f.split()) for f in entry.forms_of(text))


def _lexicon_hits(text: str, starts: list[int], lex: Lexicon, family: dict[int, str]) -> list[Candidate]:
    """Lexicon forms at word boundaries, extended over version tags ("GPT-4 Turbo", "Llama 2 7B").

    A known name that starts a longer coined name ("ARC-DA", "LLaMA-Adapter") is no hit; its
    kind is left in `family` (by start offset) as a hint for the shape rule.
    """
    hits: list[Candidate] = []
    n = len(text)
    for s, e in lex.finditer(text):
        surface = text[s:e]
        entry = lex.by_key.get(norm_key(surface))
        if entry is None:
            continue
        fits = lex.memo.get(surface)
        if fits is None:
            if len(lex.memo) > 1 << 16:  # surface spellings of known names: few, but stay bounded
                lex.memo.clear()
            fits = lex.memo[surface] = _case_fits(surface, entry)
        # "mistral-7b", "vicuna-13b": a lower-cased known model with a size tag is still the model.
        if not fits and SETTINGS.lower_long_forms and _lower_long_form(surface, entry) \
                and not lex.is_generic(surface) and not lex.is_generic(surface + "s"):  # "a vision transformer"
            fits = True
        if not fits and not (entry.kind == "method" and (_SIZED_TAIL.match(text, e) or _SIZED_TAIL.search(surface))):
            continue
        while e < n and text[e] == "+":  # "PointNet++", "HumanEval+"
            e += 1
        # The rest of the word decides: nothing, a modifier tail, a version tag, or another name.
        w_end = e
        while w_end < n and text[w_end] not in _WORD_END and not (text[w_end] == "." and (w_end + 1 == n or text[w_end + 1].isspace())):
            w_end += 1
        rest = text[e:w_end]
        base = surface  # the name without its size tags: the family's node
        if rest:
            if _SUFFIX.fullmatch(rest) or rest in ("'s", "’s") or rest[0] == "/":
                pass  # "CLIP-based", "CLIP's", "CLIP/ALIGN": the name itself
            elif rest[0] in "-_" and _VERSION.match(rest[1:]) and entry.kind in ("method", "dataset"):
                if not _SIZE.match(rest[1:]):
                    base += rest
                e = w_end
            elif entry.kind == "dataset" and _EDITION.fullmatch(rest):
                e = w_end  # "AIME24", "WMT-19": an edition of the same benchmark family
            elif rest[0] in "-_" and rest[1:2].islower():
                pass  # a lower-case tail
            else:
                family[s] = entry.kind  # "LLaMA-Adapter": another name, left to the shape rule
                continue
        # Version words after a space: "Stable Diffusion v1.5", "Llama 2 7B".
        while entry.kind in ("method", "dataset") and e < n - 1 and text[e] == " ":
            m = _NEXT_WORD.match(text, e + 1, e + 12)
            nxt = m.group().rstrip(".") if m else ""
            if not nxt or not _VERSION.match(nxt) or (nxt.isdigit() and len(nxt) > 1):
                break
            if not _SIZE.match(nxt):
                base += " " + nxt
            e += 1 + len(nxt)
        if entry.kind == "dataset":
            edition = edition_end(text, e)  # "CoNLL 2002", "SemEval 2013 Task 2": its own dataset
            if edition != e:
                e = edition
                base = text[s:e]
        full = text[s:e]
        aliases = [base] if base != full and lex.by_key.get(norm_key(full)) is None else []
        hits.append(Candidate(full, s, e, sentence_at(starts, s), entry.kind, 0.9, "lexicon",
                              aliases=aliases, lexical=True))
    return hits


def _shape_candidates(text: str, bounds: list[tuple[int, int]], starts: list[int], lex: Lexicon,
                      cues: Cues, plural_keys: set[str]) -> list[Candidate]:
    """Name-shaped words, merged with following capitalised words and version tags."""
    out: list[Candidate] = []
    words = []
    # Words of a URL ("github.com/lab/FooNet_cvpr") are no mentions; the repo stage reads URLs.
    urls = url_spans(text) if ("://" in text or "www." in text or ".com/" in text) else []
    first = _NAMEISH_AT_START.match(text)
    for m in ([first] if first else []) + list(_NAMEISH.finditer(text, first.end() if first else 0)):
        s0, g = (m.start(), m.group()) if m is first else (m.start(1), m.group(1))
        if urls and any(a <= s0 < b for a, b in urls):
            continue
        # "A/B" are two words, "occlusion.Neighbor" is a missing space.
        if "/" in g or "." in g:
            parts = [(p.group(), s0 + p.start()) for p in _PART_SPLIT.finditer(g)]
        else:
            parts = ((g, s0),)
        for w, s in parts:
            w = w.rstrip(".'’-")
            if w and not (w[0] in _LOWER and _LOWER_HEAD.match(w)) and not (
                    s >= 2 and text[s - 2] == "\\" and text[s - 1] in "\"'"):
                words.append((w, s, s + len(w)))
    facts = [_word_facts(w) for w, _, _ in words]
    i = 0
    while i < len(words):
        w, s, e = words[i]
        base, shape, junk, plural, _ = facts[i]
        if shape is None or junk:  # most words: a capitalised sentence start is "title", numbers are None
            i += 1
            continue
        if plural:
            plural_keys.add(norm_key(base[:-1]))
            i += 1
            continue
        sent = sentence_at(starts, s)
        in_title = sent == 0
        strong = shape in ("mixed", "caps")
        # Not the sentence's first word (only opening marks before it); asked only when it matters.
        weak = (shape == "title" and not in_title and base.lower() not in _GREEK
                and _NOT_OPENING.search(text, bounds[sent][0], s) is not None)
        if not (strong or weak) or lex.is_generic(base):
            i += 1
            continue
        j = i + 1
        span_end = s + len(base)
        # Extend over adjacent words of the same sentence: capitalised names and version tags.
        while (base == w and j < len(words) and words[j][1] == words[j - 1][2] + 1 and text[words[j - 1][2]] == " "
               and words[j][1] < bounds[sent][1]):
            nxt, sh, junk, plural, version = facts[j]
            if junk or plural or lex.is_generic(nxt):
                break
            if version or (not in_title and sh in ("mixed", "caps", "title")):
                span_end = words[j][1] + len(nxt)
                j += 1
                if nxt != words[j - 1][0]:
                    break
                continue
            break
        cand = text[s:span_end]
        # Never end a name on a generic class word ("CLIP models" -> "CLIP").
        parts = cand.split(" ")
        while len(parts) > 1 and (lex.is_generic(parts[-1]) or parts[-1].lower() in cues.dataset_nouns):
            parts.pop()
        cand = " ".join(parts)
        if not lex.is_generic(cand) and len(cand) >= 2:
            conf = 0.7 if strong else 0.4
            out.append(Candidate(cand, s, s + len(cand), sent, None, conf, "shape"))
        i = j
    return out


_BENCH_SUBTITLE = re.compile(r"\b(?:benchmark(?:s|ing)?|dataset|corpus|test suite|leaderboard|testbed)\b")
_FUNCTION_WORDS = frozenset("a an the of for to in on with and or vs vs. versus is are do does can how why what when "
                            "via by from as at towards toward beyond".split())


def _title_prefix(text: str, title_end: int, lex: Lexicon) -> Candidate | None:
    """`Name: a subtitle` in the title names what the paper introduces."""
    title = text[:title_end]
    m = re.match(r"^\s*([^:?]{1,60}?)\s*:\s+\S", title)
    if not m:
        return None
    head = m.group(1)
    parts = head.split()
    if not 1 <= len(parts) <= 3 or any(p.lower() in _FUNCTION_WORDS for p in parts):
        return None
    if any(_JUNK.search(p) or is_plural_acronym(p) or p[:1].islower() and i == 0 for i, p in enumerate(parts)):
        return None
    shaped = any(name_shape(p.strip("()")) in ("mixed", "caps") for p in parts)
    # Several plain words name something only when none is a gerund ("Interpolating Videos").
    if not shaped and len(parts) > 1 and any(p.lower().endswith("ing") for p in parts[:1]):
        return None
    if lex.is_generic(head):
        return None
    start = title.index(head)
    subtitle = title[m.end(1):].lower()
    # "X: A Benchmark for ..." introduces a dataset, which is no proposed method.
    if _BENCH_SUBTITLE.search(subtitle[:60]):
        return Candidate(head, start, start + len(head), 0, "dataset", 0.8, "title")
    return Candidate(head, start, start + len(head), 0, None, 0.85, "title", proposed=True, plain_title=not shaped)


def find_candidates(text: str, bounds: list[tuple[int, int]], lex: Lexicon, cues: Cues,
                    abbreviations: list[Abbreviation], title_end: int) -> list[Candidate]:
    """All candidate names of the text, overlaps resolved (longer and surer wins)."""
    starts = [b[0] for b in bounds]
    plural_keys: set[str] = set()
    family: dict[int, str] = {}
    cands = _lexicon_hits(text, starts, lex, family)
    cands += _shape_candidates(text, bounds, starts, lex, cues, plural_keys)
    cands += [Candidate(text[a:b], a, b, sentence_at(starts, a), "dataset", 0.8, "shape")
              for a, b in shared_task_spans(text)]
    cands += game_candidates(text, starts)
    for c in cands:
        if c.source == "shape" and family.get(c.start) == "dataset":
            c.kind = "dataset"  # a named variant of a known benchmark is a benchmark
        elif c.source == "shape" and family.get(c.start) == "method":
            c.variant = True
    head = _title_prefix(text, title_end, lex)
    if head:
        cands.append(head)
    cands.extend(_abbreviation_candidates(abbreviations, lex, starts, cues))
    if "-" in text:
        cands.extend(lower_coined(text, starts))
    if "propose" in text or "introduce" in text or "present" in text:
        cands.extend(introduced_the(text, starts, lex))
        cands.extend(lower_the_named(text, starts, lex))
    cands.extend(metric_phrases(text, starts, lex))
    if "'" in text or '"' in text or "“" in text or "‘" in text or "`" in text:
        cands.extend(quoted_names(text, starts))
    kept = _resolve_overlaps(cands)
    # The singular of a plural acronym is the same class ("LLM" beside "LLMs").
    return [c for c in kept if c.lexical or c.source == "title" or norm_key(c.text) not in plural_keys]


def _abbreviation_candidates(abbreviations: list[Abbreviation], lex: Lexicon, starts: list[int],
                             cues: Cues) -> list[Candidate]:
    out = []
    for ab in abbreviations:
        if lex.is_generic(ab.short) or lex.is_generic(ab.long) or is_plural_acronym(ab.short):
            continue
        sent = sentence_at(starts, ab.short_start)
        # The long form decides the kind: "masked autoencoders (MAE)" is no mean absolute error.
        entry = lex.lookup(ab.long)
        lexical = entry is not None
        if entry is None:
            short_entry = lex.lookup(ab.short)
            # A known acronym keeps its kind unless the lexicon knows another expansion of it
            # ("multi-resolution coding (MRC)" is no reading comprehension); it stays
            # proposable, since a paper that spells out a known acronym may be its origin.
            if short_entry is not None and not any(" " in f for f in (short_entry.label, *short_entry.aliases)):
                entry = short_entry
        kind = entry.kind if entry else None
        last = ab.long.split()[-1].lower()
        if kind is None and (last in cues.dataset_nouns or any(ab.short.endswith(x) for x in cues.dataset_suffixes)):
            kind = "dataset"  # "a new Multi-domain Retail dataset (MRD)", "(FooBench)"
        cand = Candidate(ab.short, ab.short_start, ab.short_start + len(ab.short), sent,
                         kind, 0.85, "abbreviation", aliases=[ab.long], lexical=lexical,
                         cue_start=min(ab.long_start, ab.short_start))
        out.append(cand)
        # The long form is the same entity: mark its span so shape words inside it drop out.
        out.append(Candidate(ab.long, ab.long_start, ab.long_start + len(ab.long), sent,
                             "_alias", 0.0, "abbreviation", aliases=[ab.short]))
    return out


# On equal spans the title's `Name:` wins over the lexicon: "FastSpeech 2: ..." is that paper.
_PRIORITY = {"abbreviation": 4, "title": 3, "lexicon": 2, "shape": 1}


def _resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Longer spans first, then the surer source: keep each span that overlaps no kept one.

    The kept characters are marked in a bytearray, so a candidate costs its own length; a
    scan over every kept span made long texts quadratic. (No rule makes an empty span; one
    is still judged as before: it overlaps a span that holds it strictly inside.)
    """
    cands.sort(key=lambda c: (-(c.end - c.start), -_PRIORITY[c.source], c.start))
    taken = bytearray(max((c.end for c in cands), default=0))
    empty: list[int] = []  # offsets of kept empty spans
    kept = []
    for c in cands:
        if c.start < c.end:
            if taken.find(1, c.start, c.end) >= 0 or (empty and any(c.start < p < c.end for p in empty)):
                continue
            taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        elif any(k.start < c.start < k.end for k in kept):
            continue
        else:
            empty.append(c.start)
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    return kept
