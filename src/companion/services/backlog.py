"""`cards spread DAYS` and the Today pane's `b`: the reviews waiting now moved over the next
DAYS days, most at risk first, each move a `reschedule` event in the log (tagged with the
spread it belongs to), so `cards spread --undo` can put every card of the latest back."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from companion.config import Settings
from companion.content.loader import Library
from companion.services.roadmap_memory import RoadmapMemory
from companion.services.study_session import EVERY_DECK, chosen_cards
from companion.srs.backlog import Waiting, spread
from companion.srs.review_queue import next_day_start
from companion.srs.study_days import study_day_number
from companion.store import Store


@dataclass(frozen=True)
class Spread:
    moved: int
    days: int
    before_today: int
    """Reviews waiting today before the spread."""
    most_a_day: int
    """The most any of the days holds after it."""


def waiting_reviews(library: Library, store: Store, settings: Settings, now: datetime) -> list:
    """The review cards (not new, not in learning steps, not suspended) of every deck
    switched on, due by today's end, each with its retrievability now."""
    day_end = next_day_start(now).timestamp()
    meter = RoadmapMemory(library, store, settings).meter
    records = store.ledger.records
    found = []
    for card_id in chosen_cards(library, store, EVERY_DECK):
        record = records.get(card_id)
        if (record is None or record.is_new or record.in_learning or record.suspended
                or record.due_ts is None or record.due_ts >= day_end):  # fmt: skip
            continue
        recall = meter.memory([card_id], now).retrievability
        found.append(Waiting(card_id, 1.0 if recall is None else recall, record.due_ts))
    return found


def due_per_day(store: Store, now: datetime, days: int, leave_out: set[str]) -> list[int]:
    """Reviews falling due on each of the next `days` study days (today first), others' only."""
    today = study_day_number(now.timestamp())
    counts = [0] * days
    for card_id, record in store.ledger.records.items():
        if card_id in leave_out or record.is_new or record.suspended or record.due_ts is None:
            continue
        offset = study_day_number(record.due_ts) - today
        if 0 <= offset < days:
            counts[offset] += 1
    return counts


def spread_backlog(
    library: Library, store: Store, settings: Settings, now: datetime, days: int
) -> Spread:
    """Move today's waiting reviews over `days` days; what it did."""
    waiting = waiting_reviews(library, store, settings, now)
    ids = {w.card_id for w in waiting}
    placed, most = spread(waiting, days, due_per_day(store, now, days, ids))
    tag = uuid.uuid4().hex[:12]
    start = next_day_start(now) - timedelta(days=1)  # today's study day began here
    for review in waiting:
        day = placed[review.card_id]
        if day == 0:
            continue  # stays today
        due = (start + timedelta(days=day, hours=1)).astimezone(UTC).isoformat()
        was = datetime.fromtimestamp(review.due_ts, UTC).isoformat()
        store.commit({"kind": "reschedule", "card": review.card_id, "due": due,
                      "ts": now.timestamp(), "spread": tag, "was_due": was})  # fmt: skip
    moved = sum(1 for day in placed.values() if day)
    return Spread(moved, days, len(waiting), most)


def undo_spread(store: Store, now: datetime) -> int:
    """Put back every card the latest spread moved (to the due date it had before), unless
    the card was answered or moved again since; how many went back."""
    spreads = [e for e in store.events_containing(b'"spread"') if e["kind"] == "reschedule"]
    spreads = [e for e in spreads if e.get("spread")]
    if not spreads:
        return 0
    latest = max(spreads, key=lambda e: (e["ts"], e["id"]))["spread"]
    back = 0
    for event in (e for e in spreads if e["spread"] == latest):
        if tuple(store.ledger.touched.get(event["card"]) or ()) != (event["ts"], event["id"]):
            continue  # answered or moved since: what the learner did then stands
        store.commit({"kind": "reschedule", "card": event["card"], "due": event["was_due"],
                      "ts": now.timestamp(), "unspread": latest})  # fmt: skip
        back += 1
    return back
