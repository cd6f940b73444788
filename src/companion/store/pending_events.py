"""Events applied to the ledger but not in the log yet (a batch being written), found by card.

Merging another machine's log applies thousands of events in one batch, and each one that
arrives out of time order asks for its card's events so far: scanning the whole batch for each
made a merge of 5,000 events take 5 seconds.
"""

from collections.abc import Iterator

from companion.srs.event_order import cards_named


class PendingEvents:
    """The events of the batch in the order applied, with where each card's are."""

    def __init__(self) -> None:
        self._events: list[dict] = []
        self._by_card: dict[str, list[int]] = {}

    def append(self, event: dict) -> None:
        at = len(self._events)
        self._events.append(event)
        for card in cards_named(event):
            self._by_card.setdefault(card, []).append(at)

    def clear(self) -> None:
        self._events.clear()
        self._by_card.clear()

    def __iter__(self) -> Iterator[dict]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)

    def naming(self, card_ids: set[str]) -> Iterator[dict]:
        """The events that name any of these cards, in the order they were applied."""
        places = sorted({at for card in card_ids for at in self._by_card.get(card, ())})
        return (self._events[at] for at in places)
