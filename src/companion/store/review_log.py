"""The append-only review log: one JSON line per event, fsynced before the app moves on."""

import json
import os
from collections.abc import Iterator
from pathlib import Path


class ReviewLog:
    """Every answer, undo, bury, suspend and relink, in order: the history never to lose."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, event: dict) -> int:
        """Append one event durably; return the number of bytes written."""
        line = (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            if os.fstat(fd).st_size and not self._ends_with_newline():
                line = b"\n" + line  # seal a line torn by a crash so it cannot swallow this one
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        return len(line)

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def size(self) -> int:
        """The log's size in bytes (0 when it does not exist yet)."""
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def read_from(
        self, offset: int = 0, containing: list[bytes] | None = None
    ) -> Iterator[tuple[dict, int]]:
        """Each complete event after byte `offset`, with the offset just past it.

        With `containing`, only lines holding one of those byte strings are parsed (a cheap
        filter: the caller still checks the events). A line torn by a crash mid-append (no
        newline, or not JSON) is skipped.
        """
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            handle.seek(offset)
            position = offset
            for raw in handle:
                position += len(raw)
                if not raw.endswith(b"\n"):
                    break
                if containing is not None and not any(needle in raw for needle in containing):
                    continue
                try:
                    event = json.loads(raw)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    continue
                if isinstance(event, dict) and "seq" in event and "kind" in event:
                    yield event, position

    def events(self) -> list[dict]:
        """Every complete event, oldest first."""
        return [event for event, _ in self.read_from(0)]
