"""A read-only SPARQL 1.1 Protocol endpoint over a built graph (a WSGI app on the stdlib's server).

HTTP parsing is wsgiref's; this module only maps the protocol's parameters to `kg.query`:
`GET /sparql?query=...`, `POST` with `application/x-www-form-urlencoded` (`query=...`) or
`application/sparql-query`. Updates are refused with 403. Results are negotiated from the
Accept header: SPARQL JSON (default) or CSV; CONSTRUCT answers are N-Triples.
"""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from kg.errors import KGError, QueryError
from kg.query import format_result, load_graph, run_query

__all__ = ["make_app", "make_sparql_server", "serve"]

MAX_BODY = 1 << 20  # a query larger than 1 MiB is refused (413)
_JSON, _CSV, _NT = "application/sparql-results+json", "text/csv", "application/n-triples"
_PATHS = ("/sparql", "/")


def _negotiate(accept: str) -> str:
    """The first result type the client accepts that we produce (JSON when it names none)."""
    for part in accept.split(","):
        mime = part.split(";")[0].strip().lower()
        if mime in (_JSON, "application/json", "*/*", "application/*"):
            return _JSON
        if mime in (_CSV, "text/*"):
            return _CSV
    return _JSON


def make_app(store) -> Callable:
    """A WSGI application answering SPARQL queries over `store` (from kg.query.load_graph)."""
    lock = threading.Lock()  # rdflib graphs are not safe for concurrent queries; oxigraph is cheap to lock

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        def reply(status: str, body: str, ctype: str = "text/plain; charset=utf-8") -> list[bytes]:
            data = body.encode("utf-8")
            start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(data))),
                                    ("Access-Control-Allow-Origin", "*"), ("Cache-Control", "no-store")])
            return [data]

        if environ.get("PATH_INFO", "/") not in _PATHS:
            return reply("404 Not Found", "not found; the SPARQL endpoint is /sparql\n")
        method = environ["REQUEST_METHOD"]
        params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return reply("400 Bad Request", "bad Content-Length\n")
            if length > MAX_BODY:
                return reply("413 Payload Too Large", f"request body over {MAX_BODY} bytes\n")
            body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return reply("403 Forbidden", "this endpoint is read-only: updates are refused\n")
            if ctype == "application/sparql-query":
                params.setdefault("query", []).append(body)
            elif ctype == "application/x-www-form-urlencoded":
                for k, v in parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
            else:
                return reply("415 Unsupported Media Type",
                             "POST application/sparql-query or application/x-www-form-urlencoded\n")
        elif method != "GET":
            return reply("405 Method Not Allowed", "use GET or POST\n")
        if "update" in params:
            return reply("403 Forbidden", "this endpoint is read-only: updates are refused\n")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return reply("400 Bad Request", "give exactly one non-empty `query` parameter\n")
        try:
            with lock:
                result = run_query(store, queries[0])
        except QueryError as e:
            # An update sent as `query` fails to parse as a query, so it lands here too.
            return reply("400 Bad Request", f"{e}\n")
        except KGError as e:
            return reply("500 Internal Server Error", f"{e}\n")
        if result.kind == "construct":
            return reply("200 OK", format_result(result, "csv") + "\n", _NT + "; charset=utf-8")
        mime = _negotiate(environ.get("HTTP_ACCEPT", ""))
        if mime == _CSV:
            return reply("200 OK", format_result(result, "csv") + "\r\n", _CSV + "; charset=utf-8")
        text = format_result(result, "json")
        if result.kind == "ask":
            text = json.dumps({"head": {}, "boolean": result.boolean})
        return reply("200 OK", text + "\n", _JSON + "; charset=utf-8")

    return app


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


def make_sparql_server(graph_path: str | Path, *, host: str = "127.0.0.1", port: int = 3030, quiet: bool = False):
    """A WSGI server (not yet serving) for the graph at `graph_path`; port 0 picks a free port."""
    app = make_app(load_graph(graph_path))
    handler = _QuietHandler if quiet else WSGIRequestHandler
    return make_server(host, port, app, server_class=_ThreadingServer, handler_class=handler)


def serve(graph_path: str | Path, *, host: str = "127.0.0.1", port: int = 3030,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the graph at `graph_path` until interrupted."""
    server = make_sparql_server(graph_path, host=host, port=port)
    if on_ready:
        on_ready(f"http://{host}:{server.server_port}/sparql")
    try:
        server.serve_forever()
    finally:
        server.server_close()
