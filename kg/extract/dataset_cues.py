"""Context cues that a candidate name is a dataset: a dataset suffix or noun, "on X" in a result sentence.

Read by kg.extract.roles on the plain text around a candidate (its Context). Two cues are
switchable for scripts/crossval.py (DatasetCueSettings):

- `noun_before`: a plural dataset noun right before the name ("on the benchmarks FooQA and
  BarQA", "datasets FooQA, ..."); the rest of the list takes the kind from the list rule.
- `apposition`: "FooBank, a new English corpus of ...": an indefinite apposition whose head (the
  first dataset or method noun in its next few words) is a dataset noun.
- `not_on_forms`: the other forms of the verbs of NOT_DATASET_BEFORE_ON ("building on X",
  "training on X"): X is what a model is made from, not where it is evaluated.
- `noun_retypes`: a name the lexicon knows as a method, right before "dataset"/"benchmark"/"corpus"
  ("experiments on the FooGAN dataset"), names that dataset: the noun outweighs the lexicon.
- `comma_pairs`: two names parted by a comma alone are no list ("On FooQA, BarNet beats ..."): a
  list of two is joined by "and" or "or", so the kind of one is not passed to the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.extract.candidate import Candidate
from kg.extract.cues import Cues
from kg.extract.relations import states_comparison

if TYPE_CHECKING:
    from kg.extract.context import Context

__all__ = ["NOT_DATASET_BEFORE_ON", "DatasetCueSettings", "SETTINGS", "dataset_cue", "names_dataset", "split_comma_pair"]


@dataclass(frozen=True)
class DatasetCueSettings:
    noun_before: bool = True
    apposition: bool = True
    comma_pairs: bool = True
    not_on_forms: bool = True
    noun_retypes: bool = True


#: Read at extraction time (scripts/crossval.py sets it before worker processes are forked).
SETTINGS = DatasetCueSettings()
# Plural nouns that, right before a name, say it is a dataset ("benchmarks FooQA and BarQA").
_PLURAL_NOUNS_BEFORE = frozenset({"datasets", "benchmarks", "corpora"})
# Nouns that make an apposition's head a method: "FooNet, a model trained on a large dataset".
_METHOD_HEADS = frozenset("model models method algorithm framework architecture network approach system agent "
                          "technique pipeline module baseline".split())
_APPOSITION_REACH = 5  # words after "X, a" searched for the head noun
_LIST_GOES_ON = re.compile(r"\s*(?:[,;/&]|and\b|or\b)")

# "based on X", "trained on X": X is no benchmark the sentence evaluates on.
NOT_DATASET_BEFORE_ON = frozenset({"based", "built", "relies", "rely", "relying", "depends", "top", "focus", "focuses",
                                   "work", "works", "conditioned", "operates", "operate", "act", "acts", "trained",
                                   "pretrained", "pre-trained", "fine-tuned", "finetuned", "tuned", "run", "runs",
                                   "deployed"})
# ... the other inflections of the same verbs (kept apart: kg.extract.decision's weights were trained on the list above).
_NOT_ON_FORMS = frozenset({"build", "builds", "building", "bases", "relied", "depend", "depending", "depended",
                           "focused", "focusing", "working", "worked", "conditioning", "operated", "operating",
                           "acting", "acted", "train", "trains", "training", "pretraining", "pre-training",
                           "finetune", "fine-tune", "fine-tunes", "finetuning", "fine-tuning", "running",
                           "deploy", "deploying"})
# "gains over X", "improves over X" compare with X, a method ("gains on X" may still be a dataset).
_COMPARED_OVER = frozenset("gain gains improvement improvements advantage advantages superiority edge margin "
                           "margins boost boosts speedup speedups improve improves improved improving".split())


def dataset_cue(ctx: Context, c: Candidate, cues: Cues, sent_has_eval) -> bool:
    """`sent_has_eval(i)`: does sentence i hold an evaluation cue (asked only when needed)."""
    if c.text.endswith(cues.dataset_suffixes) and any(
            c.text.endswith(s) and len(c.text) > len(s) + 1 for s in cues.dataset_suffixes):
        return True
    after = ctx.after(c, 3)
    if after[:1] == [")"]:
        after = after[1:]  # "a new multi-domain retail (MDR) benchmark"
    if after and (after[0] in cues.dataset_nouns or " ".join(after[:2]) in cues.dataset_nouns):
        return True
    if SETTINGS.apposition and after[:1] == [","] and _dataset_apposition(ctx.after(c, 2 + _APPOSITION_REACH), cues):
        return True
    before = ctx.before(c, 3)
    if SETTINGS.noun_before and before and before[-1] in _PLURAL_NOUNS_BEFORE:
        return True
    if before and before[-1] in ("on", "across", "over") and sent_has_eval(c.sent):
        made_of = NOT_DATASET_BEFORE_ON | _NOT_ON_FORMS if SETTINGS.not_on_forms else NOT_DATASET_BEFORE_ON
        return not (len(before) > 1 and (before[-2] in made_of or before[-1] == "over" and (
            before[-2] in _COMPARED_OVER or states_comparison(ctx.sent_low(c.sent), cues))))
    return False


# Nouns that, right after a method's name, make the phrase a dataset's name (not "data", "tasks", "split").
_RETYPING_NOUNS = frozenset({"dataset", "datasets", "benchmark", "benchmarks", "corpus"})


def names_dataset(ctx: Context, c: Candidate) -> bool:
    """Does a dataset noun follow a name the lexicon typed a method ("the FooGAN dataset")?"""
    if not (SETTINGS.noun_retypes and c.kind == "method" and c.source == "lexicon"):
        return False
    after = ctx.after(c, 1)
    return bool(after) and after[0] in _RETYPING_NOUNS


def _dataset_apposition(after: list[str], cues: Cues) -> bool:
    """`after` is ", a/an ..." : is the first kind noun of the apposition a dataset noun?"""
    if len(after) < 3 or after[1] not in ("a", "an"):
        return False
    for w in after[2:]:
        if w in _METHOD_HEADS or w in (",", ";", ".", "(", "which", "that"):
            return False
        if w in cues.dataset_nouns:
            return True
    return False


def split_comma_pair(text: str, group: list[Candidate]) -> list[list[Candidate]]:
    """A candidate list (kg.extract.roles) of two names parted by a comma alone, as two lists of one."""
    if SETTINGS.comma_pairs and len(group) == 2 and text[group[0].end:group[1].start].strip() == "," \
            and not _LIST_GOES_ON.match(text, group[1].end):  # "A, B, c and d": names the rules did not find
        return [group[:1], group[1:]]
    return [group]
