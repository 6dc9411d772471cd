"""Stage 7, SPARQL: the RDF files in, answers out.

In: graph.ttl/.nt/.jsonld as kg build wrote them. Out: query results (`query`, run in killable
workers by `worker`, SERVICE refused by `guard`), an HTTP endpoint (`serve`), and SHACL
validation against the shipped shapes (`validate`). May import kg.export (to read the RDF it
wrote) and the stages below; never kg.pipeline.
"""
