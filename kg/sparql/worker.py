"""Run SPARQL queries in forked worker processes that can be killed at a time limit.

pyoxigraph evaluates a query in native code that no Python thread can interrupt, and a
cartesian product keeps a core busy for as long as it runs. So each query runs in a worker
process forked after the store was loaded (the store is shared copy-on-write, not loaded
again); a worker that overruns its time limit is killed with SIGKILL, which really stops the
evaluation, and a fresh one is forked in its place. Workers also run under an address-space
limit, so one query cannot take the machine's memory. The pool needs fork() (Linux, macOS).
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import threading
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection

from kg.errors import KGError, QueryError, QueryTimeoutError, ServiceRefusedError
from kg.sparql.guard import UpdateRefusedError
from kg.sparql.query import QueryResult, run_query, stream_result

__all__ = ["QueryPool", "Answer", "run_query_with_timeout"]

_CHUNK = 1 << 16  # bytes of formatted result per message to the parent
_ERRORS = {c.__name__: c for c in (QueryError, QueryTimeoutError, ServiceRefusedError, UpdateRefusedError)}


# ---------------------------------------------------------------- the worker side


def _limit_memory(extra_mb: int | None) -> None:
    """Cap the worker's address space at what it maps now plus `extra_mb` (a query past it fails)."""
    if not extra_mb:
        return
    import resource  # POSIX only, like fork

    try:
        with open("/proc/self/status", encoding="ascii") as f:
            size_kb = next(int(line.split()[1]) for line in f if line.startswith("VmSize:"))
        limit = size_kb * 1024 + extra_mb * (1 << 20)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError, StopIteration):  # no /proc, or a hard limit already lower: keep it
        pass


def _answer(store, conn: Connection, req: dict) -> None:
    try:
        result = run_query(store, req["text"], bindings=req.get("bindings"), allow_service=req["allow_service"],
                           max_rows=req.get("max_rows"))
    except KGError as e:
        conn.send(("error", type(e).__name__, str(e)))
        return
    except MemoryError:
        conn.send(("error", "QueryError", "the query ran out of memory"))
        return
    except Exception as e:  # an engine failure is an answer too; the worker stays usable
        conn.send(("error", "KGError", f"query failed: {type(e).__name__}: {e}"))
        return
    if req.get("fmt") is None:
        conn.send(("result", result))
        return
    conn.send(("head", result.kind, result.truncated))
    buf, size = [], 0
    for piece in stream_result(result, req["fmt"]):
        data = piece.encode("utf-8")
        buf.append(data)
        size += len(data)
        if size >= _CHUNK:
            conn.send(("data", b"".join(buf)))
            buf, size = [], 0
    if buf:
        conn.send(("data", b"".join(buf)))
    conn.send(("end",))


def _worker_main(store, fd: int, max_memory_mb: int | None) -> None:
    # Ctrl-C reaches the whole process group; the parent stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Drop every descriptor inherited from the parent (the listening socket, clients' sockets, the
    # other workers' pipes) so that none outlives the parent's use of it.
    os.closerange(3, fd)
    os.closerange(fd + 1, max(fd + 2, os.sysconf("SC_OPEN_MAX")))
    _limit_memory(max_memory_mb)
    conn = Connection(fd)
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):  # the parent closed the pipe or is gone
            return
        try:
            _answer(store, conn, req)
        except (BrokenPipeError, ConnectionResetError):  # the parent gave up on this answer
            return


# ---------------------------------------------------------------- the parent side


