"""The interactive HTML map: one self-contained page (vis-network inlined, no network at view time).

`layout` picks the drawn nodes and places them; `page` renders a networkx graph (`kg html`);
`snapshot` renders a stored Snapshot the same way, byte for byte (`kg build`). The two entry points
have parallel code on purpose for now (issue 16 merges them). `templates/` holds the Jinja page,
its CSS and script.
"""
