"""Which folder this data directory syncs through, if any, and joining one.

The data directory stays this machine's own (the state, snapshots and caches derived from the
logs); `sync.json` in it names the folder that the sync engine keeps in step, where each
machine has its log under `devices/<device-id>/`.
"""

import json
from pathlib import Path
from typing import TYPE_CHECKING

from companion.store.atomic_file import write_atomically
from companion.store.device_identity import this_device
from companion.store.device_logs import DEVICES, DeviceLogs, Pulled

if TYPE_CHECKING:
    from companion.store.store import Store

CONFIG_NAME = "sync.json"
OFFSETS_NAME = "sync-offsets.json"  # how far each machine's log was read: this machine's own


def synced_folder(data_dir: Path) -> Path | None:
    """The folder this data directory syncs through; None when it does not."""
    try:
        folder = json.loads((data_dir / CONFIG_NAME).read_text(encoding="utf-8"))["folder"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Path(folder) if isinstance(folder, str) else None


def configured_logs(data_dir: Path) -> DeviceLogs | None:
    """The device logs of the folder this data directory syncs through, if it does."""
    folder = synced_folder(data_dir)
    if folder is None:
        return None
    device = this_device(data_dir)
    return DeviceLogs(folder, device.id, data_dir / "cache" / OFFSETS_NAME)


def join_folder(data_dir: Path, folder: Path, name: str | None = None) -> str:
    """Sync this data directory through `folder` from now on; returns this machine's device id.
    (The events logged so far are written to the folder by the caller, who holds the store.)"""
    device = this_device(data_dir, name)
    (folder / DEVICES / device.id).mkdir(parents=True, exist_ok=True)
    record = {"folder": str(folder.resolve())}
    write_atomically(data_dir / CONFIG_NAME, json.dumps(record).encode())
    return device.id


def pull_others(store: "Store") -> Pulled:
    """Bring what the other machines logged since the last pull into this store: their events
    go to the local log and the ledger, which puts them in (time, id) order among ours."""
    logs = store.device_logs
    if logs is None:
        return Pulled()
    pulled = logs.pull()
    if pulled.events:
        # their place in this log is this log's: the other machine's `seq` is not carried
        store.commit_many(
            (lambda e=e: {k: v for k, v in e.items() if k != "seq"}) for e in pulled.events
        )
    logs.save_offsets()  # only once the local log holds them
    return pulled
