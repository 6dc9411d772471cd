"""Research tasks: short normalised noun phrases ending in a task head (`image classification`).

Every task phrase of a paper gathers evidence: where it stands (title, first sentence, an acronym
definition, a lexicon entry) and how it is framed (`X tasks`, `tasks such as X`, `we study X`,
`the field of X`), plus how often the abstract repeats it. The few best-supported phrases are the
paper's main tasks (at most MAX_TASKS, each with at least MIN_SCORE and a share of the best
one's evidence), their confidence growing with the evidence. Cue words are data in patterns/
(task_heads, task_modifiers, task_stop, task_standalone, task_frames).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from spacy.tokens import Doc

from kg.defaults import PATTERN_DIR
from kg.extract.cues import Cues
from kg.extract.entities import name_shape
from kg.extract.lexicon import Lexicon, load_wordlist, norm_key
from kg.records import Mention

__all__ = ["task_phrases", "title_phrases", "find_tasks", "normalise_task", "MAX_TASKS", "MIN_SCORE"]

#: At most this many tasks per paper (papers address one to five main tasks).
MAX_TASKS = 4
#: Evidence a phrase needs to be kept (a title phrase alone passes; a passing mention does not).
MIN_SCORE = 1.0
# ... and at least this share of the best task's evidence: a passing mention next to a main task is none.
_RELATIVE = 0.3
_MAX_WORDS = 4

# Evidence weights of the sources (see find_tasks).
_W_TITLE, _W_TITLE_SINGLE, _W_TITLE_MEANS, _W_IN_TITLE = 3.0, 2.0, 0.5, 1.0
_W_LEXICON, _W_ACRONYM, _W_FIRST, _W_FRAME, _W_REPEAT, _W_REPEAT_CAP = 1.5, 1.0, 1.5, 1.5, 0.5, 1.5

# Function words and punctuation split text into phrases ("Text-to-Image" stays one word).
_FUNCTION = frozenset(
    "for via with using through by in on of to toward towards from without and or as at under beyond is are was "
    "were be been do does can could may might will would should a an the we our its their this that these those "
    "which it they has have had when where how why what into over between against across based than while such "
    "not also only like including especially e.g i.e etc".split()
)
_TOKEN = re.compile(r"[:,;?!()\[\]—–]|\s-\s|[^\s:,;?!()\[\]—–]+")
# "parameter efficient fine-tuning": a noun before one of these makes a compound adjective.
_COMPOUND_ADJ = frozenset({"efficient", "free", "aware", "based", "driven", "guided", "constrained"})
_COMPOUND_NOUNS = frozenset({"parameter", "memory", "data", "sample", "compute", "energy", "label", "communication",
                             "resource", "training", "tuning", "reference", "context", "knowledge", "text", "budget"})
_WORD_OK = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
_MODIFIERS = frozenset(w.lower() for w in load_wordlist(PATTERN_DIR / "task_modifiers.txt"))
_TOO_BROAD = frozenset(w.lower() for w in load_wordlist(PATTERN_DIR / "task_stop.txt"))
_STANDALONE = frozenset(w.lower() for w in load_wordlist(PATTERN_DIR / "task_standalone.txt"))
_FRAMES = {w.split("\t")[0].lower(): float(w.split("\t")[1]) for w in load_wordlist(PATTERN_DIR / "task_frames.txt")}
# These run on lower-cased text, case-sensitive: much faster than re.IGNORECASE.
_FRAME_RE = re.compile(r"\b(?:" + "|".join(sorted(_FRAMES, key=len, reverse=True)) + r")\b")
# A title phrase after these words names the means ("... via Token Merging"), seldom the task.
_MEANS = frozenset({"with", "via", "using", "by", "through"})
# "tasks such as X, Y and Z", "applications including X": a list of tasks follows. The opener
# is searched first (it is rarer), then a frame noun just before it.
_LIST_OPENER = re.compile(r"(?:such as|including|like|e\.g\.,?|namely|spanning|covering|ranging from)\s+")
_LIST_FRAME = re.compile(
    r"\b(?:tasks?|problems?|applications?|domains?|settings?|areas?|fields?|benchmarks?|scenarios)\b[^.;:()]{0,30}$"
)
# "we study X", "the field of X": the phrase right after names a task.
_RIGHT_CUE = re.compile(
    r"\b(?:(?:we|this (?:paper|work))\s+(?:\w+ly\s+)?(?:study|studies|address|tackle|investigate|consider|"
    r"focus on|explore|examine|revisit|propose to solve)|(?:field|area|domain|task|problem|context)s? of)\s+"
)
# A sentence opening "For X, ..." or "In X, ..." sets the task of what follows.
_OPENING = re.compile(r"[.!?] (?:for|in) (?=[^,.;]{3,50},)")
_CHUNK_END = re.compile(r"[.;:()]|\b(?:which|that|where|while|to|with|using|by)\b")
_FIRST = re.compile(
    r"^(?:In\s+|Recent (?:advances|progress|work) in\s+)?(.{3,80}?)"
    r"(?:\s+\([^)]{1,15}\))?(?:\s+(?:aims?|is|are|has|have|refers|seeks|involves|remains|methods|approaches)\b|,)"
)


# The word-level helpers below are pure and see the same words again and again: cached.
@lru_cache(maxsize=1 << 16)
def _singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 5:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith(("ss", "is", "us")) and len(w) > 4:
        return w[:-1]
    return w


@lru_cache(maxsize=1 << 16)
def _head_of(word: str, heads: frozenset[str]) -> bool:
    w = word.lower()
    return w in heads or _singular(w) in heads or w.split("-")[-1] in heads


@lru_cache(maxsize=1 << 16)
def _is_name(word: str) -> bool:
    """A coined name (ZephyrNet, GPT-4), not a title-cased compound (Test-Time)."""
    if name_shape(word) != "mixed":
        return False
    parts = [p for p in word.split("-") if p]
    return not all(p[:1].isupper() and (p[1:].islower() or not p[1:]) for p in parts)


def normalise_task(words: list[str]) -> str:
    """Lower case except acronyms; a plural head made singular; no leading articles.

    >>> normalise_task(["Image", "Classifications"]), normalise_task(["LLM", "Reasoning"])
    ('image classification', 'LLM reasoning')
    """
    out = [w if name_shape(w) == "caps" else w.lower() for w in words]
    if out and name_shape(out[-1]) != "caps":
        out[-1] = _singular(out[-1])
    return " ".join(out)


def _split(text: str) -> list[tuple[str, list[str]]]:
    """The phrases of `text`, each as (the word or mark before it, its words).

    A token scan with set lookups, not one big regex: this runs on every abstract.
    """
    out: list[tuple[str, list[str]]] = []
    words: list[str] = []
    before = ""
    for tok in _TOKEN.findall(text):
        w = tok.strip().strip("\"'“”‘’*")
        ends = w.endswith(".")
        w = w.rstrip(".")
        low = w.lower()
        if not w or low in _FUNCTION or not w[0].isalnum():
            if words:
                out.append((before, words))
                words = []
            before = low or tok.strip() or before
            continue
        words.append(w)
        if ends:  # a sentence end (or an abbreviation's dot): the phrase ends here
            out.append((before, words))
            words, before = [], "."
    if words:
        out.append((before, words))
    return out


def _segments(text: str) -> list[list[str]]:
    return [words for _, words in _split(text)]


def _phrase_ending(words: list[str], i: int, heads: frozenset[str], *, single: bool) -> str | None:
    """The task phrase whose head is words[i], at most four words, or None."""
    if not _head_of(words[i], heads) or not _WORD_OK.match(words[i]):
        return None
    start = i
    while start > 0 and i - start + 1 < _MAX_WORDS:
        prev = words[start - 1]
        low = prev.lower()
        if low in _COMPOUND_ADJ and start >= 2 and words[start - 2].lower() in _COMPOUND_NOUNS:
            start -= 2  # "parameter efficient", "memory efficient": a compound adjective, kept
            continue
        if (low in _MODIFIERS or _is_name(prev) or not _WORD_OK.match(prev) or low.endswith("ly")
                or (low.endswith("ing") and start - 1 == 0 and (i - start >= 1 or not _head_of(prev, heads)))):
            # A gerund opening a longer phrase is its verb ("Understanding Likelihood Estimation").
            break
        start -= 1
    phrase = words[start: i + 1]
    if len(phrase) == 1 and not (single and _singular(phrase[0]) in _STANDALONE):
        # A bare head ("learning", "generation") names no task on its own.
        return None
    text = normalise_task(phrase)
    return None if text.lower() in _TOO_BROAD else text


def task_phrases(text: str, heads: frozenset[str], *, single: bool = True) -> list[str]:
    """Noun phrases of `text` that end in a task head, one per phrase, at most four words each.

    >>> task_phrases("Robust Test-Time Model Adaptation under Drift", frozenset({"adaptation"}))
    ['test-time model adaptation']
    >>> task_phrases("Query Rewriting for Code Search", frozenset({"rewriting", "search"}))
    ['query rewriting', 'code search']
    """
    found = []
    for words in _segments(text):
        p = _last_phrase(words, heads, single=single)
        if p:
            found.append(p)
    return found


def _last_phrase(words: list[str], heads: frozenset[str], *, single: bool) -> str | None:
    """The task phrase ending at the last head word of one phrase's words."""
    for i in range(len(words) - 1, -1, -1):
        if _head_of(words[i], heads):
            return _phrase_ending(words, i, heads, single=single)
    return None


