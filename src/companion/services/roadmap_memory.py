"""Memory on the roadmap: for each item and phase with linked cards (written from the item, or
marked `<!-- item: ID -->`), how much of them the learner still remembers now."""

from collections.abc import Callable
from datetime import datetime

from companion.config import Settings
from companion.content.deck import deck_name
from companion.content.loader import Library
from companion.content.roadmap import Phase, Roadmap
from companion.services.study_session import deck_scheduling
from companion.srs.memory import Memory, MemoryMeter
from companion.store import Store


def _decays(library: Library, settings: Settings) -> Callable[[str], float]:
    """Each card's FSRS decay (w[20]) from its deck's options, looked up once per deck file,
    and not per card at all when every deck has the same."""
    of_deck = deck_scheduling(settings)
    cards = library.cards
    by_source = {
        source: of_deck(deck_name(source)).scheduler.parameters[20] for source in cards.sources()
    }
    if len(set(by_source.values())) <= 1:
        only = next(iter(by_source.values()), of_deck("").scheduler.parameters[20])
        return lambda _card_id: only
    return lambda card_id: by_source[cards.source_of(card_id)]


class RoadmapMemory:
    """Memories of items and phases, measured when asked (each from its own cards)."""

    def __init__(self, library: Library, store: Store, settings: Settings) -> None:
        self.library, self.store, self.settings = library, store, settings
        decays = _decays(library, settings)
        self.meter = MemoryMeter(lambda: store.ledger, decays, settings.desired_retention)
        self._phase_cards: dict[tuple[str, ...], list[str]] = {}
        self._phase_cards_of: dict | None = None  # the catalog's links they were listed from

    def cards_of(self, item_ids: list[str]) -> list[str]:
        by_item = self.library.cards.cards_of_items()
        return [card for item_id in item_ids for card in by_item.get(item_id, ())]

    def _cards_of_phase(self, phase: Phase) -> list[str]:
        """The phase's cards, listed again only once a card was written, edited or removed
        (the catalog makes its links anew): the plans kept ahead measure each phase again."""
        by_item = self.library.cards.cards_of_items()
        if by_item is not self._phase_cards_of:
            self._phase_cards, self._phase_cards_of = {}, by_item
        key = tuple(item.id for item in phase.items)  # a roadmap updated: its phases anew
        found = self._phase_cards.get(key)
        if found is None:
            found = self._phase_cards[key] = self.cards_of(list(key))
        return found

    def _measure(self, cards: list[str], now: datetime) -> Memory | None:
        return self.meter.memory(cards, now) if cards else None

    def of_item(self, item_id: str, now: datetime) -> Memory | None:
        """None when no card is linked to the item."""
        return self._measure(self.cards_of([item_id]), now)

    def of_items(self, roadmap: Roadmap, now: datetime) -> dict[str, Memory]:
        """Every item of the roadmap that has cards."""
        linked = self.library.cards.cards_of_items()
        return {
            item.id: memory
            for item in roadmap.items
            if item.id in linked and (memory := self._measure(linked[item.id], now))
        }

    def of_phases(self, roadmap: Roadmap, now: datetime) -> dict[str, Memory]:
        """Every phase of the roadmap whose items have cards."""
        found = {}
        for phase in roadmap.phases:
            memory = self._measure(self._cards_of_phase(phase), now)
            if memory is not None:
                found[phase.id] = memory
        return found

    def weak_phases(self, now: datetime) -> list[tuple[Roadmap, str, str, Memory]]:
        """(roadmap, phase id, phase title, memory) of every phase remembered below the
        desired retention, the weakest first."""
        weak = []
        for roadmap in self.library.roadmaps:
            titles = {phase.id: phase.title for phase in roadmap.phases}
            for phase_id, memory in self.of_phases(roadmap, now).items():
                if memory.weak:
                    weak.append((roadmap, phase_id, titles[phase_id], memory))
        return sorted(weak, key=lambda w: w[3].retrievability or 0.0)
