"""Which card to show next: learning cards when due, reviews with new cards mixed in, in limits.

Built once per sitting from the ledger, then updated per answer in O(log n): a collection of
50,000 cards costs nothing per keypress. Lists are pruned lazily: a card answered, buried or
suspended since it was queued is dropped when it reaches the front. Reviews due on a later
study day are not queued at start-up (most of a large collection): the deck order is read
again when a new study day begins, or when the learner asks when the next card is due.

As in Anki, a card in long-term review is due by study day (from 4 am), not by the hour: all
of today's reviews wait from the start of the day. Learning steps are due by the minute. Once a
card is answered, the other cards of its note (its cloze siblings) that are new or in review
are buried until the next study day.
"""

import heapq
import math
import random
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from companion.srs.ledger import DAY_STARTS_AT_HOUR, Ledger, study_day
from companion.srs.record_table import where_now

LEARN_AHEAD = timedelta(minutes=20)


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


Siblings = Callable[[str], list[str]]
DeckAllowance = Callable[[str], list[list[int | None]]]
"""For a card, the [new, reviews] left today in its deck and each deck above it (None: no
limit of its own), as lists the queue counts down."""


def next_day_start(now: datetime) -> datetime:
    """The start of the learner's next study day (4 am local time)."""
    local = now.astimezone()
    start = local.replace(hour=DAY_STARTS_AT_HOUR, minute=0, second=0, microsecond=0)
    return start if start > local else start + timedelta(days=1)


def study_day_start(moment: datetime) -> datetime:
    """When the study day holding `moment` began."""
    return next_day_start(moment) - timedelta(days=1)


def _within_allowance(card_ids: deque[str], allowance: DeckAllowance, slot: int) -> list[str]:
    """The cards, in order, that their deck and every deck above it still have room for."""
    kept = []
    for card_id in card_ids:
        lefts = allowance(card_id)
        if all(left[slot] is None or left[slot] > 0 for left in lefts):
            for left in lefts:
                if left[slot] is not None:
                    left[slot] -= 1
            kept.append(card_id)
    return kept


