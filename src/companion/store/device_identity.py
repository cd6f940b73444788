"""Which machine this is, for the log it writes in a synced folder.

A device is this machine studying from this data directory: its id names its log folder
(`devices/<id>/`), its name (the host name unless given) is what other machines call it. The
id is kept in the machine-local data directory with the machine it was made on. A data
directory copied whole to another machine still says the old machine: it is noticed there, and
the copy gets an id of its own, so two machines never append to one log.
"""

import json
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_config_path

from companion.store.atomic_file import write_atomically

MARKER_NAME = "device.json"
MACHINE_ID_ENV = "COMPANION_MACHINE_ID"  # tests stand in for another machine with it
_MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    cloned_from: str | None = None
    """The id the data directory had on the machine it was copied from, if it was copied."""


def machine_id() -> str:
    """This machine's id: the system's where it has one, else one made once and kept in the
    user's configuration folder (outside any data directory)."""
    given = os.environ.get(MACHINE_ID_ENV)
    if given:
        return given
    for path in _MACHINE_ID_FILES:
        try:
            found = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if found:
            return found
    kept = user_config_path("companion", appauthor=False) / "machine-id"
    try:
        return kept.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        made = uuid.uuid4().hex
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(kept, made.encode())
        return made


def this_device(local_dir: Path, name: str | None = None) -> Device:
    """The device of this machine and data directory: made on first use, made anew when the
    directory turns out to be a copy from another machine. `name` renames it."""
    marker = local_dir / MARKER_NAME
    machine = machine_id()
    try:
        saved = json.loads(marker.read_text(encoding="utf-8"))
        device_id, saved_name, saved_machine = saved["id"], saved["name"], saved["machine"]
    except (OSError, ValueError, KeyError, TypeError):
        saved = None
    cloned_from = None
    if saved is not None and saved_machine == machine:
        device = Device(device_id, name or saved_name)
    else:
        if saved is not None:
            cloned_from = device_id
        device = Device(uuid.uuid4().hex[:16], name or socket.gethostname() or "machine")
    if saved is None or cloned_from or device.name != saved.get("name"):
        local_dir.mkdir(parents=True, exist_ok=True)
        record = {"id": device.id, "name": device.name, "machine": machine}
        write_atomically(marker, json.dumps(record).encode())
    return Device(device.id, device.name, cloned_from)
