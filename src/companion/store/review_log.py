"""The append-only review log: one JSON line per answer, fsynced before the next card."""

import json
import os
from pathlib import Path


class ReviewLog:
    """Every answered card, in order; the history that must never be lost."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, entry: dict) -> int:
        """Append one answer durably; return the number of bytes written."""
        line = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            if os.fstat(fd).st_size and not self._ends_with_newline():
                os.write(fd, b"\n")  # seal a line torn by a crash so it cannot corrupt this one
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        return len(line)

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def entries(self) -> list[dict]:
        """Every complete entry; a line torn by a crash mid-append is skipped."""
        if not self.path.exists():
            return []
        result = []
        with self.path.open("rb") as handle:
            for raw in handle:
                try:
                    entry = json.loads(raw)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    continue
                if isinstance(entry, dict):
                    result.append(entry)
        return result
