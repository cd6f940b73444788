"""The review log as FSRS training data: per card, its answers in order with the days between
them, each answer after the first on a later day being one item (as fsrs-rs builds them)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from companion.srs.event_order import event_id, undone_ids
from companion.srs.ledger import study_day

MIN_ITEMS = 400
"""Fewer items than this are too few to fit parameters better than the defaults."""


@dataclass(frozen=True)
class TrainingItem:
    """One training item: the (grade, days since the previous answer) of a card's answers up
    to one that came on a later day than the one before it."""

    reviews: tuple[tuple[int, int], ...]


def training_items(events: Iterable[dict], undone: set[str] | None = None) -> list[TrainingItem]:
    """Every item the log gives (undone answers and cards reset to new start afresh).

    `events` may be a stream read once (a million answers are not held as dicts) when the
    `undone` ids are given; otherwise it is a list, read for them first."""
    if undone is None:
        events = list(events)
        undone = undone_ids(events)
    answers: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for event in events:
        if event_id(event) in undone:
            continue
        if event["kind"] == "review" and not event.get("synthetic"):
            answers[event["card"]].append((event["ts"], event["grade"]))
        elif event["kind"] == "reset":
            answers.pop(event["card"], None)
    items = []
    for history in answers.values():
        history.sort()
        reviews: list[tuple[int, int]] = []
        previous_day = None
        for ts, grade in history:
            day = _day_number(ts)
            gap = 0 if previous_day is None else day - previous_day
            reviews.append((grade, gap))
            previous_day = day
            if len(reviews) > 1 and gap > 0:
                items.append(TrainingItem(tuple(reviews)))
    return items


def _day_number(ts: float) -> int:
    year, month, day = (int(part) for part in study_day(ts).split("-"))
    from datetime import date

    return date(year, month, day).toordinal()
