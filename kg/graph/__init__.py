"""Stage 4, graph: resolved extractions in, the knowledge graph out.

In: Papers, their Extractions and the `kg.resolve.Resolution` of their mentions. Out: the graph
as a networkx MultiDiGraph (`assemble`), its compact array form for storage and fast views
(`snapshot`), and the patch of a stored snapshot with the papers an update adds (`incremental`).
May import kg.resolve, kg.extract, kg.ingest and the shared modules; never analysis, export,
SPARQL or the pipeline.
"""
