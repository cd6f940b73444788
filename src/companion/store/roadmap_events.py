"""Roadmaps added, updated and removed, as events in the log, and what other machines' item
events need to land where the learner meant them after a roadmap changed.

- A roadmap event names the roadmap, the act and the digest of its file, so a machine whose
  file is a version another machine has since replaced knows it is waiting for the new one
  (the file syncs as a file, and may come after the events).
- A removal with `purge` deletes the roadmap's progress everywhere: the rows set before it go,
  and an item event from before it that comes late is kept in the log but not folded.
- Progress that followed an edited item moved here, by the ids of this machine's file: a
  `moved` row remembers each, with the fingerprint the item had, so a tick made on another
  machine on the old version of the file follows the item to its new id.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from tinydb import Query
from tinydb.table import Table

from companion.content.progress import ROADMAP_ACTIONS

MAX_HOPS = 32  # an item renamed this many times by one tick's lateness is far beyond real use


def file_digest(path: Path) -> str:
    """The digest a roadmap event gives its file (empty when the file cannot be read)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    except OSError:
        return ""


def roadmap_event(action: str, roadmap_id: str, title: str, digest: str, purge: bool) -> dict:
    if action not in ROADMAP_ACTIONS:
        raise ValueError(f"unknown roadmap action {action!r}")
    event = {"kind": "roadmap", "action": action, "roadmap": roadmap_id, "title": title,
             "digest": digest}  # fmt: skip
    if purge:
        event["purge"] = True
    return event


def purged_at(purged: Table, roadmap_id: str) -> float:
    """When the roadmap's progress was last purged (0 when never)."""
    doc = purged.get(Query().roadmap_id == roadmap_id)
    return float(doc["ts"]) if doc is not None else 0.0


def apply_purge(progress: Table, purged: Table, roadmap_id: str, ts: float) -> int:
    """Delete the roadmap's progress set before `ts`; how many rows went."""
    if ts <= purged_at(purged, roadmap_id):
        return 0
    purged.upsert({"roadmap_id": roadmap_id, "ts": ts}, Query().roadmap_id == roadmap_id)

    def before(doc: dict) -> bool:
        changed = doc.get("changed")
        return doc.get("roadmap_id") == roadmap_id and (not changed or changed[0] < ts)

    return len(progress.remove(before))


def remember_moves(
    moved: Table, moves: list[tuple[str, str, dict | None, dict | None]], ts: float
) -> None:
    """Keep (old id, new id, the fingerprint it had, the one it has) of progress moved at
    `ts`: a row per (old id, fingerprint it had), replaced when moved again. Written at once
    (a write per move rewrote the data file 138 times in one update of a large roadmap)."""

    def mark(old_id: str, fingerprint: dict | None) -> tuple[str, str]:
        return old_id, json.dumps(fingerprint, sort_keys=True)

    held = {mark(doc["from"], doc.get("fingerprint")): doc.doc_id for doc in moved.all()}
    rows: dict[tuple[str, str], dict] = {}
    for old_id, new_id, was, now in moves:
        was, now = _as_stored(was), _as_stored(now)
        if was is None or was == now and old_id == new_id:
            continue
        rows[mark(old_id, was)] = {"from": old_id, "to": new_id, "fingerprint": was,
                                   "now": now, "ts": ts}  # fmt: skip
    again = {key: row for key, row in rows.items() if key in held}
    if again:
        moved.update(
            lambda doc: doc.update(again[mark(doc["from"], doc.get("fingerprint"))]),
            doc_ids=[held[key] for key in again],
        )
    if len(again) < len(rows):
        moved.insert_multiple([row for key, row in rows.items() if key not in held])


def followed_item(moved: Table, item_id: str, fingerprint: dict | None) -> str:
    """Where a tick made on `item_id`, as the item was then (`fingerprint`), lands now: the id
    its progress moved to here, when it moved from exactly that item; then each later move
    of it, in the order they were made (an id can be moved from more than once over time)."""
    if fingerprint is None:
        return item_id
    fingerprint, since = _as_stored(fingerprint), float("-inf")
    for _ in range(MAX_HOPS):
        wanted = (Query()["from"] == item_id) & (Query().fingerprint == fingerprint)
        later = [doc for doc in moved.search(wanted) if doc["ts"] > since]
        if not later:
            return item_id
        doc = (
            min(later, key=lambda d: d["ts"])
            if since > float("-inf")
            else max(later, key=lambda d: d["ts"])
        )
        item_id, fingerprint, since = doc["to"], doc["now"], doc["ts"]
    return item_id


def _as_stored(fingerprint: dict | None) -> dict | None:
    """As it reads back from the log or the data file (lists, never tuples), to compare."""
    return None if fingerprint is None else json.loads(json.dumps(fingerprint))


def followed_block_item(moved: Table, item_id: str, at: float) -> str:
    """Where a block credited to `item_id` and last changed at `at` is credited now: through
    the moves made here after it."""
    seen = {item_id}
    for _ in range(MAX_HOPS):
        later = [d for d in moved.search(Query()["from"] == item_id) if d["ts"] > at]
        if not later:
            return item_id
        doc = min(later, key=lambda d: d["ts"])
        if doc["to"] in seen:
            return item_id
        item_id, at = doc["to"], doc["ts"]
        seen.add(item_id)
    return item_id


@dataclass(frozen=True)
class RoadmapVersion:
    """What the log says of a roadmap's file: its latest event, and the versions it replaced."""

    action: str
    digest: str
    ts: float
    older: frozenset[str]


def fold_version(versions: Table, event: dict) -> None:
    """Fold one roadmap event into the roadmaps' versions, whatever order they come in: the
    latest by (time, id) is current, and every other digest logged is older."""
    found = versions.get(Query().roadmap_id == event["roadmap"])
    digest = event.get("digest", "")
    if found is None:
        row = {"roadmap_id": event["roadmap"], "action": event["action"], "digest": digest,
               "ts": event["ts"], "id": event["id"], "older": []}  # fmt: skip
        versions.insert(row)
        return
    older = set(found.get("older", []))
    if (event["ts"], event["id"]) > (found["ts"], found["id"]):
        if found["digest"] and found["digest"] != digest:
            older.add(found["digest"])
        older.discard(digest)  # a version brought back is current again
        changes = {"action": event["action"], "digest": digest, "ts": event["ts"],
                   "id": event["id"], "older": sorted(older)}  # fmt: skip
    elif digest and digest != found["digest"]:
        changes = {"older": sorted(older | {digest})}
    else:
        return
    versions.update(changes, Query().roadmap_id == event["roadmap"])


def version_of(doc: dict) -> RoadmapVersion:
    return RoadmapVersion(doc["action"], doc["digest"], doc["ts"], frozenset(doc.get("older", [])))
