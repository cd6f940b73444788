"""Which card to show next: learning cards when due, reviews with new cards mixed in, in limits.

Built once per sitting from the ledger, then updated per answer in O(log n): a collection of
50,000 cards costs nothing per keypress. Lists are pruned lazily: a card answered, buried or
suspended since it was queued is dropped when it reaches the front.
"""

import heapq
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import itemgetter

from companion.srs.ledger import Ledger

LEARN_AHEAD = timedelta(minutes=20)
_due_time = itemgetter(0)


@dataclass(frozen=True)
class QueueCounts:
    """How many new, learning and review cards are waiting now."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        """Every card waiting."""
        return self.new + self.learning + self.review


@dataclass
class DailyLimits:
    """What is left of today's allowance of new cards and reviews."""

    new_left: int
    reviews_left: int


class ReviewQueue:
    """Due cards by due time, learning cards first, new cards spread among the reviews."""

    def __init__(
        self, deck_order: list[str], ledger: Ledger, limits: DailyLimits, now: datetime
    ) -> None:
        self.ledger = ledger
        self.limits = limits
        now_ts = now.timestamp()
        self._new: deque[str] = deque()
        self._learning: dict[str, float] = {}
        learning_now: list[tuple[float, str]] = []
        review_now: list[tuple[float, str]] = []
        later: list[tuple[float, str]] = []
        records = ledger.records
        # One pass, one lookup per card and no method calls: this loop runs for every card of
        # the collection at start-up (`available` and `is_new` inlined).
        for card_id in deck_order:
            record = records.get(card_id)
            if record is None:
                self._new.append(card_id)
                continue
            if record.suspended:
                continue
            buried = record.buried_until
            if buried is not None and buried > now_ts:
                continue
            if record.fsrs is None:
                self._new.append(card_id)
                continue
            due_ts = record.due_ts or 0.0
            if due_ts > now_ts:
                later.append((due_ts, card_id))
                if record.in_learning:
                    self._learning[card_id] = due_ts
            elif record.in_learning:
                learning_now.append((due_ts, card_id))
            else:
                review_now.append((due_ts, card_id))
        # Sorted on the due time alone (ties keep deck order): float keys sort faster than tuples.
        learning_now.sort(key=_due_time)
        review_now.sort(key=_due_time)
        heapq.heapify(later)
        self._heap = later
        self._ready_learning: deque[str] = deque([card_id for _, card_id in learning_now])
        self._ready_review: deque[str] = deque([card_id for _, card_id in review_now])
        self._reviews_since_new = 0

    def _is_current(self, due_ts: float, card_id: str) -> bool:
        record = self.ledger.records.get(card_id)
        return record is not None and not record.is_new and record.due_ts == due_ts

    def _advance(self, now_ts: float) -> None:
        """Move every card now due from the heap to the ready lists."""
        while self._heap and self._heap[0][0] <= now_ts:
            due_ts, card_id = heapq.heappop(self._heap)
            if not self._is_current(due_ts, card_id):
                continue
            self._learning.pop(card_id, None)
            if self.ledger.records[card_id].in_learning:
                self._ready_learning.append(card_id)
            else:
                self._ready_review.append(card_id)

    def _front(self, cards: deque[str], now_ts: float, new: bool) -> str | None:
        """The first card of `cards` still waiting, dropping the stale ones on the way."""
        while cards:
            record = self.ledger.record(cards[0])
            due = record.is_new if new else (not record.is_new and (record.due_ts or 0) <= now_ts)
            if due and record.available(now_ts):
                return cards[0]
            cards.popleft()
        return None

    def next_card(self, now: datetime) -> str | None:
        """The card to show now, or None when nothing is due."""
        now_ts = now.timestamp()
        self._advance(now_ts)
        learning = self._front(self._ready_learning, now_ts, new=False)
        if learning:
            return learning
        review = self._front(self._ready_review, now_ts, new=False)
        review = review if self.limits.reviews_left > 0 else None
        new = self._front(self._new, now_ts, new=True) if self.limits.new_left > 0 else None
        if review and new:
            waiting_new = min(len(self._new), self.limits.new_left)
            spacing = max(1, len(self._ready_review) // max(1, waiting_new))
            return new if self._reviews_since_new >= spacing else review
        return review or new or self._learn_ahead(now_ts)

    def _learn_ahead(self, now_ts: float) -> str | None:
        """With nothing else left, a learning card due within 20 minutes is shown early."""
        limit = now_ts + LEARN_AHEAD.total_seconds()
        soon = [(d, c) for c, d in self._learning.items() if d <= limit and self._is_current(d, c)]
        return min(soon)[1] if soon else None

    def answered(self, card_id: str, was_new: bool) -> None:
        """Count an answer against today's limits and queue the card at its new due time."""
        for ready in (self._ready_learning, self._ready_review, self._new):
            if ready and ready[0] == card_id:
                ready.popleft()
        if was_new:
            self.limits.new_left -= 1
            self._reviews_since_new = 0
        else:
            self.limits.reviews_left -= 1
            self._reviews_since_new += 1
        self.requeue(card_id)

    def undo_answer(self, card_id: str, was_new: bool) -> None:
        """Give back the allowance an undone answer used."""
        if was_new:
            self.limits.new_left += 1
        else:
            self.limits.reviews_left += 1

    def requeue(self, card_id: str) -> None:
        """Queue a card again after its record changed (answered, undone, unburied)."""
        record = self.ledger.record(card_id)
        if record.is_new:
            self._new.appendleft(card_id)
        elif record.due_ts is not None:
            heapq.heappush(self._heap, (record.due_ts, card_id))
            self._schedule_learning(card_id)

    def _schedule_learning(self, card_id: str) -> None:
        record = self.ledger.records[card_id]
        if record.in_learning:
            self._learning[card_id] = record.due_ts or 0.0
        else:
            self._learning.pop(card_id, None)

    def counts(self, now: datetime) -> QueueCounts:
        """New, learning and review cards waiting; learning counts those due within 20 min."""
        now_ts = now.timestamp()
        self._advance(now_ts)
        ahead = now_ts + LEARN_AHEAD.total_seconds()
        soon = sum(1 for c, d in self._learning.items() if d <= ahead and self._is_current(d, c))
        new = min(len(self._new), max(self.limits.new_left, 0))
        review = min(len(self._ready_review), max(self.limits.reviews_left, 0))
        return QueueCounts(new, len(self._ready_learning) + soon, review)

    def next_due(self) -> datetime | None:
        """When the next scheduled card falls due, for the empty queue's message."""
        for due_ts, card_id in sorted(self._heap):
            if self._is_current(due_ts, card_id):
                return datetime.fromtimestamp(due_ts).astimezone()
        return None
