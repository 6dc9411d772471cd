"""paperkg: a knowledge graph of methods, tasks, datasets and metrics from ML paper abstracts."""

__version__ = "0.1.0"
