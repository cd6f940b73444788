"""Adding and editing cards from the app: written to the learner's Markdown, history kept."""

from pathlib import Path

from companion.content.deck import Card, format_card, parse_deck
from companion.content.loader import Library
from companion.content.textfile import MAX_BYTES, read_markdown
from companion.files import read_text_file
from companion.services.review import text_fields
from companion.store import Store
from companion.store.deck_files import append_card, my_deck_path, replace_card


def _reload_deck(library: Library, path: Path) -> list[Card]:
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
    """Append a card to the learner's deck; return the new card(s) (a cloze may make several)."""
    path = my_deck_path(store.data_dir)
    before = set(library.cards.ids_in(str(path)))
    append_card(path, format_card(front, back, item_id))
    return [card for card in _reload_deck(library, path) if card.id not in before]


def siblings(library: Library, card: Card) -> list[Card]:
    """The cards written by the same Markdown (the clozes of one sentence), in order."""
    same_file = [library.cards[card_id] for card_id in library.cards.ids_in(card.source)]
    return [c for c in same_file if c.line == card.line]


def edit_card(library: Library, store: Store, card: Card, front: str, back: str) -> list[Card]:
    """Rewrite a card in the learner's deck (a bundled card is copied there) keeping its history."""
    old_cards = siblings(library, card)
    path = Path(card.source)
    block = format_card(front, back, card.item_id)
    if path.is_relative_to(store.data_dir) and path.exists():
        start = card.line
        lines = read_text_file(path, MAX_BYTES).splitlines()
        if card.item_id and start >= 2 and "item:" in lines[start - 2]:
            start -= 1
        replace_card(path, start, card.end_line, block)
    else:
        path = my_deck_path(store.data_dir)
        append_card(path, block)
        for old in old_cards:
            library.cards.pop(old.id, None)
    before = set(library.cards.ids_in(str(path))) - {old.id for old in old_cards}
    new_cards = [c for c in _reload_deck(library, path) if c.id not in before]
    for old, new in zip(old_cards, new_cards, strict=False):
        if old.id != new.id:
            store.commit(
                {"kind": "relink", "from": old.id, "to": new.id, "edited": True, **text_fields(new)}
            )
    return new_cards
