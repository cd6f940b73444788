"""An Anki collection's history as companion's review events: every revlog answer with its
time, grade and duration, the card's last answer carrying Anki's state, lapses and FSRS memory
(so due dates and states agree with Anki's), then suspended and buried flags. Answers already
logged (by revlog id) are left out, so importing twice adds nothing."""

import json
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from companion.srs.ledger import REVIEW_STATE
from companion.srs.prior_state import was
from companion.srs.review_queue import next_day_start
from companion.store import Store
from companion.store.anki_answers import CardKey, LoggedAnswers
from companion.store.anki_package import AnkiCard, AnkiPackage
from companion.store.revlog_columns import AnkiReview, Revlog

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


ANSWER, CRAM, FORGET, SET_DUE = "answer", "cram", "forget", "set-due"
FILTERED, MANUAL, RESCHEDULED = 3, 4, 5


def entry_kind(review: AnkiReview) -> str | None:
    """What a revlog entry was, as Anki's FSRS reads it: an answer; an answer in a filtered
    deck that did not reschedule (cram: no ease factor); a Forget (a manual entry with no
    ease factor); a due date set by hand or by FSRS rescheduling; or nothing to keep."""
    return kind_of(review.ease, review.type, review.factor)


def kind_of(ease: int, review_type: int, factor: int) -> str | None:
    """`entry_kind` from the entry's columns."""
    if 1 <= ease <= 4:
        return CRAM if review_type == FILTERED and factor == 0 else ANSWER
    if review_type == MANUAL:
        return FORGET if factor == 0 else SET_DUE
    if review_type == RESCHEDULED:
        return SET_DUE
    return None


def history_events(
    package: AnkiPackage,
    cards: list[CardPair],
    known: LoggedAnswers,
    now: datetime,
    counts: HistoryCounts,
) -> Iterator[dict]:
    """Every event to log, one at a time (a million answers are never all in memory): per
    card, its revlog entries not logged yet, in time order (each at its own time; the ledger
    puts them in order among the others), the last that schedules it carrying the card's
    state, due date, reps, lapses and FSRS memory as Anki has them; then its flags.
    'before' and 'first' are added against the ledger when committed."""
    guids = {note.id: note.guid for note in package.notes}
    for card, card_id in cards:
        key = (guids.get(card.note_id, ""), card.ord)
        kept, logged, fresh = _entries(package.reviews, card.id, known, key)
        fresh_answers = sum(1 for r in fresh if r.ease > 0)
        counts.known += logged
        counts.added += fresh_answers
        final_due = _due_ts(card, package.created)
        # made one at a time: a card answered a million times was 650 MB of events at once
        last = next((i for i in range(len(fresh) - 1, -1, -1)
                     if entry_kind(fresh[i]) != CRAM), None)  # fmt: skip
        reset_last = last is not None and entry_kind(fresh[last]) == FORGET
        for index, review in enumerate(fresh):
            event = _entry_event(card_id, review)
            if index == last and not reset_last:
                _carry_final_state(event, card, final_due)
            yield event
        settled = last is not None and (not reset_last or card.type == 0)
        if not kept and card.type > 0 and final_due is not None:
            yield _synthetic(card_id, card, final_due)
        elif fresh and not settled and card.type > 0 and final_due is not None:
            yield _synthetic(card_id, card, final_due)  # scheduled after a Forget, unlogged
        yield from _flags(card_id, card, now)


class Entries(Sequence):
    """Revlog entries by their place in the columns, each made when it is used (a card
    answered a million times is not a million entries at once)."""

    def __init__(self, revlog: Revlog, places: list[int]) -> None:
        self._revlog = revlog
        self._places = array("q", places)

    def __len__(self) -> int:
        return len(self._places)

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return [self._revlog.entry(place) for place in self._places[index]]
        return self._revlog.entry(self._places[index])


