"""Every card's scheduling state, folded from the review log; replaying the log rebuilds it.

The log is the source of truth. Each event carries what is needed to apply it again exactly:
a review has its grade, time and the due date that was committed (fuzz included), and every
undoable event keeps the card's record from before it, so an undo restores it exactly.
"""

import marshal
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

UNDO_DEPTH = 50
DAY_STARTS_AT_HOUR = 4  # as in Anki: a late-night session still counts as the same day
REVIEW_STATE = State.Review.value


FSRS_KEYS = ("card_id", "state", "step", "stability", "difficulty", "due", "last_review")
"""The keys of fsrs's card dict, in its order: a snapshot keeps only the values."""
ROW_FIELDS = (
    "card_id", "fsrs", "reps", "lapses", "suspended", "leech", "buried_until", "retired",
)  # fmt: skip


class CardRecord:
    """One card's scheduling state and flags.

    `fsrs` may arrive packed (from a snapshot: the tuple of its values, marshalled) and becomes
    a dict only when read: start-up loads every card, most of which it never looks into.
    """

    __slots__ = (
        "card_id", "_fsrs", "reps", "lapses", "suspended", "leech", "buried_until", "retired",
        "due_ts", "in_learning",
    )  # fmt: skip

    def __init__(
        self,
        card_id: str,
        fsrs: dict | tuple | bytes | None = None,
        reps: int = 0,
        lapses: int = 0,
        suspended: bool = False,
        leech: bool = False,
        buried_until: float | None = None,
        retired: bool | str = False,
        derived: tuple[float | None, bool] | None = None,
    ) -> None:
        """`retired`: its history moved to another card (an edit): the id it went to, or True
        in old logs. A retired card back in a deck (an edit reverted) is new unless its history
        comes back. `derived`: `(due_ts, in_learning)` as saved by `snapshot_row`, so loading
        need not work them out."""
        self.card_id = card_id
        self._fsrs = fsrs
        self.reps = reps
        self.lapses = lapses
        self.suspended = suspended
        self.leech = leech
        self.buried_until = buried_until
        self.retired = retired
        # Derived once: the queue reads these for every card at start-up.
        self.due_ts: float | None
        """When it is next due, as a POSIX timestamp; None while new."""
        self.in_learning: bool
        """In (re)learning steps rather than long-term review."""
        if derived is not None:
            self.due_ts, self.in_learning = derived
            return
        state = self.fsrs
        self.due_ts = datetime.fromisoformat(state["due"]).timestamp() if state else None
        self.in_learning = state is not None and state["state"] != REVIEW_STATE

    @property
    def fsrs(self) -> dict | None:
        """fsrs's card as a dict (`Card.to_dict`); None while new."""
        value = self._fsrs
        if value.__class__ is bytes:
            value = marshal.loads(value)  # type: ignore[arg-type]
        if value.__class__ is tuple:
            value = dict(zip(FSRS_KEYS, value, strict=True))  # type: ignore[arg-type]
        self._fsrs = value
        return value  # type: ignore[return-value]

    def changed(self, **changes: object) -> "CardRecord":
        """A copy with some fields changed (the derived ones follow a changed `fsrs`)."""
        fields = dict(zip(ROW_FIELDS, self._raw_row(), strict=True))
        fields.update(changes)
        derived = None if "fsrs" in changes else (self.due_ts, self.in_learning)
        return CardRecord(**fields, derived=derived)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not CardRecord:
            return NotImplemented
        return self.to_row() == other.to_row()  # type: ignore[union-attr]

    __hash__ = None  # type: ignore[assignment] - mutable, as a dataclass with eq

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(ROW_FIELDS, self.to_row(), strict=True))
        return f"CardRecord({shown})"

    def _raw_row(self) -> tuple:
        """The fields as stored (`fsrs` perhaps still a tuple)."""
        return (
            self.card_id, self._fsrs, self.reps, self.lapses, self.suspended, self.leech,
            self.buried_until, self.retired,
        )  # fmt: skip

    @property
    def passes_history_on(self) -> bool:
        """Whether an edit of the card carries something over: not a retired card that passed
        its history on already (a deleted card written again still has its own)."""
        return not self.retired or self._fsrs is not None

    @property
    def is_new(self) -> bool:
        """Never answered."""
        return self._fsrs is None

    def available(self, now_ts: float) -> bool:
        """Whether it may be shown at all now (not suspended or buried)."""
        if self.suspended:
            return False
        return self.buried_until is None or self.buried_until <= now_ts

    def to_row(self) -> list:
        """A compact JSON list (the fsrs dict is shared, not copied: records are replaced whole)."""
        return [self.card_id, self.fsrs, *self._raw_row()[2:]]

    def snapshot_row(self) -> tuple:
        """`to_row` plus the derived fields, for the ledger snapshot; `fsrs` packed as the
        marshalled tuple of its values when it has fsrs's usual keys: one bytes object to load
        instead of a tuple, two dates and three numbers, for a card start-up never looks into."""
        state = self._fsrs
        if state.__class__ is dict and tuple(state) == FSRS_KEYS:  # type: ignore[arg-type]
            state = tuple(state.values())  # type: ignore[union-attr]
        if state.__class__ is tuple:
            state = marshal.dumps(state)
        return (self.card_id, state, *self._raw_row()[2:], (self.due_ts, self.in_learning))

    @classmethod
    def from_row(cls, row: list | tuple) -> "CardRecord":
        """Rebuild from `to_row` or `snapshot_row`."""
        return cls(*row)


