"""Roadmap items' states as the learner set them, on any machine: each change is an event in
the log (`item`), and the progress table holds, per item, the latest change by (time, id)
with the ones it won over kept in the item's history. So two machines that set an item
differently offline agree once each has the other's event, whatever order they came in.
"""

from tinydb import Query
from tinydb.table import Table

from companion.content.progress import ITEM_STATES

HISTORY_KEPT = 20  # the item's earlier states, newest last


def item_event(roadmap_id: str, item_id: str, state: str, text: str, phase: str,
               fingerprint: dict | None) -> dict:  # fmt: skip
    """The event of an item set to `state` (its time and id are stamped when committed)."""
    if state not in ITEM_STATES:
        raise ValueError(f"unknown item state {state!r}")
    event = {"kind": "item", "roadmap": roadmap_id, "item": item_id, "state": state,
             "text": text, "phase": phase}  # fmt: skip
    if fingerprint is not None:
        event["fingerprint"] = fingerprint
    return event


def _in_time(change: list) -> tuple:
    return (change[0], change[1])


def _change(event: dict) -> list:
    return [event["ts"], event["id"], event["state"]]


def latest_change(table: Table, item_id: str) -> float:
    """The time of the item's latest change (0 when it has none logged)."""
    doc = table.get(Query().item_id == item_id)
    changed = doc.get("changed") if doc is not None else None
    return changed[0] if changed else 0.0


def apply_item_event(table: Table, event: dict, updated: str) -> bool:
    """Fold one item event into the progress table; whether it became the item's state (a
    change older than the one there goes to the history only). `updated`: its time, as text."""
    found = table.get(Query().item_id == event["item"])
    doc = dict(found) if found is not None else None
    history = list(doc.get("history", [])) if doc else []
    latest = doc.get("changed") if doc else None
    key = (event["ts"], event["id"])
    if latest is not None and [latest[0], latest[1]] == [event["ts"], event["id"]]:
        return False  # the same event again
    if any(change[:2] == [event["ts"], event["id"]] for change in history):
        return False
    if doc is not None and latest is not None and tuple(latest[:2]) > key:
        history.append(_change(event))
        history.sort(key=_in_time)
        table.update({"history": history[-HISTORY_KEPT:]}, Query().item_id == event["item"])
        return False
    if doc is not None:
        history.append(latest or [0.0, "", doc["state"]])  # set before changes were events
        history.sort(key=_in_time)
    row = {
        "roadmap_id": event["roadmap"], "item_id": event["item"], "state": event["state"],
        "updated": updated, "text": event.get("text", ""), "phase": event.get("phase", ""),
        "changed": _change(event), "history": history[-HISTORY_KEPT:],
    }  # fmt: skip
    if "fingerprint" in event:
        row["fingerprint"] = event["fingerprint"]
    elif doc is not None and "fingerprint" in doc:
        row["fingerprint"] = doc["fingerprint"]
    table.upsert(row, Query().item_id == event["item"])
    return True
