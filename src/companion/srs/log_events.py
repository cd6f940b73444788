"""What a well-formed review-log event is: the ledger applies nothing else.

The log is the learner's history, kept in a file that sync tools and hand edits can touch:
an event with a missing field or an absurd value is skipped and reported, never applied
(it would raise deep inside a replay) and never allowed to hide the events after it.
"""

import math
from datetime import datetime

from companion.config import SETTING_FILES, setting_problem
from companion.content.progress import ITEM_STATES, ROADMAP_ACTIONS

LAST_MOMENT = 253402300799.0  # 9999-12-31 23:59:59 UTC, the last moment a date can show
RECORD_FIELDS = 8


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _moment(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= LAST_MOMENT
    )


def _text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64


def _date_text(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _record_row(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == RECORD_FIELDS
        and isinstance(value[0], str)
        and (value[1] is None or isinstance(value[1], dict))
        and _whole(value[2])
        and _whole(value[3])
    )


def _was(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and _whole(value[0])
        and 0 <= value[0] <= 3
        and isinstance(value[1], int | float)
        and math.isfinite(value[1])
    )


def _mapping(value: object) -> bool:
    return isinstance(value, dict)


def _block(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("phase"), str)
        and _moment(value.get("started_at"))
    )


def _block_key(value: object) -> bool:
    return isinstance(value, list) and len(value) == 3


_CHECKS = {
    "review": (
        ("card", lambda v: isinstance(v, str)),
        ("grade", lambda v: _whole(v) and 1 <= v <= 4),
        ("ts", _moment),
        ("due", _date_text),
    ),
    "bury": (("card", lambda v: isinstance(v, str)), ("until", _moment)),
    "suspend": (("card", lambda v: isinstance(v, str)), ("on", lambda v: isinstance(v, bool))),
    # an event id, or the `seq` of one in an old log
    "undo": (("target", lambda v: _whole(v) or _text(v)), ("card", lambda v: isinstance(v, str))),
    "relink": (("from", lambda v: isinstance(v, str)), ("to", lambda v: isinstance(v, str))),
    "delete": (("card", lambda v: isinstance(v, str)),),
    "reset": (("card", lambda v: isinstance(v, str)),),
    "restore": (("card", lambda v: isinstance(v, str)),),
    "reschedule": (
        ("card", lambda v: isinstance(v, str)),
        ("ts", _moment),
        ("due", _date_text),
    ),
    # what the progress and the study log fold: the same checks, so a hand-damaged line from
    # another machine is told of, not folded
    "item": (
        ("ts", _moment),
        ("id", _text),
        ("roadmap", _text),
        ("item", _text),
        ("state", lambda v: v in ITEM_STATES),
    ),
    "roadmap": (
        ("ts", _moment),
        ("id", _text),
        ("roadmap", _text),
        ("action", lambda v: v in ROADMAP_ACTIONS),
    ),
    "block": (("ts", _moment), ("id", _text), ("block", _block)),
    "setting": (
        ("ts", _moment),
        ("id", _text),
        ("file", lambda v: v in SETTING_FILES),
        ("deck", lambda v: v is None or isinstance(v, str) and 0 < len(v) <= 1000),
        ("key", lambda v: isinstance(v, str) and 0 < len(v) <= 64),
        ("value", lambda v: True),
    ),
    "block_change": (("ts", _moment), ("key", _block_key), ("changes", _mapping)),
    "block_delete": (("ts", _moment), ("key", _block_key)),
    "block_put_back": (("ts", _moment), ("key", _block_key), ("block", _block)),
}
_PRIOR = (("was", _was), ("before", _record_row))
"""What an answer says of its card before it: `was` now, the whole record in older logs."""


_EVERY_KIND = (
    ("id", _text),
    ("ts", _moment),
    ("revlog", lambda v: isinstance(v, list) and len(v) == 4 and all(map(_whole, v))),
)
"""Every event written now has both; old logs' events lack them (see event_order)."""
_OPTIONAL = {
    "reschedule": (
        ("state", lambda v: _whole(v) and 1 <= v <= 3),
        ("lapses", lambda v: _whole(v) and v >= 0),
        ("reps", lambda v: _whole(v) and v >= 0),
        (
            "memory",
            lambda v: isinstance(v, list) and len(v) == 2 and all(_moment(x) and x > 0 for x in v),
        ),
    ),
    "review": (
        ("reps", lambda v: _whole(v) and v >= 0),
        ("state", lambda v: _whole(v) and 1 <= v <= 3),
        ("lapses", lambda v: _whole(v) and v >= 0),
        (
            "memory",
            lambda v: isinstance(v, list) and len(v) == 2 and all(_moment(x) and x > 0 for x in v),
        ),
    ),
}


def event_problem(event: object) -> str | None:
    """Why `event` cannot be applied, or None when it can. Unknown kinds pass (ignored later)."""
    if not isinstance(event, dict):
        return "not a log entry"
    if not _whole(event.get("seq")) or event["seq"] < 0:
        return "no valid 'seq'"
    kind = event.get("kind")
    if not isinstance(kind, str):
        return "no valid 'kind'"
    for name, valid in _CHECKS.get(kind, ()):
        if name not in event:
            return f"{kind} without '{name}'"
        if not valid(event[name]):
            return f"{kind} with an invalid '{name}' ({str(event[name])[:40]})"
    if kind == "review" and not any(name in event for name, _ in _PRIOR):
        return "review without 'was'"
    problem = kind == "setting" and setting_problem(
        event["file"], event["deck"], event["key"], event["value"]
    )
    if problem:
        return f"setting that cannot be used ({problem[:80]})"
    for name, valid in (*_EVERY_KIND, *_PRIOR, *_OPTIONAL.get(kind, ())):
        if name in event and not valid(event[name]):
            return f"{kind} with an invalid '{name}' ({str(event[name])[:40]})"
    return None
