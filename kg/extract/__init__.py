"""Stage 2, extract: Paper records in, one Extraction per paper out.

In: `kg.records.Paper`. Out: `kg.records.Extraction` (the paper's mentions of methods, datasets,
tasks and metrics, its claims with their evidence sentences, and its repository links), each
paper on its own. `pipeline` builds the spaCy pipeline of rule components (`components` registers
them; `entities`, `abbreviations`, `roles`, `tasks`, `relations` and `repos` hold the rules), and
`junk` screens names that are never a method or dataset; the rules' knowledge is data, in
kg/data/lexicon/ and kg/extract/patterns/. May import ingest's records and the shared modules at
the top of kg, never a later stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.components import TITLE_SEPARATOR
from kg.extract.junk import screen
from kg.extract.lexicon import load_lexicon, norm_key
from kg.extract.roles import to_mentions
from kg.records import Extraction, Paper

__all__ = ["extract", "extract_all", "doc_to_extraction"]


def doc_to_extraction(paper_key: str, doc: Doc, *, min_confidence: float = 0.0) -> Extraction:
    """Collect what the pipeline's components set on the Doc into one Extraction."""
    ext = doc._  # each `doc._` makes a new accessor object
    cands = [c for c in ext.candidates if c.kind != "task"]
    links = {}
    for c in cands:
        for a in c.aliases:
            links.setdefault(norm_key(a), norm_key(c.text))
    mentions = to_mentions(cands, links) + list(ext.tasks)
    # Never names (organisations, hardware, sizes, words...) out; their claims with them.
    mentions, claims = screen(mentions, list(ext.claims), ext.text, load_lexicon())
    mentions = [m for m in mentions if m.confidence >= min_confidence]
    kept = {m.text for m in mentions} | {a for m in mentions for a in m.aliases}
    claims = [c for c in claims
              if c.confidence >= min_confidence and c.subject in kept and c.object in kept]
    return Extraction(paper_key, mentions, claims, list(ext.repos))


def extract_all(papers: Iterable[Paper], nlp: Language, *, min_confidence: float = 0.0,
                batch_size: int = 64) -> Iterator[Extraction]:
    """Run the pipeline over papers, streaming, in input order."""
    papers = iter(papers)
    keyed = ((f"{p.title}{TITLE_SEPARATOR}{p.abstract}", p.key) for p in papers)
    for doc, key in nlp.pipe(keyed, as_tuples=True, batch_size=batch_size):
        yield doc_to_extraction(key, doc, min_confidence=min_confidence)


def extract(paper: Paper, nlp: Language, *, min_confidence: float = 0.0) -> Extraction:
    """Extract one paper."""
    return next(extract_all([paper], nlp, min_confidence=min_confidence))
