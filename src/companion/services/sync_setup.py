"""`companion sync init` and `sync status`: a data directory starts or joins a synced folder,
and what the folder's machines have logged.

Joining copies the learner's files (decks, roadmaps, notes, saved pages, media) into the
folder and writes this machine's events to its own log there, then switches
over; only then are the copies left behind removed. A file the folder already has with other
content is kept beside it as `NAME (from DEVICE).md`, never overwritten.
"""

import filecmp
import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from companion.paths import LEARNER_FOLDERS, local_dir, synced_folder
from companion.services.sync import pull_others
from companion.srs.event_order import LEGACY_PREFIX, event_id, target_id
from companion.store import Store, open_store
from companion.store.atomic_file import write_atomically
from companion.store.device_identity import this_device
from companion.store.device_logs import DEVICES, LOG_NAME, DeviceLogs, is_conflict_copy
from companion.store.review_log import ReviewLog
from companion.store.sync_folder import (
    DEVICE_NAME_FILE,
    OFFSETS_NAME,
    configured_logs,
    device_names,
    join_folder,
)

SHARED_FOLDERS = (*LEARNER_FOLDERS, "media", "anki")  # anki: the notes as Anki had them


class SyncError(Exception):
    """A folder that cannot be joined, told in one line."""


@dataclass
class Joined:
    device_id: str
    device_name: str
    files_moved: int = 0
    kept_both: list[str] = field(default_factory=list)
    events_written: int = 0
    pulled: dict[str, int] = field(default_factory=dict)
    """Events brought from each other machine, by its name."""


def join(data_dir: Path, folder: Path, name: str | None = None) -> Joined:
    """Start syncing `data_dir`'s learner through `folder`, or join the machines there."""
    local = local_dir(data_dir)
    folder = folder.expanduser().resolve()
    already = synced_folder(local)
    if already is not None:
        if already == folder:
            raise SyncError(f"already syncing through {folder}")
        raise SyncError(f"already syncing through {already}; a data directory syncs through one")
    if folder == data_dir.resolve() or folder.is_relative_to(local.resolve()):
        raise SyncError(f"{folder}: the synced folder must be outside the data directory")
    folder.mkdir(parents=True, exist_ok=True)
    device = this_device(local, name)
    joined = Joined(device.id, device.name)
    store = open_store(data_dir)  # the lock: no other instance writes while files move
    try:
        _log_item_states(store)
        _log_blocks(store)
        logs = DeviceLogs(folder, device.id, local / "cache" / OFFSETS_NAME)
        there = {event_id(event) for event, _ in logs.own.read_from(0)}  # a join cut short
        own = [e for e in _own_events(store, device.id) if event_id(e) not in there]
        if own:
            logs.append(own)
            joined.events_written = len(own)
        logs.read_own()
        logs.save_offsets()
        copied = _copy_files(data_dir, folder, device.name, joined)
        name_file = folder / DEVICES / device.id / DEVICE_NAME_FILE
        name_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(name_file, json.dumps({"name": device.name}).encode())
        join_folder(local, folder, device.name)
    finally:
        store.close()
    for path in copied:  # in the folder now: the copies left here would be read twice
        path.unlink(missing_ok=True)
    synced = open_store(folder)
    try:
        names = device_names(folder)
        pulled = pull_others(synced)
        joined.pulled = {names.get(d, d): n for d, n in pulled.by_device.items() if d != device.id}
    finally:
        synced.close()
    return joined


def _log_item_states(store: Store) -> None:
    """Items set before their changes were events become events, at the time they were set,
    so the other machines learn of them."""
    for row in store.progress_records():
        if "changed" in row or row.get("state") is None:
            continue
        try:
            when = datetime.fromisoformat(row.get("updated", ""))
        except ValueError:
            when = datetime.fromtimestamp(0, UTC)
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        roadmap, text, phase = row.get("roadmap_id", ""), row.get("text", ""), row.get("phase", "")
        store.set_item_state(
            roadmap, row["item_id"], row["state"], when, text, phase, row.get("fingerprint")
        )


def _log_blocks(store: Store) -> None:
    """Blocks logged before blocks were events become events, so the others learn of them."""
    for block in store.study_blocks():
        if block.get("origin") is None:
            store.log_again(block)


def _own_events(store: Store, device_id: str) -> list[dict]:
    """This machine's events as the others will read them: an event of a log written before
    events had ids gets one of its own (its log position is this machine's only) and the time
    this machine's ledger gave it, so every machine places it alike."""

    def global_id(legacy: str) -> str:
        return f"{legacy}.{device_id}"

    events = []
    for event in store.review_events():
        if "device" in event:
            continue  # pulled from another machine: in its log already
        if not isinstance(event.get("id"), str):
            legacy = event_id(event)
            event = {**event, "id": global_id(legacy)}
            event.setdefault("ts", store.ledger.legacy_ts.get(legacy, 0.0))
        target = target_id(event) if event["kind"] == "undo" else ""
        if target.startswith(LEGACY_PREFIX) and "." not in target:  # an event of before ids
            event = {**event, "target": global_id(target)}
        events.append(event)
    return events


def _copy_files(data_dir: Path, folder: Path, device_name: str, joined: Joined) -> list[Path]:
    """Copy the learner's files into the folder; the ones copied (or there already, the same)."""
    # the settings files stay here, this machine's own: their changes go to the others as
    # events (services/settings_sync.py), as no file in the folder may have two writers
    sources: list[Path] = []
    for name in SHARED_FOLDERS:
        if (data_dir / name).is_dir():
            sources += sorted(p for p in (data_dir / name).rglob("*") if p.is_file())
    copied = []
    for source in sources:
        target = folder / source.relative_to(data_dir)
        if target.exists() and filecmp.cmp(source, target, shallow=False):
            copied.append(source)
            continue
        if target.exists():
            target = target.with_name(f"{target.stem} (from {device_name}){target.suffix}")
            joined.kept_both.append(str(target.relative_to(folder)))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied.append(source)
        joined.files_moved += 1
    return copied


def sync_status(data_dir: Path) -> dict:
    """The machines of the folder: each one's name, events and last event, and this one."""
    local = local_dir(data_dir)
    folder = synced_folder(local)
    logs = configured_logs(local)
    if folder is None or logs is None:
        raise SyncError("not syncing (companion sync init FOLDER starts)")
    names = device_names(folder)
    machines, copies, problems = [], 0, []
    for device_dir in sorted((folder / DEVICES).glob("*")):
        log = ReviewLog(device_dir / LOG_NAME)
        skipped: dict[int, str] = {}
        events = [event for event, _ in log.read_from(0, skipped=skipped)]
        problems += [f"{device_dir.name}/{p}" for p in log.describe(skipped)]
        copies += sum(1 for p in device_dir.iterdir() if is_conflict_copy(p.name))
        last = max((e.get("ts", 0.0) for e in events), default=None)
        machines.append({
            "device": device_dir.name, "name": names[device_dir.name],
            "this_machine": device_dir.name == logs.device_id,
            "events": len(events), "last_event_ts": last,
        })  # fmt: skip
    store = open_store(data_dir, read_only=True)
    try:
        merged = sum(1 for e in store.review_events() if "device" in e)
    finally:
        store.close()
    return {
        "folder": str(folder), "device": logs.device_id, "machines": machines,
        "events_merged": merged, "conflict_copies": copies, "problems": problems,
    }  # fmt: skip
