"""Bringing an Anki collection in: notes become Markdown decks (one file per Anki deck, the
hierarchy as folders), media is copied, and every review in the revlog becomes a review in
companion's log, so each card arrives with its history and Anki's state and due date.

Importing is idempotent: a note is known by its GUID (a `<!-- anki: GUID -->` line above it)
and an answer by its revlog id, so a second import updates notes that changed and adds only
new answers. Nothing is written before the whole package has been read.
"""

import hashlib
import html
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path

from companion.config import DECK_OPTIONS_FILE, load_settings, options_deck
from companion.content.anki_guid import marker_guid
from companion.content.deck import deck_name, parse_deck, part_path
from companion.files import MB, not_regular
from companion.services.anki_history import (
    HistoryCounts,
    completed,
    history_events,
    origin_events,
)
from companion.services.anki_notes import NoteText, plan_notes
from companion.services.anki_occlusion import occlusion_cards
from companion.services.anki_options import save_deck_options
from companion.services.anki_report import ImportReport
from companion.services.card_writing import keep_history
from companion.services.content_sources import load_content
from companion.services.review import text_fields
from companion.services.settings_sync import sync_settings
from companion.store import Store
from companion.store.anki_origins import KeptNote, KeptNoteType, keep, kept_notes, origin_files
from companion.store.anki_package import AnkiNote, AnkiPackage, AnkiPackageError, NoteType
from companion.store.atomic_file import replace_atomically, write_all
from companion.store.deck_files import MAX_BYTES, read_deck_text, write_learner_file
from companion.store.import_journal import ImportJournal
from companion.store.package_limits import MAX_NOTE_BYTES, READ_CHUNK

DECK_FILL_BYTES = MAX_BYTES * 9 // 10
"""An import fills a deck file up to here, and goes on in the next part: the rest of the cap
(what a deck file may hold to be read) is room for the cards the learner writes."""
HEADER_ROOM = 4096  # a part file's heading, and a deck name as long as a path may be
MARKER = re.compile(r"^<!-- anki: (?P<guid>\S+) -->$")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_IMAGE = re.compile(r"""<img[^>]*?\bsrc=(?:"([^"]+)"|'([^']+)'|([^\s>"']+))""", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")


@lru_cache(maxsize=1024)
def deck_path(data_dir: Path, deck: str) -> Path:
    """`ML::Math` -> decks/ML/Math.md (names made safe as file names)."""
    parts = [_UNSAFE.sub("_", part).strip(" .") or "_" for part in deck.split("::")]
    return data_dir / "decks" / Path(*parts[:-1]) / f"{parts[-1]}.md"


def _media_names(package: AnkiPackage) -> set[str]:
    """The images and sounds the notes use (names as Anki keeps them: spaces, accents)."""
    names = set()
    for note in package.notes:
        for value in note.fields:
            names.update(html.unescape(next(g for g in m if g)) for m in _IMAGE.findall(value))
            names.update(_SOUND.findall(value))
    return {name for name in names if name in package.media}


def _copy_media(
    package: AnkiPackage, data_dir: Path, report: ImportReport, journal: ImportJournal
) -> dict[str, Path]:
    """Copy the images notes use into media/ (same name and content: left as it is)."""
    folder = data_dir / "media"
    copied = {}
    if package.missing_media:
        shown = ", ".join(package.missing_media[:3]) + (
            ", …" if len(package.missing_media) > 3 else ""
        )
        report.problems.append(
            f"{len(package.missing_media)} media files the package lists are not in it: not "
            f"copied ({shown})"
        )
    changed = []
    for name in sorted(_media_names(package)):
        target = folder / _UNSAFE.sub("_", name)
        try:
            digest = _digest(package.media_chunks(name))
        except AnkiPackageError as error:
            report.problems.append(f"media file {name!r} not copied: {error}")
            continue
        if digest != _file_digest(target):
            changed.append((name, target))
        copied[name] = target
    journal.keep(*(target for _, target in changed))
    for name, target in changed:

        def write(fd: int, _: Path, name: str = name) -> None:
            for chunk in package.media_chunks(name):
                write_all(fd, chunk)

        target.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, write)
        report.media_copied += 1
    return copied


def _digest(chunks: Iterable[bytes]) -> bytes:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.digest()


def _file_digest(path: Path) -> bytes | None:
    """The file's digest, read in chunks (None when it is not there or not a regular file)."""
    try:
        if not_regular(path):
            return None
        with path.open("rb") as handle:
            return _digest(iter(lambda: handle.read(READ_CHUNK), b""))
    except OSError:
        return None


