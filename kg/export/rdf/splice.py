"""Replace, insert and delete subject blocks in a graph file of kg.export.rdf without reading the rest.

A file written by `write_rdf_formats` is a header, subject blocks sorted by their subject's N-Triples
term, and a footer; no literal holds a raw newline, so each block starts at a line that can be found
from any byte offset (Turtle: after a blank line; N-Triples: any line; JSON-LD: a line opening with
'{"@id": "'). `splice_rdf` binary-searches the file for each changed subject and copies the unchanged
byte ranges between them in bulk, so a few hundred changes to a 500 MB file cost a copy, not a parse.

Each block is handled as a "unit" of the bytes it owns: Turtle "\\n" + block, N-Triples its lines,
JSON-LD separator + object (the first object follows "\\n", every other ",\\n").
"""

from __future__ import annotations

import errno
import mmap
import os
from collections.abc import Mapping
from pathlib import Path

from kg.atomic import atomic_open
from kg.errors import FormatError, GraphError, value_invalid_msg
from kg.export.rdf.blocks import count_block_triples, file_frame
from kg.export.rdf.terms import RDF_FORMATS

__all__ = ["splice_rdf"]

_CHUNK = 1 << 24  # bytes per write when the kernel cannot copy file ranges itself
_JSON_ID = b'{"@id": "'
# (mark, after): a block's first line starts just before the last `after` bytes of a `mark`.
_MARK = {"turtle": (b"\n\n", 0), "ntriples": (b"\n", 0), "jsonld": (b"\n" + _JSON_ID, len(_JSON_ID))}


class _File:
    """The blocks of one graph file, found by offset: every position is that of a block's first line."""

    def __init__(self, buf, fmt: str, path: Path) -> None:
        self.buf, self.fmt, self.path = buf, fmt, path
        head, foot = (s.encode("utf-8") for s in file_frame(fmt))
        size = len(buf)
        if buf[:len(head)] != head or size < len(head) + len(foot) or buf[size - len(foot):] != foot:
            raise self._bad("its header or footer is not the writer's")
        mark, after = _MARK[fmt]
        self.mark, self.lag = mark, len(mark) - after  # a block's first line starts `lag` bytes past its mark
        # region: the bytes of the units, between the header and the footer
        self.region = (len(head), size - len(foot))
        self.end = self.region[1]  # the position of "no block": past the last one
        if self.region[0] == self.region[1]:
            self.first = None
        else:
            # The first unit starts with the same mark minus the previous line's "\n" (Turtle: the
            # header's last newline; N-Triples: the file start).
            lead = {"turtle": 1, "ntriples": 0, "jsonld": 1}[fmt]
            self.first = self.region[0] + lead
            if buf[self.first - lead:self.first + after] != mark[len(mark) - lead - after:]:
                raise self._bad("its first subject block does not start as the writer's do")
            if fmt != "jsonld" and buf[self.end - 3:self.end] != b" .\n":
                raise self._bad("it does not end with a complete statement")

    def _bad(self, why: str) -> GraphError:
        return GraphError(f"{self.path} does not look like a {self.fmt} file written by `kg build` ({why}); "
                          "write it in full instead")

    def next_start(self, x: int, limit: int) -> int | None:
        """The first block start in [x, limit), if any."""
        if self.first is None:
            return None
        if x <= self.first:
            return self.first if self.first < limit else None
        # The mark may run past the start it marks (JSON-LD's '{"@id": "'): let it end past `limit`.
        i = self.buf.find(self.mark, x - self.lag, limit + len(self.mark) - self.lag)
        return i + self.lag if i >= 0 and i + self.lag < limit else None

    def subject(self, s: int) -> bytes:
        """The subject term of the block starting at `s`, as N-Triples bytes."""
        buf = self.buf
        if self.fmt == "jsonld":
            i = s + len(_JSON_ID)
            j = buf.find(b'"', i, i + 65536)
            term = buf[i:j] if j > i else b""
            term = term if term.startswith(b"_:") else b"<" + term + b">"
        else:
            j = buf.find(b" ", s, s + 65536)
            term = buf[s:j] if j > s else b""
        if not (term.startswith(b"_:") and len(term) > 2 or term.startswith(b"<") and term.endswith(b">")
                and len(term) > 2):
            raise self._bad(f"no subject term at byte {s}")
        return term

    def lower_bound(self, key: bytes, lo: int | None) -> int | None:
        """The start of the first block whose subject is >= `key`, searching past `lo` (a block whose
        subject is < key, or None for the file start); None when every subject is < key."""
        if self.first is None:
            return None
        lo = self.first - 1 if lo is None else lo
        # The answer is `hi`, or a block starting in (lo, top): none starts in [top, hi). Bisecting
        # (lo, top) rather than (lo, hi) keeps a huge block (a much-cited method) from being rescanned.
        hi = top = self.end
        while top > lo + 1:
            mid = (lo + 1 + top) // 2
            s = self.next_start(mid, top)
            if s is None:
                top = mid
            elif self.subject(s) < key:
                lo = s
            else:
                hi = top = s
        return hi if hi < self.end else None

    def unit_start(self, s: int | None) -> int:
        if s is None:
            return self.end
        if self.fmt == "jsonld":
            return s - 1 if s == self.first else s - 2
        return s - 1 if self.fmt == "turtle" else s

    def unit_end(self, s: int, key: bytes) -> int:
        """Where the unit of the block starting at `s` (subject `key`) ends: the next unit's start."""
        if self.fmt == "ntriples":
            # One line per triple: find the first subject after `key` (none holds a NUL) by bisection.
            return self.unit_start(self.lower_bound(key + b"\0", s))
        nxt = self.next_start(s + 1, self.end)
        return self.unit_start(nxt) if nxt is not None else self.end


