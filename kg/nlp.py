"""build_nlp(): the one place that assembles the spaCy pipeline and names its components."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import kg.extract.components  # noqa: F401  (registers the kg_* components)

__all__ = ["build_nlp", "PIPELINE"]

#: Component order: each reads what the ones before it assigned.
PIPELINE = ("kg_title", "kg_repos", "kg_abbreviations", "kg_entities", "kg_tasks", "kg_relations")


class _KeepText:
    """The blank tokenizer, which also keeps the input string on the Doc (`doc._.text`).

    `Doc.text` rebuilds the string from every token on each access; the rule components
    read the string many times, so it is kept once here.
    """

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc._.text = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


def build_nlp() -> Language:
    """A blank English tokenizer plus the rule components: no trained model, nothing to download."""
    nlp = spacy.blank("en")
    nlp.tokenizer = _KeepText(nlp.tokenizer)
    for name in PIPELINE:
        nlp.add_pipe(name)
    return nlp
