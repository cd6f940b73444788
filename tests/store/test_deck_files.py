"""Cards the learner writes go at the end of their deck; a deck file never grows past what a
deck may hold to be read (then the deck goes on in NAME.part-2.md)."""

from pathlib import Path

from companion.content.loader import load_library
from companion.content.textfile import MAX_BYTES
from companion.store.deck_files import append_card


def test_a_card_written_to_a_full_deck_goes_on_in_its_next_part(tmp_path: Path):
    decks = tmp_path / "decks"
    decks.mkdir()
    full = decks / "Notes.md"
    text = "# Notes\n\n" + "".join(f"Q: Filler {n}?\nA: {'x' * 900}\n\n" for n in range(23_000))
    full.write_bytes(text.encode()[: MAX_BYTES - 1000].rsplit(b"\n\n", 1)[0] + b"\n")
    assert MAX_BYTES - 2000 < full.stat().st_size <= MAX_BYTES
    before = full.read_bytes()
    written = append_card(full, "Q: A new one?\nA: " + "y" * 3000)
    assert written == decks / "Notes.part-2.md"
    assert full.read_bytes() == before  # the full file as it was
    assert append_card(full, "Q: And another?\nA: " + "z" * 3000) == written  # room there
    library = load_library([tmp_path])
    assert library.problems == []
    fronts = {library.cards[c].front for c in library.cards.ids()}
    assert {"A new one?", "And another?", "Filler 0?"} <= fronts
