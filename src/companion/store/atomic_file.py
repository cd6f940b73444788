"""Replace a file atomically and durably: temporary file, fsync, rename, fsync the directory."""

import errno
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".tmp"
# What mkstemp names a temporary file here: ".<file name>.<8 random characters>.tmp".
_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
IN_FLIGHT_S = 60  # younger temporary files may belong to a write still going on


def fsync_directory(directory: Path) -> None:
    """Make a rename inside `directory` durable."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> int:
    """Write every byte of `data` and return how many: `os.write` may write fewer (a disk
    filling up) and say so only by its count; the next call then raises the error (ENOSPC)
    instead of losing bytes."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written == 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]
    return len(data)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file, never half."""

    def write(fd: int, _: Path) -> None:
        write_all(fd, data)

    replace_atomically(path, write)


def replace_atomically(path: Path, write: Callable[[int, Path], None]) -> None:
    """Have `write` fill a temporary file beside `path` (by its descriptor or its path, for a
    library that writes to a file name), then put it in place: the old file or the new one,
    never half, and no temporary file left behind by a failure."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        try:
            write(fd, Path(temp_name))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def remove_stale_temp_files(root: Path) -> int:
    """Delete temporary files that a killed write left under `root`; return how many.

    Only files named as `write_atomically` names them, and only those older than a minute:
    a younger one may be a `roadmap add` in another process, still writing.
    """
    removed = 0
    cutoff = time.time() - IN_FLIGHT_S
    for folder, _, names in os.walk(root):
        for name in names:
            if not _TEMP_NAME.match(name):
                continue
            path = Path(folder) / name
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
    return removed