class _Worker:
    """One forked worker process and the parent's end of its pipe."""

    def __init__(self, store, max_memory_mb: int | None) -> None:
        parent, child = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the child: answer queries until the pipe closes, then leave without cleanup
            code = 1
            try:
                parent.close()
                _worker_main(store, child.detach(), max_memory_mb)
                code = 0
            finally:
                os._exit(code)
        child.close()
        self.pid = pid
        self.conn = Connection(parent.detach())

    def kill(self) -> None:
        """SIGKILL the worker and reap it: its query stops using CPU at once."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._reap()

    def stop(self) -> None:
        """Close the pipe (the worker exits when it sees that), kill it if it lingers."""
        self.conn.close()
        for _ in range(20):
            if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                return
            time.sleep(0.01)
        self.kill()

    def _reap(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _error(kind: str, message: str) -> KGError:
    return _ERRORS.get(kind, KGError)(message)


class Answer:
    """A query's answer as it streams from a worker: `kind`, `truncated`, then the body's bytes.

    Iterate it once for the body; it hands the worker back to the pool when the body is complete,
    and kills the worker if the body is abandoned (client gone) or a piece is late.
    """

    def __init__(self, pool: QueryPool, worker: _Worker, kind: str, truncated: bool, timeout: float) -> None:
        self._pool, self._worker, self._timeout = pool, worker, timeout
        self.kind, self.truncated = kind, truncated

    def __iter__(self) -> Iterator[bytes]:
        try:
            while self._worker is not None:
                try:
                    msg = self._pool._receive(self._worker, time.monotonic() + self._timeout)
                except KGError:  # the worker died mid-answer
                    msg = None
                if msg is None:  # no next piece (the worker is already replaced): the body stops short
                    self._worker = None
                    return
                if msg[0] == "end":
                    self._pool._release(self._worker)
                    self._worker = None
                    return
                yield msg[1]
        finally:
            self.close()

    def close(self) -> None:
        """Give up on the rest of the body: the worker is killed and replaced."""
        if self._worker is not None:
            worker, self._worker = self._worker, None
            self._pool._discard(worker)


class QueryPool:
    """`workers` forked processes answering queries over `store`, each under a time limit.

    >>> import pyoxigraph as ox
    >>> with QueryPool(ox.Store(), workers=1) as pool:
    ...     pool.result("ASK { ?s ?p ?o }", timeout=5).boolean
    False
    """

    def __init__(self, store, *, workers: int = 2, max_memory_mb: int | None = 1024, warm: bool = True) -> None:
        if not hasattr(os, "fork"):
            raise KGError("running queries under a time limit needs fork(), which this system lacks")
        self._store, self._max_memory_mb = store, max_memory_mb
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._live: set[_Worker] = set()
        self._closed = False
        self.size = workers
        if warm:
            # Imports and grammar building (the SERVICE check's parser too) happen once here, not
            # again in every (re)forked worker.
            run_query(store, 'ASK { FILTER("service" != "") }')
        self._refill()
        if not self._live:
            raise KGError("could not start a query worker process")

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def pids(self) -> list[int]:
        """The process ids of the live workers (for tests and monitoring)."""
        with self._lock:
            return sorted(w.pid for w in self._live)

    def _refill(self) -> None:
        """Fork workers until there are `size` again (a failed fork is retried at the next query)."""
        with self._lock:
            while not self._closed and len(self._live) < self.size:
                try:
                    worker = _Worker(self._store, self._max_memory_mb)
                except OSError:  # out of processes or memory for now
                    return
                self._live.add(worker)
                self._idle.put(worker)

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            self._forget(worker).stop()
        else:
            self._idle.put(worker)

    def _discard(self, worker: _Worker) -> None:
        self._forget(worker).kill()
        self._refill()

    def _forget(self, worker: _Worker) -> _Worker:
        with self._lock:
            self._live.discard(worker)
        return worker

    def _acquire(self, timeout: float) -> _Worker:
        self._refill()
        try:
            return self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeoutError(f"all {self.size} query workers stayed busy for {timeout:g} s; "
                                    "try again later") from None

    def _receive(self, worker: _Worker, deadline: float) -> tuple | None:
        """The worker's next message; None if none came by `deadline` (the worker is then replaced)."""
        try:
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                return worker.conn.recv()
        except (EOFError, OSError):
            self._discard(worker)
            raise KGError("the query's worker process ended without an answer (the query may have needed "
                          "more memory than allowed)") from None
        self._discard(worker)
        return None

    def _start(self, request: dict, timeout: float):
        worker = self._acquire(timeout)
        try:
            worker.conn.send(request)
        except OSError:
            self._discard(worker)
            raise KGError("a query worker process ended unexpectedly; try again") from None
        msg = self._receive(worker, time.monotonic() + timeout)
        if msg is None:
            raise QueryTimeoutError(f"the query ran longer than the time limit of {timeout:g} s and was stopped "
                                    "(--timeout SECONDS gives it longer)")
        if msg[0] == "error":
            self._release(worker)
            raise _error(msg[1], msg[2])
        return worker, msg

    def result(self, text: str, *, bindings: dict[str, str] | None = None, allow_service: bool = False,
               max_rows: int | None = None, timeout: float = 60.0) -> QueryResult:
        """Run a query in a worker and return its whole QueryResult (see kg.sparql.query.run_query)."""
        worker, msg = self._start({"text": text, "bindings": bindings, "allow_service": allow_service,
                                   "max_rows": max_rows, "fmt": None}, timeout)
        self._release(worker)
        return msg[1]

    def stream(self, text: str, fmt: str, *, allow_service: bool = False, max_rows: int | None = None,
               timeout: float = 5.0) -> Answer:
        """Run a query in a worker; its answer formatted as `fmt` ("json" or "csv") comes as an Answer.

        The time limit covers waiting for a free worker, and then the evaluation; QueryError,
        ServiceRefusedError and QueryTimeoutError are raised before any of the body exists.
        """
        worker, msg = self._start({"text": text, "bindings": None, "allow_service": allow_service,
                                   "max_rows": max_rows, "fmt": fmt}, timeout)
        return Answer(self, worker, msg[1], msg[2], timeout)

    def close(self) -> None:
        """Stop every worker (the busy ones are killed)."""
        with self._lock:
            self._closed = True
            workers = list(self._live)
            self._live.clear()
        for w in workers:
            w.kill()


def run_query_with_timeout(store, text: str, *, bindings: dict[str, str] | None = None, allow_service: bool = False,
                           timeout: float = 60.0, max_memory_mb: int | None = None) -> QueryResult:
    """kg.sparql.query.run_query in one forked worker, killed (QueryTimeoutError) after `timeout` seconds.

    Where there is no fork() (Windows) the query runs in this process, without the time limit.
    """
    if not hasattr(os, "fork"):
        return run_query(store, text, bindings=bindings, allow_service=allow_service)
    with QueryPool(store, workers=1, max_memory_mb=max_memory_mb, warm=False) as pool:
        return pool.result(text, bindings=bindings, allow_service=allow_service, timeout=timeout)