def title_phrases(title: str, heads: frozenset[str]) -> list[tuple[str, str, str]]:
    """Task phrases of a title, each with the words before and after its phrase ("for", "via", "").

    >>> title_phrases("Fast Query Expansion via Token Merging", frozenset({"expansion", "merging"}))
    [('query expansion', '', 'via'), ('token merging', 'via', '')]
    """
    out = []
    phrases = _split(title)
    for n, (before, words) in enumerate(phrases):
        p = _last_phrase(words, heads, single=True)
        if p:
            after = phrases[n + 1][0] if n + 1 < len(phrases) else ""
            out.append((p, before, after))
    return out


@dataclass(slots=True)
class _Evidence:
    text: str
    keys: set[str]  # norm_keys of every form (text, acronym, lexicon label) of the task
    score: float = 0.0
    first: int = 1 << 30  # offset of the first supporting position, for stable ties
    aliases: set[str] = field(default_factory=set)
    sources: list[str] = field(default_factory=list)  # which rules supported it (for inspection)


@lru_cache(maxsize=1 << 14)
def _words(text: str) -> frozenset[str]:
    return frozenset(_singular(w) for w in re.findall(r"\w+", text.lower()))


def _overlaps(a: str, b: str) -> bool:
    """One task in two wordings: the same head, and half the words shared or one inside the other.

    >>> _overlaps("test-time model adaptation", "test-time adaptation")
    True
    >>> _overlaps("natural language processing", "natural language understanding")
    False
    """
    wa, wb = _words(a), _words(b)
    if not (wa and wb) or _singular(a.split()[-1]) != _singular(b.split()[-1]):
        return False
    return len(wa & wb) / len(wa | wb) >= 0.5 or wa <= wb or wb <= wa


