"""Freed heap memory given back to the system (glibc's malloc_trim), where a build frees much at once."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache

__all__ = ["release_memory"]


@cache
def _trim():
    """glibc's malloc_trim, or None (another C library, another system)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    """Give the free pages of the C heap back to the system.

    Python frees a large structure (every paper's text after they are spilled to the cache) into the
    C heap, which keeps the pages for reuse: the process's resident size stays at its high-water mark,
    and the extraction workers started next come on top of it. Trimming returns them, the free pages
    inside the heap too. Changes nothing but the process's resident size; a no-op off glibc.
    """
    trim = _trim()
    if trim is not None:
        trim(0)
