"""The `kg` command: parses arguments, calls the library, turns KGError into one-line messages.

Exit status: 0 built (skipped records are reported, not fatal); 1 an error (missing graph,
bad query, nothing readable); 2 a usage error (unknown option or format); 3 with --strict,
when any record or file was skipped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg import __version__
from kg.analyze import MEASURES, PROJECTIONS, method_centrality, ranking
from kg.defaults import DEFAULT_OUT_DIR, DEFAULT_TOP, HTML_MAX_NODES
from kg.errors import FormatError, KGError

EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 1, 2, 3
DEFAULT_GRAPH = DEFAULT_OUT_DIR / "graph.ttl"
FORMATS = ("auto", "listing", "jsonl", "json", "arxiv-jsonl", "arxiv-atom", "csv", "pwc")


class _KGCommand(click.Command):
    """Turns library errors into `Error: ...` and exit status 1 (usage errors keep status 2)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FormatError as e:
            raise click.UsageError(str(e), ctx) from e
        except KGError as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """paperkg: a knowledge graph of ML methods, datasets, tasks and metrics from paper abstracts.

    \b
    Examples:
      kg build                         # the bundled sample -> outputs/
      kg build papers.jsonl --out out/
      kg query "SELECT ?m WHERE { ?m a kg:Method } LIMIT 5"
      kg centrality --measure pagerank --top 10
    """


@cli.command(cls=_KGCommand)
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT_DIR,
              show_default=True, help="Folder for graph.ttl, graph.html and centrality.csv.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True,
              help="Input format; auto detects it from each file's content.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Drop entities and claims the extractor is less sure of (precision over recall).")
@click.option("--max-nodes", type=click.IntRange(1), default=HTML_MAX_NODES, show_default=True,
              help="Nodes drawn in the HTML map (the most central ones).")
@click.option("--strict", is_flag=True, help="Exit with status 3 when any record or file was skipped.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def build(inputs, out_dir, fmt, min_confidence, max_nodes, strict, quiet):
    """Read papers, extract entities and claims, and write the graph's views.

    INPUTS are files or folders (JSON Lines, JSON, arXiv metadata or Atom, CSV, Papers with Code
    JSON, daily-paper listing pages). With none, the bundled sample corpus is built.
    Skipped records are reported one line each (file:line: reason) and counted.

    \b
    Examples:
      kg build
      kg build papers.jsonl more/ --out outputs/
      kg build export.csv --format csv --min-confidence 0.6 --strict
    """
    from kg.build import build as run_build

    def report(skip):
        click.echo(f"skipped {skip}", err=True)

    _, summary = run_build(inputs, fmt=fmt, out_dir=out_dir, min_confidence=min_confidence,
                           max_nodes=max_nodes, on_skip=report)
    if not quiet:
        for line in summary.lines():
            click.echo(line)
    if summary.papers == 0:
        raise KGError("no paper could be read from the input; see the skipped lines above")
    if strict and summary.skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command(cls=_KGCommand)
@click.argument("query")
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_GRAPH, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query variable to a literal value (never pasted into the query text).")
def query(query, graph_path, fmt, params):
    """Run a SPARQL SELECT, ASK or CONSTRUCT over a built graph.

    QUERY is the query text, a .rq/.sparql file or the name of a saved query. The prefixes
    kg, rdf, rdfs, skos, dcterms, prov, schema, xsd and owl are predeclared.

    \b
    Examples:
      kg query "SELECT ?label WHERE { ?m a kg:Method ; rdfs:label ?label } LIMIT 10"
      kg query my-query.rq --format csv
      kg query methods-on-dataset --param dataset=ImageNet
    """
    from kg.query import format_result, load_graph, resolve_query_arg, run_query

    bindings = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{p!r} is not NAME=VALUE", param_hint="--param")
        bindings[name] = value
    result = run_query(load_graph(graph_path), resolve_query_arg(query), bindings=bindings)
    click.echo(format_result(result, fmt))


@cli.command(cls=_KGCommand)
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_GRAPH, show_default=True)
@click.option("--measure", type=click.Choice(MEASURES), default="pagerank", show_default=True)
@click.option("--on", "on", type=click.Choice(PROJECTIONS), default="full", show_default=True,
              help="The graph the measure runs on (see below).")
@click.option("--top", type=click.IntRange(1), default=DEFAULT_TOP, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def centrality(graph_path, measure, on, top, fmt):
    """Rank methods by centrality.

    \b
    --on full          every paper, entity and repo, all relations, undirected (default)
    --on improves      methods only, better -> worse edges: PageRank ranks the methods many
                       others beat (the strong baselines)
    --on evaluation    methods and the datasets they are evaluated on
    --on cooccurrence  methods linked by papers that mention both: the hubs

    \b
    Examples:
      kg centrality --top 10
      kg centrality --measure betweenness --on cooccurrence --format csv
    """
    from kg.export.rdf import read_graph

    G = read_graph(graph_path)
    rows = ranking(method_centrality(G, measure=measure, on=on), top)
    data = [{"rank": i, "label": G.nodes[n]["label"], "score": s, "papers": len(G.nodes[n].get("papers", ())), "iri": n}
            for i, (n, s) in enumerate(rows, 1)]
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=["rank", "label", "score", "papers", "iri"], lineterminator="\n")
        w.writeheader()
        w.writerows(data)
    else:
        width = max([len(d["label"]) for d in data] + [6])
        click.echo(f"{'rank':>4}  {'method':<{width}}  {measure:>12}  papers")
        for d in data:
            click.echo(f"{d['rank']:>4}  {d['label']:<{width}}  {d['score']:>12.6f}  {d['papers']:>6}")
