"""A learned keep-or-drop decision over the method names the rules found (logistic regression on their evidence).

The rules type a name a method by default when no cue says otherwise; many such names are not
methods (a venue, a unit, a place). For each name a paper holds as a non-proposed method, the
evidence the rules already computed (where it came from, its shape, how often and where the paper
uses it, which cues typed it) becomes a feature vector; a logistic regression whose weights are
data (kg/data/decision/methods.json, trained by scripts/train_decision.py on both dev sets and
checked by k-fold in scripts/crossval.py) gives the chance that it is a method, and names below
the threshold are dropped. Proposed names are never dropped: the proposal rules decide those.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import mul

from kg.defaults import PACKAGE_DIR
from kg.extract.candidate import Candidate
from kg.extract.cues import Cues
from kg.extract.lexicon import common_english_words, norm_key
from kg.extract.relations import states_comparison

__all__ = ["FEATURES", "DecisionModel", "DecisionSettings", "SETTINGS", "WEIGHTS_FILE", "method_features",
           "load_model", "keep_methods"]

WEIGHTS_FILE = PACKAGE_DIR / "data" / "decision" / "methods.json"

#: The evidence of one method name in one paper, in the order of the weights.
FEATURES = ("bias", "lexical", "abbreviation", "spelled_out_method", "variant", "mixed_case", "all_caps",
            "one_title_word", "several_words", "digit", "short", "log_count", "in_title", "typed_by_cue",
            "compared", "kind_noun_after", "after_on", "built_on", "after_preposition", "in_result_sentence", "plain_common_word",
            "sentence_start_only", "lower_case", "hyphen", "title_only")

_ON = frozenset("on across over".split())  # where datasets stand ("results on X")
_PREPOSITIONS = frozenset("in of for from at with by".split())
_PLAIN = re.compile(r"[A-Za-z][a-z]+")


@dataclass(frozen=True)
class DecisionModel:
    weights: tuple[float, ...]
    threshold: float

    def probability(self, x: list[float]) -> float:
        z = sum(map(mul, self.weights, x))  # the same sum, in the same order, as a generator's; faster
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class DecisionSettings:
    enabled: bool = True
    model: DecisionModel | None = None  # None: the shipped weights (WEIGHTS_FILE)
    threshold: float | None = None  # None: the model's own


#: What `keep_methods` uses; scripts/crossval.py and scripts/train_decision.py swap it.
SETTINGS = DecisionSettings()


@lru_cache(maxsize=1)
def load_model() -> DecisionModel | None:
    """The shipped weights, or None when there are none (the decision then keeps every name)."""
    if not WEIGHTS_FILE.is_file():
        return None
    raw = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    names = tuple(raw["features"])
    if names != FEATURES:  # weights of another feature set would be read out of order
        return None
    return DecisionModel(tuple(float(w) for w in raw["weights"]), float(raw["threshold"]))


@lru_cache(maxsize=1 << 14)
def _shape(name: str) -> tuple[bool, bool, bool]:
    """(inner capital or a digit with a letter, all capitals, one capitalised plain word)."""
    letters = [ch for ch in name if ch.isalpha()]
    caps = len(letters) >= 2 and all(ch.isupper() for ch in letters)
    mixed = not caps and any(ch.isupper() for ch in name[1:]) or (any(ch.isdigit() for ch in name) and bool(letters))
    title = " " not in name and _PLAIN.fullmatch(name) is not None and name[0].isupper()
    return mixed, caps, title


def _dataset_on(before: list[str], not_dataset: frozenset[str]) -> bool:
    """"results on X", "across X": where a dataset stands; "built on X", "based on X" are no such place."""
    return before[-1:] != [] and before[-1] in _ON and not (len(before) > 1 and before[-2] in not_dataset)


def _built_on(before: list[str], not_dataset: frozenset[str]) -> bool:
    return len(before) > 1 and before[-1] in _ON and before[-2] in not_dataset


def method_features(ctx, cands: list[Candidate], cues: Cues, *, typed: set[str],
                    result_sentence: Callable[[int], bool], method_heads: frozenset[str],
                    method_nouns: frozenset[str], not_dataset_before_on: frozenset[str]) -> dict[str, list[float]]:
    """norm_key -> feature vector (FEATURES) of each non-proposed method name among `cands`.

    `ctx` is kg.extract.context.Context (words around a candidate); `typed` the keys a cue typed
    (a kind noun, a list, a comparison) rather than the default; `result_sentence(i)` whether
    sentence i reports results; `not_dataset_before_on` the words that make "on X" a model something
    runs on ("built on X"). `compared`: the name's sentence holds a comparison cue (one of the
    relation rules' trigger words), so the comparison rules may take it as a side.
    """
    groups: dict[str, list[Candidate]] = {}
    for c in cands:
        if c.kind == "method" and not c.proposed:
            groups.setdefault(norm_key(c.text), []).append(c)
    common = common_english_words()
    said: dict[int, bool] = {}  # sentence -> states_comparison, asked once per sentence
    out = {}
    for k, cs in groups.items():
        name = min(cs, key=lambda c: c.start).text
        mixed, caps, title = _shape(name)
        lexical = abbreviation = variant = in_title = comp = noun_after = on = built = prep = result = False
        title_only = starts_only = True
        heads = set()
        for c in cs:  # one pass over the occurrences: the words around each are read once
            b, a = ctx.before(c, 2), ctx.after(c, 1)
            lexical |= c.lexical
            abbreviation |= c.source == "abbreviation"
            variant |= c.variant
            in_title |= c.sent == 0
            title_only &= c.sent == 0
            starts_only &= not b
            if not comp:
                comp = said.get(c.sent)
                if comp is None:
                    comp = said[c.sent] = states_comparison(ctx.sent_low(c.sent), cues)
            noun_after |= bool(a) and a[0] in method_nouns
            on |= _dataset_on(b, not_dataset_before_on)
            built |= _built_on(b, not_dataset_before_on)
            prep |= bool(b) and b[-1] in _PREPOSITIONS
            result |= c.sent > 0 and result_sentence(c.sent)
            heads.update(x.split()[-1].lower().rstrip("s") for x in c.aliases if " " in x)
        out[k] = [1.0, lexical, abbreviation, bool(heads & method_heads), variant, mixed, caps, title, " " in name,
                  any(ch.isdigit() for ch in name), len(name) <= 3, math.log(len(cs)), in_title, k in typed, comp,
                  noun_after, on, built, prep, result,
                  _PLAIN.fullmatch(name) is not None and name.lower() in common, starts_only, name.islower(),
                  "-" in name, title_only]
        out[k] = [float(v) for v in out[k]]
    return out


_COMPARED = FEATURES.index("compared")

#: Filled with (paper text, norm_key, candidate, features) by keep_methods when a list (scripts/train_decision.py).
RECORD: list | None = None


def keep_methods(ctx, cands: list[Candidate], cues: Cues, **evidence) -> list[Candidate]:
    """`cands` without the non-proposed method names the model gives less than its threshold."""
    s = SETTINGS
    model = s.model or load_model()
    if RECORD is None and (not s.enabled or model is None):
        return cands
    feats = method_features(ctx, cands, cues, **evidence)
    if RECORD is not None:
        firsts = {}
        for c in cands:
            firsts.setdefault(norm_key(c.text), c) if c.kind == "method" and not c.proposed else None
        RECORD.extend((ctx.text, k, firsts[k], x) for k, x in feats.items())
    if not s.enabled or model is None:
        return cands
    threshold = model.threshold if s.threshold is None else s.threshold
    # A side of a comparison is a method (kg.extract.compared): a name in a comparison is never dropped.
    drop = {k for k, x in feats.items() if model.probability(x) < threshold and not x[_COMPARED]}
    if not drop:
        return cands
    return [c for c in cands if not (c.kind == "method" and not c.proposed and norm_key(c.text) in drop)]
