"""Progress bars for long work: tqdm on a terminal, nothing when output is piped or --quiet."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TypeVar

__all__ = ["Progress", "progress", "bars_wanted", "Stages"]

T = TypeVar("T")


def bars_wanted(*, quiet: bool = False, stream: IO | None = None) -> bool:
    """True when a bar would be seen: not quiet, and the stream (stderr) is a terminal."""
    stream = sys.stderr if stream is None else stream
    if quiet:
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or replaced by an object without isatty
        return False


def _bar_class():
    from tqdm import tqdm

    class Bar(tqdm):
        # No monitor thread: extraction forks worker processes while a bar is open.
        monitor_interval = 0

    return Bar


class Progress:
    """A counter that draws a tqdm bar when `bars_wanted`, and costs nothing otherwise.

    >>> with Progress(total=3, desc="extract", quiet=True) as bar:
    ...     bar.update(3)
    >>> bar.n
    3
    """

    def __init__(self, *, total: int | None = None, desc: str = "", unit: str = "paper",
                 quiet: bool = False, stream: IO | None = None) -> None:
        self.n = 0
        self._bar = None
        if bars_wanted(quiet=quiet, stream=stream):
            self._bar = _bar_class()(total=total, desc=desc, unit=unit, file=stream or sys.stderr, leave=False,
                                     dynamic_ncols=True)

    def update(self, n: int = 1) -> None:
        self.n += n
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def progress(items: Iterable[T], *, total: int | None = None, desc: str = "", unit: str = "paper",
             quiet: bool = False, stream: IO | None = None) -> Iterator[T]:
    """Yield `items` unchanged, drawing a bar while they are consumed.

    >>> list(progress([1, 2], desc="x", quiet=True))
    [1, 2]
    """
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with Progress(total=total, desc=desc, unit=unit, quiet=quiet, stream=stream) as bar:
        for item in items:
            yield item
            bar.update()


class Stages:
    """Wall-clock seconds per named stage of a job; a stage named twice adds up.

    >>> st = Stages()
    >>> st.done("ingest"); st.done("extract"); sorted(st.seconds)
    ['extract', 'ingest']
    """

    def __init__(self, on_stage: Callable[[str, float], None] | None = None) -> None:
        self.seconds: dict[str, float] = {}
        self._on_stage = on_stage
        self._mark = time.perf_counter()

    def done(self, name: str) -> None:
        """The stage `name` ended now (it began when the previous one ended)."""
        now = time.perf_counter()
        lap, self._mark = now - self._mark, now
        self.seconds[name] = self.seconds.get(name, 0.0) + lap
        if self._on_stage is not None:
            self._on_stage(name, lap)
