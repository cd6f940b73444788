"""A card's scheduling and its answers in Anki's columns: type, queue, due (days since the
collection's creation for day-based queues, a moment for intraday learning), interval, memory
state; and one revlog row per answer, Forget and due date set (those that came from Anki as
Anki wrote them)."""

import json
from datetime import datetime

from companion.srs.card_record import CardRecord
from companion.srs.event_order import event_id, undone_ids
from companion.srs.prior_state import prior_phase
from companion.srs.review_queue import next_day_start
from companion.srs.study_days import study_date
from companion.store import Store
from companion.store.anki_collection_writer import CardOut

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
SUSPENDED, BURIED, DAY_LEARNING = -1, -3, 3
DEFAULT_FACTOR = 2500


class Columns:
    """Cards as Anki's rows, relative to the package's day zero (`crt`)."""

    def __init__(self, store: Store, crt: int, now: datetime) -> None:
        self.store = store
        self.crt = crt
        self.now = now
        self.day_zero = study_date(crt)
        self.today_ends = next_day_start(now).timestamp()

    def _day(self, moment: float) -> int:
        return (study_date(moment) - self.day_zero).days

    def card(self, companion: str, anki_id: int, ordinal: int, deck: str, flags: int) -> CardOut:
        """One card, scheduled as its record says."""
        record = self.store.ledger.records.get(companion)
        out = CardOut(anki_id, ordinal, deck, flags=flags, companion=companion)
        if record is None or record.retired:
            return out
        out.reps, out.lapses = record.reps, record.lapses
        fsrs = record.fsrs
        if fsrs is not None and record.due_ts is not None:
            self._scheduled(record, out)
        if record.suspended:
            out.queue = SUSPENDED
        elif record.buried_until is not None and record.buried_until > self.now.timestamp():
            out.queue = BURIED
        return out

    def _scheduled(self, record: CardRecord, out: CardOut) -> None:
        fsrs = record.fsrs or {}
        state = fsrs["state"]
        last = datetime.fromisoformat(fsrs["last_review"]).timestamp()
        due = record.due_ts or last
        out.type = state
        out.factor = DEFAULT_FACTOR
        if state == REVIEW:
            out.queue, out.due = REVIEW, self._day(due)
            out.ivl = max(1, (study_date(due) - study_date(last)).days)
        else:
            out.left = 1
            intraday = due < self.today_ends
            out.queue = LEARNING if intraday else DAY_LEARNING
            out.due = int(due) if intraday else self._day(due)
            if state == RELEARNING and fsrs.get("stability"):
                out.ivl = max(1, round(fsrs["stability"]))
        if fsrs.get("stability") and fsrs.get("difficulty"):
            memory = {
                "s": round(fsrs["stability"], 4),
                "d": round(fsrs["difficulty"], 3),
                "lrt": int(last),
            }
            out.data = json.dumps(memory, separators=(",", ":"))


def _row(event: dict, cid: int, last_ivl: int) -> tuple[tuple, int]:
    """An event as Anki's revlog row, and the interval it left the card with."""
    ts = event["ts"]
    row_id = event["anki"] if isinstance(event.get("anki"), int) else int(ts * 1000)
    ms = max(0, min(int(event.get("ms") or 0), 2**31 - 1))
    if event.get("revlog"):  # from Anki: its own columns
        ivl, previous, factor, kind = event["revlog"]
        ease = event.get("grade", 0) if event["kind"] == "review" else 0
        return (row_id, cid, -1, ease, ivl, previous, factor, ms, kind), ivl
    if event["kind"] == "reset":
        return (row_id, cid, -1, 0, 0, last_ivl, 0, 0, 4), 0
    due = datetime.fromisoformat(event["due"]).timestamp()
    days = (study_date(due) - study_date(ts)).days
    if event["kind"] == "reschedule":
        return (row_id, cid, -1, 0, days, last_ivl, DEFAULT_FACTOR, 0, 4), days
    state = prior_phase(event)
    kind = {NEW: 0, LEARNING: 0, REVIEW: 1, RELEARNING: 2}.get(state, 0)
    if event.get("cram"):
        kind = 3
    ivl = days if days >= 1 else -max(int(due - ts), 1)
    return (row_id, cid, -1, event["grade"], ivl, last_ivl, DEFAULT_FACTOR, ms, kind), ivl


def revlog_rows(store: Store, card_ids: dict[str, int]) -> list[tuple]:
    """Every answer, Forget and due date set of the exported cards, in time order, each on the
    card that holds its history now (an edited card's earlier answers with it)."""
    events = store.review_events()
    undone = undone_ids(events)
    holder = store.ledger.holder
    rows: list[tuple] = []
    last: dict[int, int] = {}
    taken: set[int] = set()
    wanted = [
        store.ledger.complete(e, arriving=False)  # old events: the time the ledger gave them
        for e in events
        if e["kind"] in ("review", "reset", "reschedule")
    ]
    for event in sorted(wanted, key=lambda e: (e["ts"], event_id(e))):
        if event_id(event) in undone or event.get("synthetic"):
            continue
        cid = card_ids.get(holder(event["card"]))
        if cid is None:
            continue
        row, ivl = _row(event, cid, last.get(cid, 0))
        row_id = row[0]
        while row_id in taken:  # two answers in one millisecond
            row_id += 1
        taken.add(row_id)
        rows.append((row_id, *row[1:]))
        last[cid] = ivl
    return rows
