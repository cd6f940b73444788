"""Study minutes per day and week, summed from logged focus blocks."""

from datetime import datetime, timedelta


def week_start(now: datetime) -> datetime:
    """Local midnight of the Monday starting `now`'s week."""
    local = now.astimezone()
    monday = local - timedelta(days=local.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


def day_start(now: datetime) -> datetime:
    """Local midnight of `now`'s day."""
    return now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)


def focus_minutes_since(blocks: list[dict], since: datetime) -> float:
    """Minutes of completed focus blocks that ended at or after `since`."""
    start = since.timestamp()
    return sum(
        block["minutes"]
        for block in blocks
        if block.get("phase") == "focus" and block.get("completed") and block["ended_at"] >= start
    )


def week_minutes(blocks: list[dict], now: datetime) -> float:
    """Focus minutes studied since Monday."""
    return focus_minutes_since(blocks, week_start(now))


def today_minutes(blocks: list[dict], now: datetime) -> float:
    """Focus minutes studied since midnight."""
    return focus_minutes_since(blocks, day_start(now))
