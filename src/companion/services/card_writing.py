"""Adding and editing cards from the app: written to the learner's Markdown, history kept.

Every write reads the deck again and finds what it changes by its text: the learner may have
edited the file while the app was open.
"""

from collections.abc import Callable
from pathlib import Path

from companion.content.deck import Card, format_card, parse_deck
from companion.content.loader import Library
from companion.content.textfile import read_markdown
from companion.services.review import card_text, text_fields
from companion.srs.linking import plan_relinks
from companion.store import Store
from companion.store.deck_files import CardNotFound, append_card, my_deck_path, replace_card

__all__ = ["CardNotFound", "add_card", "edit_card", "keep_history", "reload_deck", "siblings"]


def reload_deck(library: Library, path: Path) -> list[Card]:
    """Re-read one deck file into the library; return the cards it holds now."""
    deck = parse_deck(read_markdown(path), path.stem, str(path))
    for card_id in library.cards.ids_in(str(path)):
        del library.cards[card_id]
    for card in deck.cards:
        library.cards.setdefault(card.id, card)
    return deck.cards


def add_card(
    library: Library, store: Store, front: str, back: str, item_id: str | None
) -> list[Card]:
    """Append a card to the learner's deck; return the new card(s) (a cloze may make several).

    The cards returned are those the written block holds, not whatever else the file gained.
    """
    path = my_deck_path(store.data_dir)
    block = format_card(front, back, item_id)
    written = {card.id for card in parse_deck(block).cards}
    append_card(path, block)
    return [card for card in reload_deck(library, path) if card.id in written]


def siblings(library: Library, card: Card) -> list[Card]:
    """The cards written by the same Markdown (the clozes of one sentence), in order."""
    if card.note_key is None:
        return [card]
    same_file = [library.cards[card_id] for card_id in library.cards.ids_in(card.source)]
    return [c for c in same_file if c.note_key == card.note_key]


def edit_card(library: Library, store: Store, card: Card, front: str, back: str) -> list[Card]:
    """Rewrite a card in the learner's deck (a bundled card is copied there) keeping its history.

    Raises CardNotFound, writing nothing, when the deck no longer holds the card as shown;
    the deck is then read again so the learner sees it as it is.
    """
    old_cards = siblings(library, card)
    path = Path(card.source)
    if path.is_relative_to(store.data_dir) and path.exists():
        try:
            replace_card(path, {old.id for old in old_cards}, format_card(front, back))
        except CardNotFound:
            reload_deck(library, path)
            raise
    else:
        path = my_deck_path(store.data_dir)
        append_card(path, format_card(front, back, card.item_id))
        for old in old_cards:
            library.cards.pop(old.id, None)
    written = {new.id for new in parse_deck(format_card(front, back)).cards}
    new_cards = [c for c in reload_deck(library, path) if c.id in written]
    keep_history(store, old_cards, new_cards)
    return new_cards


def keep_history(
    store: Store,
    old_cards: list[Card],
    new_cards: list[Card],
    commit: Callable[[dict], object] | None = None,
) -> None:
    """Relink each old card to the new card it became: a basic card to its new text, a cloze
    to the deletion that hides the same text (or has the same number), however renumbered.
    `commit`: where the events go (the log at once, by default; an import logs them last,
    with the rest of what it logs)."""
    commit = commit or store.commit
    old = {c.id: card_text(c) for c in old_cards if c.id not in {n.id for n in new_cards}}
    new = {c.id: card_text(c) for c in new_cards if c.id not in {o.id for o in old_cards}}
    records = store.ledger.records
    with_history = {cid for cid in old if cid in records and records[cid].passes_history_on}
    pairs = plan_relinks(old, new, threshold=0.0, any_deck=True)
    if not pairs and len(old) == 1 and new:  # one card rewritten as another kind (a cloze)
        pairs = [(next(iter(old)), next(iter(new)))]
    # Every pair is logged, history or not: a revert by hand later follows the lineage back.
    for old_id, new_id in pairs:
        card = next(c for c in new_cards if c.id == new_id)
        fields = text_fields(card)
        commit({"kind": "relink", "from": old_id, "to": new_id, "edited": True, **fields})
    for old_id in with_history - {old_id for old_id, _ in pairs}:
        commit({"kind": "delete", "card": old_id, "edited": True})  # a cloze removed