# -- history ---------------------------------------------------------------------
# -- writing -------------------------------------------------------------------
def note_spans(text: str) -> dict[str, tuple[int, int]]:
    """GUID -> (first line, line after) of each imported note in a deck's text."""
    found: dict[str, tuple[int, int]] = {}
    open_at: list[tuple[str, int]] = []  # notes begun and not yet ended by a blank line
    index = -1
    for index, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if not stripped:
            found.update((guid, (start, index)) for guid, start in open_at)
            open_at = []
        elif stripped.startswith("<!-- anki: ") and (match := MARKER.match(stripped)):
            open_at.append((marker_guid(match["guid"]), index))
    found.update((guid, (start, index + 1)) for guid, start in open_at)
    return found


def _decks_by_guid(data_dir: Path) -> dict[str, Path]:
    """Where each imported note is now (the learner may have moved it to another deck)."""
    where = {}
    for path in sorted((data_dir / "decks").rglob("*.md")):
        try:
            text = read_deck_text(path)
        except (OSError, UnicodeDecodeError):
            continue
        for guid in note_spans(text):
            where.setdefault(guid, path)
    return where


def import_package(store: Store, package: AnkiPackage, now: datetime) -> ImportReport:
    """Write the package's notes as decks, copy its images, and log its history: all of it,
    or (when anything fails, or the process is killed) none, the files put back as they were
    and the logs cut back (here, or by whoever next opens the data directory)."""
    journal = ImportJournal(store.local_dir, store.log_paths(), store.derived_paths())
    try:
        report = _import(store, package, now, journal)
    except BaseException:
        journal.restore()
        store.reload()
        raise
    journal.finish()
    return report


def _import(
    store: Store, package: AnkiPackage, now: datetime, journal: ImportJournal
) -> ImportReport:
    report = ImportReport()
    data_dir = store.data_dir
    copied = _copy_media(package, data_dir, report, journal)

    @cache
    def media_for(deck: str) -> dict[str, str]:
        folder = deck_path(data_dir, deck).parent
        return {name: os.path.relpath(path, folder) for name, path in copied.items()}

    def occlusion(note: AnkiNote, notetype: NoteType, deck: str) -> "tuple[str, list[int]] | str":
        fields = dict(zip(notetype.fields, note.fields, strict=False))
        return occlusion_cards(note, fields, copied, deck_path(data_dir, deck).parent, journaled)

    def journaled(path: Path, data: bytes) -> None:
        journal.keep(path)
        write_learner_file(path, data)

    report.problems.extend(
        f"note {guid!r} left out: its fields are over {MAX_NOTE_BYTES // MB} MB"
        for guid in package.oversized_notes
    )
    kept = kept_notes(data_dir)
    planned = _fitting(plan_notes(package, media_for, report, occlusion, kept), report)
    where = _decks_by_guid(data_dir)
    relinks: list[dict] = []  # edited notes' cards to their new ids, logged with the rest
    by_path: dict[Path, list[NoteText]] = defaultdict(list)
    for note in planned:
        by_path[where.get(note.note.guid) or deck_path(data_dir, note.deck)].append(note)
        report.decks.add(note.deck)
        report.cards += len(note.cards)
    writes: list[tuple[Path, str]] = []
    for path, notes in by_path.items():
        original = read_deck_text(path) if path.exists() else f"# {notes[0].deck}\n"
        updated, added = _placed(store, path, original, notes, report, relinks)
        writes.extend(_filled(path, original, updated, added, notes[0].deck))
    journal.keep(*(part for part, _ in writes), *origin_files(data_dir))
    for part, text in writes:
        write_learner_file(part, text)
    del writes
    _keep_origins(data_dir, package, planned, kept)
    # as the decks will list them (files in path order): the snapshot saves records so
    store.card_order = [c for p in sorted(by_path) for note in by_path[p] for _, c in note.cards]
    journal.keep(store.local_dir / DECK_OPTIONS_FILE)
    options_of = _deck_options(store, package, by_path, report)
    known = store.logged_answers()
    pairs = [pair for note in planned for pair in note.cards]
    counts = HistoryCounts()
    logged = store.card_origins()
    # Every deck read as the app will read it, which fills the parse cache: the first start
    # after the import would otherwise parse each card (1.7 s at 100,000 cards).
    cards = load_content(data_dir).cards
    texts = {  # the text of each card whose origin is not logged yet (a first import)
        card_id: text_fields(cards[card_id])
        for card_id in (c for note in planned for _, c in note.cards if c not in logged)
        if card_id in cards
    }
    del cards  # 100,000 parsed cards, not kept through the history's million answers
    origins = origin_events(package, pairs, store, texts, logged)
    events = history_events(package, pairs, known, now, counts)
    store.commit_many(
        chain(
            (lambda e=e: e for e in relinks),
            (lambda e=e: e for e in origins),
            (lambda e=e: completed(store, e, options_of.get(e["card"])) for e in events),
        )
    )
    report.reviews_added, report.reviews_known = counts.added, counts.known
    journal.keep(*store.settings_paths())  # the decks' options go to the other machines
    report.problems.extend(sync_settings(store).problems)
    return report


