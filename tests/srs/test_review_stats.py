from collections import Counter
from datetime import UTC, date, datetime, timedelta

from fsrs import State

from companion.config import Settings
from companion.srs.event_order import event_id, undone_ids
from companion.srs.ledger import CardRecord
from companion.srs.review_stats import (
    MATURE_DAYS,
    Retention,
    due_forecast,
    retention_of_days,
    reviews_per_day,
    totals,
)
from companion.srs.scheduling import make_scheduler
from tests.memory_log import MemoryLog

NOW = datetime(2026, 3, 31, 12, tzinfo=UTC)


def true_retention(events: list[dict], now: datetime, span_days: int = 30) -> Retention:
    """The definition, worked out from the whole log: what the ledger's running counts must
    give. Retention over the last `span_days`: only reviews of cards already in long-term review.

    A card is mature when its interval before the review was 21 days or more, as in Anki.
    Undone reviews do not count.
    """
    since = (now - timedelta(days=span_days)).timestamp()
    undone = undone_ids(events)
    counts = Counter()
    for event in events:
        if event["kind"] != "review" or event["ts"] < since or event_id(event) in undone:
            continue
        before = CardRecord.from_row(event["before"])
        if before.fsrs is None or before.fsrs["state"] != State.Review.value:
            continue
        interval = datetime.fromisoformat(before.fsrs["due"]) - datetime.fromisoformat(
            before.fsrs["last_review"]
        )
        group = "mature" if interval >= timedelta(days=MATURE_DAYS) else "young"
        counts[group + "_total"] += 1
        counts[group + "_passed"] += 1 if event["grade"] > 1 else 0
    return Retention(
        counts["young_passed"],
        counts["young_total"],
        counts["mature_passed"],
        counts["mature_total"],
    )


def review_state(last: datetime, interval_days: float) -> dict:
    return {
        "card_id": 1,
        "state": 2,
        "step": None,
        "stability": 5.0,
        "difficulty": 5.0,
        "last_review": last.isoformat(),
        "due": (last + timedelta(days=interval_days)).isoformat(),
    }


def review_event(seq: int, when: datetime, grade: int, before: CardRecord) -> dict:
    return {
        "seq": seq,
        "kind": "review",
        "card": before.card_id,
        "grade": grade,
        "ts": when.timestamp(),
        "due": when.isoformat(),
        "before": before.to_row(),
    }


def test_true_retention_splits_young_and_mature_and_skips_learning_and_undone():
    day = NOW - timedelta(days=3)
    young = CardRecord("y", review_state(day - timedelta(days=5), 5))
    mature = CardRecord("m", review_state(day - timedelta(days=30), 30))
    learning = CardRecord("l", {**review_state(day, 0), "state": 1, "step": 0})
    events = [
        review_event(1, day, 3, young),
        review_event(2, day, 1, young),
        review_event(3, day, 4, mature),
        review_event(4, day, 1, mature),
        review_event(5, day, 2, mature),
        review_event(6, day, 1, learning),
        review_event(7, NOW - timedelta(days=40), 1, mature),  # too old
        review_event(8, day, 1, mature),
        {"seq": 9, "kind": "undo", "target": 8},
    ]
    retention = true_retention(events, NOW).as_dict()
    assert retention == {"young": 0.5, "young_reviews": 2, "mature": 0.6667, "mature_reviews": 3}
    # the ledger's running counts say the same, with no log to read (events in any order)
    for order in (events, list(reversed(events))):
        log = MemoryLog(make_scheduler(Settings(), fuzz=False))
        for event in order:
            log.apply({**event, "card": event.get("card", "m")})
        kept = retention_of_days(log.ledger.retention, NOW.date()).as_dict()
        assert kept == retention


def test_reviews_per_day_fills_missing_days():
    per_day = reviews_per_day({"2026-03-30": [4, 1]}, date(2026, 3, 31), 3)
    assert per_day == {"2026-03-29": 0, "2026-03-30": 4, "2026-03-31": 0}


def test_forecast_counts_overdue_today_and_ignores_suspended():
    records = [
        CardRecord("a", review_state(NOW - timedelta(days=10), 2)),  # overdue
        CardRecord("b", review_state(NOW, 1)),
        CardRecord("c", review_state(NOW, 1), suspended=True),
        CardRecord("d", review_state(NOW, 40)),  # beyond 14 days
        CardRecord("e"),
    ]
    assert due_forecast(records, NOW)[:3] == [1, 1, 0]
    assert sum(due_forecast(records, NOW)) == 2


def test_totals_by_state():
    records = {
        "a": CardRecord("a", review_state(NOW, 5)),
        "b": CardRecord("b", review_state(NOW, 5), suspended=True, leech=True),
        "c": CardRecord("c", buried_until=NOW.timestamp() + 60),
        "r": CardRecord("r", retired=True),
    }
    # "r" passed its history on, yet is back in a deck (an edit reverted): it is a new card
    assert totals(["a", "b", "c", "n", "r"], records, NOW, {"gone"}) == {
        "new": 2,
        "learning": 0,
        "review": 1,
        "suspended": 1,
        "buried": 1,
        "leech": 1,
        "orphaned": 1,
    }
