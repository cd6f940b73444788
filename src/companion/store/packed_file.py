"""Derived data kept in Python's marshal format behind a checksum, for a fast start-up.

marshal reads 50,000 card records several times faster than any JSON parser, but it is not
meant for damaged or foreign input and its format may change between Python versions. So the
file starts with a header (what it holds, its format version, the Python version, the length
and a CRC-32 of the payload) and nothing reaches marshal unless all of it matches: anything
else reads as None and the caller rebuilds the data from its source.
"""

import marshal
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

from companion.files import MB, read_file
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


def write_packed(path: Path, kind: str, version: int, value: Any) -> None:
    """Write `value` (built of plain types only) atomically, behind the header."""
    payload = marshal.dumps(value)
    write_atomically(path, _header(kind, version, payload) + payload)


def read_packed(path: Path, kind: str, version: int) -> Any | None:
    """The value written by `write_packed`, or None if missing, damaged, foreign or outdated."""
    try:
        data = read_file(path, MAX_PACKED_BYTES)
    except OSError:
        return None
    start = len(MAGIC) + _HEADER.size
    if len(data) < start or not data.startswith(MAGIC):
        return None
    payload = memoryview(data)[start:]  # not copied: tens of MB at 100,000 cards
    if data[:start] != _header(kind, version, payload):
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