@lru_cache(maxsize=1 << 16)
def _clean(text: str) -> str:
    """A surface form as a task name: edge punctuation off, lower case but for acronyms."""
    words = [w.strip(".,;:!?()[]{}\"'“”‘’") for w in text.split()]
    return normalise_task([w for w in words if w])


def _canonical(text: str, aliases, lex: Lexicon) -> tuple[str, set[str]]:
    """The display name of a task (its long form, or the lexicon's label) and all its forms."""
    forms = {_clean(a) for a in (text, *aliases)} - {""}
    entry = lex.lookup(text)
    if entry is not None and entry.kind == "task":
        forms |= {_clean(f) for f in (entry.label, *entry.aliases)}
        name = _clean(entry.label)
    else:
        name = _clean(text)
    if name_shape(name) == "caps":
        longer = sorted((f for f in forms if name_shape(f) != "caps" and len(f) > len(name)), key=len)
        name = longer[0] if longer else name
    # An acronym of only the tail ("RL" on "offline reinforcement learning") names another task,
    # unless the lexicon says so ("ReID" for "person re-identification").
    listed = {norm_key(f) for f in (entry.label, *entry.aliases)} if entry is not None else set()
    forms = {f for f in forms if name_shape(f) != "caps" or f == name or norm_key(f) in listed
             or _initial_fits(f, name)}
    return name, forms


def _initial_fits(acronym: str, text: str) -> bool:
    """An acronym starts where its long form starts ("TTA" / "test-time adaptation")."""
    return acronym[:1].lower() == text[:1].lower()


def _frame_phrases(abstract: str, scan: str, heads: frozenset[str]):
    """("<task phrase>", weight, offset) before each frame noun ("... captioning tasks")."""
    for m in _FRAME_RE.finditer(scan):
        window = abstract[max(0, m.start() - 60): m.start()]
        before = window.rsplit(None, 1)
        if not before or not _head_of(before[-1].strip("\"'”’*-"), heads):
            continue  # most frame nouns follow no task head ("the proposed method")
        phrases = _split(window)
        if phrases and not window[-1:].strip(" -"):
            words = phrases[-1][1]
            if words and window.rstrip().endswith(words[-1]):
                p = _phrase_ending(words, len(words) - 1, heads, single=True)
                if p:
                    frame = m.group(0).lower()
                    yield p, _FRAMES[frame], m.start(), "frame:" + frame


def _right_phrases(abstract: str, scan: str, heads: frozenset[str]):
    """Phrases right after a list opener ("tasks such as X and Y") or a study cue ("we study X")."""
    starts = [(m.end(), True) for m in _LIST_OPENER.finditer(scan)
              if _LIST_FRAME.search(scan, max(0, m.start() - 60), m.start())]
    starts += [(m.end(), False) for m in _RIGHT_CUE.finditer(scan)]
    starts += [(m.end(), False) for m in _OPENING.finditer(scan)]
    for start, is_list in starts:
        chunk = _CHUNK_END.split(abstract[start: start + 120], 1)[0]
        items = task_phrases(chunk, heads)
        for p in items if is_list else items[:1]:
            yield p, _W_FRAME, start, "list" if is_list else "cue"


