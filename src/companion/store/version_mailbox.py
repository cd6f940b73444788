"""Roadmap versions that `roadmap add`, `update` or `remove` made while the app held the data
directory: left as one small file each in the machine's own data directory, for the app (the
lock's holder) to log at its next look at the synced folder. One file per version, written
whole and removed once logged, so the command and the app never write the same file."""

import contextlib
import json
import uuid
from pathlib import Path

from companion.files import read_text_file
from companion.store.atomic_file import write_atomically

MAILBOX = "roadmap-versions"


def post(local: Path, version: dict) -> None:
    """Leave a version to log: action, roadmap, title, digest and the time it was made."""
    box = local / MAILBOX
    box.mkdir(parents=True, exist_ok=True)
    write_atomically(box / f"{uuid.uuid4().hex}.json", json.dumps(version).encode())


def posted(local: Path) -> list[tuple[Path, dict]]:
    """The versions left to log, oldest first; a file that is not one is passed over."""
    found = []
    for path in sorted((local / MAILBOX).glob("*.json")):
        with contextlib.suppress(OSError, ValueError):
            version = json.loads(read_text_file(path, 100_000))
            if isinstance(version, dict) and isinstance(version.get("ts"), int | float):
                found.append((path, version))
    return sorted(found, key=lambda pair: pair[1]["ts"])
