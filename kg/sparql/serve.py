"""A read-only SPARQL 1.1 Protocol endpoint over a built graph (a WSGI app on the stdlib's server).

HTTP parsing is wsgiref's; this module maps the protocol's parameters to queries run by
`kg.sparql.worker`: `GET /sparql?query=...`, `POST` with `application/x-www-form-urlencoded`
(`query=...`) or `application/sparql-query`. Updates are refused with 403. Results are negotiated
from the Accept header: SPARQL JSON (default) or CSV; CONSTRUCT answers are N-Triples.

The endpoint is meant for the local machine and assumes every web page open in the user's browser
may be hostile: requests must name this server in `Host` (DNS rebinding), cross-origin requests
are refused unless their origin was allowed (`cors_origins`), SERVICE is refused, and each query
runs in a worker process under a time limit and a row cap, so no client can stall the others.
"""

from __future__ import annotations

import re
import signal
import socketserver
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from kg.errors import KGError, QueryError, QueryTimeoutError, ServiceRefusedError
from kg.sparql.query import load_graph
from kg.sparql.worker import QueryPool

__all__ = ["make_app", "make_sparql_server", "serve", "allowed_hosts",
           "MAX_BODY", "DEFAULT_TIMEOUT", "DEFAULT_MAX_ROWS", "DEFAULT_WORKERS"]

MAX_BODY = 1 << 20  # a query larger than 1 MiB is refused (413)
DEFAULT_TIMEOUT = 5.0  # seconds a query may run (and wait for a free worker)
DEFAULT_MAX_ROWS = 10_000  # rows (or triples) per answer; more are cut and the answer says so
DEFAULT_WORKERS = 4  # queries evaluated at once, each in its own process
IDLE_TIMEOUT = 15.0  # seconds a connection may stay silent (a half-open one is dropped)
MAX_CONNECTIONS = 64  # connections handled at once; more get 503 at once, with no thread
_JSON, _CSV, _NT = "application/sparql-results+json", "text/csv", "application/n-triples"
_PATHS = ("/sparql", "/")
_LENGTH = re.compile(r"[0-9]{1,18}")


def _negotiate(accept: str) -> str:
    """The first result type the client accepts that we produce (JSON when it names none)."""
    for part in accept.split(","):
        mime = part.split(";")[0].strip().lower()
        if mime in (_JSON, "application/json", "*/*", "application/*"):
            return _JSON
        if mime in (_CSV, "text/*"):
            return _CSV
    return _JSON


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The `Host` header values the server accepts: this address or a loopback name, with the port.

    >>> sorted(allowed_hosts("127.0.0.1", 3030))
    ['127.0.0.1:3030', '[::1]:3030', 'localhost:3030']
    """
    names = {"localhost", "127.0.0.1", "[::1]", *extra}
    if host:
        names.add(f"[{host}]" if ":" in host and not host.startswith("[") else host)
    values = {f"{n.lower()}:{port}" for n in names}
    if port == 80:  # a browser leaves the default port out
        values |= {n.lower() for n in names}
    return frozenset(values)


def make_app(pool: QueryPool, *, hosts: frozenset[str] | None, cors_origins: Iterable[str] = (),
             timeout: float = DEFAULT_TIMEOUT, max_rows: int | None = DEFAULT_MAX_ROWS,
             allow_service: bool = False) -> Callable:
    """A WSGI application answering SPARQL queries through `pool`.

    `hosts` are the accepted Host headers (None: any, for an app behind a proxy that checks them);
    `cors_origins` the web origins whose pages may read answers.
    """
    origins = frozenset(cors_origins)

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        origin = environ.get("HTTP_ORIGIN")
        cors = [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")] if origin in origins else []

        def reply(status: str, body: str, extra: list | None = None) -> list[bytes]:
            data = body.encode("utf-8")
            start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data))),
                                    *_COMMON, *cors, *(extra or [])])
            return [data]

        host = environ.get("HTTP_HOST", "").lower()
        if hosts is not None and host not in hosts:
            # A page that rebound its own DNS name to 127.0.0.1 still sends that name as Host.
            return reply("403 Forbidden", f"Host {host[:100]!r} is not this server; use http://127.0.0.1 or "
                                          "http://localhost (or start kg serve with --allow-host NAME)\n")
        if origin is not None and origin not in origins:
            # Only browsers send Origin, and this server has no pages of its own: another site's page.
            return reply("403 Forbidden", f"cross-origin requests from {origin[:100]!r} are refused; start kg "
                                          "serve with --cors-origin ORIGIN to allow a site\n")
        if environ.get("PATH_INFO", "/") not in _PATHS:
            return reply("404 Not Found", "not found; the SPARQL endpoint is /sparql\n")
        method = environ["REQUEST_METHOD"]
        if method == "OPTIONS":  # a CORS preflight from an allowed origin, or a client asking what we take
            return reply("204 No Content", "", [("Allow", "GET, POST, OPTIONS")] + (cors and [
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Content-Type, Accept"), ("Access-Control-Max-Age", "600")]))
        params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        if method == "POST":
            raw = (environ.get("CONTENT_LENGTH") or "0").strip()
            if not _LENGTH.fullmatch(raw):  # "-1", "1e9", "0x10": refused before reading anything
                return reply("400 Bad Request", "bad Content-Length\n")
            length = int(raw)
            if length > MAX_BODY:
                return reply("413 Payload Too Large", f"request body over {MAX_BODY} bytes\n")
            try:
                body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
            except TimeoutError:
                return reply("408 Request Timeout", "the request body did not arrive in time\n")
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
            return reply("405 Method Not Allowed", "use GET or POST\n", [("Allow", "GET, POST, OPTIONS")])
        if "update" in params:
            return reply("403 Forbidden", "this endpoint is read-only: updates are refused\n")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return reply("400 Bad Request", "give exactly one non-empty `query` parameter\n")
        mime = _negotiate(environ.get("HTTP_ACCEPT", ""))
        try:
            answer = pool.stream(queries[0], "csv" if mime == _CSV else "json", allow_service=allow_service,
                                 max_rows=max_rows, timeout=timeout)
        except ServiceRefusedError as e:
            return reply("403 Forbidden", f"{e}\n")
        except QueryTimeoutError as e:
            return reply("503 Service Unavailable", f"{e}\n", [("Retry-After", "5")])
        except QueryError as e:
            # An update sent as `query` fails to parse as a query, so it lands here too.
            return reply("400 Bad Request", f"{e}\n")
        except KGError as e:
            return reply("500 Internal Server Error", f"{e}\n")
        if answer.kind == "construct":
            mime = _NT
        headers = [("Content-Type", mime + "; charset=utf-8"), *_COMMON, *cors]
        if answer.kind != "ask" and max_rows is not None:
            headers += [("X-PaperKG-Max-Rows", str(max_rows)),
                        ("X-PaperKG-Truncated", "true" if answer.truncated else "false")]
        start_response("200 OK", headers)
        return answer  # streamed piece by piece; wsgiref calls answer.close() at the end or on a dropped client

    return app


_COMMON = [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    """The stdlib's threading WSGI server with a bound on connections, quiet about dropped clients."""

    daemon_threads = True
    request_queue_size = 64  # the listen backlog; the stdlib's 5 makes a burst of clients wait for SYN retries
    pool: QueryPool | None = None

    def __init__(self, address, handler, *, max_connections: int, idle_timeout: float) -> None:
        self.idle_timeout = idle_timeout
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            # No thread for it: a short refusal, written to a fresh socket's empty buffer.
            try:
                request.settimeout(1)
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                                b"Content-Length: 22\r\nRetry-After: 5\r\n\r\ntoo many connections\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (TimeoutError, ConnectionError)):  # idle or gone: nothing to say
            super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        if self.pool is not None:
            self.pool.close()


