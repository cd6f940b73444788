"""What a well-formed row of each table in companion.json is.

The file is the learner's, and a hand edit or a sync tool can leave a row the code would trip
on deep inside a screen (a state of "finished", a time written as text). Such a file is
refused at open with one line naming the table, the row and the field, and left untouched.
"""

import math
from collections.abc import Callable

from companion.content.progress import ITEM_STATES
from companion.srs.log_events import LAST_MOMENT
from companion.timer.focus_timer import Outcome, Phase, Status

Check = Callable[[object], bool]


def _text(value: object) -> bool:
    return isinstance(value, str)


def _optional_text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _amount(value: object) -> bool:
    return _number(value) and value >= 0  # type: ignore[operator]


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _moment(value: object) -> bool:
    return _number(value) and 0 <= value <= LAST_MOMENT  # type: ignore[operator]


def _optional_moment(value: object) -> bool:
    return value is None or _moment(value)


def _one_of(*allowed: str) -> Check:
    return lambda value: value in allowed


def _mapping(value: object) -> bool:
    return isinstance(value, dict)


def _changes(value: object) -> bool:
    """A change as `[time, event id, state]`, or a list of them."""

    def one(change: object) -> bool:
        return isinstance(change, list) and len(change) == 3 and _moment(change[0])

    if isinstance(value, list) and value and isinstance(value[0], list):
        return all(one(change) for change in value)
    return one(value) or value == []


# (field, required, check, what it should be)
ROW_FIELDS: dict[str, list[tuple[str, bool, Check, str]]] = {
    "meta": [("ui", False, _mapping, "a table")],
    "progress": [
        ("item_id", True, _text, "text"),
        ("state", True, _one_of(*ITEM_STATES), "one of " + ", ".join(ITEM_STATES)),
        ("roadmap_id", False, _text, "text"),
        ("updated", False, _text, "text"),
        ("text", False, _text, "text"),
        ("phase", False, _text, "text"),
        ("fingerprint", False, _mapping, "a table"),
        ("changed", False, _changes, "[time, event id, state]"),
        ("history", False, _changes, "a list of [time, event id, state]"),
    ],
    "sessions": [
        ("phase", True, _one_of(*Phase), "one of " + ", ".join(Phase)),
        ("started_at", True, _moment, "a time in seconds"),
        ("ended_at", True, _moment, "a time in seconds"),
        ("minutes", True, _amount, "a number of minutes"),
        ("planned_minutes", False, _amount, "a number of minutes"),
        ("item_id", False, _optional_text, "text"),
        ("outcome", False, _one_of(*Outcome), "one of " + ", ".join(Outcome)),
        ("note", False, _text, "text"),
        ("interruptions_internal", False, _count, "a count"),
        ("interruptions_external", False, _count, "a count"),
        ("origin", False, _optional_text, "an event id"),
        ("at", False, _moment, "a time in seconds"),
    ],
    "moved": [
        ("from", True, _text, "text"),
        ("to", True, _text, "text"),
        ("ts", True, _moment, "a time in seconds"),
        ("fingerprint", False, _mapping, "a table"),
        ("now", False, _mapping, "a table"),
    ],
    "purged": [("roadmap_id", True, _text, "text"), ("ts", True, _moment, "a time in seconds")],
    "roadmaps": [
        ("roadmap_id", True, _text, "text"),
        ("action", True, _text, "text"),
        ("digest", True, _text, "text"),
        ("ts", True, _moment, "a time in seconds"),
        ("id", True, _text, "an event id"),
        ("older", False, lambda v: isinstance(v, list) and all(map(_text, v)), "a list of text"),
        ("rows_behind", False, lambda v: isinstance(v, bool), "true or false"),
    ],
    "settings": [
        ("file", True, _text, "text"),
        ("deck", True, _optional_text, "text or null"),
        ("key", True, _text, "text"),
        (
            "changed",
            True,
            lambda v: isinstance(v, list) and len(v) == 2 and _moment(v[0]),
            "[time, event id]",
        ),  # fmt: skip
        (
            "history",
            False,
            lambda v: (
                isinstance(v, list)
                and all(isinstance(c, list) and len(c) == 3 and _moment(c[0]) for c in v)
            ),
            "a list of [time, event id, value]",
        ),  # fmt: skip
    ],
    "timer": [
        ("phase", False, _one_of(*Phase), "one of " + ", ".join(Phase)),
        ("status", False, _one_of(*Status), "one of " + ", ".join(Status)),
        ("duration_s", False, _amount, "a number of seconds"),
        ("elapsed_before_s", False, _amount, "a number of seconds"),
        ("resumed_at", False, _optional_moment, "a time in seconds"),
        ("started_at", False, _optional_moment, "a time in seconds"),
        ("item_id", False, _optional_text, "text"),
        ("focus_done", False, _count, "a count"),
        ("interruptions_internal", False, _count, "a count"),
        ("interruptions_external", False, _count, "a count"),
    ],
}


def row_problem(table: str, row: object) -> str | None:
    """What is wrong with one row of `table`, in a few words, or None."""
    if not isinstance(row, dict):
        return "not a record"
    for field, required, check, expected in ROW_FIELDS.get(table, []):
        if field not in row:
            if required:
                return f"'{field}' is missing"
            continue
        if not check(row[field]):
            shown = repr(row[field])
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            return f"'{field}' should be {expected}, got {shown}"
    return None


def first_row_problem(data: dict) -> str | None:
    """The first bad row of the data file's tables, named by table and row id, or None."""
    for table, rows in data.items():
        for row_id, row in rows.items():
            if problem := row_problem(table, row):
                return f"table '{table}' row {row_id}: {problem}"
    return None
