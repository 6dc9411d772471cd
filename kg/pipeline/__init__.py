"""Stage 8, pipeline: runs the stages in order and keeps their results between runs.

In: the options of `kg build`. Out: the output folder (RDF, HTML map, centrality.csv, charts)
and its cache. `build` runs a full build and `update` the ingest of a `--update`; `cache` keeps
per-paper extractions and the stored graph (and the versions that decide whether they can be
reused); `parallel` and `distributed` run extraction in processes or on Dask; `progress` draws
the bars. May import every stage; only kg.evaluate and kg.cli may import it.
"""
