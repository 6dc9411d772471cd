"""Safe output writes: temp files replaced atomically, renamed together in a batch, one writer per folder."""

from __future__ import annotations

import contextvars
import errno
import fcntl
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kg.errors import OutputError

__all__ = ["atomic_open", "atomic_write_text", "remove_stale_temps", "output_batch", "folder_lock", "os_error_msg"]

#: The batch atomic_open adds its finished temp files to instead of renaming them (None: rename at once).
_BATCH: contextvars.ContextVar[list[tuple[str, Path]] | None] = contextvars.ContextVar("kg_atomic_batch", default=None)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_open(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temp file beside `path`; on success it replaces `path`, on error it is removed.

    A reader (or a build killed midway) sees the old file or the new one, never half of one.
    Inside `output_batch`, the rename waits for the batch's end. The temp name carries this
    process's id, so remove_stale_temps can tell a dead writer's file from a live one's.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent)
    batch = _BATCH.get()
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding, newline=None if "b" in mode else "") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); outputs get the usual mode the umask allows.
        os.chmod(tmp, 0o666 & ~_umask())
        if batch is None:
            os.replace(tmp, path)
        else:
            batch.append((tmp, path))
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    with atomic_open(path) as f:
        f.write(text)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        return True
    return True


def remove_stale_temps(folder: str | Path, names: list[str]) -> int:
    """Delete the temp files a killed write of any of `names` left in `folder`; how many there were.

    Only files of atomic_open's own pattern (`.NAME.PID-*.tmp`) whose writer process is gone are
    touched: a temp file of a live process (another build, `kg html`) is that process's work.
    """
    folder = Path(folder)
    removed = 0
    for name in names:
        own = re.compile(re.escape(f".{name}.") + r"(\d+)-[^/]*\.tmp")
        for tmp in folder.glob(f".{name}.*.tmp"):
            m = own.fullmatch(tmp.name)
            if m is None or _pid_alive(int(m.group(1))):
                continue
            try:
                tmp.unlink()
                removed += 1
            except FileNotFoundError:  # another process cleaned it first
                pass
    return removed


@contextmanager
def output_batch() -> Iterator[list[tuple[str, Path]]]:
    """Every atomic_open inside writes its temp file and leaves the rename to the end of the block.

    So all the files of a batch change together or none does: an error inside (a full disk while
    the third file is written) removes the temps written so far and leaves every old file as it was.
    Yields the list of (temp name, target) pairs pending so far, for a caller that must read them
    before they are renamed.
    """
    pending: list[tuple[str, Path]] = []
    token = _BATCH.set(pending)
    try:
        yield pending
    except BaseException:
        _BATCH.reset(token)
        for tmp, _ in pending:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise
    _BATCH.reset(token)
    # Renames within one folder need no new data blocks: once every temp is written, a full disk
    # cannot stop them halfway.
    for i, (tmp, path) in enumerate(pending):
        try:
            os.replace(tmp, path)
        except BaseException:
            for t, _ in pending[i:]:
                try:
                    os.unlink(t)
                except OSError:
                    pass
            raise


#: The lock file `folder_lock` holds in an output folder (it is left in place: unlinking it would race).
LOCK_FILENAME = ".kg-build.lock"


@contextmanager
def folder_lock(folder: str | Path) -> Iterator[Path]:
    """Create `folder` if needed and hold its write lock inside the block; OutputError when another
    process holds it (an exclusive, non-blocking flock, released by the kernel if this process dies)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_FILENAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as e:
        raise OutputError(os_error_msg(e, folder)) from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise OutputError(f"another build is writing to {folder}; wait for it to finish or use another --out") from e
        except OSError as e:  # a file system without locks: say so rather than write unguarded
            raise OutputError(f"cannot lock {folder / LOCK_FILENAME}: {e.strerror or e}") from e
        yield folder
    finally:
        os.close(fd)  # closing releases the lock


def os_error_msg(e: OSError, folder: Path) -> str:
    """One line for an OSError met while writing into the output folder `folder`."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"disk full: cannot write the outputs to {folder} ({e.strerror}); the previous outputs are unchanged"
    if e.errno in (errno.ENOTDIR, errno.EEXIST) and not folder.is_dir():
        return f"cannot use {folder} as the output folder: a part of that path is a file, not a folder"
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write to {folder}: {e.strerror} (choose another --out)"
    what = f" {e.filename}" if e.filename else ""
    return f"cannot write to {folder}:{what} {e.strerror or e}"
