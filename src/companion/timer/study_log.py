"""Study time from the log of focus blocks: per day, per week, per item, and the streak."""

from collections import defaultdict
from datetime import date, datetime, timedelta

COUNTED = ("completed", "skipped")


def week_start(now: datetime) -> datetime:
    """Local midnight of the Monday starting `now`'s week."""
    local = now.astimezone()
    monday = local - timedelta(days=local.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


def day_start(now: datetime) -> datetime:
    """Local midnight of `now`'s day."""
    return now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)


def studied(block: dict) -> bool:
    """A focus block whose minutes count as study (completed, or cut short by a skip)."""
    return block.get("phase") == "focus" and block.get("outcome") in COUNTED


def focus_minutes_since(blocks: list[dict], since: datetime) -> float:
    """Minutes studied in focus blocks that ended at or after `since`."""
    start = since.timestamp()
    return sum(b["minutes"] for b in blocks if studied(b) and b["ended_at"] >= start)


def week_minutes(blocks: list[dict], now: datetime) -> float:
    """Focus minutes studied since Monday."""
    return focus_minutes_since(blocks, week_start(now))


def interruptions_since(blocks: list[dict], since: datetime) -> tuple[int, int, int]:
    """(internal, external) interruptions of the focus blocks that ended at or after
    `since`, and how many focus blocks that was."""
    start = since.timestamp()
    focus = [b for b in blocks if b.get("phase") == "focus" and b["ended_at"] >= start]
    internal = sum(b.get("interruptions_internal", 0) for b in focus)
    external = sum(b.get("interruptions_external", 0) for b in focus)
    return internal, external, len(focus)


def today_minutes(blocks: list[dict], now: datetime) -> float:
    """Focus minutes studied since midnight."""
    return focus_minutes_since(blocks, day_start(now))


def minutes_per_day(blocks: list[dict], last_day: date, days: int) -> dict[str, float]:
    """Minutes studied on each of the `days` local days ending with `last_day`, zeros included."""
    first = last_day - timedelta(days=days - 1)
    totals = {(first + timedelta(days=n)).isoformat(): 0.0 for n in range(days)}
    for block in blocks:
        if studied(block):
            day = datetime.fromtimestamp(block["ended_at"]).astimezone().date().isoformat()
            if day in totals:
                totals[day] += block["minutes"]
    return totals


def minutes_per_week(blocks: list[dict], now: datetime, weeks: int) -> list[tuple[str, float]]:
    """(Monday, minutes) for the last `weeks` weeks, this week last."""
    this_monday = week_start(now).date()
    per_day = minutes_per_day(blocks, this_monday + timedelta(days=6), weeks * 7)
    result = []
    for week in range(weeks):
        monday = this_monday - timedelta(weeks=weeks - 1 - week)
        total = sum(per_day[(monday + timedelta(days=d)).isoformat()] for d in range(7))
        result.append((monday.isoformat(), total))
    return result


def streak(blocks: list[dict], now: datetime, daily_minutes: float) -> int:
    """Days in a row, up to today, that met the daily share of the weekly target.

    Today counts when already met; an unmet today does not break a streak that ran to yesterday.
    """
    today = now.astimezone().date()
    per_day = minutes_per_day(blocks, today, 366)
    days = 0
    day = today if per_day[today.isoformat()] >= daily_minutes else today - timedelta(days=1)
    while day.isoformat() in per_day and per_day[day.isoformat()] >= daily_minutes > 0:
        days += 1
        day -= timedelta(days=1)
    return days


def minutes_per_item(blocks: list[dict]) -> dict[str, float]:
    """Minutes studied credited to each roadmap item."""
    totals: dict[str, float] = defaultdict(float)
    for block in blocks:
        if studied(block) and block.get("item_id"):
            totals[block["item_id"]] += block["minutes"]
    return dict(totals)
