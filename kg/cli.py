"""The `kg` command: parses arguments, calls the library, turns KGError into one-line messages.

Exit status: 0 built (skipped records are reported, not fatal); 1 an error (missing graph,
bad query, nothing readable); 2 a usage error (unknown option or format); 3 with --strict,
when any record or file was skipped.

Over 450 lines on purpose: ten commands, each click options, help text with examples, a call into
the library and its output lines, kept in one file so that every command's options and messages read
(and change) together; the work itself is in the stages (docs/architecture.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg import __version__
from kg.analyze.centrality import DEFAULT_MEASURE, ENGINES, MEASURES, PROJECTIONS, method_centrality, ranking
from kg.defaults import DEFAULT_OUT_DIR, DEFAULT_TOP, HTML_MAX_NODES
from kg.errors import FormatError, KGError, value_invalid_msg
from kg.ingest.papers import FORMATS as INPUT_FORMATS

EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 1, 2, 3
DEFAULT_GRAPH = DEFAULT_OUT_DIR / "graph.ttl"
FORMATS = ("auto", *INPUT_FORMATS)


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


def _emit(data: list[dict], fields: list[str], fmt: str, table) -> None:
    """Print rows as JSON, CSV (the `fields`) or, via `table(data)`, an aligned table."""
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(data)
    else:
        for line in table(data):
            click.echo(line)


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
@click.option("--rdf-format", "rdf_formats", default="turtle", show_default=True, metavar="LIST",
              help="Comma-separated RDF serialisations to write: turtle (.ttl), ntriples (.nt), jsonld (.jsonld).")
@click.option("--no-abstracts", is_flag=True, help="Leave paper abstracts out of the RDF.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Drop entities and claims the extractor is less sure of (precision over recall).")
@click.option("--max-nodes", type=click.IntRange(1), default=HTML_MAX_NODES, show_default=True,
              help="Nodes drawn in the HTML map (the most central ones).")
@click.option("--strict", is_flag=True, help="Exit with status 3 when any record or file was skipped.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems (no summary, no progress bar).")
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, show_default=True,
              help="Extraction processes; 0 = one per CPU, at most 4 (small inputs run in one process).")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Keep per-paper extractions in OUT/.kg-cache.sqlite3 and reuse them while rules are unchanged.")
@click.option("--update", is_flag=True,
              help="Add INPUTS to the previous build in OUT: only new papers are extracted; the result equals a "
                   "full build of the earlier inputs followed by these. Stops if OUT's RDF files are not the "
                   "ones its cache recorded (copied, edited) or the cache is missing or damaged.")
@click.option("--distributed", "scheduler", metavar="ADDRESS",
              help='Extract on a Dask cluster: its scheduler address (tcp://host:8786), or "local" for --jobs '
                   'local workers. Needs paperkg[distributed].')
@click.option("--facts", "facts", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A Papers with Code links-between-papers-and-code or evaluation-tables JSON file: curated "
                   "hasCode links and evaluatesOn results (metric, value) for the papers it names, kept apart "
                   "from extracted ones. Repeatable.")
@click.option("--category", "categories", metavar="LIST",
              help="Comma-separated arXiv categories to keep (cs.LG,cs.CL; an archive such as cs keeps all of "
                   "it); records of other categories are counted and left out, records without categories kept.")
def build(inputs, out_dir, fmt, rdf_formats, no_abstracts, min_confidence, max_nodes, strict, quiet, jobs, cache,
          update, scheduler, facts, categories):
    """Read papers, extract entities and claims, and write the graph's views.

    INPUTS are files or folders (JSON Lines, JSON, arXiv metadata or Atom, CSV, Papers with Code
    JSON, daily-paper listing pages). With none, the bundled sample corpus is built.
    Skipped records are reported one line each (file:line: reason) and counted.

    \b
    Exit status: 0 built (skips are reported, not fatal); 1 nothing could be built;
    2 usage error; 3 built, but --strict and something was skipped.

    \b
    Examples:
      kg build
      kg build papers.jsonl more/ --out outputs/
      kg build export.csv --format csv --min-confidence 0.6 --strict
      kg build arxiv.jsonl --rdf-format turtle,ntriples
      kg build field.jsonl --jobs 8 --out field/
      kg build new-week.jsonl --update --out field/
      kg build field.jsonl --distributed tcp://scheduler:8786
      kg build papers-with-abstracts.json --facts links.json --facts evaluation-tables.json
      kg build arxiv-metadata-oai-snapshot.json --category cs.LG,cs.CL
    """
    from kg.pipeline.build import RDF_EXTENSIONS
    from kg.pipeline.build import build as run_build

    formats = tuple(f.strip() for f in rdf_formats.split(",") if f.strip())
    bad = [f for f in formats if f not in RDF_EXTENSIONS]
    if bad or not formats:
        raise click.BadParameter(value_invalid_msg("RDF format", ",".join(bad), RDF_EXTENSIONS), param_hint="--rdf-format")
    _, summary = run_build(
        inputs, fmt=fmt, out_dir=out_dir, rdf_formats=formats, include_abstracts=not no_abstracts,
        min_confidence=min_confidence, max_nodes=max_nodes, jobs=jobs, cache=cache, update=update,
        scheduler=scheduler, quiet=quiet, return_graph=False, facts=facts,
        categories=tuple(c.strip() for c in (categories or "").split(",") if c.strip()),
        on_skip=lambda s: click.echo(f"skipped {s}", err=True),
        on_warning=lambda s: click.echo(f"warning {s}", err=True),
    )
    if not quiet:
        for line in summary.lines():
            click.echo(line)
    if strict and summary.skipped:
        click.echo(f"Error: {len(summary.skipped)} record(s) or file(s) skipped (--strict)", err=True)
        sys.exit(EXIT_SKIPPED)


@cli.command(cls=_KGCommand)
@click.argument("query", required=False)
@click.option("--list", "list_", is_flag=True, help="List the saved queries and exit.")
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_GRAPH, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query variable to a literal value (never pasted into the query text).")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=60.0, show_default=True, metavar="SECONDS",
              help="Stop the query after this long (it runs in a child process that is killed).")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE clauses run: they send queries to other machines (federation). Off by default.")
def query(query, list_, graph_path, fmt, params, timeout, allow_service):
    """Run a SPARQL SELECT, ASK or CONSTRUCT over a built graph.

    QUERY is the query text, a .rq/.sparql file or the name of a saved query. The prefixes
    kg, rdf, rdfs, skos, dcterms, prov, schema, xsd and owl are predeclared, and so are
    paper, method, dataset, task and metric for paperkg's resources (method:bert). A query with a
    SERVICE clause is refused unless --allow-service is given: it would contact the network.
    Updates (INSERT, DELETE, ...) are not supported (exit status 2). Tables show IRIs with
    those prefixes and cut cells at 60 characters; csv and json give them whole.

    \b
    Examples:
      kg query "SELECT ?label WHERE { ?m a kg:Method ; rdfs:label ?label } LIMIT 10"
      kg query my-query.rq --format csv
      kg query methods-on-dataset --param dataset=ImageNet
    """
    from kg.sparql.guard import UpdateRefusedError, refuse_update
    from kg.sparql.query import format_result, list_queries, load_graph, query_params, resolve_query_arg
    from kg.sparql.worker import run_query_with_timeout

    if list_:
        saved = [{"name": name, "description": description,
                  "params": query_params(resolve_query_arg(name))} for name, description in list_queries()]
        for d in saved if fmt == "csv" else ():
            d["params"] = " ".join(d["params"])
        _emit(saved, ["name", "description", "params"], fmt,
              lambda rows: (f"{d['name']:<22} {d['description']}" for d in rows))
        return
    if not query:
        raise click.UsageError("give a QUERY (text, file or saved-query name) or --list")
    text = resolve_query_arg(query)
    try:
        refuse_update(text)  # before the graph is loaded: a usage error, not a failed query
    except UpdateRefusedError as e:
        raise click.UsageError(str(e)) from e

    bindings = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{p!r} is not NAME=VALUE", param_hint="--param")
        bindings[name] = value
    result = run_query_with_timeout(load_graph(graph_path), text, bindings=bindings,
                                    allow_service=allow_service, timeout=timeout)
    click.echo(format_result(result, fmt))


@cli.command(cls=_KGCommand)
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_GRAPH, show_default=True)
@click.option("--measure", type=click.Choice(MEASURES), default=DEFAULT_MEASURE, show_default=True,
              help="support: PageRank of the papers and claims that involve a method (see below).")
@click.option("--on", "on", type=click.Choice(PROJECTIONS), default=None,
              help="The graph the other measures run on (see below) [default: full].")
@click.option("--top", type=click.IntRange(1), default=DEFAULT_TOP, show_default=True)
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
              help="Who computes betweenness/closeness; rustworkx (if installed) is far faster on big graphs.")
@click.option("--sample", "k", type=click.IntRange(1), default=None, help="Estimate betweenness from K sampled nodes.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the --sample draw.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def centrality(graph_path, measure, on, top, engine, k, seed, fmt):
    """Rank methods by support PageRank (default) or a centrality measure on a projection.

    \b
    --measure support  (default) a reader walks from an entity to one of its papers and on to
                       an entity that paper involves, weighted 1 for a mention, +1 when the
                       paper makes a claim about it, +1 when it proposes it; jumps land on
                       entities by their paper count. A method ranks high when many papers
                       and their claims involve it; a one-paper method only when its paper's
                       claims tie it to well-supported ones. --on does not apply.
    \b
    The other measures (pagerank, degree, betweenness, eigenvector, closeness) run --on:
    --on full          every paper, entity and repo, all relations, undirected (default)
    --on improves      methods only, better -> worse edges: PageRank ranks the methods many
                       others beat (the strong baselines); eigenvector is undefined without cycles
    --on evaluation    methods and the datasets they are evaluated on
    --on cooccurrence  methods linked by papers that mention both: the hubs

    \b
    Examples:
      kg centrality --top 10
      kg centrality --measure pagerank --on improves --top 5
      kg centrality --measure betweenness --on cooccurrence --format csv
    """
    from kg.export.centrality import score_column
    from kg.export.rdf import read_graph

    if measure == "support" and on is not None:
        raise click.BadParameter("--on applies to the other measures; support walks the papers", param_hint="--on")
    G = read_graph(graph_path)
    rows = ranking(method_centrality(G, measure=measure, on=on, engine=engine, seed=seed, k=k), top)
    data = [{"rank": i, "label": G.nodes[n]["label"], "score": s, "papers": len(G.nodes[n].get("papers", ())), "iri": n}
            for i, (n, s) in enumerate(rows, 1)]

    def table(rows):
        width = max([len(d["label"]) for d in rows] + [6])
        name = score_column(measure)
        yield f"{'rank':>4}  {'method':<{width}}  {name:>16}  papers"
        for d in rows:
            yield f"{d['rank']:>4}  {d['label']:<{width}}  {d['score']:>16.6f}  {d['papers']:>6}"

    _emit(data, ["rank", "label", "score", "papers", "iri"], fmt, table)


@cli.command(cls=_KGCommand)
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_GRAPH, show_default=True)
@click.option("--shapes", "shapes_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="SHACL shapes to check against (default: the bundled schema/shapes.ttl).")
def validate(graph_path, shapes_path):
    """Check a built graph against the paperkg SHACL shapes.

    Prints one line per problem (focus node, property, message); exits 1 when the graph
    does not conform. Warnings are printed but do not fail the check.

    \b
    Examples:
      kg validate
      kg validate --graph outputs/graph.nt
    """
    from kg.sparql.validate import SHAPES_PATH, validate_graph

    conforms, lines = validate_graph(graph_path, shapes=shapes_path or SHAPES_PATH)
    for line in lines:
        click.echo(line)
    click.echo(f"{graph_path}: {'conforms' if conforms else 'does NOT conform'} to the paperkg shapes",
               err=not conforms)
    if not conforms:
        sys.exit(EXIT_ERROR)


@cli.command(cls=_KGCommand)
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_GRAPH, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (local only by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=3030, show_default=True)
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=5.0, show_default=True, metavar="SECONDS",
              help="Stop a query after this long (its worker process is killed) and answer 503.")
@click.option("--max-rows", type=click.IntRange(1), default=10_000, show_default=True,
              help="Rows (or triples) per answer; a longer answer is cut and says so (X-PaperKG-Truncated: true).")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Queries evaluated at once, each in its own process.")
@click.option("--max-memory", "max_memory", type=click.IntRange(64), default=1024, show_default=True, metavar="MB",
              help="Memory a query may take beyond the loaded graph; past it the query fails.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="A web origin (https://example.org) whose pages may query the endpoint and read answers; "
                   "repeatable. By default cross-origin requests are refused.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also accept requests whose Host header names NAME (a name of this machine); repeatable. "
                   "By default only the --host address, localhost, 127.0.0.1 and [::1] are accepted.")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE clauses run: they send queries to other machines (federation). Off by default.")
def serve(graph_path, host, port, timeout, max_rows, workers, max_memory, cors_origins, allow_hosts, allow_service):
    """Serve a built graph as a read-only SPARQL 1.1 endpoint at /sparql.

    Queries arrive by GET ?query=... or POST (form or application/sparql-query); results are
    SPARQL JSON or CSV (Accept header). Updates and SERVICE are refused, and so are requests
    from web pages of other sites (unless --cors-origin) and requests naming another Host.
    Each query runs in a worker process under --timeout and --max-rows. Stop with Ctrl-C.

    \b
    Examples:
      kg serve --port 3030
      curl -H 'Accept: text/csv' 'http://127.0.0.1:3030/sparql' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3'
    """
    from kg.sparql.serve import serve as run_server

    try:
        run_server(graph_path, host=host, port=port, on_ready=lambda url: click.echo(f"SPARQL endpoint at {url}"),
                   timeout=timeout, max_rows=max_rows, workers=workers, max_memory_mb=max_memory,
                   cors_origins=cors_origins, allow_hosts=allow_hosts, allow_service=allow_service)
    except OSError as e:
        raise KGError(f"cannot listen on {host}:{port}: {e.strerror or e}; pick another --port") from e
    except KeyboardInterrupt:
        pass


# --- analysis commands: communities, trends, export (helper ANALYSIS, issue 5) ---

EXPORT_FORMATS = ("graphml", "gexf", "vosviewer", "csv")
_EXPORT_FILES = {"graphml": "graph.graphml", "gexf": "graph.gexf", "vosviewer": "vosviewer.json"}


@cli.command(cls=_KGCommand)
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_GRAPH, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Louvain's seed (same seed, same clusters).")
@click.option("--resolution", type=click.FloatRange(0, min_open=True), default=1.0, show_default=True,
              help="Above 1: more, smaller clusters; below 1: fewer, larger ones.")
@click.option("--top", type=click.IntRange(1), default=DEFAULT_TOP, show_default=True, help="Largest clusters shown.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def communities(graph_path, seed, resolution, top, fmt):
    """Cluster methods, tasks and datasets that papers mention together (Louvain).

    Each cluster is labelled by its three best-connected names. Clusters are numbered from
    the largest; the same graph and --seed give the same clusters.

    \b
    Examples:
      kg communities --top 10
      kg communities --resolution 1.5 --format json
    """
    from kg.analyze.communities import communities as find_communities
    from kg.export.rdf import read_graph

    G = read_graph(graph_path)
    found = find_communities(G, seed=seed, resolution=resolution)
    data = [{"id": c.id, "size": c.size, "label": c.label,
             "members": "; ".join(G.nodes[n].get("label", n) for n in c.members)} for c in found[:top]]
    if fmt == "json":
        for d, c in zip(data, found[:top], strict=True):
            d["members"] = [{"label": G.nodes[n].get("label", n), "kind": G.nodes[n].get("kind"), "iri": n}
                            for n in c.members]

    def table(rows):
        yield f"{'id':>4}  {'size':>5}  label"
        for d in rows:
            yield f"{d['id']:>4}  {d['size']:>5}  {d['label']}"
        if len(found) > len(rows):
            yield f"({len(found) - len(rows)} smaller clusters not shown; raise --top)"

    _emit(data, ["id", "size", "label", "members"], fmt, table)


@cli.command(cls=_KGCommand)
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_GRAPH, show_default=True)
@click.option("--period", type=click.Choice(["day", "month", "year"]), default="month", show_default=True)
@click.option("--top", type=click.IntRange(1), default=DEFAULT_TOP, show_default=True,
              help="Rising entities shown; with --all, entities of each kind shown per period.")
@click.option("--min-count", type=click.IntRange(1), default=2, show_default=True,
              help="Papers an entity needs in all to count as rising.")
@click.option("--all", "show_all", is_flag=True,
              help="Print each period's most-mentioned entities (papers and share) instead of the rising ones.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def trends(graph_path, period, top, min_count, show_all, fmt):
    """Show the methods, tasks and datasets on the rise (or, with --all, counts per period).

    The periods are cut into an earlier and a later half; an entity's score is the share of
    the later half's papers that mention it minus its share of the earlier half's. Papers
    without a usable date are left out and counted on stderr, which also says which periods
    were compared. Daily listing pages give dates without a year ("--03-11"): when no paper
    has a year, their months and days are used as periods of one unknown year (shown as
    "Mar", "Mar 11"), and --period year has nothing to go on.

    \b
    Examples:
      kg trends --period month --top 10
      kg trends --period day --all --top 5 --format csv
    """
    from kg.analyze.trends import (
        no_dates_reason,
        paper_periods,
        period_label,
        rising_report,
        top_per_period,
        trend_table,
    )
    from kg.export.rdf import read_graph

    def note(text: str) -> None:
        click.echo(text, err=True)

    G = read_graph(graph_path)
    if show_all:
        dating = paper_periods(G, period=period)
        rows = trend_table(G, period=period, dating=dating)
        data = [{**r._asdict(), "share": round(r.count / r.papers, 6), "period_label": period_label(r.period)}
                for r in top_per_period(rows, top)]
        fields = ["period", "kind", "label", "count", "papers", "share", "node", "period_label"]
        reason = "" if rows else no_dates_reason(dating, period)

        def table(rows):
            if not rows:
                yield f"no counts: {reason}"
                return
            width = max([len(d["label"]) for d in rows] + [6])
            pwidth = max([len(period_label(d["period"])) for d in rows] + [6])
            yield f"{'period':<{pwidth}}  {'kind':<7}  {'entity':<{width}}  papers   share"
            for d in rows:
                yield (f"{period_label(d['period']):<{pwidth}}  {d['kind']:<7}  {d['label']:<{width}}  "
                       f"{d['count']:>6}  {100 * d['share']:>5.1f}%")
    else:
        report = rising_report(G, period=period, top=top, min_count=min_count)
        dating, reason = report.dating, report.reason
        data = [{"rank": i, **r._asdict()} for i, r in enumerate(report.rows, 1)]
        fields = ["rank", "label", "kind", "score", "early", "late", "node"]

        def table(rows):
            if not rows:
                yield f"no rising entity: {reason}"
                return
            width = max([len(d["label"]) for d in rows] + [6])
            yield f"{'rank':>4}  {'entity':<{width}}  {'kind':<7}  {'score':>7}  early  late"
            for d in rows:
                yield (f"{d['rank']:>4}  {d['label']:<{width}}  {d['kind']:<7}  {d['score']:>7.3f}  "
                       f"{d['early']:>5}  {d['late']:>4}")

        if report.early and report.late:
            def span(ps, papers):
                named = period_label(ps[0]) if len(ps) == 1 else f"{period_label(ps[0])} to {period_label(ps[-1])}"
                return f"{named} ({papers:,} papers)"

            note(f"compared {span(report.early, report.early_papers)} with {span(report.late, report.late_papers)}")
    if dating.undated:
        total = len(dating.undated) + len(dating.periods)
        note(f"{len(dating.undated)} of {total} papers have no date usable per {period}; left out")
    if dating.yearless:
        note("the papers' dates give no year (daily listing pages): their periods are taken as months "
             "and days of one unknown year")
    elif dating.no_year and dating.periods:
        note(f"{dating.no_year} papers have a listing date with no year; they cannot be placed among "
             "dated papers and are left out")
    if reason and fmt != "table":
        note(f"no {'counts' if show_all else 'rising entity'}: {reason}")
    _emit(data, fields, fmt, table)


@cli.command(name="export", cls=_KGCommand)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(EXPORT_FORMATS))
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_GRAPH, show_default=True)
@click.option("--out", "out_path", type=click.Path(path_type=Path), default=None,
              help="File to write (csv: the folder for nodes.csv and edges.csv). "
                   "Default: outputs/graph.graphml, graph.gexf, vosviewer.json or outputs/.")
def export_graph(fmt, graph_path, out_path):
    """Write a built graph for other tools: GraphML, GEXF (Gephi), VOSviewer JSON or CSV lists.

    vosviewer maps methods, datasets, tasks and metrics, linked by shared papers, coloured by
    cluster (kg communities) and scored by PageRank.

    \b
    Examples:
      kg export gexf
      kg export vosviewer --out map.json
      kg export csv --out tables/
    """
    from kg.export import formats
    from kg.export.rdf import read_graph

    G = read_graph(graph_path)
    if fmt == "csv":
        folder = out_path or DEFAULT_OUT_DIR
        written = [folder / "nodes.csv", folder / "edges.csv"]
        formats.write_csv_lists(G, *written)
    else:
        path = out_path or DEFAULT_OUT_DIR / _EXPORT_FILES[fmt]
        if fmt == "graphml":
            formats.write_graphml(G, path)
        elif fmt == "gexf":
            formats.write_gexf(G, path)
        else:
            from kg.analyze.communities import communities as find_communities

            formats.write_vosviewer_json(G, path, scores=method_centrality(G, measure="pagerank", on="full"),
                                         communities=find_communities(G))
        written = [path]
    for p in written:
        click.echo(f"wrote {p}")


@cli.command(name="eval", cls=_KGCommand)
@click.argument("gold", type=click.Path(path_type=Path), required=False)
@click.option("--gold", "gold_set", type=click.Choice(["dev", "era"]), default=None,
              help="Score against a labelled set shipped with paperkg instead of a GOLD file (see docs/evaluation.md).")
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=None,
              help=f"The graph to score [default: {DEFAULT_GRAPH}; with --gold, the set's papers built afresh].")
@click.option("--jobs", type=click.IntRange(0), default=1, show_default=True,
              help="Extraction processes when --gold builds the set's papers (0: one per CPU).")
def eval_graph(gold, gold_set, graph_path, jobs):
    """Score a built graph against hand labels (precision, recall, F1 per kind).

    GOLD is JSON Lines, one labelled paper per line: {"title", "proposed", "methods", "datasets",
    "tasks", "metrics" (each a list of {"name", "aliases"}), "evaluates_on", "improves_over" (lists
    of [name, name] pairs), "repos" (URLs)}. Papers are matched by normalised title; names match
    on any shared normalised form; tasks~ also accepts half the words in common. Gold papers not
    found in the graph are counted and the first few named.

    \b
    --gold dev   168 labelled papers of the bundled sample (2023-2025 listings)
    --gold era   100 labelled papers from 2015-2021 venues
    Without --graph, --gold builds the set's papers in memory with the current extractor.

    \b
    Examples:
      kg eval --gold dev
      kg eval --gold era
      kg eval --gold dev --graph outputs/graph.ttl
      kg eval my_labels.jsonl --graph out/graph.ttl
    """
    from kg.evaluate.score import evaluate_graph, load_gold, score_table
    from kg.export.rdf import read_graph

    if (gold is None) == (gold_set is None):
        raise click.UsageError("give either a GOLD file or --gold dev|era")
    if gold_set is not None:
        from kg.evaluate.goldsets import build_in_memory
        from kg.evaluate.goldsets import gold_set as shipped
        from kg.pipeline.parallel import default_jobs

        labelled = shipped(gold_set)
        records = load_gold(labelled.gold)
        G = (read_graph(graph_path) if graph_path is not None
             else build_in_memory([labelled.papers], jobs=jobs or default_jobs()))
    else:
        records = load_gold(gold)  # first: a wrong gold path is named before a graph is read
        G = read_graph(graph_path if graph_path is not None else DEFAULT_GRAPH)
    for line in score_table(evaluate_graph(G, records)):
        click.echo(line)


@cli.command(cls=_KGCommand)
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_GRAPH, show_default=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the map (default: graph.html beside the graph).")
@click.option("--max-nodes", type=click.IntRange(1), default=HTML_MAX_NODES, show_default=True,
              help="Nodes drawn at first: the most central entities (papers on demand); search and "
                   "expand reach every node.")
@click.option("--color-by", type=click.Choice(["type", "cluster"]), default="type", show_default=True,
              help="cluster: also offer colours by community (seeded Louvain).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the community detection.")
def html(graph_path, out_path, max_nodes, color_by, seed):
    """Redraw the interactive HTML map of a built graph with other options.

    \b
    Examples:
      kg html --max-nodes 1000
      kg html --graph out/graph.ttl --out out/map.html --color-by cluster
    """
    from kg.export.html.page import write_html_snapshot
    from kg.export.rdf import read_graph
    from kg.graph.snapshot import Snapshot

    G = read_graph(graph_path)
    clusters = None
    if color_by == "cluster":
        from kg.analyze.communities import communities as find_communities
        from kg.analyze.communities import node_community

        clusters = node_community(find_communities(G, seed=seed))
    out_path = out_path or Path(graph_path).with_name("graph.html")
    # The one renderer, the build's: from the graph's Snapshot.
    stats = write_html_snapshot(Snapshot.from_graph(G), out_path, max_nodes=max_nodes, communities=clusters)
    click.echo(f"wrote {out_path}: {stats.nodes_drawn} nodes drawn, {stats.nodes_hidden} hidden, "
               f"{stats.edges_drawn} edges, {stats.bytes:,} bytes")
