"""A ledger over a log kept in memory, for tests that replay events without a store."""

from collections import defaultdict

from fsrs import Scheduler

from companion.srs.event_order import cards_named
from companion.srs.ledger import Ledger


class MemoryLog:
    """Events applied to a ledger and kept, so it can replay a card that gets one out of order."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.events: list[dict] = []
        self._by_card: dict[str, list[dict]] = defaultdict(list)
        self.ledger = Ledger(scheduler, history=self.naming)

    def naming(self, card_ids: set[str]) -> list[dict]:
        """The events applied so far that name any of these cards."""
        return [e for card in card_ids for e in self._by_card.get(card, ())]

    def apply(self, event: dict) -> None:
        """Apply the event, then keep it (the ledger's history is what it applied before)."""
        self.ledger.apply(event)
        self.events.append(event)
        for card in cards_named(event):
            self._by_card[card].append(event)
