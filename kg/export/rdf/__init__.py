"""The graph as RDF: IRIs and escaped terms, deterministic writers, a reader back, and in-place splices.

`terms` holds the vocabulary's IRIs, IRI minting and literal escaping; `triples` turns the graph
into sorted subject groups; `writers` streams them as Turtle, N-Triples or JSON-LD; `reader` reads
a written file back into networkx; `blocks` renders the subjects an update changed and `splice`
puts them into the written files without reading the rest. The names below are the package's API.
"""

from kg.export.rdf.blocks import count_block_triples, file_frame, owned_blocks, owned_blocks_by_format, owned_subjects
from kg.export.rdf.reader import graph_file_format, read_graph
from kg.export.rdf.terms import RDF_FORMATS, claim_iri, safe_iri
from kg.export.rdf.triples import triples
from kg.export.rdf.writers import to_ntriples, to_rdf, write_rdf, write_rdf_formats

__all__ = ["RDF_FORMATS", "write_rdf", "write_rdf_formats", "to_rdf", "to_ntriples", "triples", "read_graph",
           "graph_file_format", "safe_iri", "claim_iri", "owned_blocks", "owned_blocks_by_format", "owned_subjects",
           "count_block_triples", "file_frame"]
