"""Stage 1, ingest: files in, Paper records out.

In: paths of paper listings, JSON Lines, JSON, arXiv metadata or Atom, CSV and Papers with Code
exports. Out: `kg.records.Paper` records with duplicates merged, plus a `kg.records.Problem` for
every record or file skipped and every warning. `text` turns a file into text (decoding, format
detection, streaming), `readers` parses each format into raw records, `fields` makes one raw
record a Paper, and `papers` walks folders and merges duplicates. May import only the shared
modules at the top of kg (records, errors, defaults, atomic, csvsafe, vocab).
"""