class _Handler(ServerHandler):
    def log_exception(self, exc_info) -> None:
        if not issubclass(exc_info[0], (TimeoutError, ConnectionError)) and not self.request_handler.quiet:
            super().log_exception(exc_info)


class _RequestHandler(WSGIRequestHandler):
    """wsgiref's handler with a socket timeout, so silent or half-open connections are dropped."""

    quiet = False

    def setup(self) -> None:
        self.timeout = self.server.idle_timeout
        super().setup()

    def handle(self) -> None:  # wsgiref's own, with the quieter ServerHandler above
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline, self.request_version, self.command = "", "", ""
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _Handler(self.rfile, self.wfile, self.get_stderr(), self.get_environ(), multithread=True)
        handler.request_handler = self
        handler.run(self.server.get_app())

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        if not self.quiet:
            super().log_message(format, *args)


class _QuietRequestHandler(_RequestHandler):
    quiet = True


def make_sparql_server(graph_path: str | Path, *, host: str = "127.0.0.1", port: int = 3030, quiet: bool = False,
                       timeout: float = DEFAULT_TIMEOUT, max_rows: int | None = DEFAULT_MAX_ROWS,
                       workers: int = DEFAULT_WORKERS, cors_origins: Iterable[str] = (),
                       allow_hosts: Iterable[str] = (), allow_service: bool = False, max_memory_mb: int | None = 1024,
                       max_connections: int = MAX_CONNECTIONS, idle_timeout: float = IDLE_TIMEOUT):
    """A WSGI server (not yet serving) for the graph at `graph_path`; port 0 picks a free port.

    The graph is loaded once and `workers` query processes are forked from it; `server_close()`
    stops them.
    """
    store = load_graph(graph_path)
    server = _ThreadingServer((host, port), _QuietRequestHandler if quiet else _RequestHandler,
                              max_connections=max_connections, idle_timeout=idle_timeout)
    try:
        server.pool = QueryPool(store, workers=workers, max_memory_mb=max_memory_mb)
    except BaseException:
        server.server_close()
        raise
    server.set_app(make_app(server.pool, hosts=allowed_hosts(host, server.server_port, allow_hosts),
                            cors_origins=cors_origins, timeout=timeout, max_rows=max_rows,
                            allow_service=allow_service))
    return server


def serve(graph_path: str | Path, *, host: str = "127.0.0.1", port: int = 3030,
          on_ready: Callable[[str], None] | None = None, **options) -> None:
    """Serve the graph at `graph_path` until interrupted; `options` as for make_sparql_server."""
    server = make_sparql_server(graph_path, host=host, port=port, **options)
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) unwinds like Ctrl-C, so the finally below stops the worker processes too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if on_ready:
        on_ready(f"http://{host}:{server.server_port}/sparql")
    try:
        server.serve_forever()
    finally:
        server.server_close()
