"""Derived data kept in Python's marshal format behind a checksum, for a fast start-up.

marshal reads 50,000 card records several times faster than any JSON parser, but it is not
meant for damaged or foreign input and its format may change between Python versions. So the
file starts with a header (what it holds, its format version, the Python version, the length
and a CRC-32 of the payload) and nothing reaches marshal unless all of it matches: anything
else reads as None and the caller rebuilds the data from its source.

Large parts that are seldom read (the cards of a deck, read when one of them is shown) may be
kept beside the payload as blobs, each behind a CRC of its own, checked when it is read.
"""

import marshal
import mmap
import os
import stat
import struct
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from companion.files import MB
from companion.store.atomic_file import write_atomically

MAGIC = b"companion packed\n"
MAX_PACKED_BYTES = 1024 * MB  # a cache: anything larger is not one of ours
_HEADER = struct.Struct("<16sHBBBQI")  # kind, version, marshal, python major/minor, size, crc


def _header(kind: str, version: int, payload: bytes | memoryview) -> bytes:
    major, minor = sys.version_info[:2]
    return MAGIC + _HEADER.pack(
        kind.encode("ascii"), version, marshal.version, major, minor, len(payload),
        zlib.crc32(payload),
    )  # fmt: skip


def write_packed(
    path: Path, kind: str, version: int, value: Any, blobs: Sequence[bytes] = ()
) -> None:
    """Write `value` (built of plain types only) atomically, behind the header; with `blobs`,
    those after it, for `read_packed_with_blobs`."""
    if blobs:
        value = (value, [(len(blob), zlib.crc32(blob)) for blob in blobs])
    payload = marshal.dumps(value)
    write_atomically(path, b"".join([_header(kind, version, payload), payload, *blobs]))


class Blob:
    """One blob of a packed file, read (and checked) when asked for."""

    def __init__(self, mapped: mmap.mmap, start: int, length: int, crc: int) -> None:
        self._mapped, self._start, self._length, self._crc = mapped, start, length, crc

    def read(self) -> bytes | None:
        """Its bytes, or None when they are not what was written."""
        data = self._mapped[self._start : self._start + self._length]
        return data if zlib.crc32(data) == self._crc else None


def read_packed(path: Path, kind: str, version: int) -> Any | None:
    """The value written by `write_packed`, or None if missing, damaged, foreign or outdated.

    The file is mapped, not read: marshal copies what it loads out of it anyway, and reading
    40 MB of snapshot first took as long as checking it."""
    found = _read(path, kind, version, with_blobs=False)
    return None if found is None else found[0]


def read_packed_with_blobs(path: Path, kind: str, version: int) -> tuple[Any, list[Blob]] | None:
    """The value and blobs written by `write_packed`; None as `read_packed`. The blobs keep
    the file mapped (a file replaced since stays as it was for them: files are written by
    rename, never in place)."""
    return _read(path, kind, version, with_blobs=True)


def _read(path: Path, kind: str, version: int, with_blobs: bool) -> tuple[Any, list] | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= MAX_PACKED_BYTES:
            return None
        mapped = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
    with memoryview(mapped) as data:
        found = _unpacked(data, kind, version)
    if found is None or not with_blobs:
        size = len(mapped)
        mapped.close()
        if found is None or found[0] != size:  # (blobs after it: not a plain file)
            return None
        return found[1], []
    end, value = found
    blobs = _blobs(mapped, end, value)
    if blobs is None:
        mapped.close()
        return None
    return value[0], blobs


def _unpacked(data: memoryview, kind: str, version: int) -> tuple[int, Any] | None:
    """Where the payload ends, and its value; None unless the header is ours and matches."""
    start = len(MAGIC) + _HEADER.size
    if len(data) < start or data[: len(MAGIC)] != MAGIC:
        return None
    size = _HEADER.unpack(data[len(MAGIC) : start])[5]
    if size > len(data) - start:
        return None
    with data[start : start + size] as payload:
        if data[:start] != _header(kind, version, payload):
            return None
        try:
            return start + size, marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return None


def _blobs(mapped: mmap.mmap, start: int, value: Any) -> list[Blob] | None:
    """The blobs after the payload, as its table lists them; None if they do not fit."""
    try:
        _, table = value
        blobs = []
        for length, crc in table:
            blobs.append(Blob(mapped, start, length, crc))
            start += length
    except (TypeError, ValueError):
        return None
    return blobs if start == len(mapped) else None
