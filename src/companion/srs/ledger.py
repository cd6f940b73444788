"""Every card's scheduling state, folded from the review log in (time, id) order, whatever
order its events arrive in.

The log is the source of truth, and a set of events rather than a timeline: an Anki import
brings years-old answers after today's, and a synced folder brings another machine's answers
late, twice or out of order. An event newer than everything its card has seen is applied at
once (nearly always); one that arrives out of time order makes the ledger replay that card
(and the cards re-linked with it) from its events, which `history` gives. A duplicate is
recognised by its id and changes nothing. Undo cancels its target: the card's state is the
fold of its events without it.

What is counted across cards (answers per day, today's answers, unburied cards) only adds
and removes per event, so it comes out the same in any order too.
"""

import marshal
import math
from array import array
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from fsrs import Rating, Scheduler

from companion.srs.card_record import (
    FSRS_KEYS,
    REVIEW_STATE,
    ROW_FIELDS,
    CardRecord,
    fsrs_int_id,
)
from companion.srs.event_order import (
    cards_named,
    event_key,
    legacy_id,
    target_id,
)
from companion.srs.memory_step import answered_state
from companion.srs.prior_records import PriorRecords
from companion.srs.prior_state import prior_interval_s, uses_review_allowance
from companion.srs.record_table import RecordTable
from companion.srs.study_days import DAY_STARTS_AT_HOUR, study_day

__all__ = [
    "DAY_STARTS_AT_HOUR", "FSRS_KEYS", "REVIEW_STATE", "ROW_FIELDS", "CardRecord", "Ledger",
    "fsrs_int_id", "reviewed", "study_day",
]  # fmt: skip

UNDO_DEPTH = 50
MATURE_DAYS = 21
UNDOABLE = ("review", "bury", "suspend", "reset")
KINDS = {*UNDOABLE, "undo", "relink", "delete", "restore", "reschedule"}
"""What changes cards; other kinds (an imported card's origin, say) are kept, not applied."""
NO_KEY = (float("-inf"), "")
History = Callable[[set[str]], Iterable[dict]]
"""The events already applied that name any of these cards (in any order, repeats allowed)."""


