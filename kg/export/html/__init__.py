"""The interactive HTML map: one self-contained page (vis-network inlined, no network at view time).

One renderer, from a kg.graph.snapshot.Snapshot (`kg build` passes its own; `kg html` and
`page.write_html` convert a graph with Snapshot.from_graph): `layout` picks the overview's nodes and
places them, `data` packs every node, edge and claim into the page's data block, `text` cleans paper
text for reading, `page` renders `templates/` (the Jinja page, its CSS, and the scripts it joins into one).
"""
