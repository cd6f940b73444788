"""A day's review: which card is next, what each grade would do, and committing the answer."""

from datetime import datetime, timedelta

from fsrs import Scheduler

from companion.srs.queue import DailyLimits, QueueCounts, build_queue, next_due
from companion.srs.scheduling import Grade, Outcome, due_at, is_learning, is_new, outcomes

LEARN_AHEAD = timedelta(minutes=20)


class ReviewSession:
    """The review queue for one sitting; states are updated in place as cards are answered."""

    def __init__(
        self,
        scheduler: Scheduler,
        card_ids: list[str],
        states: dict[str, dict],
        limits: DailyLimits,
    ) -> None:
        self.scheduler = scheduler
        self.card_ids = card_ids
        self.states = states
        self.limits = limits
        self.current: str | None = None
        self._outcomes: list[Outcome] = []

    def next_card(self, now: datetime) -> str | None:
        """Pick the next card: due cards, then new ones, then learning cards due within 20 min."""
        queue = build_queue(self.card_ids, self.states, now, self.limits)
        if not queue:
            queue = build_queue(
                self.card_ids,
                self.states,
                now + LEARN_AHEAD,
                DailyLimits(0, self.limits.reviews_left),
            )
            queue = [cid for cid in queue if is_learning(self.states[cid])]
        self.current = queue[0] if queue else None
        self._outcomes = []
        return self.current

    def preview(self, now: datetime) -> list[Outcome]:
        """What each grade would do to the current card; answering commits the same result."""
        if self.current is None:
            return []
        if not self._outcomes:
            self._outcomes = outcomes(
                self.scheduler, self.current, self.states.get(self.current), now
            )
        return self._outcomes

    def answer(self, grade: Grade, now: datetime) -> Outcome:
        """Grade the current card with the previewed outcome and use up today's allowance."""
        if self.current is None:
            raise LookupError("no card to answer")
        outcome = self.preview(now)[int(grade) - 1]
        was_new = is_new(self.states.get(self.current))
        self.states[self.current] = outcome.state
        self.limits = DailyLimits(
            self.limits.new_left - (1 if was_new else 0),
            self.limits.reviews_left - (0 if was_new else 1),
        )
        self.current = None
        self._outcomes = []
        return outcome

    def counts(self, now: datetime) -> QueueCounts:
        """New, learning and review cards waiting; learning counts those due within 20 min."""
        queue = build_queue(self.card_ids, self.states, now, self.limits)
        new = sum(1 for cid in queue if is_new(self.states.get(cid)))
        learning = sum(
            1
            for cid in self.card_ids
            if not is_new(self.states.get(cid))
            and is_learning(self.states[cid])
            and due_at(self.states[cid]) <= now + LEARN_AHEAD
        )
        due_learning = sum(
            1 for cid in queue if not is_new(self.states.get(cid)) and is_learning(self.states[cid])
        )
        return QueueCounts(new, learning, len(queue) - new - due_learning)

    def next_due(self) -> datetime | None:
        """When the next answered card falls due, for the empty-queue message."""
        return next_due(self.card_ids, self.states)


def due_count(
    card_ids: list[str], states: dict[str, dict], now: datetime, limits: DailyLimits
) -> int:
    """Cards that can be reviewed right now within today's limits."""
    return len(build_queue(card_ids, states, now, limits))
