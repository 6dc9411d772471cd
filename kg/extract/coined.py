"""Names a paper coins outside the usual name shapes: quoted ones and lower-case hyphenated ones."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.candidate import Candidate
from kg.extract.lexicon import Lexicon, common_english_words
from kg.extract.sentences import sentence_at

__all__ = ["quoted_names", "lower_coined", "introduced_the", "lower_the_named", "CoinedSettings", "SETTINGS"]

# "We introduce proxy-blending, a decoding-time method": a lower-case coined term is a name
# only when an apposition right after it says it is a method.
_LOWER_COINED = re.compile(r"s? ([a-z][a-z0-9]+(?:-[a-z0-9]+)+), an? (?:[\w-]+ ){0,4}?"
                           r"(?:method|algorithm|framework|approach|technique|model|architecture|procedure|"
                           r"strategy|scheme|recipe|paradigm|pipeline)\b")
_SELF_BEFORE = re.compile(r"(?:\b[Ww]e|\b[Tt]his (?:paper|work)) (?:\w+ )?$")


# `we propose "quiet replay"`, `a method called 'quiet replay'`: quotes mark a coined name.
# (Every opening quote a literal alternative: the regex engine then skips in C to the next one.)
_QUOTED = re.compile(r"(?:``|\"|“|'|‘)([A-Za-z][\w+-]*(?: [\w+-]+){0,3})(?:''|[\"”'’])")
_QUOTE_CUE = re.compile(r"(?:\b(?:[Ww]e|[Tt]his (?:paper|work))\s+(?:\w+\s+)?(?:propose|introduce|present|call|term|dub|"
                        r"name)[sd]?|\b(?:termed|dubbed|called|named|coined))\s+(?:(?:the|a|an|it|this|them)\s+)?$")
# One plain quoted word ("we call them 'tricky'") is a label, not a coined name.
_ONE_PLAIN_WORD = re.compile(r"[a-z]+")


def quoted_names(text: str, starts: list[int]) -> list[Candidate]:
    """Quoted names after a propose verb or a naming cue, in any case ("we propose "quiet replay"")."""
    # The quotes are found first (a regex led by a character class), the cue before them after.
    return [Candidate(m.group(1), m.start(1), m.end(1), sentence_at(starts, m.start(1)), None, 0.75, "shape",
                      proposed=True)
            for m in _QUOTED.finditer(text) if not _ONE_PLAIN_WORD.fullmatch(m.group(1))
            and _QUOTE_CUE.search(text, max(0, m.start() - 60), m.start())]


def lower_coined(text: str, starts: list[int]) -> list[Candidate]:
    """Lower-case coined terms after "we propose/introduce/present", named a method by an apposition."""
    out = []
    for verb in ("propose", "introduce", "present"):
        i = text.find(verb)
        while i >= 0:  # str.find and an anchored match: far cheaper than scanning a regex
            m = _LOWER_COINED.match(text, i + len(verb))
            if m and _SELF_BEFORE.search(text, max(0, i - 30), i):
                out.append(Candidate(m.group(1), m.start(1), m.end(1), sentence_at(starts, m.start(1)), None, 0.75,
                                     "shape", proposed=True))
            i = text.find(verb, i + 1)
    return out


# "We propose the Transformer", "we present a new network architecture, the Transformer, ...": a
# capitalised word the paper itself introduces with a definite article names its method, even one
# the generic list holds (a common class name written in lower case elsewhere).
# One word only: "the Diffusion Model" is the class written in capitals, not a name.
_THE_NAME = re.compile(r"\bthe ([A-Z][a-z]+)\b(?![- ][A-Za-z]*[A-Z0-9]|-\w)")
_INTRO_BEFORE = re.compile(r"(?:\b[Ww]e|\b[Tt]his (?:paper|work)) (?:\w+ )?(?:propose|introduce|present)s? "
                           r"(?:(?:an?|the) [^.;:,()]{0,60}, )?$")


@dataclass(frozen=True)
class CoinedSettings:
    """The "the Name" rules switched on (scripts/crossval.py switches them off to measure each)."""

    the_generic: bool = True  # introduced_the
    the_lower: bool = True  # lower_the_named


#: Read at extraction time (scripts/crossval.py sets it before worker processes are forked).
SETTINGS = CoinedSettings()


def introduced_the(text: str, starts: list[int], lex: Lexicon) -> list[Candidate]:
    """Generic capitalised words after "we propose the" or in an apposition after "we propose a ...,"."""
    if not SETTINGS.the_generic:
        return []
    out = []
    i = text.find("the ")
    while i >= 0:
        m = _THE_NAME.match(text, i)
        if m and lex.is_generic(m.group(1)) and _INTRO_BEFORE.search(text, max(0, i - 90), i):
            out.append(Candidate(m.group(1), m.start(1), m.end(1), sentence_at(starts, m.start(1)), None, 0.75,
                                 "shape", proposed=True))
        i = text.find("the ", i + 4)
    return out


# "We present the perceptor gradients algorithm": lower-case words between "the" and a kind noun,
# right after the paper's own propose verb, name its method when one of them is no common English
# word (a coined term); "we present the first algorithm" or "the gradient descent method" do not.
_LOWER_THE = re.compile(r"s? the ((?:[a-z]+ ){0,2}[a-z]+) (?:algorithm|method|framework|model|architecture|approach|"
                        r"network|technique|estimator|procedure)s?\b")


def _rare(word: str, common: frozenset[str]) -> bool:
    return word not in common and not (word.endswith("s") and word[:-1] in common)


def lower_the_named(text: str, starts: list[int], lex: Lexicon) -> list[Candidate]:
    """Lower-case coined names after "we propose/introduce/present the", before a kind noun."""
    if not SETTINGS.the_lower:
        return []
    out = []
    common = common_english_words()
    for verb in ("propose", "introduce", "present"):
        i = text.find(verb) if verb + " the " in text or verb + "s the " in text else -1
        while i >= 0:
            m = _LOWER_THE.match(text, i + len(verb))
            if m and _SELF_BEFORE.search(text, max(0, i - 30), i) and not lex.is_generic(m.group(1)) \
                    and any(_rare(w, common) for w in m.group(1).split()):
                out.append(Candidate(m.group(1), m.start(1), m.end(1), sentence_at(starts, m.start(1)), None, 0.75,
                                     "shape", proposed=True))
            i = text.find(verb, i + 1)
    return out
