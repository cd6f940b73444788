"""An Anki collection's history as companion's review events: every revlog answer with its
time, grade and duration, the card's last answer carrying Anki's state, lapses and FSRS memory
(so due dates and states agree with Anki's), then suspended and buried flags. Answers already
logged (by revlog id) are left out, so importing twice adds nothing."""

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from companion.srs.ledger import REVIEW_STATE
from companion.srs.review_queue import next_day_start
from companion.store import Store
from companion.store.anki_package import AnkiCard, AnkiPackage, AnkiReview

DAY = 86400
LEARNING, RELEARNING = 1, 3
CardPair = tuple[AnkiCard, str]
"""An Anki card and the companion card it became."""


@dataclass
class HistoryCounts:
    """Answers added and answers found already logged."""

    added: int = 0
    known: int = 0


def _due_ts(card: AnkiCard, created: int) -> float | None:
    """When Anki has the card due, as a timestamp (None for a new card)."""
    due = card.original_due if card.original_deck else card.due
    if card.type == 0:
        return None
    if card.queue in (1, 4) or (card.type in (1, 3) and due > 1_000_000_000):
        return float(due)
    return float(created + due * DAY)


def _after_state(interval: int, review_type: int) -> int:
    """FSRS's state after an answer, from Anki's interval: days mean review, else learning."""
    if interval > 0:
        return REVIEW_STATE
    return RELEARNING if review_type in (1, 2) else LEARNING


def _memory(card: AnkiCard) -> list[float] | None:
    try:
        data = json.loads(card.data or "{}")
    except ValueError:
        return None
    if (
        isinstance(data, dict)
        and isinstance(data.get("s"), int | float)
        and isinstance(data.get("d"), int | float)
    ):
        return [float(data["s"]), float(data["d"])]
    return None


def history_events(
    package: AnkiPackage,
    cards: list[CardPair],
    known: set[int],
    now: datetime,
    counts: HistoryCounts,
) -> Iterator[dict]:
    """Every event to log, in order, one at a time (a million answers are never all in
    memory): the answers not logged yet, then each card's flags as Anki has them ('before'
    and 'first' are added against the ledger when committed)."""
    reviews = defaultdict(list)
    for review in package.reviews:
        if 1 <= review.ease <= 4:
            reviews[review.card_id].append(review)
    for card, card_id in cards:
        entries = reviews.get(card.id, [])
        fresh = [r for r in entries if r.id not in known]
        counts.known += len(entries) - len(fresh)
        final_due = _due_ts(card, package.created)
        for index, review in enumerate(fresh):
            last = index == len(fresh) - 1
            yield _answer(card_id, card, review, final_due if last else None, last)
        counts.added += len(fresh)
        if not entries and card.type > 0 and final_due is not None:
            yield _synthetic(card_id, card, final_due)
        yield from _flags(card_id, card, now)


def _answer(
    card_id: str, card: AnkiCard, review: AnkiReview, final_due: float | None, last: bool
) -> dict:
    """A revlog entry as a review; the card's last answer carries Anki's state now."""
    ts = review.id / 1000
    gap = review.ivl * DAY if review.ivl > 0 else max(-review.ivl, 60)
    due = final_due if final_due is not None else ts + gap
    state = card.type if last and card.type in (1, 2, 3) else _after_state(review.ivl, review.type)
    event = {
        "kind": "review",
        "card": card_id,
        "grade": review.ease,
        "ts": ts,
        "due": datetime.fromtimestamp(max(due, ts), UTC).isoformat(),
        "ms": max(0, review.time_ms),
        "anki": review.id,
        "state": state,
    }
    if last:
        event["lapses"] = card.lapses
        if (memory := _memory(card)) is not None:
            event["memory"] = memory
    return event


def _synthetic(card_id: str, card: AnkiCard, due: float) -> dict:
    """A card Anki schedules without a revlog (its history was cleared): one answer that puts
    it where Anki has it."""
    event = {
        "kind": "review",
        "card": card_id,
        "grade": 3,
        "ts": due - max(card.ivl, 0) * DAY,
        "due": datetime.fromtimestamp(due, UTC).isoformat(),
        "ms": 0,
        "state": card.type if card.type in (1, 2, 3) else REVIEW_STATE,
        "lapses": card.lapses,
        "synthetic": True,
    }
    if (memory := _memory(card)) is not None:
        event["memory"] = memory
    return event


def _flags(card_id: str, card: AnkiCard, now: datetime) -> list[dict]:
    if card.queue == -1:
        return [{"kind": "suspend", "card": card_id, "on": True}]
    if card.queue in (-2, -3):
        return [{"kind": "bury", "card": card_id, "until": next_day_start(now).timestamp()}]
    return []


def known_reviews(store: Store) -> set[int]:
    """Revlog ids already in the log (from an earlier import)."""
    known = set()
    for event, _ in store.review_log.read_from(0, containing=[b'"anki":']):
        if isinstance(event.get("anki"), int):
            known.add(event["anki"])
    return known


def completed(store: Store, event: dict) -> dict | None:
    """An event made whole against the ledger as it stands (the card's record before it), or
    None for a flag the card already has (a second import)."""
    record = store.ledger.record(event["card"])
    if event["kind"] == "review":
        return {**event, "first": record.is_new, "before": record.to_row()}
    if event["kind"] == "suspend" and record.suspended:
        return None
    if event["kind"] == "bury" and (record.buried_until or 0) >= event["until"]:
        return None
    return {**event, "before": record.to_row()}