@dataclass
class Ledger:
    """All card records plus reviews per day; events are applied in log order."""

    scheduler: Scheduler
    records: dict[str, CardRecord] = field(default_factory=dict)
    days: dict[str, list[int]] = field(default_factory=dict)
    seq: int = 0
    undo_stack: list[dict] = field(default_factory=list)
    answered_on: dict[str, list[list]] = field(default_factory=dict)
    """The answers of the latest study days (two kept) as [card, first, uses the review
    allowance], for sibling burying and per-deck limits."""
    came_from: dict[str, list[str]] = field(default_factory=dict)
    """For each card an edit made, the cards it was made from (with history or not): a revert
    by hand follows these back to the history."""
    kept_unburied: dict[str, str] = field(default_factory=dict)
    """Cards the learner unburied on a study day (as Anki's Unbury): a sibling answered that
    day no longer holds them back. Card id -> study day."""
    retired: set[str] = field(default_factory=set)
    """The ids of the retired records, kept with `records` by `put`: reconciling the decks
    looks at these few, not at every card."""

    def put(self, record: CardRecord) -> None:
        """Store a card's record (every change to `records` comes through here)."""
        self.records[record.card_id] = record
        if record.retired:
            self.retired.add(record.card_id)
        else:
            self.retired.discard(record.card_id)

    def set_records(self, records: dict[str, CardRecord]) -> None:
        """Replace every record at once (a snapshot loaded)."""
        self.records = records
        self.retired = {card_id for card_id, record in records.items() if record.retired}

    def record(self, card_id: str) -> CardRecord:
        """The card's record (a fresh one for a card never seen)."""
        return self.records.get(card_id) or CardRecord(card_id)

    def apply(self, event: dict) -> None:
        """Apply one log event; events must come in `seq` order."""
        kind = event["kind"]
        handler = {
            "review": self._review,
            "bury": self._flag,
            "suspend": self._flag,
            "undo": self._undo,
            "relink": self._relink,
            "delete": self._delete,
            "reset": self._reset,
            "restore": self._restore,
        }.get(kind)
        if handler is not None:
            handler(event)
        self.seq = max(self.seq, event["seq"])
        if kind in ("review", "bury", "suspend", "reset"):
            self.undo_stack = [*self.undo_stack[-(UNDO_DEPTH - 1) :], event]

    def _review(self, event: dict) -> None:
        before = self.record(event["card"])
        after = reviewed(self.scheduler, before, event)
        self.put(after)
        self._count(event, +1)
        day = study_day(event["ts"])
        if day not in self.answered_on:
            self.answered_on[day] = []
            for old in sorted(self.answered_on)[:-2]:
                del self.answered_on[old]
        self.answered_on[day].append(
            [after.card_id, bool(event.get("first")), uses_review_allowance(event["before"])]
        )

    def _count(self, event: dict, sign: int) -> None:
        """Per study day: answers, new cards seen, and answers that use the review allowance
        (as in Anki, only cards in long-term review: not new ones, not (re)learning steps)."""
        day = study_day(event["ts"])
        counts = self.days.setdefault(day, [0, 0, 0])
        counts[0] += sign
        counts[1] += sign if event.get("first") else 0
        counts[2] += sign if uses_review_allowance(event["before"]) else 0

    def _flag(self, event: dict) -> None:
        record = self.record(event["card"])
        if event["kind"] == "bury":
            record = record.changed(buried_until=event["until"] or None)  # 0: unburied
            if day := event.get("unburied_on"):
                self.kept_unburied[record.card_id] = day
                for card_id in [c for c, d in self.kept_unburied.items() if d < day]:
                    del self.kept_unburied[card_id]  # an earlier day's: no longer matters
        else:
            record = record.changed(suspended=event["on"])
        self.put(record.changed(retired=False))

    def _undo(self, event: dict) -> None:
        if not self.undo_stack or self.undo_stack[-1]["seq"] != event["target"]:
            return  # nothing matching to undo: the log was written by an older session's stack
        undone = self.undo_stack.pop()
        self.put(CardRecord.from_row(undone["before"]))
        if undone.get("unburied_on"):
            self.kept_unburied.pop(undone["card"], None)
        if undone["kind"] == "review":
            self._count(undone, -1)
            answers = self.answered_on.get(study_day(undone["ts"]), [])
            for index in range(len(answers) - 1, -1, -1):
                if answers[index][0] == undone["card"]:
                    del answers[index]
                    break

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

    def _restore(self, event: dict) -> None:
        """A deleted card is back in a deck: it is an ordinary card again (an edit of it
        later carries its history on, and if it leaves, it is an orphan)."""
        record = self.records.get(event["card"])
        if record is not None:
            self.put(record.changed(retired=False))

    def _delete(self, event: dict) -> None:
        """The learner deleted the card: it leaves the orphans, and its state waits (in the
        log and here) in case the same text is written again."""
        record = self.record(event["card"])  # a bundled card with no record is hidden too
        self.put(record.changed(retired=True))
        self.undo_stack = [e for e in self.undo_stack if e.get("card") != event["card"]]

    def _relink(self, event: dict) -> None:
        old = self.records.get(event["from"])
        if old is not None and old.passes_history_on:
            self.put(old.changed(card_id=event["to"], retired=False))
        self.put(CardRecord(event["from"], retired=event["to"]))
        sources = self.came_from.setdefault(event["to"], [])
        if event["from"] not in sources:
            sources.append(event["from"])
        self.undo_stack = [e for e in self.undo_stack if e.get("card") != event["from"]]


