"""Stage 6, export: the graph and its analyses in, files out.

In: the graph (networkx) or its Snapshot, with the scores, communities and trend rows of
kg.analyze. Out: RDF (`rdf/`: Turtle, N-Triples, JSON-LD, and a reader back), the HTML map
(`html/`), centrality.csv (`centrality`), SVG charts (`charts`) and files for other tools
(`formats`: GraphML, GEXF, VOSviewer JSON, CSV lists). Every write is atomic. May import
kg.analyze and the stages below it; never SPARQL or the pipeline.
"""
