"""Research tasks: short normalised noun phrases ending in a task head (`image classification`).

Every task phrase of a paper gathers evidence: where it stands (title, first sentence, an acronym
definition, a lexicon entry) and how it is framed (`X tasks`, `tasks such as X`, `tasks: X, Y`,
`we study X`, `the field of X`, `a method for X`), plus how often the abstract repeats it. The few
best-supported phrases are the paper's main tasks (at most MAX_TASKS, each with at least MIN_SCORE
and a share of the best one's evidence), their confidence growing with the evidence. Cue words are
data in patterns/ (task_heads, task_problem_heads, task_modifiers, task_stop, task_standalone,
task_frames, task_fields: fields of study, which are no task).
Titles also give a head with its object ("Estimation of Tail Risks") and a task verb's gerund
with its object, named by its task noun when it has one ("Detecting Cracks": crack detection; "Learning Sparse Tree Structures"
stays), and a prefixed head on its own ("Meta-Training"). The abstract also gives the object of a verb
of improving ("improves retrieval"), the phrase after a result number ("4% on X"), each conjunct
before a frame noun ("parsing and tagging tasks"), and a modifier coordinated with a task's first
word ("image and video generation": image generation too). A phrase opening with a verb or function
word is trimmed before it is ranked. The phrase scanner itself is kg.extract.task_phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from spacy.tokens import Doc

from kg.defaults import LEXICON_DIR, PATTERN_DIR
from kg.extract.cues import Cues
from kg.extract.entities import name_shape
from kg.extract.junk import broken_task
from kg.extract.lexicon import Lexicon, load_wordlist, norm_key
from kg.extract.task_phrases import (
    MODIFIERS,
    PROBLEM_HEADS,
    TOO_BROAD,
    WORD_OK,
    gerund_noun,
    head_of,
    last_phrase,
    normalise_task,
    object_phrase,
    phrase_ending,
    singular,
    split_phrases,
    task_gerund,
    task_phrases,
)
from kg.records import Mention

__all__ = ["find_tasks", "MAX_TASKS", "MIN_SCORE", "TaskSettings"]

#: At most this many tasks per paper (papers address one to five main tasks; chosen by cross-validation).
MAX_TASKS = 5
#: Evidence a phrase needs to be kept (a title phrase alone passes; a passing mention does not).
MIN_SCORE = 1.0
# ... and at least this share of the best task's evidence: a passing mention next to a main task is none.
_RELATIVE = 0.3

# Evidence weights of the sources (see find_tasks).
_W_TITLE, _W_TITLE_SINGLE, _W_TITLE_MEANS, _W_IN_TITLE = 3.0, 2.0, 0.5, 1.0
_W_ACRONYM, _W_FIRST, _W_FRAME, _W_REPEAT, _W_REPEAT_CAP = 1.0, 1.5, 1.5, 0.5, 1.5


@dataclass(frozen=True)
class TaskSettings:
    """The choices cross-validation makes (scripts/crossval.py): how much a name on the broad task
    list (Papers with Code) or the curated lexicon counts, the share of the best task's evidence a
    task needs, and how many tasks a paper keeps; and a switch per candidate rule."""

    general: float = 1.5
    lexicon: float = 1.0  # ... and a name in the curated task lexicon (lexicon/tasks.jsonl); 1.0 chosen over 1.5
    relative: float = _RELATIVE
    max_tasks: int = MAX_TASKS
    general_heads: bool = True  # also the head words of the broad task list (lexicon/pwc_task_heads.txt)
    # The candidate rules of general forms (0 or False switches one off; see _title_candidates):
    title_of: float = 2.0  # "Estimation of Tail Risks": a head with its "of" object
    title_gerund: float = 1.5  # "Learning Sparse Tree Structures": a gerund with its object
    problem_heads: bool = True  # problem and property nouns as heads (patterns/task_problem_heads.txt)
    purpose: float = 1.0  # "a method for X", "results on X": the phrase a method or result is for
    colon_list: bool = True  # "three tasks: X, Y and Z": a list after a frame noun and a colon or dash
    nominal: bool = True  # ... the gerund as its task noun ("Compressing Speech Encoders": speech encoder compression)
    trim_verbs: bool = True  # "introduce token merging": words no noun phrase starts with, cut off before ranking
    fields: bool = True  # a field of study is no task ("natural language processing"; patterns/task_fields.txt)
    result_on: bool = True  # "gains of 4% on X": a result number before "on"/"in" makes X what the result is on
    compound: bool = True  # a title part that is one prefixed head ("Meta-Training", "Self-Correction")
    improve: float = 1.0  # "improves retrieval", "enhancing LLM reasoning": the object of a verb of improving
    conjuncts: bool = True  # "parsing and tagging tasks": a frame noun after a coordination frames each conjunct
    coordination: bool = True  # "image and video generation": a modifier shares the head after "and"/"or"


#: Read at extraction time.
SETTINGS = TaskSettings()

_FRAMES = {w.split("\t")[0].lower(): float(w.split("\t")[1]) for w in load_wordlist(PATTERN_DIR / "task_frames.txt")}
# Fields of study, never a paper's task (checked on the display name, like TOO_BROAD).
_FIELDS = frozenset(w.lower() for w in load_wordlist(PATTERN_DIR / "task_fields.txt"))
# These run on lower-cased text, case-sensitive: much faster than re.IGNORECASE.
_FRAME_RE = re.compile(r"\b(?:" + "|".join(sorted(_FRAMES, key=len, reverse=True)) + r")\b")
# A title phrase after these words names the means ("... via Token Merging"), seldom the task.
_MEANS = frozenset({"with", "via", "using", "by", "through"})
# "A, B and C tasks": what joins the conjuncts a frame noun after them applies to.
_CONJUNCTS = frozenset({"and", "or", ","})
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
# "three tasks: X, Y and Z", "applications — X and Y": a colon or dash opens a list too.
_COLON_OPENER = re.compile(r"[:—–]\s*")
# "a method for X", "results on X", "applied to X": the phrase right after names what the method or
# result is for (a task when it ends in a task head; a dataset name ends in none). The preposition
# is searched (a literal, fast), then the word before it looked up.
_PURPOSE_PREP = re.compile(r" (?:for|to|on|in) (?:the )?")
_PURPOSE_WORDS = frozenset(
    "method methods approach approaches framework frameworks algorithm algorithms technique techniques model models "
    "system systems pipeline pipelines solution solutions tool tools performance results accuracy improvement "
    "improvements gains progress advances research apply applied applying application applications".split()
)
# "Meta-Training", "Self-Evaluation": a plain prefix glued to a head by a hyphen.
_COMPOUND_TASK = re.compile(r"^[A-Za-z][a-z]{1,8}-[A-Za-z][a-z]+$")
# "gains of 4% on X", "0.8 BLEU points in X": a result number before "on"/"in" (X a task when it ends in a head).
_RESULT_NUMBER = re.compile(r"^[+-]?\d[\d.,]*(?:%|x|×|points?)?$")
# "improves retrieval", "enhancing LLM reasoning": what a paper makes better is its task.
# (No leading \b: it makes the search three times slower; the word start is checked on the few hits.)
_IMPROVE = re.compile(r"(?:(?:improv|enhanc|advanc|accelerat)(?:e|es|ed|ing)|boost(?:s|ed|ing)?) (?:the )?")
# First words after a verb of improving that open no object phrase (a cheap test before the phrase scan).
_NOT_OBJECT = frozenset("on by upon over with in to for and or from their its our this these that both a an".split())
# A sentence opening "For X, ..." or "In X, ..." sets the task of what follows.
_OPENING = re.compile(r"[.!?] (?:for|in) (?=[^,.;]{3,50},)")
_CHUNK_END = re.compile(r"[.;:()]|\b(?:which|that|where|while|to|with|using|by)\b")
_FIRST = re.compile(
    r"^(?:In\s+|Recent (?:advances|progress|work) in\s+)?(.{3,80}?)"
    r"(?:\s+\([^)]{1,15}\))?(?:\s+(?:aims?|is|are|has|have|refers|seeks|involves|remains|methods|approaches)\b|,)"
)


def _title_candidates(title: str, heads: frozenset[str], settings: TaskSettings):
    """(phrase, weight, source) for each task phrase of a title: the phrases ending in a head
    (as task_phrases.title_phrases finds them, here with the next part's words at hand), a head's "of"
    object with it ("Estimation of Tail Risks"), and a gerund opening a title part with its
    object ("Learning Sparse Tree Structures")."""
    phrases = split_phrases(title)
    for n, (before, words) in enumerate(phrases):
        after, following = phrases[n + 1] if n + 1 < len(phrases) else ("", [])
        p = last_phrase(words, heads, single=True)
        source = f"title:{before}>{after}"
        weight = _W_TITLE_MEANS if before in _MEANS else _W_TITLE if p and " " in p else _W_TITLE_SINGLE
        if settings.title_of and after == "of" and head_of(words[-1], heads) and WORD_OK.match(words[-1]):
            obj = object_phrase(following)
            if obj:  # (p, if any, ends in this head: last_phrase scans from the end)
                if p is None:
                    p, weight = words[-1].lower(), min(weight, settings.title_of)
                yield f"{p} of {obj}", weight, source + ":of"
                continue
        if p is None and settings.compound and len(words) == 1 and _COMPOUND_TASK.match(words[0]) \
                and head_of(words[0], heads):
            p = words[0].lower()  # "Meta-Training with ...": a prefixed head is a task on its own
        if p:
            yield p, weight, source
        elif (settings.title_gerund and before not in _MEANS and task_gerund(words[0], heads)
              and (obj := object_phrase(words[1:]))):
            noun = gerund_noun(words[0], heads) if settings.nominal else None
            # The task as a noun phrase, as the abstract and the field name it (the object first).
            yield (f"{obj} {noun}" if noun else f"{words[0].lower()} {obj}"), settings.title_gerund, source + ":gerund"


@lru_cache(maxsize=8)
def _all_heads(heads: frozenset[str], general: bool, problem: bool = False) -> frozenset[str]:
    """The cue list's task heads, with the broad list's and the problem nouns when asked (one set
    object per choice, so the cached word tests keep hitting)."""
    if general:
        heads = heads | frozenset(w.lower() for w in load_wordlist(LEXICON_DIR / "pwc_task_heads.txt"))
    return heads | PROBLEM_HEADS if problem else heads


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
    return frozenset(singular(w) for w in re.findall(r"\w+", text.lower()))


def _overlaps(a: str, b: str) -> bool:
    """One task in two wordings: the same head, and half the words shared or one inside the other.

    >>> _overlaps("test-time model adaptation", "test-time adaptation")
    True
    >>> _overlaps("natural language processing", "natural language understanding")
    False
    """
    wa, wb = _words(a), _words(b)
    if not (wa and wb) or singular(a.split()[-1]) != singular(b.split()[-1]):
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


def _frame_phrases(abstract: str, scan: str, heads: frozenset[str], conjuncts: bool = False):
    """("<task phrase>", weight, offset) before each frame noun ("... captioning tasks"), and with
    `conjuncts` before it too when the frame follows a coordination ("parsing and tagging tasks")."""
    for m in _FRAME_RE.finditer(scan):
        window = abstract[max(0, m.start() - 60): m.start()]
        before = window.rsplit(None, 1)
        if not before or not head_of(before[-1].strip("\"'”’*-"), heads):
            continue  # most frame nouns follow no task head ("the proposed method")
        phrases = split_phrases(window)
        if phrases and not window[-1:].strip(" -"):
            words = phrases[-1][1]
            if words and window.rstrip().endswith(words[-1]):
                p = phrase_ending(words, len(words) - 1, heads, single=True)
                if p:
                    frame = m.group(0).lower()
                    yield p, _FRAMES[frame], m.start(), "frame:" + frame
                    if not conjuncts or phrases[-1][0] not in _CONJUNCTS:
                        continue
                    # A coordination before the frame: its conjuncts, in a longer window (that may cut a word).
                    phrases = split_phrases(abstract[max(0, m.start() - 120): m.start()])
                    n, first = len(phrases) - 1, 0 if m.start() <= 120 else 1
                    while n > first and phrases[n][0] in _CONJUNCTS:
                        n -= 1  # "A, B and C tasks": each conjunct ending in a head is one
                        q = last_phrase(phrases[n][1], heads, single=True)
                        if q is None or not phrases[n][1] or not head_of(phrases[n][1][-1], heads):
                            break
                        yield q, _FRAMES[frame], m.start(), "frame:" + frame + ":conjunct"


def _right_phrases(abstract: str, scan: str, heads: frozenset[str], settings: TaskSettings):
    """Phrases right after a list opener ("tasks such as X and Y", "tasks: X and Y"), a study cue
    ("we study X") or a purpose ("a method for X": only a phrase that starts right there)."""
    openers = (_LIST_OPENER, _COLON_OPENER) if settings.colon_list else (_LIST_OPENER,)
    starts = [(m.end(), True) for opener in openers for m in opener.finditer(scan)
              if _LIST_FRAME.search(scan, max(0, m.start() - 60), m.start())]
    starts += [(m.end(), False) for m in _RIGHT_CUE.finditer(scan)]
    starts += [(m.end(), False) for m in _OPENING.finditer(scan)]
    for start, is_list in starts:
        chunk = _CHUNK_END.split(abstract[start: start + 120], 1)[0]
        items = task_phrases(chunk, heads)
        for p in items if is_list else items[:1]:
            yield p, _W_FRAME, start, "list" if is_list else "cue"
    if settings.improve:
        for m in _IMPROVE.finditer(scan):
            if (m.start() and scan[m.start() - 1].isalnum()) or scan[m.end(): m.end() + 12].split(" ", 1)[0] in _NOT_OBJECT:
                continue  # inside a word ("unboosted"), or no noun phrase next ("improves on", "enhanced by")
            phrases = split_phrases(_CHUNK_END.split(abstract[m.end(): m.end() + 80], 1)[0])
            if phrases and not phrases[0][0]:  # the phrase starts right after the verb
                p = last_phrase(phrases[0][1], heads, single=True)
                if p:
                    yield p, settings.improve, m.end(), "improve"
    if settings.purpose:
        for m in _PURPOSE_PREP.finditer(scan):
            word = scan[scan.rfind(" ", 0, m.start()) + 1: m.start()].lower()
            if word not in _PURPOSE_WORDS and not (settings.result_on and _RESULT_NUMBER.match(word)
                                                   and m.group(0)[1:3] in ("on", "in")):
                continue
            phrases = split_phrases(_CHUNK_END.split(abstract[m.end(): m.end() + 80], 1)[0])
            if phrases and not phrases[0][0]:  # the phrase starts right after the cue
                p = last_phrase(phrases[0][1], heads, single=True)
                if p:
                    yield p, settings.purpose, m.end(), "purpose"


def find_tasks(doc: Doc, title_end: int, lexicon_tasks: list[Mention], cues: Cues, lex: Lexicon,
               exclude: set[str]) -> list[Mention]:
    """The main tasks of a paper, best supported first (see the module docstring).

    `lexicon_tasks` are the task mentions the entity rules found (lexicon hits, acronym
    definitions); `exclude` holds the norm_keys of the paper's other entities (no task).
    """
    settings = SETTINGS
    heads = _all_heads(cues.task_heads, settings.general_heads, settings.problem_heads)
    text = doc._.text
    title, abstract = text[:title_end], text[title_end:]
    low_title, low_abstract = title.lower(), abstract.lower()
    scan = low_abstract if len(low_abstract) == len(abstract) else abstract  # offsets must agree
    found: list[_Evidence] = []
    by_key: dict[str, _Evidence] = {}

    def add(phrase: str, weight: float, pos: int, source: str, aliases=()) -> None:
        words = phrase.split()
        if settings.trim_verbs and broken_task(phrase):
            # (the junk screen would drop it after ranking, where it has taken a main task's place)
            while words and broken_task(words[0]):
                words.pop(0)
            if len(words) < 2:
                return
        while len(words) > 1 and norm_key(words[0]) in exclude:
            words = words[1:]  # "ZorbBench compositional reasoning": a name is no part of a task
        name, forms = _canonical(" ".join(words), aliases, lex)
        keys = {norm_key(f) for f in forms} - {""}
        low = name.lower()
        if not keys or keys & exclude or low in TOO_BROAD or (settings.fields and low in _FIELDS):
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

    for p, weight, source in _title_candidates(title, heads, settings):
        add(p, weight, 0, source)
    for m in lexicon_tasks:
        in_title = m.text.lower() in low_title or any(a in title for a in m.aliases)
        acronym = any(name_shape(a) in ("caps", "mixed") for a in m.aliases)
        pos = low_abstract.find(m.text.lower())
        entry = lex.lookup(m.text)
        known = settings.general if entry is not None and entry.general else settings.lexicon
        add(m.text, known + (_W_IN_TITLE if in_title else 0) + (_W_ACRONYM if acronym else 0),
            pos if pos >= 0 else 1 << 20, "lexicon", m.aliases)
    bounds = doc._.sent_bounds or [(s.start_char, s.end_char) for s in islice(doc.sents, 2)]
    if len(bounds) > 1:
        m = _FIRST.match(text[bounds[1][0]: bounds[1][1]].strip())
        if m:
            for p in task_phrases(m.group(1), heads, single=False)[:1]:
                add(p, _W_FIRST, 1, "first")
    for p, weight, pos, source in (*_frame_phrases(abstract, scan, heads, settings.conjuncts),
                                   *_right_phrases(abstract, scan, heads, settings)):
        add(p, weight, pos, source)
    if settings.coordination:
        low_text = text.lower()
        for e in list(found):  # (add() may append)
            for x in _coordinated(low_text, e.text.lower(), heads, exclude):
                add(f"{x} {e.text.split(' ', 1)[1]}", e.score, e.first, "coordinated")
    for e in found:
        n = max(abstract.count(f) if name_shape(f) == "caps" else low_abstract.count(f.lower())
                for f in e.aliases | {e.text})
        e.score += min(_W_REPEAT_CAP, _W_REPEAT * max(0, n - 1))
        if e.first > 0 and e.text.lower() in low_title:
            e.score += _W_IN_TITLE
    return _choose(found, settings)


# The word right before "and"/"or" (after a comma, if one comes first: then a list item).
_WORD_BEFORE = re.compile(r"(,?)\s*\b([a-z][a-z0-9-]{2,})$")


def _coordinated(low_text: str, phrase: str, heads: frozenset[str], exclude: set[str]):
    """The modifiers coordinated with a task phrase's first word ("image" in "image and video
    generation"): one plain singular word before "and"/"or" that is no head, modifier or name, and
    not an item of a comma list ("detection, video and image generation")."""
    if " " not in phrase:
        return
    for conj in (" and ", " or "):
        needle = conj + phrase
        at = low_text.find(needle)
        while at > 0:
            m = _WORD_BEFORE.search(low_text, max(0, at - 40), at)
            if m and not m.group(1):
                x = m.group(2)
                if (singular(x) == x and not x.endswith("ly") and x not in MODIFIERS and not head_of(x, heads)
                        and not broken_task(x) and norm_key(x) not in exclude):
                    yield x
            at = low_text.find(needle, at + 1)


def _choose(found: list[_Evidence], settings: TaskSettings) -> list[Mention]:
    """The best-supported tasks, one per wording, at most settings.max_tasks."""
    chosen: list[_Evidence] = []
    ranked = sorted(found, key=lambda e: (-e.score, e.first, e.text))
    floor = max(MIN_SCORE, settings.relative * ranked[0].score) if ranked else MIN_SCORE
    for e in ranked:
        if e.score < floor or len(chosen) >= settings.max_tasks:
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