@dataclass
class Ledger:
    """All card records, what is counted per day, and the undo stack."""

    scheduler: Scheduler
    history: History | None = None
    """Where a card's earlier events come from when one arrives out of time order."""
    schedulers: Callable[[str], Scheduler] | None = None
    """The scheduler of the deck options an answer names (`options`), if any."""
    records: MutableMapping[str, CardRecord] = field(default_factory=dict)
    """A dict, or a `RecordTable` once a snapshot is loaded."""
    days: dict[str, list[int]] = field(default_factory=dict)
    """Per study day: answers, new cards seen, answers that used the review allowance."""
    seq: int = 0
    undo_stack: list[dict] = field(default_factory=list)
    """What the learner can undo here, newest last: a local convenience, not history."""
    answered_on: dict[str, list[list]] = field(default_factory=dict)
    """The answers of the latest study day and the one before it, as [card, first, uses the
    review allowance, event id], for sibling burying and per-deck limits."""
    latest_answer_day: str = ""
    retention: dict[str, list[int]] = field(default_factory=dict)
    """Per study day, answers of cards in long-term review: [young, young passed, mature,
    mature passed] (mature: an interval of 21 days or more before the answer, as in Anki)."""
    came_from: dict[str, list[str]] = field(default_factory=dict)
    """For each card an edit made, the cards it was made from (with history or not), sorted:
    a revert by hand follows these back to the history."""
    kept_unburied: dict[str, list[str]] = field(default_factory=dict)
    """Cards the learner unburied on `unburied_day` (as Anki's Unbury): a sibling answered that
    day no longer holds them back. Card id -> the ids of those unbury events."""
    unburied_day: str = ""
    retired: set[str] = field(default_factory=set)
    """The ids of the retired records, kept with `records` by `put`: reconciling the decks
    looks at these few, not at every card."""
    packed_touched: bytes | None = None
    """`touched` as a snapshot keeps it, unpacked when first needed (start-up never does)."""
    _touched: dict[str, tuple[float, str]] = field(default_factory=dict)
    changes: int = 0
    """Counts every change to `records`: what was measured from them still holds while it
    is the same."""

    @property
    def touched(self) -> dict[str, tuple[float, str]]:
        """Per card, the (time, id) of the newest event applied to it."""
        if self.packed_touched is not None:
            self._touched = marshal.loads(self.packed_touched)
            self.packed_touched = None
        return self._touched

    @touched.setter
    def touched(self, value: dict[str, tuple[float, str]]) -> None:
        self._touched, self.packed_touched = value, None

    clock: float = 0.0
    """The latest time of any event."""
    legacy_ts: dict[str, float] = field(default_factory=dict)
    """The time given to each old event that had none, so it is found again the same."""
    prior: PriorRecords = field(default_factory=PriorRecords)
    _deferred: set[str] | None = None
    _known: dict[str, dict[str, dict]] | None = None
    """In a batch: each deferred card's applied events by id (one dict shared by the cards
    re-linked together), read from the history once and kept up to date."""
    """In a `batch`: the cards to replay at its end."""
    cancelled: set[str] = field(default_factory=set)
    """The ids of the events an undo cancelled (few): one arriving after its undo, even with a
    later time, is known for what it is."""
    anki_ids: array | None = field(default_factory=lambda: array("q"))
    """The Anki revlog id of every imported entry applied (so a second import adds only new
    ones without reading the whole log); None when not known (a snapshot without them)."""

    # -- records -----------------------------------------------------------
    def put(self, record: CardRecord) -> None:
        """Store a card's record (every change to `records` comes through here)."""
        self.records[record.card_id] = record
        self.changes += 1
        if record.retired:
            self.retired.add(record.card_id)
        else:
            self.retired.discard(record.card_id)

    def _drop(self, card_id: str) -> None:
        self.records.pop(card_id, None)
        self.changes += 1
        self.retired.discard(card_id)

    def set_records(self, records: MutableMapping[str, CardRecord]) -> None:
        """Replace every record at once (a snapshot loaded)."""
        self.records = records
        self.changes += 1
        if isinstance(records, RecordTable):
            self.retired = records.retired_ids()
        else:
            self.retired = {card_id for card_id, record in records.items() if record.retired}

    def record(self, card_id: str) -> CardRecord:
        """The card's record (a fresh one for a card never seen)."""
        return self.records.get(card_id) or CardRecord(card_id)

    def holder(self, card_id: str) -> str:
        """The card that holds this card's history now, following its edits (itself when it
        was never edited away; a cycle of re-links stops where it began)."""
        seen = set()
        record = self.records.get(card_id)
        while record is not None and isinstance(record.retired, str) and card_id not in seen:
            seen.add(card_id)
            card_id = record.retired
            record = self.records.get(card_id)
        return card_id

    def unburied_on(self, card_id: str) -> str | None:
        """The study day the learner unburied this card on, if it was the latest such day."""
        return self.unburied_day if card_id in self.kept_unburied else None

    # -- applying events ---------------------------------------------------
    def complete(self, event: dict, arriving: bool = True) -> dict:
        """Give an old log's event the id and time it lacks (in place). An arriving one
        without a time comes just after the newest event of its cards (what the learner saw
        when they did it), or before everything for cards with none yet (any time before
        their next event keeps the order the log has); one read again takes the time it was
        given then."""
        if "id" not in event:
            event["id"] = legacy_id(event["seq"])
        if "ts" not in event:
            if arriving:
                newest = max(self.touched.get(card, NO_KEY)[0] for card in cards_named(event))
                moment = math.nextafter(newest, math.inf) if newest > NO_KEY[0] else 0.0
                self.legacy_ts[event["id"]] = moment
            event["ts"] = self.legacy_ts.get(event["id"], self.clock)
        return event

    def apply(self, event: dict) -> None:
        """Apply one event, in whatever order it arrives; a repeat changes nothing."""
        self.seq = max(self.seq, event.get("seq", 0))
        if event["kind"] not in KINDS:
            return
        self.complete(event)
        self.clock = max(self.clock, event["ts"])
        key = event_key(event)
        cards = cards_named(event)
        touched = self.touched
        if event["kind"] == "undo":
            self.cancelled.add(target_id(event))
        if event["id"] in self.cancelled:
            self._out_of_order(event, cards)
        elif all(touched.get(card, NO_KEY) < key for card in cards) and not (
            self._deferred and any(card in self._deferred for card in cards)
        ):  # a card waiting for the batch's replay takes its events there
            self._in_order(event, cards, key)
        else:
            self._out_of_order(event, cards)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Apply many events from elsewhere (another machine's log): a card an event reaches
        out of time order is replayed once, when the batch ends, not at each such event (a
        first merge of 600,000 events replayed each card's history again and again). Until
        then the records of those cards are not current: no one reads them in between."""
        if self._deferred is not None:
            yield
            return
        self._deferred, self._known = set(), {}
        try:
            yield
        finally:
            cards, self._deferred = self._deferred, None
            known, self._known = self._known, None
            while cards:
                card = cards.pop()
                group = known.get(card)
                events = list(group.values()) if group is not None else self._events_of({card})
                cards -= {card for event in events for card in cards_named(event)}
                self._replay(events)

    def _in_order(self, event: dict, cards: tuple[str, ...], key: tuple[float, str]) -> None:
        """The newest event of its cards: applied to their records as they stand."""
        kind = event["kind"]
        self._saw_anki(event)
        for card in cards:
            self.touched[card] = key
        if kind == "undo":
            self._undo(event)
            return
        # not an import's, nor another machine's (pulled, with its `device`): undo here takes
        # back what the learner did here
        undoable = kind in UNDOABLE and "anki" not in event and "device" not in event
        if undoable:
            self.prior.push(event["card"], event, self.records.get(event["card"]))
        else:
            for card in cards:
                self.prior.forget(card)
        self._effect(event)
        self._count(event, +1)
        if undoable:
            self.undo_stack = [*self.undo_stack[-(UNDO_DEPTH - 1) :], event]

    def _undo(self, undo: dict) -> None:
        """Cancel the target: put back the card's record from before it when that is known
        (it was the card's last change here), else replay the card without it."""
        target = target_id(undo)
        restored = self.prior.pop(undo["card"], target)
        if restored is None:
            self._out_of_order(undo, cards_named(undo), arrived=True)
            return
        undone, record = restored
        if record is None:
            self._drop(undo["card"])  # the card had no record before it
        else:
            self.put(record)
        self._count(undone, -1)
        self._unstack(target)

    def _out_of_order(self, event: dict, cards: tuple[str, ...], arrived: bool = False) -> None:
        """Replay the cards from their events with this one among them (nothing, if it was
        applied before). `arrived`: known to be new (only its place in time is unknown)."""
        by_id = self._known_events(cards)
        known = list(by_id.values())
        if not arrived and event["id"] in by_id:
            return  # a repeat
        if not arrived:
            self._saw_anki(event)
        cancelled = {target_id(e) for e in known if e["kind"] == "undo"}
        if event["kind"] == "undo":
            target = target_id(event)
            if target in by_id and target not in cancelled:
                self._count(by_id[target], -1)
            self._unstack(target)
        elif event["id"] not in cancelled:
            self._count(event, +1)
        else:
            self._saw(event)
        by_id[event["id"]] = event
        if self._deferred is not None:  # in a batch: each card replayed once, at its end
            self._keep(by_id)
            self._defer(list(by_id.values()))
            return
        self._replay(list(by_id.values()))

    def _known_events(self, cards: tuple[str, ...]) -> dict[str, dict]:
        """The applied events of these cards (and of those re-linked with them), by id: in a
        batch, from what it keeps of them once read (a first merge read each card's history
        again at each of its events); a copy, the caller adds to it."""
        if self._known is not None:
            groups = {id(self._known[c]): self._known[c] for c in cards if c in self._known}
            if groups and all(card in self._known for card in cards):
                merged: dict[str, dict] = {}
                for group in groups.values():
                    merged.update(group)
                return merged
        return {e["id"]: e for e in self._events_of(set(cards))}

    def _keep(self, by_id: dict[str, dict]) -> None:
        """Keep these events as the known events of every card they name, for the batch."""
        assert self._known is not None
        for card in {card for event in by_id.values() for card in cards_named(event)}:
            self._known[card] = by_id

    def _defer(self, events: list[dict]) -> None:
        """What `_replay` would do at once to what later events see (the undo memory, the
        newest event of each card); the records themselves wait for the batch's end."""
        for card in {card for event in events for card in cards_named(event)}:
            self.prior.forget(card)
            self._deferred.add(card)  # type: ignore[union-attr]
        for event in sorted(events, key=event_key):
            for card in cards_named(event):
                self.touched[card] = event_key(event)

    def _saw_anki(self, event: dict) -> None:
        revlog_id = event.get("anki")
        if self.anki_ids is not None and revlog_id.__class__ is int:
            self.anki_ids.append(revlog_id)

    def _events_of(self, cards: set[str]) -> list[dict]:
        """Every applied event of these cards and of the cards re-linked with them."""
        if self.history is None:
            raise LookupError("an event arrived out of time order and no history was given")
        found: dict[str, dict] = {}
        asked: set[str] = set()
        wanted = set(cards)
        while wanted - asked:
            batch = wanted - asked
            asked |= batch
            for event in self.history(batch):
                self.complete(event, arriving=False)
                if event["id"] not in found and set(cards_named(event)) & batch:
                    found[event["id"]] = event
                    wanted.update(cards_named(event))
        return list(found.values())

    def _replay(self, events: list[dict]) -> None:
        """Rebuild the records of every card these events name from them alone, in time order."""
        events.sort(key=event_key)
        cards = {card for event in events for card in cards_named(event)}
        for card in cards:
            self._drop(card)
            self.prior.forget(card)
        cancelled = {target_id(e) for e in events if e["kind"] == "undo"}
        for event in events:
            for card in cards_named(event):
                self.touched[card] = event_key(event)
            if event["kind"] != "undo" and event["id"] not in cancelled:
                self._effect(event)

    # -- what an event does to records -----------------------------------------
    def _effect(self, event: dict) -> None:
        kind = event["kind"]
        if kind == "review":
            if not event.get("cram"):  # a filtered deck's answer that kept the schedule
                self.put(reviewed(self.scheduler_of(event), self.record(event["card"]), event))
        elif kind == "reschedule":
            self.put(rescheduled(self.scheduler_of(event), self.record(event["card"]), event))
        elif kind == "bury":
            record = self.record(event["card"])
            self.put(record.changed(buried_until=event["until"] or None, retired=False))
        elif kind == "suspend":
            self.put(self.record(event["card"]).changed(suspended=event["on"], retired=False))
        elif kind == "reset":
            self._reset(event)
        elif kind == "restore":
            record = self.records.get(event["card"])
            if record is not None:
                self.put(record.changed(retired=False))
        elif kind == "delete":
            # a bundled card with no record is hidden too; its state waits in case the same
            # text is written again
            self.put(self.record(event["card"]).changed(retired=True))
        elif kind == "relink":
            old = self.records.get(event["from"])
            if old is not None and old.passes_history_on:
                self.put(old.changed(card_id=event["to"], retired=False))
            self.put(CardRecord(event["from"], retired=event["to"]))

    def scheduler_of(self, event: dict) -> Scheduler:
        """The scheduler an answer was made with: its deck's options, else the learner's."""
        options = event.get("options")
        if options and self.schedulers is not None:
            return self.schedulers(options)
        return self.scheduler

    def _reset(self, event: dict) -> None:
        """Back to new (Anki's Forget); with `counts`, reviews and lapses start again at 0."""
        before = self.record(event["card"])
        clear = bool(event.get("counts"))
        self.put(
            CardRecord(
                before.card_id,
                reps=0 if clear else before.reps,
                lapses=0 if clear else before.lapses,
                suspended=before.suspended,
                leech=False if clear else before.leech,
            )
        )

    # -- what is counted across cards -----------------------------------------
    def _saw(self, event: dict) -> None:
        """Move the day windows on for an event that counts for nothing (already undone)."""
        if event["kind"] == "review":
            self._answer_window(study_day(event["ts"]))
        elif event["kind"] == "bury" and event.get("unburied_on"):
            self._unbury_window(event["unburied_on"])

    def _count(self, event: dict, sign: int) -> None:
        """Add (or, for an undone event, take away) what the event counts for."""
        kind = event["kind"]
        if kind == "review":
            self._count_answer(event, sign)
        elif kind == "bury" and event.get("unburied_on"):
            self._count_unbury(event, sign)
        elif kind == "relink":
            sources = self.came_from.setdefault(event["to"], [])
            if event["from"] not in sources:
                sources.append(event["from"])
                sources.sort()
        if kind in ("relink", "delete"):
            gone = set(cards_named(event)) if kind == "delete" else {event["from"]}
            self.undo_stack = [e for e in self.undo_stack if e.get("card") not in gone]

    def _count_answer(self, event: dict, sign: int) -> None:
        """Per study day: answers, new cards seen, and answers that use the review allowance
        (as in Anki, only cards in long-term review: not new ones, not (re)learning steps)."""
        day = study_day(event["ts"])
        first = bool(event.get("first"))
        allowance = uses_review_allowance(event)
        counts = self.days.setdefault(day, [0, 0, 0])
        counts[0] += sign
        counts[1] += sign if first else 0
        counts[2] += sign if allowance else 0
        if counts == [0, 0, 0]:
            del self.days[day]
        if allowance:
            self._count_retention(day, event, sign)
        self._answer_window(day)
        if day < _day_before(self.latest_answer_day):
            return  # older than the days kept
        answers = self.answered_on.setdefault(day, [])
        if sign > 0:
            answers.append([event["card"], first, allowance, event["id"]])
        else:
            answers[:] = [a for a in answers if a[3] != event["id"]]
        if not answers:
            del self.answered_on[day]

    def _count_retention(self, day: str, event: dict, sign: int) -> None:
        interval = prior_interval_s(event)
        if interval is None:
            return
        counts = self.retention.setdefault(day, [0, 0, 0, 0])
        slot = 2 if interval >= MATURE_DAYS * 86400 else 0
        counts[slot] += sign
        counts[slot + 1] += sign if event["grade"] > 1 else 0
        if not any(counts):
            del self.retention[day]

    def _answer_window(self, day: str) -> None:
        """Keep today's answers and the day before's: days are dropped as newer ones come."""
        if day <= self.latest_answer_day:
            return
        self.latest_answer_day = day
        oldest = _day_before(day)
        for old in [d for d in self.answered_on if d < oldest]:
            del self.answered_on[old]

    def _count_unbury(self, event: dict, sign: int) -> None:
        day = event["unburied_on"]
        self._unbury_window(day)
        if day != self.unburied_day:
            return  # an earlier day's: no longer matters
        ids = self.kept_unburied.setdefault(event["card"], [])
        if sign > 0 and event["id"] not in ids:
            ids.append(event["id"])
            ids.sort()
        elif sign < 0 and event["id"] in ids:
            ids.remove(event["id"])
        if not ids:
            del self.kept_unburied[event["card"]]

    def _unbury_window(self, day: str) -> None:
        if day > self.unburied_day:
            self.unburied_day = day
            self.kept_unburied.clear()

    def _unstack(self, target: str) -> None:
        self.undo_stack = [e for e in self.undo_stack if e["id"] != target]


@lru_cache(maxsize=64)
def _day_before(day: str) -> str:
    if not day:
        return ""
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def reviewed(scheduler: Scheduler, before: CardRecord, event: dict) -> CardRecord:
    """The record after a review, recomputed by FSRS from the grade and time in the event.

    The event's due date (what the learner was shown, fuzz included) overrides FSRS's unfuzzed
    one, so replaying the log gives exactly the state that was committed.
    """
    previous = before.fsrs
    card_id = fsrs_int_id(before.card_id) if previous is None else int(previous["card_id"])
    state = answered_state(scheduler, previous, card_id, event["grade"], event["ts"], event["due"])
    if "state" in event:  # an imported answer: the state Anki gave the card
        state["state"] = event["state"]
        state["step"] = None if event["state"] == REVIEW_STATE else (state.get("step") or 0)
    if "memory" in event:  # Anki's own FSRS memory state, when it kept one
        state["stability"], state["difficulty"] = event["memory"]
    lapse = event["grade"] == Rating.Again and before.fsrs is not None and not before.in_learning
    lapses = event["lapses"] if "lapses" in event else before.lapses + (1 if lapse else 0)
    leech = before.leech or bool(event.get("leech"))
    return CardRecord(
        before.card_id,
        state,
        reps=event["reps"] if "reps" in event else before.reps + 1,
        lapses=lapses,
        suspended=before.suspended or bool(event.get("leech")),
        leech=leech,
        buried_until=None,
        retired=False,
    )


def rescheduled(scheduler: Scheduler, before: CardRecord, event: dict) -> CardRecord:
    """A due date set by hand (Anki's Set Due Date): the memory state stays, the due date
    moves. A new card becomes a review card, as after a first Good."""
    if before.fsrs is None:
        return reviewed(scheduler, before, {**event, "grade": 3, "reps": event.get("reps", 0)})
    state = dict(before.fsrs)
    state["due"] = event["due"]
    if "state" in event:
        state["state"] = event["state"]
        state["step"] = None if event["state"] == REVIEW_STATE else (state.get("step") or 0)
    if "memory" in event:
        state["stability"], state["difficulty"] = event["memory"]
    return before.changed(
        fsrs=state,
        reps=event.get("reps", before.reps),
        lapses=event.get("lapses", before.lapses),
        buried_until=None,
        retired=False,
    )
