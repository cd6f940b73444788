"""A TinyDB storage that never leaves its file half-written, and reads it only once."""

import json
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from companion.files import MB, read_file
from companion.store.atomic_file import write_atomically
from companion.store.errors import DataFileError

MAX_DATA_FILE_BYTES = 512 * MB  # years of study blocks take a few MB


def read_json_file(path: Path) -> dict[str, Any] | None:
    """The JSON object in `path`; None when missing; DataFileError when unreadable or empty.

    Only a missing file means "new": an empty one is what a failed copy or a sync tool leaves
    in place of the learner's data, and overwriting it would make that loss final.
    """
    try:
        raw = read_file(path, MAX_DATA_FILE_BYTES)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DataFileError(f"{path}: cannot read ({error.strerror or error})") from error
    if not raw.strip():
        raise DataFileError(
            f"{path}: empty, not companion data (left untouched; move it away to start afresh)"
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataFileError(f"{path}: not a companion data file (invalid JSON: {error})") from error
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DataFileError(f"{path}: not a companion data file (unexpected structure)")
    return data


class AtomicJSONStorage(Storage):
    """JSON storage whose writes replace the file atomically; the lock makes caching safe."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._cache: dict[str, Any] | None = read_json_file(self.path)

    def read(self) -> dict[str, Any] | None:
        """The whole database, from memory: this process holds the data directory's lock."""
        return self._cache

    def write(self, data: dict[str, Any]) -> None:
        """Persist the whole database atomically.

        On failure (a full disk) memory goes back to what the file holds: TinyDB changed the
        documents in place before writing, and a change that is not on disk must not show.
        """
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            write_atomically(self.path, payload)
        except OSError:
            self._cache = read_json_file(self.path)
            raise
        self._cache = data

    def close(self) -> None:
        """Nothing is held open between writes."""
