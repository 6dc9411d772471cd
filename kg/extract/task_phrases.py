"""Task phrases: the word scanner that cuts text into phrases and finds those ending in a task head.

Pure functions of the words, cached: kg.extract.tasks weighs where each phrase stands; this
module only says which phrases a text or title holds (`image classification`, a gerund with its
object, a head with its "of" object).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.defaults import PATTERN_DIR
from kg.extract.entities import name_shape
from kg.extract.lexicon import load_wordlist

__all__ = ["normalise_task", "task_phrases", "title_phrases", "split_phrases", "last_phrase", "singular", "head_of",
           "is_name", "task_gerund", "object_phrase", "WORD_OK", "PROBLEM_HEADS",
           "TOO_BROAD", "phrase_ending", "gerund_noun", "MODIFIERS"]

#: A task phrase has at most this many words.
MAX_WORDS = 4

# Function words and punctuation split text into phrases ("Text-to-Image" stays one word).
_FUNCTION = frozenset(
    "for via with using through by in on of to toward towards from without and or as at under beyond is are was "
    "were be been do does can could may might will would should a an the we our its their this that these those "
    "which it they has have had when where how why what into over between against across based than while such "
    "not also only like including especially e.g i.e etc them us itself themselves ourselves you your he she his her"
    .split()
)
_TOKEN = re.compile(r"[:,;?!()\[\]—–]|\s-\s|[^\s:,;?!()\[\]—–]+")
# "parameter efficient fine-tuning": a noun before one of these makes a compound adjective.
_COMPOUND_ADJ = frozenset({"efficient", "free", "aware", "based", "driven", "guided", "constrained"})
_COMPOUND_NOUNS = frozenset({"parameter", "memory", "data", "sample", "compute", "energy", "label", "communication",
                             "resource", "training", "tuning", "reference", "context", "knowledge", "text", "budget"})
WORD_OK = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
_MODIFIERS = frozenset(w.lower() for w in load_wordlist(PATTERN_DIR / "task_modifiers.txt"))
MODIFIERS = _MODIFIERS  # (kg.extract.tasks: words that modify no task head)
TOO_BROAD = frozenset(w.lower() for w in load_wordlist(PATTERN_DIR / "task_stop.txt"))
_STANDALONE = frozenset(w.lower() for w in load_wordlist(PATTERN_DIR / "task_standalone.txt"))
_PROBLEM = [w.lower() for w in load_wordlist(PATTERN_DIR / "task_problem_heads.txt")]
PROBLEM_HEADS = frozenset(w.rstrip("*") for w in _PROBLEM)
_PROBLEM_STANDALONE = frozenset(w.rstrip("*") for w in _PROBLEM if w.endswith("*"))

# Nouns whose plural is the singular ("time series", "species").
_SAME_PLURAL = frozenset({"series", "species", "means", "news", "physics", "mathematics", "statistics", "economics",
                          "robotics", "genomics", "dynamics", "analytics", "linguistics", "semantics", "graphics"})


# The word-level helpers below are pure and see the same words again and again: cached.
@lru_cache(maxsize=1 << 16)
def singular(word: str) -> str:
    w = word.lower()
    if w in _SAME_PLURAL:
        return w
    if w.endswith("ies") and len(w) > 5:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes")) and len(w) > 4:
        return w[:-2]  # "processes", "boxes", "searches"
    if w.endswith("s") and not w.endswith(("ss", "is", "us")) and len(w) > 4:
        return w[:-1]
    return w


@lru_cache(maxsize=1 << 16)
def head_of(word: str, heads: frozenset[str]) -> bool:
    w = word.lower()
    return w in heads or singular(w) in heads or w.split("-")[-1] in heads


@lru_cache(maxsize=1 << 16)
def is_name(word: str) -> bool:
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
        out[-1] = singular(out[-1])
    return " ".join(out)


def split_phrases(text: str) -> list[tuple[str, list[str]]]:
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
    return [words for _, words in split_phrases(text)]


def phrase_ending(words: list[str], i: int, heads: frozenset[str], *, single: bool) -> str | None:
    """The task phrase whose head is words[i], at most four words, or None."""
    if not head_of(words[i], heads) or not WORD_OK.match(words[i]):
        return None
    start = i
    while start > 0 and i - start + 1 < MAX_WORDS:
        prev = words[start - 1]
        low = prev.lower()
        if low in _COMPOUND_ADJ and start >= 2 and words[start - 2].lower() in _COMPOUND_NOUNS:
            start -= 2  # "parameter efficient", "memory efficient": a compound adjective, kept
            continue
        if (low in _MODIFIERS or is_name(prev) or not WORD_OK.match(prev) or low.endswith("ly")
                or (low.endswith("ing") and start - 1 == 0 and (i - start >= 1 or not head_of(prev, heads)))):
            # A gerund opening a longer phrase is its verb ("Understanding Likelihood Estimation").
            break
        start -= 1
    phrase = words[start: i + 1]
    if len(phrase) == 1 and not (single and (singular(phrase[0]) in _STANDALONE or (
            phrase[0].lower() in _PROBLEM_STANDALONE and phrase[0].lower() in heads))):
        # A bare head ("learning", "generation") names no task on its own.
        return None
    text = normalise_task(phrase)
    return None if text.lower() in TOO_BROAD else text


def task_phrases(text: str, heads: frozenset[str], *, single: bool = True) -> list[str]:
    """Noun phrases of `text` that end in a task head, one per phrase, at most four words each.

    >>> task_phrases("Robust Test-Time Model Adaptation under Drift", frozenset({"adaptation"}))
    ['test-time model adaptation']
    >>> task_phrases("Query Rewriting for Code Search", frozenset({"rewriting", "search"}))
    ['query rewriting', 'code search']
    """
    found = []
    for words in _segments(text):
        p = last_phrase(words, heads, single=single)
        if p:
            found.append(p)
    return found


def last_phrase(words: list[str], heads: frozenset[str], *, single: bool) -> str | None:
    """The task phrase ending at the last head word of one phrase's words."""
    for i in range(len(words) - 1, -1, -1):
        if head_of(words[i], heads):
            return phrase_ending(words, i, heads, single=single)
    return None


