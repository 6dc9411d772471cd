"""Every tunable, label set, base IRI and path of paperkg, typed, in one place."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The sample corpus shipped with the package: what `kg build` reads with no input.
SAMPLE_CORPUS_DIR = PACKAGE_DIR / "data" / "corpus"
LEXICON_DIR = PACKAGE_DIR / "data" / "lexicon"
PATTERN_DIR = PACKAGE_DIR / "extract" / "patterns"
QUERY_DIR = PACKAGE_DIR / "queries"
DEFAULT_OUT_DIR = Path("outputs")
#: Where `kg build` keeps its cache, inside the output folder (ingest skips folders holding one).
CACHE_FILENAME = ".kg-cache.sqlite3"
#: The ontology and SHACL shapes: top-level schema/ in the source tree, kg/schema/ in an installed
#: wheel (pyproject maps the one onto the other).
SCHEMA_DIR = PACKAGE_DIR / "schema" if (PACKAGE_DIR / "schema").is_dir() else PACKAGE_DIR.parent / "schema"

#: Base of every IRI paperkg mints; the ontology lives at ONTOLOGY_NS.
RESOURCE_BASE = "https://w3id.org/paperkg/resource/"
ONTOLOGY_NS = "https://w3id.org/paperkg/ontology#"

#: Node kinds of the graph, in the order the legend and summaries list them.
NODE_KINDS = ("paper", "method", "dataset", "task", "metric", "repo")
#: Edge relations of the graph (names of the kg: properties).
RELATIONS = ("proposes", "mentions", "hasCode", "evaluatesOn", "improvesOver")
#: The relations that carry per-paper claims (evidence sentence, confidence), reified in the RDF.
CLAIM_RELATIONS = ("evaluatesOn", "improvesOver")

#: Default threshold below which extracted entities are dropped (`kg build --min-confidence`).
MIN_CONFIDENCE: float = 0.0

#: Centrality defaults.
PAGERANK_ALPHA: float = 0.85
DEFAULT_TOP: int = 20

#: HTML map defaults.
HTML_MAX_NODES: int = 300

#: Ingest limits: a longer "title" is no title (the record is skipped); a longer abstract is cut.
MAX_TITLE_CHARS: int = 2_000
MAX_ABSTRACT_CHARS: int = 100_000
