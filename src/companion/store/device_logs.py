"""The logs of every machine in a synced folder: each machine appends to its own only, and
reads what the others appended since it last looked.

Layout: `FOLDER/devices/<device-id>/events.jsonl`, one JSON event per line, written by that
machine alone, so a sync engine (Syncthing, Dropbox, Nextcloud, git) never has two writers of
one file. What the engine makes of a clash anyway is read too, never taken for a deck:
Syncthing's `events.sync-conflict-<date>-<time>-<device>.jsonl`, Dropbox's `events (… conflicted
copy …).jsonl` and Nextcloud's `events (conflicted copy …).jsonl`; their events are the same
events again, told apart by id.

How far each file was read is kept on this machine only (`offsets`), with a checksum of the
bytes just before that point: a file that grew is read from there, one that was replaced by
another version is read again whole. A last line without its newline is a copy still under
way: it is left for the next look.
"""

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from companion.paths import DEVICES
from companion.srs.event_order import event_id
from companion.srs.log_events import event_problem
from companion.store.atomic_file import write_atomically
from companion.store.review_log import ReviewLog
from companion.sync_copies import original_of

LOG_NAME = "events.jsonl"
_TAIL = 256  # bytes before the offset whose checksum tells a grown file from a replaced one


def is_conflict_copy(name: str) -> bool:
    """Whether a file name is a sync engine's copy of a log it could not merge."""
    return original_of(name) == LOG_NAME


def device_log_path(folder: Path, device_id: str) -> Path:
    return folder / DEVICES / device_id / LOG_NAME


@dataclass
class Pulled:
    """What one look at the other machines' logs brought."""

    events: list[dict] = field(default_factory=list)
    """New events, each once, with `device` naming the machine whose log held it."""
    by_device: dict[str, int] = field(default_factory=dict)
    conflict_copies: int = 0
    """Conflict copies that had anything to read."""
    problems: list[str] = field(default_factory=list)
    settings_applied: list[str] = field(default_factory=list)
    """Settings another machine changed, now in this machine's settings files."""


class DeviceLogs:
    """This machine's log in the folder, and what is new in the others'."""

    def __init__(self, folder: Path, device_id: str, offsets_path: Path) -> None:
        self.folder = folder
        self.device_id = device_id
        self.own = ReviewLog(device_log_path(folder, device_id))
        self.offsets_path = offsets_path
        self._offsets = self._read_offsets()

    def _read_offsets(self) -> dict[str, list]:
        try:
            saved = json.loads(self.offsets_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # derived: read every log again, its events are known by id
        return saved if isinstance(saved, dict) else {}

    def save_offsets(self) -> None:
        self.offsets_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.offsets_path, json.dumps(self._offsets).encode())

    def append(self, events: list[dict]) -> int:
        """Append this machine's events to its own log, durably (fsync); bytes written."""
        self.own.path.parent.mkdir(parents=True, exist_ok=True)
        return self.own.append_many(events)

    def take_back(self, size: int) -> None:
        """Cut this machine's log back to `size` bytes: what was appended since did not reach
        the local log, so it was never acknowledged."""
        with self.own.path.open("r+b") as handle:
            handle.truncate(size)

    def read_own(self) -> None:
        """Mark this machine's log as read to its end: the local log holds all of it."""
        size = self.own.size()
        self._offsets[self._key(self.own.path)] = [size, _tail_checksum(self.own.path, size)]

    def _key(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def logs(self) -> list[tuple[str, Path]]:
        """Every log in the folder, with the device it belongs to: the machines' logs (this
        one's too, should the local log have lost some of it) and their conflict copies."""
        found = []
        for device_dir in sorted((self.folder / DEVICES).glob("*")):
            if not device_dir.is_dir():
                continue
            for path in sorted(device_dir.iterdir()):
                if path.name == LOG_NAME or is_conflict_copy(path.name):
                    found.append((device_dir.name, path))
        return found

    def pull(self, known: set[str] | None = None, local_is_empty: bool = False) -> Pulled:
        """The events appended to the logs since the last pull (ids in `known`, and repeats
        across files, left out). This machine's own log is read past what the local log is
        known to hold (its end when nothing says how far, unless the local log is empty: a
        rebuild). Offsets are saved by `save_offsets`."""
        pulled = Pulled()
        seen = set(known or ())
        for device, path in self.logs():
            key = self._key(path)
            start = self._start(key, path)
            if path == self.own.path and key not in self._offsets and not local_is_empty:
                start = self.own.size()
            skipped: dict[int, str] = {}
            log = ReviewLog(path)
            end, fresh = start, 0
            for event, offset in log.read_from(start, check=event_problem, skipped=skipped):
                end = offset
                ident = event_id(event)
                if ident in seen:
                    continue
                seen.add(ident)
                pulled.events.append({**event, "device": device})
                fresh += 1
            torn = [at for at, why in skipped.items() if why.startswith("cut short")]
            damaged = {at: why for at, why in skipped.items() if at not in torn}
            told = log.describe(damaged)
            pulled.problems += [problem.replace(path.name, key, 1) for problem in told]
            if any(at >= end for at in damaged):  # told once: read past them next time
                end = _complete_end(path, end)
            if end != start:
                self._offsets[key] = [end, _tail_checksum(path, end)]
            if fresh:
                pulled.by_device[device] = pulled.by_device.get(device, 0) + fresh
                pulled.conflict_copies += is_conflict_copy(path.name)
        return pulled

    def bytes_waiting(self) -> int:
        """How many bytes of the logs the next pull reads (roughly: a replaced log whole)."""
        total = 0
        for _, path in self.logs():
            if path != self.own.path:
                try:
                    total += path.stat().st_size - self._start(self._key(path), path)
                except OSError:
                    continue
        return total

    def _start(self, key: str, path: Path) -> int:
        """Where to read `path` from: the saved offset while the bytes before it are the ones
        read then; 0 for a file new or replaced since."""
        saved = self._offsets.get(key)
        if not (isinstance(saved, list) and len(saved) == 2):
            return 0
        offset, checksum = saved
        try:
            size = path.stat().st_size
        except OSError:
            return 0
        if not isinstance(offset, int) or offset > size or _tail_checksum(path, offset) != checksum:
            return 0
        return offset


def _complete_end(path: Path, offset: int) -> int:
    """The end of the last complete line after `offset`."""
    with path.open("rb") as handle:
        handle.seek(offset)
        return offset + handle.read().rfind(b"\n") + 1


def _tail_checksum(path: Path, offset: int) -> int:
    """A CRC of the bytes just before `offset` (the last lines read)."""
    start = max(0, offset - _TAIL)
    try:
        with path.open("rb") as handle:
            handle.seek(start)
            return zlib.crc32(handle.read(offset - start))
    except OSError:
        return -1


class MirroredLog(ReviewLog):
    """The local log of a machine that syncs: each of its own events goes first to the
    machine's log in the folder (the copy the other machines read), then to the local one,
    which also holds the events pulled from the others (those carry `device`, and are not
    written back). An append that fails locally is taken back from the folder."""

    def __init__(self, path: Path, device_logs: DeviceLogs) -> None:
        super().__init__(path)
        self.device_logs = device_logs

    def append_many(self, events, chunk=20_000, written=None) -> int:  # type: ignore[no-untyped-def]
        events = list(events)
        own = [event for event in events if "device" not in event]
        if not own:
            return super().append_many(events, chunk, written)
        before = self.device_logs.own.size()
        self.device_logs.append(own)
        try:
            size = super().append_many(events, chunk, written)
        except BaseException:
            self.device_logs.take_back(before)
            raise
        self.device_logs.read_own()
        return size
