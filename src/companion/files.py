"""Reading a file the learner or another program may have replaced with something else.

A FIFO named `deck.md` blocks an ordinary open forever, and a link to /dev/zero reads without
end. Files are opened without blocking, must be regular files, and are read up to a cap.
Failures are OSErrors, so every caller's existing error handling covers them.
"""

import errno
import os
import stat
from pathlib import Path

MB = 1024 * 1024

_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


class NotRegularFile(OSError):
    """The path is a FIFO, a device, a socket or a folder."""


class FileTooLarge(OSError):
    """The file is over the size the caller reads."""


def read_file(path: Path, max_bytes: int, *, cut: bool = False) -> bytes:
    """A regular file's bytes, at most `max_bytes`: FileTooLarge beyond, or with `cut` the
    first `max_bytes`. NotRegularFile for anything that is not a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a file")
            raise NotRegularFile(errno.EINVAL, f"not a regular file but {kind}", str(path))
        if info.st_size > max_bytes and not cut:
            raise _too_large(path, info.st_size, max_bytes)
        chunks, total = [], 0
        while total <= max_bytes:  # the file may grow while it is read
            # The size it has now in one read (one copy of a large snapshot, not two).
            chunk = os.read(fd, min(max_bytes + 1 - total, max(info.st_size + 1 - total, 1 << 20)))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        if not cut:
            raise _too_large(path, len(data), max_bytes)
        data = data[:max_bytes]
    return data


def read_text_file(path: Path, max_bytes: int) -> str:
    """A regular file's UTF-8 text (UnicodeDecodeError when it is not UTF-8)."""
    return read_file(path, max_bytes).decode("utf-8")


def not_regular(path: Path) -> str | None:
    """What `path` is when it is not a regular file ("a FIFO", "a device"...), known from its
    type without opening it (following links); None for a regular file. OSError when it
    cannot be looked at (missing)."""
    mode = path.stat().st_mode
    return None if stat.S_ISREG(mode) else _KINDS.get(stat.S_IFMT(mode), "not a file")


def is_regular_or_missing(path: Path) -> bool:
    """Whether `path` is absent or a regular file (following links), without opening it."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except FileNotFoundError:
        return True


def _too_large(path: Path, size: int, limit: int) -> FileTooLarge:
    shown = f"{size / MB:.0f} MB" if size >= MB else f"{size} bytes"
    return FileTooLarge(errno.EFBIG, f"too large ({shown}, limit {limit / MB:g} MB)", str(path))
