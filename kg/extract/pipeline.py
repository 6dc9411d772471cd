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
    read the string many times, so it is kept once here. With `tokenize=False` the Doc gets
    no tokens at all, only `doc._.text`: every kg_* component reads the string and the sentence
    bounds, never a token, and tokenizing took about a fifth of the extraction time.
    """

    def __init__(self, tokenizer, tokenize: bool = True) -> None:
        self.tokenizer = tokenizer
        self.tokenize = tokenize

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text) if self.tokenize else Doc(self.tokenizer.vocab)
        doc._.text = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


def build_nlp(*, tokenize: bool = False) -> Language:
    """A blank English pipeline of the rule components: no trained model, nothing to download.

    The rules work on the text (`doc._.text`, `doc._.sent_bounds`), so by default the Doc holds
    no tokens (`len(doc) == 0`, `doc.text == ""`). `tokenize=True` runs spaCy's tokenizer as
    well, for code that wants tokens or `doc.sents`; the extraction is the same either way.
    """
    nlp = spacy.blank("en")
    nlp.tokenizer = _KeepText(nlp.tokenizer, tokenize)
    for name in PIPELINE:
        nlp.add_pipe(name)
    return nlp
