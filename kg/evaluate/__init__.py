"""Evaluation: a built graph and a labelled set in, precision and recall out (`kg eval`).

`goldsets` loads the labelled sets shipped in kg/data/eval and builds their papers in memory
through the pipeline; `score` matches a graph's entities and claims against a gold set. May
import kg.pipeline and everything below it; only kg.cli imports it.
"""