def _entries(
    revlog: Revlog, card_id: int, known: LoggedAnswers, key: CardKey
) -> tuple[bool, int, "Entries"]:
    """Whether the card has entries to keep, how many of its answers are logged already, and
    its entries not logged yet (on a second import, next to none: only those become
    objects; a card whose entries are all answers already logged is told at C speed)."""
    span = revlog.span(card_id)
    if revlog.totals is not None:  # read against the log: its entries are all fresh
        eases, types = revlog.column("ease"), revlog.column("type")
        factors = revlog.column("factor")
        fresh = Entries(revlog, [i for i in span if kind_of(eases[i], types[i], factors[i])])
        kept, answers = revlog.totals.get(card_id, (0, 0))
        return kept > 0, answers - sum(1 for r in fresh if r.ease > 0), fresh
    ids = revlog.column("id")[span.start : span.stop]
    eases = revlog.column("ease")[span.start : span.stop]
    there = [known.has(key, revlog_id) for revlog_id in ids] if known else [False] * len(ids)
    if eases and min(eases) >= 1 and max(eases) <= 4 and all(there):
        return True, len(eases), Entries(revlog, [])
    types = revlog.column("type")[span.start : span.stop]
    factors = revlog.column("factor")[span.start : span.stop]
    kept = [i for i in range(len(ids)) if kind_of(eases[i], types[i], factors[i])]
    fresh = Entries(revlog, [span.start + i for i in kept if not there[i]])
    logged = sum(1 for i in kept if eases[i] > 0 and there[i])
    return bool(kept), logged, fresh


def _entry_event(card_id: str, review: AnkiReview) -> dict:
    """One revlog entry as an event at its own time."""
    kind = entry_kind(review)
    ts = review.id / 1000
    # Anki's own columns, so the entry goes back to Anki as it came
    columns = [review.ivl, review.last_ivl, review.factor, review.type]
    if kind == FORGET:
        return {"kind": "reset", "card": card_id, "ts": ts, "anki": review.id, "revlog": columns}
    gap = review.ivl * DAY if review.ivl > 0 else max(-review.ivl, 60)
    due = datetime.fromtimestamp(ts + gap, UTC).isoformat()
    if kind == SET_DUE:
        return {"kind": "reschedule", "card": card_id, "ts": ts, "due": due, "anki": review.id,
                "revlog": columns}  # fmt: skip
    event = {
        "kind": "review",
        "card": card_id,
        "grade": review.ease,
        "ts": ts,
        "due": due,
        "ms": max(0, review.time_ms),
        "anki": review.id,
        "revlog": columns,
        "state": _after_state(review.ivl, review.type),
    }
    if kind == CRAM:
        event["cram"] = True  # answered in a filtered deck that kept the card's schedule
    return event


def _carry_final_state(event: dict, card: AnkiCard, final_due: float | None) -> None:
    """The card's last scheduling event ends where Anki has the card now."""
    if final_due is not None:
        event["due"] = datetime.fromtimestamp(max(final_due, event["ts"]), UTC).isoformat()
    if card.type in (1, 2, 3):
        event["state"] = card.type
    event["lapses"] = card.lapses
    event["reps"] = card.reps
    if (memory := _memory(card)) is not None:
        event["memory"] = memory


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
        "reps": card.reps,
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


def origin_events(
    package: AnkiPackage,
    cards: list[CardPair],
    store: Store,
    texts: dict[str, dict],
    logged: dict[str, dict] | None = None,
) -> Iterator[dict]:
    """For each imported card not yet known: which Anki card it is (its card id, note GUID and
    template ordinal), so it can be compared with Anki and go back to the same card; and its
    text (`texts`), so an edit by hand finds its history as an edit in the app does."""
    guids = {note.id: note.guid for note in package.notes}
    logged = store.card_origins() if logged is None else logged
    for card, card_id in cards:
        origin = {"card_id": card.id, "note_guid": guids.get(card.note_id, ""), "ord": card.ord}
        if card.flags & 7:
            origin["flags"] = card.flags & 7  # Anki's flag colours (the rest is Anki's own)
        if logged.get(card_id) != origin:
            yield {"kind": "origin", "card": card_id, "anki": origin, "ts": 0.0,
                   **texts.get(card_id, {})}  # fmt: skip


def completed(store: Store, event: dict, options: str | None = None) -> dict | None:
    """An event made whole against the ledger as it stands (the card's record before it, the
    deck options it is scheduled with), or None for a flag the card already has (a second
    import)."""
    record = store.ledger.record(event["card"])
    if options is not None and event["kind"] in ("review", "reschedule"):
        event = {**event, "options": options}
    if event["kind"] == "review":
        return {**event, "first": record.is_new, "was": was(record)}
    if event["kind"] == "suspend" and record.suspended:
        return None
    if event["kind"] == "bury" and (record.buried_until or 0) >= event["until"]:
        return None
    return event
