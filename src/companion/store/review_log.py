"""The append-only review log: one JSON line per event, fsynced before the app moves on."""

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import orjson

from companion.store.atomic_file import write_all

SCAN_BLOCK = 8 * 1024 * 1024


class ReviewLog:
    """Every answer, undo, bury, suspend and relink, in order: the history never to lose."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, event: dict) -> int:
        """Append one event durably; return the number of bytes written.

        Raises OSError (a full disk, say) with the file as it was: a partial line is cut
        off again, so an answer is either wholly on disk or not acknowledged at all.
        """
        return self.append_many([event])

    def append_many(
        self,
        events: Iterable[dict],
        chunk: int = 20_000,
        written: Callable[[int], None] | None = None,
    ) -> int:
        """Append events (an import of a million answers: read lazily, written in chunks) with
        one fsync at the end; all or none: on any error the log is cut back as it was.
        `written` hears the file's new end after each chunk (every event taken so far is in
        the file then, though not yet fsynced)."""
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            # seal a line torn by a crash so it cannot swallow these
            pending = [b"\n"] if size and not self._ends_with_newline() else []
            count = 0
            try:
                for event in events:
                    pending.append(orjson.dumps(event) + b"\n")
                    if len(pending) >= chunk:
                        count += write_all(fd, b"".join(pending))
                        pending = []
                        if written is not None:
                            written(size + count)
                count += write_all(fd, b"".join(pending))
                os.fsync(fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise
        finally:
            os.close(fd)
        return count

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
        self,
        offset: int = 0,
        containing: list[bytes] | None = None,
        check: Callable[[dict], str | None] | None = None,
        skipped: dict[int, str] | None = None,
    ) -> Iterator[tuple[dict, int]]:
        """Each complete event after byte `offset`, with the offset just past it.

        With `containing`, only lines holding one of those byte strings are parsed (a cheap
        filter: the caller still checks the events). A line that is not an event (torn by a
        crash mid-append, damaged by hand) is passed over, and so is an event `check` finds a
        problem with; `skipped` hears of each, by the offset where its line starts.
        """
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            handle.seek(offset)
            position = offset
            for raw in handle:
                start, position = position, position + len(raw)
                if not raw.endswith(b"\n"):
                    if skipped is not None:
                        skipped[start] = "cut short by a crash or a full disk"
                    break
                if containing is not None and not any(needle in raw for needle in containing):
                    continue
                event, problem = parse_line(raw, check)
                if event is None:
                    if skipped is not None and raw.strip():
                        skipped[start] = problem or "not a log entry"
                    continue
                yield event, position

    def _complete_blocks(self) -> Iterator[tuple[bytes, int]]:
        """The log in large blocks, each with the end of its last complete line."""
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            rest = b""
            while block := handle.read(SCAN_BLOCK):
                block = rest + block
                cut = block.rfind(b"\n") + 1  # complete lines only; the rest waits
                rest = block[cut:]
                yield block, cut

    def match_groups(self, pattern: "re.Pattern[bytes]") -> Iterator[tuple[bytes, ...]]:
        """The groups of each match of `pattern`, found as `matches` finds them."""
        for block, cut in self._complete_blocks():
            for found in pattern.finditer(block, 0, cut):
                yield found.groups()

    def matches(self, pattern: "re.Pattern[bytes]") -> Iterator[bytes]:
        """The first group of each match of `pattern` (one that stays within a line) in the
        log's complete lines: searched in large blocks, in C, with no JSON parse."""
        for block, cut in self._complete_blocks():
            for found in pattern.finditer(block, 0, cut):
                yield found.group(1)

    def lines_with(self, needle: bytes) -> Iterator[bytes]:
        """Each complete line holding `needle`, found by a literal search in large blocks."""
        for block, cut in self._complete_blocks():
            at = block.find(needle, 0, cut)
            while at != -1:
                start = block.rfind(b"\n", 0, at) + 1
                end = block.find(b"\n", at) + 1
                yield block[start:end]
                at = block.find(needle, end, cut)

    def describe(self, skipped: dict[int, str]) -> list[str]:
        """One line per skipped entry, naming its line number in the log file."""
        if not skipped:
            return []
        wanted = sorted(skipped)
        lines: dict[int, int] = {}
        with self.path.open("rb") as handle:
            number, position = 1, 0
            for raw in handle:
                while wanted and wanted[0] < position + len(raw):
                    lines[wanted.pop(0)] = number
                if not wanted:
                    break
                number, position = number + 1, position + len(raw)
        return [
            f"{self.path.name} line {lines.get(start, '?')}: {reason}; skipped, left in the file"
            for start, reason in sorted(skipped.items())
        ]

    def events(self, check: Callable[[dict], str | None] | None = None) -> list[dict]:
        """Every complete event, oldest first."""
        return [event for event, _ in self.read_from(0, check=check)]


def parse_line(
    raw: bytes, check: Callable[[dict], str | None] | None
) -> tuple[dict | None, str | None]:
    """The event on a log line, or None and why the line holds none that can be used."""
    try:
        event = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None, "not a log entry (invalid JSON)"
    if not isinstance(event, dict) or "seq" not in event or "kind" not in event:
        return None, "not a log entry (no 'seq' or 'kind')"
    problem = check(event) if check is not None else None
    return (None, problem) if problem is not None else (event, None)
