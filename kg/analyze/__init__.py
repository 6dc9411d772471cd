"""Stage 5, analyze: the graph in, numbers out.

In: the graph (networkx) or its Snapshot. Out: centrality scores and projections (`centrality`,
with the optional rustworkx engine in `engines`), communities (`communities`), mentions per
period and rising entities (`trends`), and the same views computed on a Snapshot's arrays
(`snapshot_views`). Nothing here writes a file. May import kg.graph and the stages below it.
"""