def title_phrases(title: str, heads: frozenset[str]) -> list[tuple[str, str, str]]:
    """Task phrases of a title, each with the words before and after its phrase ("for", "via", "").

    >>> title_phrases("Fast Query Expansion via Token Merging", frozenset({"expansion", "merging"}))
    [('query expansion', '', 'via'), ('token merging', 'via', '')]
    """
    out = []
    phrases = split_phrases(title)
    for n, (before, words) in enumerate(phrases):
        p = last_phrase(words, heads, single=True)
        if p:
            after = phrases[n + 1][0] if n + 1 < len(phrases) else ""
            out.append((p, before, after))
    return out


# "-ing" words that are nouns, not gerunds.
_ING_NOUNS = frozenset({"thing", "things", "string", "strings", "something", "nothing", "anything", "everything",
                        "spring", "morning", "evening", "ceiling", "king", "wing", "ring", "during"})


# Activities too broad to name a task as a gerund ("Training Language Models to ...").
_BROAD_GERUNDS = frozenset({"training", "evaluating", "analyzing", "analysing", "inferring"})


def task_gerund(word: str, heads: frozenset[str]) -> bool:
    """A gerund that names a task's activity: a task head itself ("Learning", "Answering") or the
    verb of one ("Segmenting" / segmentation, "Predicting" / prediction)."""
    low = word.lower()
    if len(low) < 6 or not low.endswith("ing") or low in _ING_NOUNS or low in _BROAD_GERUNDS:
        return False
    stem = low[:-3]
    return any(head_of(w, heads) for w in (low, stem + "ion", stem + "ation", stem + "ment"))


def gerund_noun(word: str, heads: frozenset[str]) -> str | None:
    """The task head a gerund is the verb of ("Detecting" / detection), or None when the gerund is
    a head itself ("Learning") or names none.

    >>> gerund_noun("Accelerating", frozenset({"acceleration"}))
    'acceleration'
    """
    low = word.lower()
    if head_of(low, heads) or not task_gerund(word, heads):
        return None
    stem = low[:-3]
    return next((w for w in (stem + "ion", stem + "ation", stem + "ment") if head_of(w, heads)), None)


def object_phrase(words: list[str]) -> str | None:
    """A short noun phrase after a head or gerund (one to three plain words, no coined name)."""
    if not 1 <= len(words) <= 3 or any(is_name(w) or not WORD_OK.match(w) for w in words):
        return None
    return normalise_task(words)
