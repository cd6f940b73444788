"""The records cards had before their latest undoable events, so an undo puts one back at
once instead of replaying the card's history. Only the last few are kept."""

from collections import deque

from companion.srs.card_record import CardRecord

KEPT = 64


class PriorRecords:
    """Per card, a stack of (event, record before it) for the card's latest changes here."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._stacks: dict[str, list[tuple[dict, CardRecord | None]]] = {}
        self._order: deque[str] = deque()  # the card of every entry, oldest first

    def push(self, card_id: str, event: dict, before: CardRecord | None) -> None:
        """`event` is now the card's newest change, made to `before` (None: no record yet)."""
        self._stacks.setdefault(card_id, []).append((event, before))
        self._order.append(card_id)
        while len(self._order) > self.kept:
            oldest = self._order.popleft()
            stack = self._stacks.get(oldest)
            if stack:
                stack.pop(0)
                if not stack:
                    del self._stacks[oldest]

    def pop(self, card_id: str, event_id: str) -> tuple[dict, CardRecord | None] | None:
        """The event and the record before it, if `event_id` is the card's newest change
        known here (it is taken off); None otherwise."""
        stack = self._stacks.get(card_id)
        if not stack or stack[-1][0]["id"] != event_id:
            return None
        entry = stack.pop()
        if not stack:
            del self._stacks[card_id]
        self._order.reverse()
        self._order.remove(card_id)  # its newest entry
        self._order.reverse()
        return entry

    def forget(self, card_id: str) -> None:
        """The card changed some other way: what was kept of it no longer applies."""
        if self._stacks.pop(card_id, None) is not None:
            self._order = deque(card for card in self._order if card != card_id)
