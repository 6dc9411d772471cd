"""Names that are never a method, dataset or metric (organisations, hardware, people, numbers, words), dropped or retyped.

The rules recognise whole classes of non-names by general knowledge kept as data, never by one
paper's wording: kg/data/lexicon/not_names.tsv (organisations, hardware, programming languages, venues, units,
acronyms of fields and problems), english_common.txt (word frequencies, wordfreq), verbs_adverbs.txt and
function_words.txt (WordNet word classes), and spaCy's English stop words. A name the ML lexicons know is
always kept. `screen` runs on one paper's mentions after the rule components (kg.extract.doc_to_extraction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from kg.defaults import LEXICON_DIR
from kg.extract.lexicon import Lexicon, common_english, load_wordlist, norm_key
from kg.records import Claim, Mention

__all__ = ["JunkSettings", "SETTINGS", "junk_class", "screen", "dataset_shaped", "broken_task"]

#: Every junk class `junk_class` can answer; JunkSettings.classes switches them one by one (scripts/crossval.py).
CLASSES = ("organisation", "hardware", "language", "venue", "unit", "concept", "size", "score", "number", "function",
           "person", "word", "task")


@dataclass(frozen=True)
class JunkSettings:
    classes: frozenset[str] = frozenset(CLASSES)
    # A single plain word among this many most frequent English words is a word, not a name.
    # Chosen by cross-validation over both dev sets (scripts/crossval.py, docs/evaluation.md).
    common_rank: int = 30000
    retype_datasets: bool = True  # dataset-shaped names found as methods become datasets
    coordination: bool = True  # a method listed between datasets only ("on A, B and C") is a dataset
    hardware_shape: bool = True  # a GPU by product line and model number ("GTX1080") is hardware


#: What `screen` uses; scripts/crossval.py swaps it to compare settings.
SETTINGS = JunkSettings()

_NUM = r"\d+(?:[.,]\d+)*"
# "3B-parameter", "7B parameters", "58M-parameter FooLM", "100k tokens": a size, not a name.
_SIZE = re.compile(rf"^(?:{_NUM}\s?[KkMmBbTt]?|{_NUM}x{_NUM}[BbMm])[-\s]?(?:parameters?|params?|tokens?|layers?|shots?|"
                   r"bits?|dim(?:ension)?s?|steps?|samples?|examples?|images?|hours?|days?|GPUs?|GB|MB|TB)\b")
# "39.9F1", "41.0 BLEU", "85% accuracy": a number glued to what may be a metric.
_SCORE = re.compile(rf"^{_NUM}\s?%?\s?-?([A-Za-z][\w@\-]*)$")
# "Top-10", "top5", "100k", "2x", "1.5×", "30%": a cut-off or a number with a unit.
_NUMBER = re.compile(rf"^(?:top-?\d+|{_NUM}\s?(?:[kKMBT]|x|×|%|ms|s|h|GB|MB|TB|fps|FPS)?)$", re.IGNORECASE)
# One plain word: all lower case or one capital first; acronyms, digits and inner capitals make names.
_PLAIN_WORD = re.compile(r"^[A-Za-z][a-z]+$")
# A person's surname: one capitalised word ("McAllister", "O'Neil" too).
_SURNAME = re.compile(r"^(?:Mc|Mac|O')?[A-Z][a-z]+$")
_LAST_WORD = re.compile(r"[\s\-]+")
# A GPU or accelerator by its product line and model number ("GTX1080", "RTX 3090 Ti", "Tesla V100", "Titan Xp").
_HARDWARE = re.compile(r"^(?:(?:GeForce\s)?(?:GTX|RTX)\s?-?\d{3,4}(?:\s?Ti)?|Titan\s?(?:X[p]?|V|RTX)|Tesla\s?[KPVT]\d+|Quadro\s?\w+)$")


@lru_cache(maxsize=1)
def _not_names() -> dict[str, tuple[str, str]]:
    """norm_key -> (class, the name as listed), from not_names.tsv."""
    out = {}
    for line in load_wordlist(LEXICON_DIR / "not_names.tsv"):
        cls, _, name = line.partition("\t")
        if name and norm_key(name):
            out.setdefault(norm_key(name), (cls, name))
    return out


def _listed_class(name: str) -> str | None:
    """The class of a listed never-name; an acronym only matches one listed in capitals (DART is no Dart)."""
    cls, listed = _not_names().get(norm_key(name), (None, ""))
    if cls is not None and len(name) > 1 and name.isupper() and not listed.isupper():
        return None
    return cls


@lru_cache(maxsize=1)
def _word_rank() -> dict[str, int]:
    return {w: i for i, w in enumerate(common_english())}


@lru_cache(maxsize=1)
def _not_task_starts() -> frozenset[str]:
    """Words a noun phrase never starts with: function words and words that are only verbs or adverbs."""
    return frozenset(load_wordlist(LEXICON_DIR / "function_words.txt") + load_wordlist(LEXICON_DIR / "verbs_adverbs.txt"))


def _is_person(name: str, text: str) -> bool:
    """A surname cited as a person: "Harlow et al.", "Harlow (2019)", "Harlow and Lee (2019)", "Harlow's"."""
    if not _SURNAME.match(name):
        return False
    # Each place the name stands at a word start, the citation after it: no regex compiled per name.
    p = text.find(name)
    while p >= 0:
        if _CITED.match(text, p + len(name)) and _WORD_START.match(text, p):
            return True
        p = text.find(name, p + 1)
    return False


_CITED = re.compile(r"\s+et\s+al\b|\s*\(\d{4}|\s+and\s+[A-Z][a-z]+\s*\(?\d{4}|['’]s\b")
_WORD_START = re.compile(r"\b")  # (matched at p, it reads the character before p)


def junk_class(m: Mention, text: str, lex: Lexicon, settings: JunkSettings | None = None) -> str | None:
    """The class of non-name `m` is (see CLASSES), or None when it may be a name of its kind.

    `text` is the paper's title and abstract (a surname is known by how it is cited).
    """
    s = settings or SETTINGS
    on = s.classes
    name = m.text.strip()
    if m.kind == "task":
        return "task" if "task" in on and broken_task(name) else None
    known = lex.lookup(name)
    if known is not None and known.kind == m.kind:
        return None  # well-known names are names, whatever they look like ("Adam", "MATH", "C4")
    cls = _listed_class(name)
    if cls in on and not (cls != "language" and _defined(m)) and not (cls == "concept" and m.kind == "metric"):
        return cls
    if "hardware" in on and s.hardware_shape and _HARDWARE.match(name):
        return "hardware"
    if "size" in on and _SIZE.match(name):
        return "size"
    if "number" in on and _NUMBER.match(name):
        return "number"
    if "score" in on and (sm := _SCORE.match(name)):
        unit = lex.lookup(sm.group(1))
        if unit is not None and unit.kind == "metric":
            return "score"
    if " " in name or "-" in name:
        return None
    if "function" in on and name.lower() in STOP_WORDS:
        return "function"
    if m.proposed or _defined(m):
        return None  # a paper may name its method with a plain word ("we propose Whittling")
    if "person" in on and _is_person(name, text):
        return "person"
    if ("word" in on and _PLAIN_WORD.match(name)
            and _word_rank().get(name.lower(), s.common_rank) < s.common_rank):
        return "word"
    return None


def _defined(m: Mention) -> bool:
    """The paper spells the name out ("Masked Image Transformer (MIT)"): an acronym it defines is a name."""
    return any(" " in a and len(a) > len(m.text) for a in m.aliases)


def broken_task(phrase: str) -> bool:
    """A task is a noun phrase: one that starts with a function word, a verb or an adverb ("instead rank",
    "introduce bridge learning") is a piece of a sentence.

    >>> [broken_task(p) for p in ("introduce bridge learning", "instead rank", "the retrieval", "question answering",
    ...                           "next token prediction")]
    [True, True, True, False, False]
    """
    first = phrase.split(maxsplit=1)[0].lower() if phrase.strip() else ""
    return first in _not_task_starts()


def dataset_shaped(name: str, lex: Lexicon) -> bool:
    """A name shaped like a dataset: a known dataset with a part after it ("FooSet Passage", "FooSet-Test"),
    or a collection size glued to a word ("Pictures200k").

    >>> from kg.extract.lexicon import load_lexicon
    >>> dataset_shaped("ImageNet Sketch", load_lexicon()), dataset_shaped("Shapes500k", load_lexicon())
    (True, True)
    >>> dataset_shaped("ResNet Large", load_lexicon()), dataset_shaped("E5-Base-4k", load_lexicon())
    (False, False)
    """
    if re.search(r"[A-Za-z]\d+[kK]$", name):
        return True
    parts = _LAST_WORD.split(name)
    for i in range(len(parts) - 1, 0, -1):
        entry = lex.lookup(" ".join(parts[:i]))
        if entry is not None:
            return entry.kind == "dataset"
    return False


# List items: split at commas, semicolons, brackets and a coordinating "and"/"or".
_ITEM_SPLIT = re.compile(r"\s*(?:[,;()\[\]]|\band\b|\bor\b)\s*")
_SENTENCE_END = re.compile(r"\s(?<=[.!?]\s)\s*(?=[A-Z])")  # led by the space: skipped to in C


def listed_among_datasets(name: str, sentences: list[str], datasets: list[str], methods: list[str]) -> bool:
    """Coordination joins like with like: a name whose list neighbours are the paper's datasets, and
    never one of its methods ("StrategyQA 58.9, FooQA 25.5 and BarQA 31.6"), is a dataset too.

    >>> listed_among_datasets("Zed", ["Results on SetA 1.0, Zed 2.0 and SetB 3.0."], ["SetA", "SetB"], [])
    True
    >>> listed_among_datasets("Zed", ["We compare NetA, Zed and SetB."], ["SetB"], ["NetA"])
    False
    """
    def head(item: str, names: list[str]) -> bool:
        return any(item == n or item.startswith(n + " ") for n in names)

    seen = False
    for sent in sentences:
        # Only a sentence naming a dataset can list this name among datasets.
        if name not in sent or not any(d in sent for d in datasets):
            continue
        items = [i for i in _ITEM_SPLIT.split(sent) if i]
        for k, item in enumerate(items):
            if not head(item, [name]):
                continue
            near = [items[j] for j in (k - 1, k + 1) if 0 <= j < len(items)]
            if any(head(i, methods) for i in near) or not any(head(i, datasets) for i in near):
                return False
            seen = True
    return seen


def _untrimmed_task(m: Mention) -> Mention | None:
    """"introduce zebra tuning" -> zebra tuning: the words no noun phrase starts with cut off, if two words are left."""
    words = m.text.split()
    while words and broken_task(words[0]):
        words.pop(0)
    return replace(m, text=" ".join(words)) if len(words) >= 2 else None


def _unsized(m: Mention) -> Mention | None:
    """"3B-parameter FooLM" -> FooLM: the size was read into the name; None if only the size is left."""
    hit = _SIZE.match(m.text)
    rest = m.text[hit.end():].strip(" -") if hit else ""
    return replace(m, text=rest) if rest and any(c.isupper() or c.isdigit() for c in rest) else None


def screen(mentions: list[Mention], claims: list[Claim], text: str, lex: Lexicon,
           settings: JunkSettings | None = None) -> tuple[list[Mention], list[Claim]]:
    """One paper's mentions without its junk (a size read into a name is cut off, methods shaped like
    datasets become datasets), and its claims, renamed to match; claims about junk are dropped."""
    s = settings or SETTINGS
    out = []
    renamed: dict[str, str] = {}
    datasets = {norm_key(m.text) for m in mentions if m.kind == "dataset"}
    dataset_names = [m.text for m in mentions if m.kind == "dataset"]
    sentences = _SENTENCE_END.split(text) if dataset_names and s.coordination else []
    for m in mentions:
        cls = junk_class(m, text, lex, s)
        if cls == "task" and (rest := _untrimmed_task(m)) is not None:
            if any(x.kind == "task" and norm_key(x.text) == norm_key(rest.text) for x in mentions):
                continue  # the paper has that task already
            m, cls = rest, None
        if cls == "size" and (rest := _unsized(m)) is not None and junk_class(rest, text, lex, s) is None:
            renamed[m.text] = rest.text
            m, cls = rest, None
        if cls is not None:
            continue
        if (s.retype_datasets and m.kind == "method" and not m.proposed and lex.lookup(m.text) is None
                and (dataset_shaped(m.text, lex) or sentences and listed_among_datasets(
                    m.text, sentences, dataset_names, [x.text for x in mentions if x.kind == "method" and x is not m]))):
            if norm_key(m.text) in datasets:
                continue  # the paper names it as a dataset too: one mention
            m = replace(m, kind="dataset")
        out.append(m)
    if renamed:
        claims = [replace(c, subject=renamed.get(c.subject, c.subject), object=renamed.get(c.object, c.object))
                  for c in claims]
    return out, claims
