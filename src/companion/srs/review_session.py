"""A sitting of review: the card on show, what each grade would do, answers, undo, bury, suspend.

Every change is an event handed to `commit`, which must make it durable and apply it to the
ledger before returning; the session never touches files itself.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Scheduler

from companion.srs.card_record import CardRecord
from companion.srs.ledger import Ledger, reviewed
from companion.srs.load_balance import DueLoad
from companion.srs.prior_state import uses_review_allowance, was
from companion.srs.review_queue import QueueCounts, ReviewQueue, next_day_start
from companion.srs.scheduling import Grade, Outcome, outcomes

Commit = Callable[[dict], dict]
Describe = Callable[[str], dict]


@dataclass(frozen=True)
class CardScheduling:
    """How a card is scheduled: its deck's preview scheduler (fuzz and all), the deck whose
    options it follows (None: the learner's settings), and its leech threshold."""

    scheduler: Scheduler
    options: str | None
    leech_threshold: int


@dataclass(frozen=True)
class Answered:
    """What an answer did: the outcome committed and whether it made the card a leech."""

    outcome: Outcome
    leech: bool


class ReviewSession:
    """Shows cards from the queue and turns the learner's keys into committed events."""

    def __init__(
        self,
        ledger: Ledger,
        queue: ReviewQueue,
        preview_scheduler: Scheduler,
        commit: Commit,
        leech_threshold: int = 8,
        describe: Describe | None = None,
        scheduling: Callable[[str], CardScheduling] | None = None,
    ) -> None:
        """`scheduling` gives each card its deck's scheduler and thresholds; without it, every
        card has `preview_scheduler` and `leech_threshold`."""
        self.ledger = ledger
        self.queue = queue
        self.preview_scheduler = preview_scheduler
        self.commit = commit
        self.leech_threshold = leech_threshold
        self.describe = describe
        self.scheduling = scheduling or (
            lambda _card: CardScheduling(preview_scheduler, None, leech_threshold)
        )
        self.current: str | None = None
        self._outcomes: list[Outcome] = []
        self.load: DueLoad | None = None
        """The load balancer (set by who builds the session, when the learner has it on)."""
        self.rng = random.Random()

    def next_card(self, now: datetime) -> str | None:
        """Move to the next card due (None when the queue is empty)."""
        self.current = self.queue.next_card(now)
        self._outcomes = []
        return self.current

    def show(self, card_id: str) -> None:
        """Put a specific card on show (after an undo, or to look at one card)."""
        self.current = card_id
        self._outcomes = []

    def preview(self, now: datetime) -> list[Outcome]:
        """What each grade would do to the card on show."""
        if self.current is None:
            return []
        if not self._outcomes:
            record = self.ledger.record(self.current)
            scheduler = self.scheduling(self.current).scheduler
            self._outcomes = outcomes(scheduler, record, now, self.load, self.rng)
        return self._outcomes

    def answer(self, grade: Grade, now: datetime, duration_ms: int | None = None) -> Answered:
        """Commit the previewed outcome of `grade` for the card on show."""
        if self.current is None:
            raise LookupError("no card to answer")
        outcome = self.preview(now)[int(grade) - 1]
        before = self.ledger.record(self.current)
        # The interval shown runs from the grading, not from when the answer was revealed.
        due = (now.astimezone(UTC) + outcome.interval).isoformat()
        event = {
            "kind": "review",
            "card": self.current,
            "grade": int(grade),
            "ts": now.timestamp(),
            "due": due,
            "ms": duration_ms,
            "first": before.is_new,
            "was": was(before),
        }
        if before.is_new and self.describe is not None:
            event.update(self.describe(self.current))  # its text, for re-linking after edits
        scheduling = self.scheduling(self.current)
        if scheduling.options is not None:
            event["options"] = scheduling.options  # replayed with the deck's FSRS parameters
        after = reviewed(self.ledger.scheduler_of(event), before, event)
        leech = not before.leech and after.lapses >= scheduling.leech_threshold
        if leech:
            event["leech"] = True
        self.commit(event)
        if self.load is not None:
            self.load.moved(_review_due(before), _review_due(after))
        self.queue.answered(self.current, before.is_new, uses_review_allowance(event))
        self.current = None
        self._outcomes = []
        return Answered(outcome, leech)

    def undo(self) -> str | None:
        """Undo the last answer, bury or suspend; the card comes back on show. None if nothing."""
        if not self.ledger.undo_stack:
            return None
        last = self.ledger.undo_stack[-1]
        self.commit({"kind": "undo", "target": last["id"], "card": last["card"]})
        if last["kind"] == "review":
            self.queue.undo_answer(
                last["card"], bool(last.get("first")), uses_review_allowance(last)
            )
        self.queue.requeue(last["card"])
        self.show(last["card"])
        return last["card"]

    def bury(self, now: datetime) -> str | None:
        """Hide the card on show until the next study day."""
        return self._flag({"kind": "bury", "until": next_day_start(now).timestamp()})

    def suspend(self) -> str | None:
        """Take the card on show out of review until the learner unsuspends it."""
        return self._flag({"kind": "suspend", "on": True})

    def _flag(self, change: dict) -> str | None:
        card_id = self.current
        if card_id is None:
            return None
        before = self.ledger.record(card_id)
        if before.is_new and self.describe is not None:
            change = {**change, **self.describe(card_id)}  # its text, to follow it through edits
        self.commit({**change, "card": card_id})
        self.current = None
        self._outcomes = []
        return card_id

    def counts(self, now: datetime) -> QueueCounts:
        """New, learning and review cards waiting now."""
        return self.queue.counts(now)

    def next_due(self, now: datetime) -> datetime | None:
        """When the next card falls due."""
        return self.queue.next_due(now)


def _review_due(record: CardRecord) -> float | None:
    """The due time the load balancer counts: a card's in long-term review, not suspended."""
    if record.is_new or record.in_learning or record.suspended:
        return None
    return record.due_ts
