"""The registered spaCy components of the paperkg pipeline: thin wrappers over pure functions.

Each component reads and writes Doc extensions:
    doc._.text            str, doc.text read once (Doc.text rebuilds the string on every access)
    doc._.title_end       int, where the title ends in doc.text (set by `kg_title`)
    doc._.sent_bounds     list[(start, end)], char offsets of each sentence, 0 = title (`kg_title`)
    doc._.abbreviations   list[Abbreviation]                  (`kg_abbreviations`)
    doc._.candidates      list[Candidate], kinds and roles set (`kg_entities`)
    doc._.tasks           list[Mention]                        (`kg_tasks`)
    doc._.claims          list[Claim]                          (`kg_relations`)
    doc._.repos           list[str]                            (`kg_repos`)
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.abbreviations import find_abbreviations
from kg.extract.cues import load_cues
from kg.extract.entities import find_candidates
from kg.extract.lexicon import load_lexicon, norm_key
from kg.extract.relations import find_claims
from kg.extract.repos import find_repos
from kg.extract.roles import assign_roles, to_mentions
from kg.extract.sentences import split_sentences
from kg.extract.tasks import find_tasks

__all__ = ["TITLE_SEPARATOR"]

#: Title and abstract are one Doc, joined by this; the title becomes sentence 0.
TITLE_SEPARATOR = "\n\n"

for _name, _default in (("text", ""), ("title_end", 0), ("sent_bounds", None), ("abbreviations", None), ("candidates", None),
                        ("tasks", None), ("claims", None), ("repos", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


@Language.component("kg_title", assigns=["doc._.text", "doc._.title_end", "doc._.sent_bounds"])
def kg_title(doc: Doc) -> Doc:
    """Sentence boundaries: the title alone, then sentences ending in . ! ? before a capital.

    The bounds are found on the text by one regex (kg.extract.sentences). `doc.sents` reads them
    through a user hook, only when asked: the rules never need it, and marking each sentence's
    first token (`token.is_sent_start`) costs more than finding the bounds.
    """
    ext = doc._  # each `doc._` makes a new accessor object: take it once per component
    text = ext.text
    last = doc[-1] if len(doc) else None
    if last is not None and len(text) != last.idx + len(last.text_with_ws):
        # Not made by kg.extract.pipeline's tokenizer (which keeps the string): rebuild it once. (A Doc
        # without tokens is one of kg.extract.pipeline's text-only Docs, or empty.)
        text = ext.text = doc.text
    cut = text.find(TITLE_SEPARATOR)
    ext.title_end = title_end = cut if cut >= 0 else len(text)
    bounds = split_sentences(text, title_end)
    ext.sent_bounds = bounds
    doc.user_hooks["sents"] = _sents
    return doc


def _sents(doc: Doc) -> Iterator[Span]:
    """`doc.sents` from `doc._.sent_bounds`: each sentence runs from its first token to the next's."""
    if not len(doc):
        return
    # A sentence starts on a non-space character, so its first token is the last one starting
    # at or before it.
    starts = [s for s, _ in doc._.sent_bounds[1:]]
    firsts = sorted({0, *(int(i) for i in doc.to_array(IDX).searchsorted(starts, side="right") - 1)})
    for a, b in zip(firsts, [*firsts[1:], len(doc)]):
        yield doc[a:b]


@Language.component("kg_repos", assigns=["doc._.repos"])
def kg_repos(doc: Doc) -> Doc:
    ext = doc._
    ext.repos = find_repos(ext.text)
    return doc


@Language.component("kg_abbreviations", requires=["doc._.title_end"], assigns=["doc._.abbreviations"])
def kg_abbreviations(doc: Doc) -> Doc:
    """Schwartz & Hearst acronym definitions (see kg.extract.abbreviations)."""
    ext = doc._
    ext.abbreviations = find_abbreviations(ext.text)
    return doc


@Language.component("kg_entities", requires=["doc._.abbreviations"], assigns=["doc._.candidates"])
def kg_entities(doc: Doc) -> Doc:
    """Lexicon hits, name-shaped words and acronyms, typed and marked proposed or not."""
    lex, cues = load_lexicon(), load_cues()
    ext = doc._
    text, bounds = ext.text, ext.sent_bounds
    cands = find_candidates(text, bounds, lex, cues, ext.abbreviations, ext.title_end)
    ext.candidates = assign_roles(text, bounds, cands, cues, lex)
    return doc


@Language.component("kg_tasks", requires=["doc._.candidates"], assigns=["doc._.tasks"])
def kg_tasks(doc: Doc) -> Doc:
    lex, cues = load_lexicon(), load_cues()
    ext = doc._
    cands = ext.candidates
    task_cands = [c for c in cands if c.kind == "task"]
    lexicon_tasks = to_mentions(task_cands, {})
    for m in lexicon_tasks:
        # A task is named by its long form ("test-time adaptation"), its acronym kept as alias.
        long = next((a for a in m.aliases if len(a) > len(m.text) and " " in a), None)
        if long and m.text.isupper():
            m.text, m.aliases = long.lower(), (m.text,)
    named = {norm_key(c.text) for c in cands if c.kind != "task"}
    named |= {norm_key(a) for c in cands if c.kind != "task" for a in c.aliases}
    named -= {norm_key(c.text) for c in task_cands}  # an acronym compared as a method still names its task
    ext.tasks = find_tasks(doc, ext.title_end, lexicon_tasks, cues, lex, named)
    return doc


@Language.component("kg_relations", requires=["doc._.candidates"], assigns=["doc._.claims"])
def kg_relations(doc: Doc) -> Doc:
    ext = doc._
    ext.claims = find_claims(doc, ext.candidates, load_cues())
    return doc
