"""Where an event stands in the learner's history: its time and its id.

History is a set of events, not a timeline: an import brings answers from years ago after
today's, and (later) other machines' logs arrive late, twice or out of order. Every event has
a time (`ts`) and a globally unique `id`; state is the fold of the events in (ts, id) order,
whatever order they arrive in.

Events written before ids existed have only a per-log `seq`; they get a legacy id from it
(which sorts after every new id at the same instant), and those with no time take the latest
time seen before them in their log.
"""

import os
import random
import time

LEGACY_PREFIX = "~"  # after every hex digit: a legacy event follows new ones at a tie
_last_id = [0, 0]  # (milliseconds, random part) of the id made last, to keep ids increasing
_random = random.Random(os.urandom(16))  # seeded once: os.urandom per id cost 8 µs each


def new_event_id(now: float | None = None) -> str:
    """A UUIDv7 as 32 hex digits: 48 bits of milliseconds, the version, then random bits.

    Ids made in one process only increase (the random bits are stepped within a millisecond),
    so a machine's own events keep their order when their times tie."""
    millis = int((time.time() if now is None else now) * 1000)
    if millis <= _last_id[0]:
        millis, randomness = _last_id[0], _last_id[1] + 1
    else:
        randomness = _random.getrandbits(73)  # 74 random bits, with room to step
    _last_id[0], _last_id[1] = millis, randomness
    randomness &= (1 << 74) - 1
    high, low = randomness >> 62, randomness & ((1 << 62) - 1)
    return f"{(millis << 80) | (7 << 76) | (high << 64) | (2 << 62) | low:032x}"


def legacy_id(seq: int) -> str:
    """The id of an event from a log written before ids: from its place in that log."""
    return f"{LEGACY_PREFIX}{seq:012d}"


def event_id(event: dict) -> str:
    """An event's id, legacy or not."""
    found = event.get("id")
    return found if isinstance(found, str) else legacy_id(event["seq"])


def target_id(undo: dict) -> str:
    """The id of the event an undo cancels (old logs name it by its `seq`)."""
    target = undo["target"]
    return target if isinstance(target, str) else legacy_id(target)


def undone_ids(events: list[dict]) -> set[str]:
    """The ids of every event an undo among `events` cancels."""
    return {target_id(event) for event in events if event["kind"] == "undo"}


def cards_named(event: dict) -> tuple[str, ...]:
    """The cards an event changes: a relink both of its ends, one of a card its card, others
    (an item's state, a focus block) none."""
    if event["kind"] == "relink":
        return (event["from"], event["to"])
    card = event.get("card")
    return () if card is None else (card,)


def event_key(event: dict) -> tuple[float, str]:
    """Where the event stands in the merged history (every event has both after `complete`)."""
    return (event["ts"], event["id"])
