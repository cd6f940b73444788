"""Every card by id, where a deck that came from the cache is decoded only when it is read.

At start-up the review queue needs only the ids, in deck order; the text of a card is needed
when it is shown. So a cached deck enters the catalog as its list of ids and one loader, and
its cards are built, all at once, the first time one of them is looked up.
"""

from collections.abc import Callable, Iterable, Iterator, KeysView, MutableMapping
from dataclasses import dataclass

from companion.content.deck import Card


@dataclass(eq=False)
class _Pending:
    """A cached deck not decoded yet."""

    source: str
    ids: list[str]
    load: Callable[[], list[Card]]
    clozes: frozenset[str] = frozenset()
    links: dict[str, str] | None = None
    unpacked: bool = False


class CardCatalog(MutableMapping[str, Card]):
    """Cards by id in the order their decks were loaded; the first deck to hold an id keeps it."""

    def __init__(self) -> None:
        self._cards: dict[str, Card | _Pending] = {}
        self._packed: list[_Pending] = []
        self._per_source: dict[str, int] = {}  # deck file -> how many of the cards it holds
        self._links: dict[str, str] = {}  # card -> the roadmap item it is linked to
        self._by_item: dict[str, list[str]] | None = None

    def _counted(self, source: str, change: int) -> None:
        self._per_source[source] = self._per_source.get(source, 0) + change

    def add_deck_lazily(
        self,
        source: str,
        ids: list[str],
        load: Callable[[], list[Card]],
        clozes: Iterable[str] = (),
        links: dict[str, str] | None = None,
    ) -> None:
        """Add a deck's cards by id; `load` builds them the first time one is looked up.
        `clozes`: which of them are clozes; `links`: the roadmap item of those linked to one."""
        pending = _Pending(source, ids, load, frozenset(clozes), links or None)
        self._packed.append(pending)
        cards = self._cards
        before = len(cards)
        if cards.keys().isdisjoint(ids):  # as a rule: added in one step, in C
            cards.update(dict.fromkeys(ids, pending))
        else:
            setdefault = cards.setdefault
            for card_id in ids:
                setdefault(card_id, pending)
        self._counted(source, len(cards) - before)
        if links:
            self._by_item = None
            for card_id, item_id in links.items():
                if cards.get(card_id) is pending:
                    self._links[card_id] = item_id

    def cards_of_items(self) -> dict[str, list[str]]:
        """The cards linked to each roadmap item (`<!-- item: ID -->`, or written from it),
        without decoding any deck."""
        if self._by_item is None:
            by_item: dict[str, list[str]] = {}
            for card_id, item_id in self._links.items():
                by_item.setdefault(item_id, []).append(card_id)
            self._by_item = by_item
        return self._by_item

    def unpack_one(self) -> bool:
        """Unpack one deck still packed, so no answer has to wait for it; False when none is."""
        while self._packed:
            pending = self._packed.pop()
            if not pending.unpacked:
                self._decode(pending)
                return True
        return False

    def _decode(self, pending: _Pending) -> None:
        pending.unpacked = True
        cards = self._cards
        for card in pending.load():
            if cards.get(card.id) is pending:
                cards[card.id] = card
                if card.source != pending.source:
                    self._counted(pending.source, -1)
                    self._counted(card.source, +1)
        for card_id in pending.ids:
            if cards.get(card_id) is pending:
                del cards[card_id]  # the loader did not deliver it: the cache was out of step
                self._counted(pending.source, -1)

    def __getitem__(self, card_id: str) -> Card:
        value = self._cards[card_id]
        if isinstance(value, _Pending):
            self._decode(value)
            value = self._cards[card_id]
        return value  # type: ignore[return-value]

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._cards

    def __setitem__(self, card_id: str, card: Card) -> None:
        old = self._cards.get(card_id)
        if old is not None:
            self._counted(old.source, -1)
        self._cards[card_id] = card
        self._counted(card.source, +1)
        if card.item_id or card_id in self._links:
            self._by_item = None
            if card.item_id:
                self._links[card_id] = card.item_id
            else:
                del self._links[card_id]

    def __delitem__(self, card_id: str) -> None:
        self._counted(self._cards.pop(card_id).source, -1)
        if self._links.pop(card_id, None) is not None:
            self._by_item = None

    def __iter__(self) -> Iterator[str]:
        return iter(self._cards)

    def __len__(self) -> int:
        return len(self._cards)

    def ids(self) -> KeysView[str]:
        """Every card id, as a set-like view (set operations run without decoding anything)."""
        return self._cards.keys()

    def is_cloze(self, card_id: str) -> bool:
        """Whether the card is a cloze, without decoding its deck."""
        value = self._cards[card_id]
        if isinstance(value, _Pending):
            return card_id in value.clozes
        return value.cloze_text is not None

    def source_of(self, card_id: str) -> str:
        """The deck file a card comes from, without decoding its deck."""
        return self._cards[card_id].source

    def sources(self) -> set[str]:
        """Every deck file that has cards here (counted as they come and go: at 200,000 cards,
        asking each card took a tenth of the queue's start-up)."""
        return {source for source, held in self._per_source.items() if held > 0}

    def ids_in(self, source: str) -> list[str]:
        """The ids of the cards that come from one deck file, without decoding other decks."""
        return [
            card_id
            for card_id, value in self._cards.items()
            if value.source == source  # a Card and a _Pending both know their file
        ]

    def ids_from(self, sources: set[str]) -> set[str]:
        """The ids of the cards of any of these deck files, in one pass, decoding nothing."""
        return {card_id for card_id, value in self._cards.items() if value.source in sources}

    def __repr__(self) -> str:
        return f"CardCatalog({len(self._cards)} cards)"
