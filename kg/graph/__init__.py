"""Stage 4, graph: resolved extractions in, the knowledge graph out.

In: Papers, their Extractions and the `kg.resolve.Resolution` (or Resolver) of their mentions.
Out: the graph in its compact array form (`assemble.build_snapshot` -> `snapshot.Snapshot`), from
which a build writes every view, as a networkx MultiDiGraph when an analysis asks for one
(`assemble.build_graph`), and the patch of a stored snapshot with the papers an update adds (`incremental`).
May import kg.resolve, kg.extract, kg.ingest and the shared modules; never analysis, export,
SPARQL or the pipeline.
"""
