from datetime import UTC, date, datetime, timedelta

from companion.timer.study_log import (
    minutes_per_day,
    minutes_per_item,
    minutes_per_week,
    streak,
    today_minutes,
    week_minutes,
)

NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)  # a Wednesday


def block(
    day: datetime,
    minutes: float,
    outcome: str = "completed",
    phase: str = "focus",
    item: str | None = "i1",
) -> dict:
    return {
        "phase": phase,
        "outcome": outcome,
        "minutes": minutes,
        "ended_at": day.timestamp(),
        "item_id": item,
    }


def days_ago(n: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, 4, hour, tzinfo=UTC) - timedelta(days=n)


SYNTHETIC = [
    block(days_ago(0), 25),
    block(days_ago(0), 10, outcome="skipped"),
    block(days_ago(0), 0, outcome="abandoned"),
    block(days_ago(0), 5, phase="short_break"),
    block(days_ago(1), 50, item="i2"),
    block(days_ago(2), 60),
    block(days_ago(3), 60),  # Sunday of last week
    block(days_ago(5), 20),
]


def test_week_and_day_sums_count_completed_and_skipped_focus_only():
    assert today_minutes(SYNTHETIC, NOW) == 35
    assert week_minutes(SYNTHETIC, NOW) == 35 + 50 + 60


def test_minutes_per_day_and_week():
    per_day = minutes_per_day(SYNTHETIC, date(2026, 3, 4), 7)
    assert list(per_day.values()) == [0, 20, 0, 60, 60, 50, 35]
    assert minutes_per_week(SYNTHETIC, NOW, 2) == [("2026-02-23", 80), ("2026-03-02", 145)]


def test_streak_of_days_meeting_the_daily_share():
    assert streak(SYNTHETIC, NOW, 30) == 4  # today, and the three days before
    assert streak(SYNTHETIC, NOW, 40) == 3  # today falls short: the streak up to yesterday
    assert streak(SYNTHETIC, NOW, 70) == 0


def test_minutes_per_item():
    assert minutes_per_item(SYNTHETIC) == {"i1": 175, "i2": 50}
