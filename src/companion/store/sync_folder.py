"""Syncing through a folder: joining one, and pulling what the other machines logged there.

A machine that syncs keeps two places: the synced folder (the learner's decks, roadmaps and
notes, and `devices/<device-id>/` with each machine's log), and its own data directory (the
review log it reads, snapshots and caches derived from the logs, the lock), named by
`sync.json`'s folder there and never synced.
"""

import json
from pathlib import Path

from companion.paths import SYNC_CONFIG, synced_folder, synced_folders_registry
from companion.store.atomic_file import write_atomically
from companion.store.device_identity import this_device
from companion.store.device_logs import DEVICES, DeviceLogs

OFFSETS_NAME = "sync-offsets.json"  # how far each machine's log was read: this machine's own
DEVICE_NAME_FILE = "device.json"  # in the device's folder: written by that machine alone


def configured_logs(local: Path) -> DeviceLogs | None:
    """The device logs of the folder this machine's data directory syncs through, if it does."""
    folder = synced_folder(local)
    if folder is None:
        return None
    device = this_device(local)
    return DeviceLogs(folder, device.id, local / "cache" / OFFSETS_NAME)


def join_folder(local: Path, folder: Path, name: str | None = None) -> str:
    """Keep this machine's state for `folder` in `local` from now on, with a log of its own
    there; returns this machine's device id. (The events logged so far are written to the
    folder by the caller, who holds the store.)"""
    device = this_device(local, name)
    (folder / DEVICES / device.id).mkdir(parents=True, exist_ok=True)
    folder = folder.resolve()
    write_atomically(local / SYNC_CONFIG, json.dumps({"folder": str(folder)}).encode())
    registry = synced_folders_registry()
    try:
        known = json.loads(registry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    known = known if isinstance(known, dict) else {}
    known[str(folder)] = str(local.resolve())
    registry.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(registry, json.dumps(known).encode())
    return device.id


def device_names(folder: Path) -> dict[str, str]:
    """Each machine's name, by device id, as it wrote it in the folder."""
    names = {}
    for device_dir in sorted((folder / DEVICES).glob("*")):
        try:
            names[device_dir.name] = json.loads((device_dir / DEVICE_NAME_FILE).read_text())["name"]
        except (OSError, ValueError, KeyError, TypeError):
            names[device_dir.name] = device_dir.name
    return names
