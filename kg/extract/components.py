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

from spacy.language import Language
from spacy.tokens import Doc

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


@Language.component("kg_title", assigns=["token.is_sent_start", "doc._.text", "doc._.title_end",
                                          "doc._.sent_bounds"])
def kg_title(doc: Doc) -> Doc:
    """Sentence boundaries: the title alone, then sentences ending in . ! ? before a capital.

    The bounds are found on the text by one regex (kg.extract.sentences); only the first token
    of each sentence is touched, which keeps `doc.sents` working at a fraction of the cost.
    """
    text = doc._.text
    last = doc[-1] if len(doc) else None
    if last is None or len(text) != last.idx + len(last.text_with_ws):
        # Not made by kg.nlp's tokenizer (which keeps the string): rebuild it once.
        text = doc._.text = doc.text
    cut = text.find(TITLE_SEPARATOR)
    doc._.title_end = title_end = cut if cut >= 0 else len(text)
    bounds = split_sentences(text, title_end)
    doc._.sent_bounds = bounds
    if len(doc):
        doc[0].is_sent_start = True
        for start, _end in bounds[1:]:
            span = doc.char_span(start, start + 1, alignment_mode="expand")
            if span is not None and len(span) and span.start > 0:
                doc[span.start].is_sent_start = True
    return doc


@Language.component("kg_repos", assigns=["doc._.repos"])
def kg_repos(doc: Doc) -> Doc:
    doc._.repos = find_repos(doc._.text)
    return doc


@Language.component("kg_abbreviations", requires=["doc._.title_end"], assigns=["doc._.abbreviations"])
def kg_abbreviations(doc: Doc) -> Doc:
    """Schwartz & Hearst acronym definitions (see kg.extract.abbreviations)."""
    doc._.abbreviations = find_abbreviations(doc._.text)
    return doc


@Language.component("kg_entities", requires=["doc._.abbreviations"], assigns=["doc._.candidates"])
def kg_entities(doc: Doc) -> Doc:
    """Lexicon hits, name-shaped words and acronyms, typed and marked proposed or not."""
    lex, cues = load_lexicon(), load_cues()
    text, bounds = doc._.text, doc._.sent_bounds
    cands = find_candidates(text, bounds, lex, cues, doc._.abbreviations, doc._.title_end)
    doc._.candidates = assign_roles(text, bounds, cands, cues, lex)
    return doc


@Language.component("kg_tasks", requires=["doc._.candidates"], assigns=["doc._.tasks"])
def kg_tasks(doc: Doc) -> Doc:
    lex, cues = load_lexicon(), load_cues()
    cands = doc._.candidates
    task_cands = [c for c in cands if c.kind == "task"]
    lexicon_tasks = to_mentions(task_cands, {})
    for m in lexicon_tasks:
        # A task is named by its long form ("test-time adaptation"), its acronym kept as alias.
        long = next((a for a in m.aliases if len(a) > len(m.text) and " " in a), None)
        if long and m.text.isupper():
            m.text, m.aliases = long.lower(), (m.text,)
    named = {norm_key(c.text) for c in cands if c.kind != "task"}
    named |= {norm_key(a) for c in cands if c.kind != "task" for a in c.aliases}
    doc._.tasks = find_tasks(doc, doc._.title_end, lexicon_tasks, cues, lex, named)
    return doc


@Language.component("kg_relations", requires=["doc._.candidates"], assigns=["doc._.claims"])
def kg_relations(doc: Doc) -> Doc:
    doc._.claims = find_claims(doc, doc._.candidates, load_cues())
    return doc
