"""Views of the graph: RDF and the HTML map (and other file formats)."""
