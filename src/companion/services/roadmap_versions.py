"""Which version of each of the learner's roadmap files this machine has, against the versions
`roadmap add` and `roadmap update` logged on every machine: a file that another machine has
since replaced is behind while the new one is on its way (the file
syncs as a file, and may come after the events that were made on it). Its progress follows
this file's items, as the learner sees them here, but notes and deck marks, which are files
every machine shares, are left where the newer version puts them.

Only those commands log a version (when the app holds the data directory, it logs the ones
they left it at its next look): a file edited by hand is no version another machine waits
for, and a machine that logged on its own what it found could log an old file after a new one.
"""

from pathlib import Path

from companion.content.loader import Library
from companion.content.roadmap import Roadmap
from companion.store import Store
from companion.store.roadmap_events import file_digest
from companion.store.version_mailbox import post, posted

WAIT_FOR_FILE_S = 3600  # after this, an old file is the learner's choice (a revert, a pause)


def log_version(store: Store, action: str, roadmap: Roadmap, path: Path) -> None:
    """Log the roadmap file as `roadmap add` or `update` left it."""
    store.log_roadmap(action, roadmap.id, roadmap.title, file_digest(path))


def post_version(local: Path, action: str, roadmap: Roadmap, path: Path, now: float) -> None:
    """The same, left for the app that holds the data directory to log (at the time made)."""
    version = {"action": action, "roadmap": roadmap.id, "title": roadmap.title,
               "digest": file_digest(path), "ts": now}  # fmt: skip
    post(local, version)


def log_posted_versions(store: Store) -> int:
    """Log the versions a command left while this store held the data directory; how many."""
    logged = 0
    for path, version in posted(store.local_dir):
        try:
            store.log_roadmap(
                str(version["action"]), str(version["roadmap"]), str(version.get("title", "")),
                str(version.get("digest", "")), ts=float(version["ts"]),
            )  # fmt: skip
            logged += 1
        except (KeyError, ValueError):
            pass  # not one a command wrote: dropped, as nothing of the learner's is in it
        path.unlink(missing_ok=True)
    return logged


def behind_roadmaps(library: Library, store: Store, now: float | None = None) -> dict[str, str]:
    """The roadmaps whose file is a version another machine replaced less than an hour ago,
    each with one line saying so."""
    now = store.clock() if now is None else now
    logged = store.roadmap_versions()
    behind: dict[str, str] = {}
    for roadmap in library.roadmaps:
        version = logged.get(roadmap.id)
        if version is None or not roadmap.source or now - version.ts >= WAIT_FOR_FILE_S:
            continue
        digest = file_digest(Path(roadmap.source))
        if digest != version.digest and digest in version.older:
            behind[roadmap.id] = (
                f"'{roadmap.title}' was updated on another machine and its new file has not "
                "arrived yet"
            )
    return behind
