"""`companion cards import FILE.apkg|FILE.colpkg`: an Anki collection with its history."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from companion.cli.console import fail, say
from companion.config import Settings
from companion.store import open_store
from companion.store.anki_package import AnkiPackageError, read_package
from companion.text import plural


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """An import makes millions of objects that live until it ends, and next to no cycles:
    the cycle collector walking them over and over took 7 of 50 seconds."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def import_anki_package(path: Path, data_dir: Path, settings: Settings) -> int:
    """Read the whole package first (a damaged one writes nothing), then import it."""
    from companion.services.anki_import import import_package

    say(f"Reading {path.name}…")
    with _cycle_collector_paused():
        store = open_store(data_dir, settings=settings, notice=say)
        try:
            try:  # the answers logged before are only counted
                package = read_package(path, store.logged_answers())
            except AnkiPackageError as error:
                return fail(str(error))
            try:
                report = import_package(store, package, datetime.now().astimezone())
            except OSError as error:  # every file it wrote is put back, the log untouched
                reason = error.strerror or str(error)
                where = f" ({error.filename})" if error.filename else ""
                return fail(f"{path}: not imported, nothing changed: {reason}{where}"[:300])
        finally:
            store.close()
    print(
        f"Imported {plural(report.notes_added, 'new note')}, updated "
        f"{plural(report.notes_updated, 'note')} ({report.notes_unchanged} unchanged), "
        f"{plural(report.cards, 'card')} in {plural(len(report.decks), 'deck')}; "
        f"{plural(report.reviews_added, 'answer')} of history added "
        f"({report.reviews_known} already there); {plural(report.media_copied, 'image')} copied."
    )
    if report.deck_options:
        print(
            f"Deck options of {plural(report.deck_options, 'deck')} (limits, steps, desired "
            "retention, maximum interval, leech threshold, FSRS parameters) saved in "
            "deck-options.toml; your own [decks] tables in config.toml take precedence."
        )
    if report.occlusions:
        print(
            f"Image Occlusion: {plural(report.occlusions, 'note')} drawn as image cards, one "
            "per masked part."
        )
    if report.typed:
        print(
            f"Type-in: {plural(report.typed, 'note')} ask for a typed answer; here too, type "
            "it, then enter to compare it with the answer."
        )
    for what, count in sorted(report.approximated.items()):
        print(f"Approximated: {what} ({plural(count, 'note')}).")
    for problem in report.problems[:20]:
        print(problem)
    return 0


def export_anki_package(data_dir: Path, content_dirs: list[Path], path: Path) -> int:
    """Write every card as an .apkg Anki imports with its history: notes from Anki in their
    own note types, ids and GUIDs; the learner's as Basic, reversed and Cloze notes."""
    from datetime import datetime

    from companion.content.loader import load_library
    from companion.services.anki_way_back import gather
    from companion.store.anki_collection_writer import write_collection

    library = load_library(content_dirs)
    store = open_store(data_dir, read_only=True)
    try:
        out = gather(library, store, datetime.now().astimezone())
    finally:
        store.close()
    try:
        write_collection(path, out.notetypes, out.notes, out.revlog, out.media, out.crt)
    except OSError as error:
        return fail(f"{path}: cannot write ({error.strerror or error})")
    cards = sum(len(note.cards) for note in out.notes)
    decks = len({card.deck for note in out.notes for card in note.cards})
    print(
        f"Exported {plural(len(out.notes), 'note')} ({plural(cards, 'card')}) in "
        f"{plural(decks, 'deck')} with {plural(len(out.revlog), 'answer')} of history and "
        f"{plural(len(out.media), 'media file')} to {path}"
        + (
            f"; {plural(out.edited, 'note')} edited here go back with their new text"
            if out.edited
            else ""
        )
    )
    for problem in out.problems:
        print(problem)
    return 0