def reviewed(scheduler: Scheduler, before: CardRecord, event: dict) -> CardRecord:
    """The record after a review, recomputed by FSRS from the grade and time in the event.

    The event's due date (what the learner was shown, fuzz included) overrides FSRS's unfuzzed
    one, so replaying the log gives exactly the state that was committed.
    """
    when = datetime.fromtimestamp(event["ts"], UTC)
    if before.fsrs is None:
        card = FsrsCard(card_id=fsrs_int_id(before.card_id), due=when)
    else:
        card = FsrsCard.from_dict(before.fsrs)  # type: ignore[arg-type]
    updated, _ = scheduler.review_card(card, Rating(event["grade"]), when)
    state = updated.to_dict()
    state["due"] = event["due"]
    if "state" in event:  # an imported answer: the state Anki gave the card
        state["state"] = event["state"]
        state["step"] = None if event["state"] == REVIEW_STATE else (state.get("step") or 0)
    if "memory" in event:  # Anki's own FSRS memory state, when it kept one
        state["stability"], state["difficulty"] = event["memory"]
    lapse = event["grade"] == Rating.Again and before.fsrs is not None and not before.in_learning
    lapses = event["lapses"] if "lapses" in event else before.lapses + (1 if lapse else 0)
    return before.changed(
        fsrs=dict(state),
        reps=before.reps + 1,
        lapses=lapses,
        leech=before.leech or bool(event.get("leech")),
        suspended=before.suspended or bool(event.get("leech")),
        buried_until=None,
        retired=False,
    )


def uses_review_allowance(before_row: list) -> bool:
    """Whether answering a card in this state counts against `reviews_per_day`: only a card in
    long-term review does (Anki counts learning steps against no limit)."""
    fsrs = before_row[1]
    return fsrs is not None and fsrs.get("state") == REVIEW_STATE


def fsrs_int_id(card_id: str) -> int:
    """fsrs wants an integer id (and sleeps 1 ms when given none)."""
    return int(card_id[:12], 16) if all(c in "0123456789abcdef" for c in card_id[:12]) else 1


def study_day(timestamp: float) -> str:
    """The learner's study day of a moment, as YYYY-MM-DD.

    A study day starts at 4 am local time, as in Anki: answers after midnight count toward
    the evening's day, for the daily limits as for the statistics.
    """
    local = datetime.fromtimestamp(timestamp).astimezone()
    return (local - timedelta(hours=DAY_STARTS_AT_HOUR)).date().isoformat()
