"""Research tasks: normalised noun phrases ending in a task head (`image classification`)."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.defaults import PATTERN_DIR
from kg.extract.cues import Cues
from kg.extract.entities import name_shape
from kg.extract.lexicon import Lexicon, load_wordlist, norm_key
from kg.records import Mention

__all__ = ["task_phrases", "find_tasks", "normalise_task", "MAX_TASKS"]

MAX_TASKS = 4
# Function words split a title into phrases; they must stand alone ("Text-to-Image" is one phrase).
_SPLIT = re.compile(
    r"\s*(?::|,|;|\?|!|\(|\)|—|–|\s-\s|(?<![\w-])(?:for|via|with|using|through|by|in|on|of|towards?|from|without|"
    r"and|or|as|to|at|under|beyond|is|are|do|does|can|a|an|the|we|our|its|their|this|that|these|which|"
    r"when|where|how|why|what|into|over|between|against|across|based)(?![\w-]))\s*",
    re.IGNORECASE,
)
_MODIFIERS = frozenset(load_wordlist(PATTERN_DIR / "task_modifiers.txt"))
_TOO_BROAD = frozenset(load_wordlist(PATTERN_DIR / "task_stop.txt"))
_MAX_WORDS = 4


def _head_of(word: str, heads: frozenset[str]) -> bool:
    w = word.lower()
    return w in heads or (w.endswith("s") and w[:-1] in heads) or w.split("-")[-1] in heads


def _is_name(word: str) -> bool:
    """A coined name (DeepCache, GPT-4), not a title-cased compound (Test-Time)."""
    parts = [p for p in word.split("-") if p]
    titled = all(p[:1].isupper() and (p[1:].islower() or not p[1:]) for p in parts)
    return name_shape(word) == "mixed" and not titled


def normalise_task(words: list[str]) -> str:
    """Lower case except acronyms; a plural head made singular; no leading articles."""
    out = [w if name_shape(w) == "caps" else w.lower() for w in words]
    if out and out[-1].endswith("s") and not out[-1].endswith(("ss", "is", "us")) and len(out[-1]) > 4:
        out[-1] = out[-1][:-1]
    return " ".join(out)


def task_phrases(text: str, heads: frozenset[str]) -> list[str]:
    """Noun phrases of `text` that end in a task head, at most four words each.

    >>> task_phrases("Efficient Test-Time Model Adaptation without Forgetting", frozenset({"adaptation"}))
    ['test-time model adaptation']
    """
    found = []
    for seg in _SPLIT.split(text):
        words = [w.strip("\"'“”‘’.") for w in seg.split()]
        words = [w for w in words if w]
        for i in range(len(words) - 1, -1, -1):
            if not _head_of(words[i], heads):
                continue
            start = i
            while start > 0 and i - start + 1 < _MAX_WORDS:
                prev = words[start - 1]
                if prev.lower() in _MODIFIERS or _is_name(prev) or prev.endswith("ing") and start - 1 == 0:
                    break
                start -= 1
            phrase = words[start: i + 1]
            if len(phrase) == 1 and phrase[0].lower() in heads:
                # A bare head ("learning", "generation") names no task on its own.
                break
            found.append(normalise_task(phrase))
            break
    return found


def _overlaps(a: str, b: str) -> bool:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.5


def find_tasks(doc: Doc, title_end: int, lexicon_tasks: list[Mention], cues: Cues, lex: Lexicon,
               exclude: set[str]) -> list[Mention]:
    """The main tasks of a paper: lexicon hits and title phrases first, then abstract cues."""
    sents = list(doc.sents)
    ranked: list[tuple[str, float, tuple[str, ...]]] = []
    title = doc._.text[:title_end]
    for m in lexicon_tasks:
        in_title = m.text.lower() in title.lower()
        ranked.append((m.text, 0.85 if in_title else 0.6, m.aliases))
    for p in task_phrases(title, cues.task_heads):
        ranked.append((p, 0.7, ()))
    # "X aims to ..." / "In X, ..." open many abstracts with the task they address.
    if len(sents) > 1:
        first = sents[1].text
        m = re.match(r"^(?:In\s+)?(.{3,80}?)(?:\s+(?:aims?|is|are|has|have|refers|seeks|involves|remains)\b|,)", first)
        if m:
            ranked += [(p, 0.55, ()) for p in task_phrases(m.group(1), cues.task_heads)]
    for s in sents[1:]:
        for m in re.finditer(r"(?:tasks?|problems?) of ([\w\- ]{3,60})|([\w\- ]{3,60}?) (?:tasks?|problems?)\b", s.text):
            chunk = m.group(1) or m.group(2)
            ranked += [(p, 0.5, ()) for p in task_phrases(chunk, cues.task_heads)[:1]]
    out: list[Mention] = []
    for text, conf, aliases in sorted(ranked, key=lambda r: -r[1]):
        if norm_key(text) in exclude or text.lower() in _TOO_BROAD or len(out) >= MAX_TASKS:
            continue
        if any(_overlaps(text, m.text) for m in out):
            continue
        out.append(Mention(text, "task", conf, aliases=aliases))
    return out
