"""A custom study session (Anki's filtered deck): the cards a search found, each shown once in
order whatever its due date, answered and rescheduled as usual; outside the daily limits."""

from collections import deque
from collections.abc import Iterable
from datetime import datetime

from companion.srs.ledger import Ledger
from companion.srs.review_queue import LEARN_AHEAD, DailyLimits, QueueCounts


class CustomQueue:
    """The review queue's interface over a fixed list of cards."""

    def __init__(self, card_ids: list[str], ledger: Ledger, limits: DailyLimits) -> None:
        self.ledger = ledger
        self.limits = limits
        """Kept for the session that rebuilds queues; a custom session does not use it."""
        self._waiting: deque[str] = deque(card_ids)
        self._learning: dict[str, float] = {}

    @property
    def buried_siblings(self) -> frozenset[str]:
        """None: a custom session shows what the search found, siblings included."""
        return frozenset()

    def release_siblings(self, card_ids: Iterable[str]) -> None:
        """Nothing is held back here."""

    def _front(self, now_ts: float) -> str | None:
        while self._waiting:
            if self.ledger.record(self._waiting[0]).available(now_ts):
                return self._waiting[0]
            self._waiting.popleft()
        return None

    def next_card(self, now: datetime) -> str | None:
        """A learning step now due, else the next card found, else a step due soon."""
        now_ts = now.timestamp()
        due = [(d, c) for c, d in self._learning.items() if d <= now_ts]
        if due:
            return min(due)[1]
        found = self._front(now_ts)
        if found is not None:
            return found
        soon = [(d, c) for c, d in self._learning.items() if d <= now_ts + LEARN_AHEAD.seconds]
        return min(soon)[1] if soon else None

    def answered(self, card_id: str, was_new: bool, used_review_allowance: bool) -> None:
        """Done with this card, unless its answer put it in a learning step (Again)."""
        if self._waiting and self._waiting[0] == card_id:
            self._waiting.popleft()
        self._learning.pop(card_id, None)
        record = self.ledger.record(card_id)
        if record.in_learning and record.due_ts is not None:
            self._learning[card_id] = record.due_ts

    def undo_answer(self, card_id: str, was_new: bool, used_review_allowance: bool) -> None:
        """The undone card is shown again (requeue puts it back in front)."""
        self._learning.pop(card_id, None)

    def requeue(self, card_id: str) -> None:
        """Put a card back in front (after an undo)."""
        if card_id not in self._waiting:
            self._waiting.appendleft(card_id)

    def learning_due_times(self) -> list[float]:
        """When each learning step of this session falls due."""
        return list(self._learning.values())

    def later_today(self, now: datetime) -> int:
        """A custom session holds what its search found, all of it now."""
        return 0

    def counts(self, now: datetime) -> QueueCounts:
        """Cards still to see in this session: new ones, learning steps, the others."""
        records = self.ledger.records
        new = sum(1 for c in self._waiting if c not in records or records[c].is_new)
        return QueueCounts(new, len(self._learning), len(self._waiting) - new)

    def next_due(self, now: datetime) -> datetime | None:
        """When the next learning step falls due."""
        if not self._learning:
            return None
        return datetime.fromtimestamp(min(self._learning.values())).astimezone()
