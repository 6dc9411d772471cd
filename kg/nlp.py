"""build_nlp(): the one place that assembles the spaCy pipeline and names its components."""

from __future__ import annotations

import spacy
from spacy.language import Language

import kg.extract.components  # noqa: F401  (registers the kg_* components)

__all__ = ["build_nlp", "PIPELINE"]

#: Component order: each reads what the ones before it assigned.
PIPELINE = ("kg_title", "kg_repos", "kg_abbreviations", "kg_entities", "kg_tasks", "kg_relations")


def build_nlp() -> Language:
    """A blank English tokenizer plus the rule components: no trained model, nothing to download."""
    nlp = spacy.blank("en")
    for name in PIPELINE:
        nlp.add_pipe(name)
    return nlp
