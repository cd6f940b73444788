"""What the columns of a course table mean: OSSU's "Courses | Duration | Effort |
Prerequisites | Discussion". A row's estimate is its duration times its weekly effort (2 weeks
at 12 hours/week is 24 hours, whatever the learner's own pace), and the links of its
prerequisites and discussion cells lead elsewhere, not to the course."""

import contextlib
import re
from dataclasses import dataclass

from companion.content.estimates import Estimate, find_estimate
from companion.content.roadmap import Resource

Cell = tuple[str, list[Resource]]

_DURATION = re.compile(r"duration|time|length|estimate|weeks|days", re.I)
_EFFORT = re.compile(r"effort|workload|hours", re.I)
_ASIDE = re.compile(r"prerequisite|prereq|discussion|chat|discord|community|forum", re.I)
_PER_WEEK = re.compile(r"(?:hours?|hrs?|h)\s*(?:/|per|a)\s*(?:week|wk)", re.I)


@dataclass(frozen=True)
class TableColumns:
    """Which column holds the duration, which the weekly effort, and which lead elsewhere."""

    duration: int | None = None
    effort: int | None = None
    aside: frozenset[int] = frozenset()


def table_columns(header: list[Cell]) -> TableColumns:
    """Read a table's header row."""
    titles = [text for text, _ in header]
    effort = next((n for n, t in enumerate(titles) if _EFFORT.search(t)), None)
    duration = next((n for n, t in enumerate(titles) if n != effort and _DURATION.search(t)), None)
    aside = frozenset(n for n, t in enumerate(titles) if n and _ASIDE.search(t))
    return TableColumns(duration, effort, aside)


def row_links(cells: list[Cell], columns: TableColumns) -> list[Resource]:
    """The row's own links: not its prerequisites' or its discussion's."""
    return [link for n, (_, links) in enumerate(cells) if n not in columns.aside for link in links]


def row_estimate(cells: list[Cell], columns: TableColumns) -> Estimate | None:
    """The duration of the row, in study hours when its weekly effort is given."""
    duration = _cell(cells, columns.duration)
    effort = _cell(cells, columns.effort)
    if duration is None:
        return effort if effort is not None and effort.unit != "hours" else None
    weekly = cells[columns.effort][0] if effort is not None else ""  # type: ignore[index]
    if effort is None or effort.unit != "hours" or not _PER_WEEK.search(weekly):
        return duration
    if duration.unit == "hours":
        return duration
    weeks_low, weeks_high = duration.hours(1.0)  # at one hour a week: the number of weeks
    low, high = round(weeks_low * effort.low, 1), round(weeks_high * effort.high, 1)
    written = f"{low:g} hours" if low == high else f"{low:g}-{high:g} hours"
    return Estimate(low, high, "hours", written)  # the row's own cells say how


def _cell(cells: list[Cell], column: int | None) -> Estimate | None:
    if column is None or column >= len(cells):
        return None
    text = cells[column][0]
    estimate, _ = find_estimate(text)
    if estimate is None:
        with contextlib.suppress(ValueError):
            hours = float(text.strip())
            estimate = Estimate(hours, hours, "hours", f"{hours:g} hours")
    return estimate