def _keep_origins(
    data_dir: Path, package: AnkiPackage, planned: list[NoteText], kept: dict[str, KeptNote]
) -> None:
    """Keep the note types and notes as Anki had them, for the way back."""
    used = {note.note.notetype_id for note in planned}
    types = [
        KeptNoteType(ntid, t.name, t.cloze, list(t.fields), [list(f) for f in t.formats], t.css)
        for ntid, t in package.notetypes.items()
        if ntid in used
    ]
    notes = [
        KeptNote(
            n.note.id,
            n.note.guid,
            n.note.notetype_id,
            list(n.note.fields),
            list(n.note.tags),
            n.note.modified,
            n.block,
            n.numbers,
            {str(card.ord): card_id for card, card_id in n.cards},
        )  # fmt: skip
        for n in planned
        if not n.kept_as_is
    ]
    keep(data_dir, types, notes, kept)


def _deck_options(
    store: Store, package: AnkiPackage, by_path: dict[Path, list[NoteText]], report: ImportReport
) -> dict[str, str]:
    """Save the options of the imported decks as companion's per-deck settings and schedule
    with them from now on; returns the options each imported card follows (card -> deck)."""
    by_name = {package.decks[d]: o for d, o in package.options.items() if d in package.decks}
    wanted = {note.deck: by_name[note.deck] for notes in by_path.values() for note in notes
              if note.deck in by_name}  # fmt: skip
    if wanted:
        saved, problems = save_deck_options(store.local_dir, wanted)
        report.deck_options, report.problems = saved, [*report.problems, *problems]
        store.use_settings(load_settings(store.data_dir))
    options_of = {}
    for path, notes in by_path.items():
        deck = options_deck(store.settings, deck_name(str(path)))
        if deck is not None:
            options_of.update({card_id: deck for note in notes for _, card_id in note.cards})
    return options_of


def _fitting(planned: list[NoteText], report: ImportReport) -> list[NoteText]:
    """The notes whose text a deck file can hold; each other is left out and named."""
    fitting = []
    for note in planned:
        size = len(note.block.encode("utf-8"))
        if size + HEADER_ROOM <= DECK_FILL_BYTES:
            fitting.append(note)
        else:
            report.problems.append(
                f"note {note.note.guid!r} left out: its text would be {size / MB:.0f} MB, more "
                f"than a deck file holds ({DECK_FILL_BYTES / MB:.0f} MB)"
            )
    return fitting


def _filled(
    path: Path, original: str, text: str, added: list[str], deck: str
) -> list[tuple[Path, str]]:
    """The files to write for a deck: its own, with the notes added at its end as long as it
    stays under DECK_FILL_BYTES (room left for the learner's own cards), then NAME.part-2.md
    and so on, the same deck, for the rest (#28: one file past the cap was refused whole,
    and the learner's own cards in it lost their history)."""
    files: list[tuple[Path, str, str]] = []
    current, was, parts = path, original, [text.rstrip("\n")]
    size, number = len(text.encode("utf-8")), 1
    for block in added:
        needed = len(block.encode("utf-8")) + 2
        while size + needed > DECK_FILL_BYTES:
            files.append((current, "\n\n".join(parts) + "\n", was))
            number += 1
            current = part_path(path, number)
            was = read_deck_text(current) if current.exists() else ""
            parts = [was.rstrip("\n") or f"# {deck}"]
            size = len(parts[0].encode("utf-8")) + 1
        parts.append(block)
        size += needed
    files.append((current, "\n\n".join(parts) + "\n", was))
    return [(where, new) for where, new, old in files if new != old]


def _placed(
    store: Store,
    path: Path,
    text: str,
    notes: list[NoteText],
    report: ImportReport,
    relinks: list[dict],
) -> tuple[str, list[str]]:
    """The deck's text with changed notes updated in place, and the new notes' blocks."""
    lines = text.split("\n")
    spans = note_spans(text)
    replaced: dict[int, tuple[int, list[str]]] = {}
    added: list[str] = []
    for note in notes:
        block = note.block.rstrip("\n")
        span = spans.get(note.note.guid)
        if span is None:
            added.append(block)
            report.notes_added += 1
            continue
        old = "\n".join(lines[span[0] : span[1]])
        if old == block:
            report.notes_unchanged += 1
            continue
        report.notes_updated += 1
        old_cards = parse_deck(old, source=str(path)).cards
        new_cards = parse_deck(block, source=str(path)).cards
        keep_history(store, old_cards, new_cards, relinks.append)
        replaced[span[0]] = (span[1], block.split("\n"))
    if not replaced:
        return text, added
    out: list[str] = []
    index = 0
    while index < len(lines):
        if index in replaced:
            end, new_lines = replaced[index]
            out.extend(new_lines)
            index = end
        else:
            out.append(lines[index])
            index += 1
    return "\n".join(out).rstrip("\n") + "\n", added
