"""BibTeX -> raw records, read by bibtexparser (>= 2.0, a dependency; without it a .bib file is
skipped with a message saying so): LaTeX decoded, authors "First Last", one record per entry with
its line; an entry without `abstract` or one the parser cannot read is a BadRecord naming it."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from kg.ingest.text import BadRecord, InputText, Warn

__all__ = ["read_bibtex"]

_BIB_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                           "dec"), 1)}


def _bib_date(fields: dict) -> str | None:
    year = str(fields.get("year") or "").strip()
    if not re.fullmatch(r"\d{4}", year):
        return fields.get("date") or None  # biblatex's date = {2021-07-18}
    month = str(fields.get("month") or "").strip().lower()
    m = re.search(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", month)  # "mar", "March", "18--24 Jul"
    n = _BIB_MONTHS[m.group(0)] if m else int(month) if month.isdigit() and 1 <= int(month) <= 12 else None
    return f"{year}-{n:02d}" if n else year


def _bib_record(key: str, fields: dict) -> dict:
    """A BibTeX entry's fields (LaTeX decoded, authors "First Last") in the fields of the others."""
    arxiv = fields.get("eprint") if str(fields.get("archiveprefix") or fields.get("eprinttype") or "").lower() == "arxiv" else None
    doi = fields.get("doi")
    authors = fields.get("author")
    return {
        "title": fields.get("title"),
        "abstract": fields.get("abstract"),
        "id": key,
        "url": fields.get("url") or (f"https://doi.org/{doi}" if doi else None)
        or (f"https://arxiv.org/abs/{arxiv}" if arxiv else None),
        "date": _bib_date(fields),
        "authors": authors if isinstance(authors, list) else [authors] if isinstance(authors, str) else None,
        "arxiv_id": arxiv,
        "doi": doi,
    }


def read_bibtex(src: InputText, path: str, warn: Warn) -> Iterator[tuple[int, Any]]:
    try:
        import bibtexparser
        from bibtexparser import middlewares as mw
        from bibtexparser.model import Entry, ParsingFailedBlock
    except ImportError:
        yield 1, BadRecord("reading BibTeX needs the bibtexparser package (>= 2.0): pip install 'bibtexparser>=2.0'")
        return
    logging.getLogger("bibtexparser").addHandler(logging.NullHandler())  # its own warnings come to us as blocks
    text = src.text if src.text is not None else "\n".join(line for line in src.lines() if isinstance(line, str))
    try:
        library = bibtexparser.parse_string(text, append_middleware=[
            mw.LatexDecodingMiddleware(), mw.SeparateCoAuthors(), mw.SplitNameParts(), mw.MergeNameParts("first")])
    except Exception as e:  # noqa: BLE001 - a parser's failure on bad input is a skipped file, never a crash
        yield 1, BadRecord(f"malformed BibTeX ({type(e).__name__}: {e})")
        return
    n = 0
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, ParsingFailedBlock):
            err = block.error
            why = " ".join(str(getattr(err, "abort_reason", "") or err or type(err).__name__).split()).rstrip(".")
            yield line, BadRecord(f"malformed BibTeX entry ({why})")
        elif isinstance(block, Entry):
            n += 1
            fields = {f.key.lower(): f.value for f in block.fields}
            abstract = fields.get("abstract")
            if not (isinstance(abstract, str) and abstract.strip()):
                yield line, BadRecord(f"record has no abstract (BibTeX entry {block.key!r})")
                continue
            yield line, _bib_record(block.key, fields)
    if n == 0 and not library.failed_blocks:
        yield 1, BadRecord("BibTeX file holds no entries")