def find_tasks(doc: Doc, title_end: int, lexicon_tasks: list[Mention], cues: Cues, lex: Lexicon,
               exclude: set[str]) -> list[Mention]:
    """The main tasks of a paper, best supported first (see the module docstring).

    `lexicon_tasks` are the task mentions the entity rules found (lexicon hits, acronym
    definitions); `exclude` holds the norm_keys of the paper's other entities (no task).
    """
    heads = cues.task_heads
    text = doc._.text
    title, abstract = text[:title_end], text[title_end:]
    low_title, low_abstract = title.lower(), abstract.lower()
    scan = low_abstract if len(low_abstract) == len(abstract) else abstract  # offsets must agree
    found: list[_Evidence] = []
    by_key: dict[str, _Evidence] = {}

    def add(phrase: str, weight: float, pos: int, source: str, aliases=()) -> None:
        words = phrase.split()
        while len(words) > 1 and norm_key(words[0]) in exclude:
            words = words[1:]  # "ZorbBench compositional reasoning": a name is no part of a task
        name, forms = _canonical(" ".join(words), aliases, lex)
        keys = {norm_key(f) for f in forms} - {""}
        if not keys or keys & exclude or name.lower() in _TOO_BROAD:
            return
        e = next((by_key[k] for k in sorted(keys) if k in by_key), None)
        if e is None:
            e = _Evidence(name, set())
            found.append(e)
        for k in keys:
            by_key.setdefault(k, e)
        e.keys |= keys
        e.score += weight
        e.sources.append(source)
        e.first = min(e.first, pos)
        e.aliases |= forms

    for p, before, after in title_phrases(title, heads):
        weight = _W_TITLE_MEANS if before in _MEANS else _W_TITLE if " " in p else _W_TITLE_SINGLE
        add(p, weight, 0, f"title:{before}>{after}")
    for m in lexicon_tasks:
        in_title = m.text.lower() in low_title or any(a in title for a in m.aliases)
        acronym = any(name_shape(a) in ("caps", "mixed") for a in m.aliases)
        pos = low_abstract.find(m.text.lower())
        add(m.text, _W_LEXICON + (_W_IN_TITLE if in_title else 0) + (_W_ACRONYM if acronym else 0),
            pos if pos >= 0 else 1 << 20, "lexicon", m.aliases)
    bounds = doc._.sent_bounds or [(s.start_char, s.end_char) for s in islice(doc.sents, 2)]
    if len(bounds) > 1:
        m = _FIRST.match(text[bounds[1][0]: bounds[1][1]].strip())
        if m:
            for p in task_phrases(m.group(1), heads, single=False)[:1]:
                add(p, _W_FIRST, 1, "first")
    for p, weight, pos, source in (*_frame_phrases(abstract, scan, heads), *_right_phrases(abstract, scan, heads)):
        add(p, weight, pos, source)
    for e in found:
        n = max(abstract.count(f) if name_shape(f) == "caps" else low_abstract.count(f.lower())
                for f in e.aliases | {e.text})
        e.score += min(_W_REPEAT_CAP, _W_REPEAT * max(0, n - 1))
        if e.first > 0 and e.text.lower() in low_title:
            e.score += _W_IN_TITLE
    return _choose(found)


def _choose(found: list[_Evidence]) -> list[Mention]:
    """The best-supported tasks, one per wording, at most MAX_TASKS."""
    chosen: list[_Evidence] = []
    ranked = sorted(found, key=lambda e: (-e.score, e.first, e.text))
    floor = max(MIN_SCORE, _RELATIVE * ranked[0].score) if ranked else MIN_SCORE
    for e in ranked:
        if e.score < floor or len(chosen) >= MAX_TASKS:
            break
        twin = next((c for c in chosen if _overlaps(c.text, e.text)), None)
        if twin is not None:
            tw, ew = _words(twin.text), _words(e.text)
            if tw < ew and " " not in twin.text:
                # "quantization" + "post-training quantization": the specific one names it, with
                # its own forms only (aliases merge tasks across papers).
                twin.text, twin.aliases = e.text, set(e.aliases)
            elif ew <= tw:
                # "test-time adaptation (TTA)" inside "test-time model adaptation": its acronym fits.
                twin.aliases.update(a for a in e.aliases if name_shape(a) == "caps" and _initial_fits(a, twin.text))
            continue
        chosen.append(e)
    return [Mention(e.text, "task", round(min(0.9, 0.3 + 0.15 * e.score), 3),
                    aliases=tuple(sorted(a for a in e.aliases if a != e.text))) for e in chosen]
