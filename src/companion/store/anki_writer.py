"""Writing an .apkg package Anki imports, with genanki (a well-kept library that knows Anki's
schema), atomically: a failed export leaves no half-written file."""

import hashlib
from pathlib import Path

import genanki

from companion.content.anki_export import ExportNote
from companion.store.atomic_file import replace_atomically

MODELS = {
    "basic": genanki.BASIC_MODEL,
    "reversed": genanki.BASIC_AND_REVERSED_CARD_MODEL,
    "cloze": genanki.CLOZE_MODEL,
}


def _deck_id(name: str) -> int:
    """A stable id per deck name, so exporting again updates the same decks in Anki."""
    return int(hashlib.sha1(name.encode()).hexdigest()[:15], 16)


def write_apkg(path: Path, notes: list[ExportNote], media: list[Path]) -> None:
    """Write the notes, grouped in their decks, and the media files they show."""
    decks: dict[str, genanki.Deck] = {}
    for note in notes:
        deck = decks.get(note.deck) or decks.setdefault(
            note.deck, genanki.Deck(_deck_id(note.deck), note.deck)
        )
        tags = [tag.replace(" ", "_") for tag in note.tags]
        deck.add_note(
            genanki.Note(model=MODELS[note.kind], fields=note.fields, tags=tags, guid=note.guid)
        )
    package = genanki.Package(list(decks.values()))
    package.media_files = [str(file) for file in media]
    path.parent.mkdir(parents=True, exist_ok=True)
    # genanki writes to a file name; the descriptor of the same file is synced after it
    replace_atomically(path, lambda _, temporary: package.write_to_file(str(temporary)))