class _Out:
    """The new file: bulk copies of old byte ranges (in the kernel when it can) and new text."""

    def __init__(self, f, src_fd: int, buf) -> None:
        self.f, self.src_fd, self.buf = f, src_fd, buf
        self.kernel = hasattr(os, "copy_file_range")

    def write(self, data: bytes) -> None:
        self.f.write(data)

    def copy(self, a: int, b: int) -> None:
        if a >= b:
            return
        if self.kernel:
            self.f.flush()  # the kernel writes at the file's position: everything buffered goes first
            try:
                while a < b:
                    n = os.copy_file_range(self.src_fd, self.f.fileno(), b - a, a)
                    if n <= 0:
                        break
                    a += n
            except OSError as e:
                if e.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM):
                    raise
                self.kernel = False  # e.g. an old kernel or a file system that cannot: copy in Python
        for i in range(a, b, _CHUNK):
            self.f.write(self.buf[i:min(i + _CHUNK, b)])


def _check_block(key: str, text: str, fmt: str) -> bytes:
    data = text.encode("utf-8")
    term = key.encode("utf-8")
    if fmt == "jsonld":
        head = _JSON_ID + (term if term.startswith(b"_:") else term[1:-1]) + b'"'
    else:
        head = (b"\n" if fmt == "turtle" else b"") + term + b" "
    if not data.startswith(head) or not data.endswith(b"}" if fmt == "jsonld" else b" .\n"):
        raise GraphError(f"the new block for {key} is not a {fmt} block of that subject (see owned_blocks)")
    return data


def splice_rdf(path: str | Path, fmt: str, delete: set[str], blocks: Mapping[str, str]) -> int:
    """Rewrite the graph file `path` (atomically) with the subjects in `delete` removed and each
    subject of `blocks` replaced or inserted in order; every other byte is copied unchanged.

    `path` must have been written by `write_rdf_formats` in format `fmt`; `blocks` maps subject
    terms ("<iri>" or "_:label") to their text as `owned_blocks` gives it. A key of `delete` not in
    the file is ignored. Returns the change in the file's triple count (added minus removed).
    Raises GraphError when the file does not look like the writer's, so the caller can write it in full.
    """
    if fmt not in RDF_FORMATS:
        raise FormatError(value_invalid_msg("RDF format", fmt, RDF_FORMATS))
    path = Path(path)
    new = {k: _check_block(k, t, fmt) for k, t in blocks.items()}
    keys = sorted({k.encode("utf-8") for k in delete} | {k.encode("utf-8") for k in blocks})
    if not keys:
        return 0
    try:
        src = open(path, "rb")  # noqa: SIM115 - closed by the `with` below; only opening may fail here
    except OSError as e:
        raise GraphError(f"cannot read {path} to update it: {e.strerror or e}") from e
    with src:
        size = os.fstat(src.fileno()).st_size
        # mmap cannot map an empty file (an empty N-Triples graph); bytes offers the same find/slice.
        buf = mmap.mmap(src.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        try:
            gf = _File(buf, fmt, path)
            edits, delta, lo, last = [], 0, None, gf.region[0]
            for key in keys:
                s = gf.lower_bound(key, lo)
                a = b = gf.unit_start(s)
                if s is not None and gf.subject(s) == key:
                    b = gf.unit_end(s, key)
                    try:
                        delta -= count_block_triples(buf[a:b], fmt)
                    except ValueError as e:  # a JSON-LD object that is not JSON
                        raise gf._bad(f"the block of {key.decode('utf-8', 'replace')} does not parse") from e
                    lo = s  # the next key is greater: search past this block
                if a < last:
                    raise gf._bad("its subjects are not in sorted order")
                text = new.get(key.decode("utf-8"))
                if text is not None:
                    delta += count_block_triples(text, fmt)
                edits.append((a, b, text))
                last = b
            with atomic_open(path, "wb") as f:
                _write(_Out(f, src.fileno(), buf), gf, edits, size)
        finally:
            if size:
                buf.close()
    return delta


def _write(out: _Out, gf: _File, edits: list, size: int) -> None:
    """The old file with each edit's [a, b) replaced by its new block (or nothing)."""
    jsonld = gf.fmt == "jsonld"
    start, end = gf.region
    placed = False  # has a unit been written yet? (JSON-LD: then the next one needs ",\n", not "\n")

    def copy(a: int, b: int) -> None:
        nonlocal placed
        if jsonld and start <= a < min(b, end):
            # The old first unit starts "\n", every other ",\n": fix the one now written first or not.
            if a == start and placed:
                out.write(b",")
            elif a > start and not placed:
                a += 1
        out.copy(a, b)
        placed = placed or (a < end and b > max(a, start))

    cur = 0
    for a, b, text in edits:
        copy(cur, a)
        if text is not None:
            out.write((b"," if placed else b"") + b"\n" + text if jsonld else text)
            placed = True
        cur = b
    copy(cur, size)