class ReviewQueue:
    """Due cards by due time, learning cards first, new cards spread among the reviews."""

    def __init__(
        self,
        deck_order: list[str],
        ledger: Ledger,
        limits: DailyLimits,
        now: datetime,
        siblings: Siblings | None = None,
        deck_allowance: DeckAllowance | None = None,
        order: str = "due",
        recall: Callable[[str], float | None] | None = None,
    ) -> None:
        """`siblings` gives the other cards of a card's note; None turns sibling burying off.
        `deck_allowance` applies per-deck limits: beyond them a deck's new cards and reviews
        wait for another day, as in Anki, whatever the collection's limits leave."""
        self.ledger = ledger
        self.limits = limits
        self.siblings = siblings
        now_ts = now.timestamp()
        self._day_end = next_day_start(now).timestamp()
        self._today = study_day(now.timestamp())
        today_iso = study_day_start(now).astimezone(UTC).isoformat()
        self._deck_order = deck_order
        records = ledger.records
        cards = where_now(records, deck_order, now_ts, self._day_end)
        self._new: deque[str] = deque(cards.new)
        learning_later = cards.learning_later
        self._learning: dict[str, float] = {card_id: due_ts for due_ts, card_id in learning_later}
        heapq.heapify(learning_later)
        # Each card at most once in the heaps (an undone answer and the same answer again would
        # otherwise queue it twice): the due time of its one live entry.
        self._heaped: dict[str, float] = {card_id: due_ts for due_ts, card_id in learning_later}
        self._learning_heap = learning_later
        self._review_heap: list[tuple[float, str]] = []  # reviews requeued in this sitting
        self._ready_learning: deque[str] = deque(cards.learning_now)
        self._ready_review: deque[str] = deque(cards.review_now)
        if deck_allowance is not None:
            self._new = deque(_within_allowance(self._new, deck_allowance, 0))
            self._ready_review = deque(_within_allowance(self._ready_review, deck_allowance, 1))
        self.order, self._recall = order, recall
        self._ordered_reviews()
        self._reviews_since_new = 0
        self._buried_siblings: dict[str, str] = {}  # sibling -> the card whose answer buried it
        if siblings is not None:
            today = ledger.answered_on.get(study_day(now.timestamp()), ())
            for card_id in dict.fromkeys(answer[0] for answer in today):
                if not siblings(card_id):
                    continue  # most cards stand alone: their records are not read
                record = records.get(card_id)  # still answered today (not undone since)
                if record is not None and (record.fsrs or {}).get("last_review", "") >= today_iso:
                    self._bury_siblings(card_id)

    def _ordered_reviews(self) -> None:
        """The day's reviews in the learner's order: by due time as they come, the most at
        risk of being forgotten first (`recall` ascending), or shuffled (the same way all day)."""
        if self.order == "retrievability" and self._recall is not None:
            recall = self._recall

            def risk(card_id: str) -> float:
                found = recall(card_id)
                return 1.0 if found is None else found

            self._ready_review = deque(sorted(self._ready_review, key=risk))
        elif self.order == "random":
            shuffled = list(self._ready_review)
            random.Random(self._today).shuffle(shuffled)
            self._ready_review = deque(shuffled)

    def _is_current(self, due_ts: float, card_id: str) -> bool:
        record = self.ledger.records.get(card_id)
        return (
            record is not None
            and not record.is_new
            and record.due_ts == due_ts
            and not record.suspended
            and card_id not in self._buried_siblings
        )

    def _popped(self, due_ts: float, card_id: str) -> bool:
        """Whether a heap entry just taken off is the card's live one and still due then."""
        if self._heaped.get(card_id) != due_ts:
            return False
        del self._heaped[card_id]
        return self._is_current(due_ts, card_id)

    def _advance(self, now_ts: float) -> None:
        """Move every card now due to the ready lists: a learning card when its minute comes,
        a review card when its study day does."""
        if now_ts >= self._day_end:  # a new study day: yesterday's buried siblings come back
            self._day_end = next_day_start(datetime.fromtimestamp(now_ts)).timestamp()
            for card_id in list(self._buried_siblings):
                del self._buried_siblings[card_id]
                self.requeue(card_id)
            self._ready_review.extend(self._reviews_falling_due(now_ts))
            self._today = study_day(now_ts)
            self._ordered_reviews()
        while self._learning_heap and self._learning_heap[0][0] <= now_ts:
            due_ts, card_id = heapq.heappop(self._learning_heap)
            if self._popped(due_ts, card_id):
                self._learning.pop(card_id, None)
                if self.ledger.records[card_id].in_learning:
                    self._ready_learning.append(card_id)
        while self._review_heap and self._review_heap[0][0] < self._day_end:
            due_ts, card_id = heapq.heappop(self._review_heap)
            if self._popped(due_ts, card_id) and not self.ledger.records[card_id].in_learning:
                self._ready_review.append(card_id)

    def _waiting_reviews(self, now_ts: float) -> list[tuple[float, str]]:
        """Every review card of the deck order that may be shown and is queued nowhere (not
        ready, not requeued in a heap), with its due time."""
        queued = set(self._ready_review)
        heaped, buried = self._heaped, self._buried_siblings
        cards = where_now(self.ledger.records, self._deck_order, now_ts, math.inf)
        return [
            (due_ts, card_id)
            for due_ts, card_id in zip(cards.review_due, cards.review_now, strict=True)
            if card_id not in heaped and card_id not in queued and card_id not in buried
        ]

    def _reviews_falling_due(self, now_ts: float) -> list[str]:
        """The reviews not queued yet that are due by the end of the (new) study day."""
        waiting = self._waiting_reviews(now_ts)  # by due time
        return [card_id for due_ts, card_id in waiting if due_ts < self._day_end]

    def _front(self, cards: deque[str], now_ts: float, new: bool) -> str | None:
        """The first card of `cards` still waiting, dropping the stale ones on the way."""
        while cards:
            card_id = cards[0]
            record = self.ledger.record(card_id)
            if new:
                due = record.is_new
            elif record.is_new:
                due = False
            elif record.in_learning:
                due = (record.due_ts or 0) <= now_ts
            else:
                due = (record.due_ts or 0) < self._day_end
            if due and record.available(now_ts) and card_id not in self._buried_siblings:
                return card_id
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

    def answered(self, card_id: str, was_new: bool, used_review_allowance: bool) -> None:
        """Count an answer against today's limits, queue the card at its new due time and
        bury its siblings. A (re)learning step uses no allowance, as in Anki."""
        for ready in (self._ready_learning, self._ready_review, self._new):
            if ready and ready[0] == card_id:
                ready.popleft()
        if was_new:
            self.limits.new_left -= 1
            self._reviews_since_new = 0
        else:
            self._reviews_since_new += 1
        if used_review_allowance:
            self.limits.reviews_left -= 1
        self.requeue(card_id)
        self._bury_siblings(card_id)

    def undo_answer(self, card_id: str, was_new: bool, used_review_allowance: bool) -> None:
        """Give back the allowance an undone answer used, and the siblings it buried."""
        if was_new:
            self.limits.new_left += 1
        if used_review_allowance:
            self.limits.reviews_left += 1
        for sibling in [s for s, by in self._buried_siblings.items() if by == card_id]:
            del self._buried_siblings[sibling]
            self.requeue(sibling)

    @property
    def buried_siblings(self) -> frozenset[str]:
        """Cards held back until tomorrow because a card of their note was answered today."""
        return frozenset(self._buried_siblings)

    def release_siblings(self, card_ids: Iterable[str]) -> None:
        """Show these held-back cards today after all (the learner unburied them)."""
        for card_id in card_ids:
            if self._buried_siblings.pop(card_id, None) is not None:
                self.requeue(card_id)

    def _bury_siblings(self, card_id: str) -> None:
        """Bury the new and review cards of the note `card_id` belongs to (not learning ones)."""
        if self.siblings is None:
            return
        for sibling in self.siblings(card_id):
            record = self.ledger.record(sibling)
            if sibling == card_id or sibling in self._buried_siblings or record.in_learning:
                continue
            if self.ledger.unburied_on(sibling) == self._today:
                continue  # unburied by the learner today
            self._buried_siblings[sibling] = card_id
            for ready in (self._ready_review, self._new):
                if sibling in ready:
                    ready.remove(sibling)  # so the counts are exact at once

    def requeue(self, card_id: str) -> None:
        """Queue a card again after its record changed (answered, undone, unburied)."""
        record = self.ledger.record(card_id)
        if record.is_new:
            self._new.appendleft(card_id)
        elif record.due_ts is not None and self._heaped.get(card_id) != record.due_ts:
            self._heaped[card_id] = record.due_ts
            if record.in_learning:
                heapq.heappush(self._learning_heap, (record.due_ts, card_id))
                self._learning[card_id] = record.due_ts
            else:
                heapq.heappush(self._review_heap, (record.due_ts, card_id))
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

    def later_today(self, now: datetime) -> int:
        """Learning cards that fall due later in this study day (beyond the 20 minutes
        `counts` looks ahead): reviews of the day are all due now already."""
        now_ts = now.timestamp()
        self._advance(now_ts)
        ahead = now_ts + LEARN_AHEAD.total_seconds()
        return sum(
            1
            for card_id, due_ts in self._learning.items()
            if ahead < due_ts < self._day_end and self._is_current(due_ts, card_id)
        )

    def learning_due_times(self) -> list[float]:
        """When each learning card not yet shown falls due (what `counts` and `later_today`
        change with as time goes by)."""
        return [due_ts for card_id, due_ts in self._learning.items()
                if self._is_current(due_ts, card_id)]  # fmt: skip

    def next_due(self, now: datetime) -> datetime | None:
        """When the next card will be shown: a learning step's minute, or the start of the
        study day a review falls due on."""
        moments = [
            due_ts for due_ts, card_id in self._learning_heap if self._is_current(due_ts, card_id)
        ]
        reviews = [d for d, c in self._review_heap if self._is_current(d, c)]
        reviews += [d for d, _ in self._waiting_reviews(now.timestamp()) if d >= self._day_end]
        if reviews:
            first = datetime.fromtimestamp(min(reviews)).astimezone()
            moments.append(study_day_start(first).timestamp())
        return datetime.fromtimestamp(min(moments)).astimezone() if moments else None
