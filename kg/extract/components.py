"""The registered spaCy components of the paperkg pipeline: thin wrappers over pure functions.

Each component reads and writes Doc extensions:
    doc._.text            str, doc.text read once (Doc.text rebuilds the string on every access)
    doc._.title_end       int, where the title ends in doc.text (set by `kg_title`)
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
from kg.extract.tasks import find_tasks

__all__ = ["TITLE_SEPARATOR"]

#: Title and abstract are one Doc, joined by this; the title becomes sentence 0.
TITLE_SEPARATOR = "\n\n"

for _name, _default in (("text", ""), ("title_end", 0), ("abbreviations", None), ("candidates", None),
                        ("tasks", None), ("claims", None), ("repos", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


@Language.component("kg_title", assigns=["token.is_sent_start", "doc._.text", "doc._.title_end"])
def kg_title(doc: Doc) -> Doc:
    """Sentence boundaries: the title alone, then sentences ending in . ! ? before a capital."""
    doc._.text = text = doc.text
    cut = text.find(TITLE_SEPARATOR)
    doc._.title_end = cut if cut >= 0 else len(text)
    for i, tok in enumerate(doc):
        if i == 0:
            tok.is_sent_start = True
            continue
        prev = doc[i - 1]
        starts = (prev.is_space and "\n" in prev.text) or (
            prev.text in (".", "!", "?") and not tok.is_space and (tok.text[0].isupper() or tok.text[0].isdigit())
        )
        tok.is_sent_start = starts
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
    cands = find_candidates(doc, lex, cues, doc._.abbreviations, doc._.title_end)
    doc._.candidates = assign_roles(doc, cands, cues, lex)
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
