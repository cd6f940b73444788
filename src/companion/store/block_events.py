"""Focus and break blocks as events, so every machine's study log holds every machine's blocks.

A block is known by what it holds, its phase and start, and by the id of the event that logged
it (`origin`: two machines may log blocks that start at the same moment): logging it,
changing it (its item, minutes or note), deleting it and putting it back are events in the
log. The sessions table is what they come to: a block's events folded in (time, id) order,
`at` the time of the last. Done here as they happen, each change stamped after the block's
last; for the blocks named by events from another machine, folded again from the log.
"""

from collections.abc import Iterable

BLOCK_KINDS = ("block", "block_change", "block_delete", "block_put_back")


def block_key(block: dict) -> list:
    return [block.get("phase"), block.get("started_at"), block.get("origin")]


def logged(block: dict) -> dict:
    """The event of a block logged; the block takes the event's id as its `origin`."""
    return {"kind": "block", "block": {k: v for k, v in block.items() if k != "origin"}}


def changed(block: dict, changes: dict) -> dict:
    return {"kind": "block_change", "key": block_key(block), "changes": changes}


def deleted(block: dict) -> dict:
    return {"kind": "block_delete", "key": block_key(block)}


def put_back(block: dict, as_it_was: dict) -> dict:
    """`as_it_was` replaces the block named by `block` (added again if it was deleted)."""
    return {"kind": "block_put_back", "key": block_key(block), "block": as_it_was}


def named(event: dict) -> list:
    """The key of the block an event is about."""
    if event["kind"] == "block":
        return block_key({**event["block"], "origin": event["id"]})
    return event["key"]


def fold(events: Iterable[dict]) -> dict[tuple, dict | None]:
    """The blocks these events come to, by key (None: deleted), folded in (time, id) order."""
    blocks: dict[tuple, dict | None] = {}
    for event in sorted(events, key=lambda e: (e["ts"], e["id"])):
        kind = event["kind"]
        if kind == "block":
            block = {**event["block"], "origin": event["id"], "at": event["ts"]}
            blocks[tuple(block_key(block))] = block
            continue
        key = tuple(event["key"])
        if kind == "block_change" and blocks.get(key) is not None:
            blocks[key] = {**blocks[key], **event["changes"], "at": event["ts"]}  # type: ignore[dict-item]
        elif kind == "block_delete":
            blocks[key] = None
        elif kind == "block_put_back":
            blocks.pop(key, None)
            replacement = {**event["block"], "at": event["ts"]}
            blocks[tuple(block_key(replacement))] = replacement
    return blocks
