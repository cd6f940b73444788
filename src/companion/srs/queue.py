"""Which cards to show now: due reviews and learning cards first, then new cards within limits."""

from dataclasses import dataclass
from datetime import datetime

from companion.srs.scheduling import due_at, is_new


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


@dataclass(frozen=True)
class DailyLimits:
    """What is left of today's allowance of new cards and reviews."""

    new_left: int
    reviews_left: int


def build_queue(
    card_ids: list[str], states: dict[str, dict], now: datetime, limits: DailyLimits
) -> list[str]:
    """The cards to review now, in order: due cards by due time, then new cards in deck order."""
    due = [cid for cid in card_ids if not is_new(states.get(cid)) and due_at(states[cid]) <= now]
    due.sort(key=lambda cid: due_at(states[cid]))
    new = [cid for cid in card_ids if is_new(states.get(cid))]
    return due[: max(limits.reviews_left, 0)] + new[: max(limits.new_left, 0)]


def next_due(card_ids: list[str], states: dict[str, dict]) -> datetime | None:
    """When the earliest answered card falls due again, for an empty queue's message."""
    dues = [due_at(states[cid]) for cid in card_ids if not is_new(states.get(cid))]
    return min(dues, default=None)
