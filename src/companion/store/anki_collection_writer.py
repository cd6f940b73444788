"""An .apkg that Anki imports with notes, cards, their scheduling and their review history.

genanki (a well-kept library that knows Anki's schema) gives the collection's tables and the
JSON Anki expects for note types and decks; the notes, cards and revlog rows are written here,
as given, so note types, note ids, GUIDs, card ids, due dates, intervals, flags and every
answer go to Anki as they are. Written to a temporary file and renamed: a failed export
leaves no half-written package."""

import json
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from companion.store.atomic_file import replace_atomically


@dataclass
class NoteTypeOut:
    """A note type to write (Anki matches it by id and by its fields and templates)."""

    id: int
    name: str
    cloze: bool
    fields: list[str]
    templates: list[tuple[str, str, str]]
    css: str = ""


@dataclass
class CardOut:
    """One card with its scheduling, in Anki's columns."""

    id: int
    ord: int
    deck: str
    type: int = 0
    queue: int = 0
    due: int = 0
    ivl: int = 0
    factor: int = 0
    reps: int = 0
    lapses: int = 0
    left: int = 0
    flags: int = 0
    data: str = ""
    companion: str = ""
    """The companion card it is (not written: it finds the card's answers)."""


@dataclass
class NoteOut:
    """One note and its cards."""

    id: int
    guid: str
    notetype: int
    fields: list[str]
    tags: list[str]
    modified: int
    cards: list[CardOut] = field(default_factory=list)


def deck_id(name: str) -> int:
    """A stable id per deck name (Anki matches decks by name on import)."""
    import hashlib

    return int(hashlib.sha1(name.encode()).hexdigest()[:13], 16)


def _models(notetypes: list[NoteTypeOut], now: int) -> str:
    models = {}
    for kind in notetypes:
        model = genanki.Model(
            kind.id,
            kind.name,
            fields=[{"name": name} for name in kind.fields],
            templates=[{"name": n, "qfmt": q, "afmt": a} for n, q, a in kind.templates],
            css=kind.css,
            model_type=genanki.Model.CLOZE if kind.cloze else genanki.Model.FRONT_BACK,
        )
        models[str(kind.id)] = model.to_json(now, 1)
    return json.dumps(models)


def _decks(names: set[str]) -> str:
    decks = json.loads(_default_decks())
    for name in sorted(names):
        deck = genanki.Deck(deck_id(name), name).to_json()
        decks[str(deck["id"])] = deck
    return json.dumps(decks)


def _default_decks() -> str:
    with sqlite3.connect(":memory:") as db:
        db.executescript(APKG_SCHEMA)
        db.executescript(APKG_COL)
        return db.execute("select decks from col").fetchone()[0]


def _database(
    path: Path, notetypes: list[NoteTypeOut], notes: list[NoteOut], revlog: list[tuple], crt: int
) -> None:
    now = int(time.time())
    db = sqlite3.connect(path)
    try:
        db.executescript(APKG_SCHEMA)
        db.executescript(APKG_COL)
        names = {card.deck for note in notes for card in note.cards}
        conf = json.loads(db.execute("select conf from col").fetchone()[0])
        conf["schedVer"] = 2  # else Anki reads the answers as the old scheduler's buttons
        db.execute(
            "update col set crt = ?, mod = ?, models = ?, decks = ?, conf = ?",
            (crt, now * 1000, _models(notetypes, now), _decks(names), json.dumps(conf)),
        )
        for note in notes:
            sort_field = note.fields[0] if note.fields else ""
            db.execute(
                "insert into notes values (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    note.id,
                    note.guid,
                    note.notetype,
                    note.modified,
                    -1,
                    " " + " ".join(note.tags) + " " if note.tags else "",
                    "\x1f".join(note.fields),
                    sort_field,
                    0,
                    0,
                    "",
                ),
            )
            for card in note.cards:
                db.execute(
                    "insert into cards values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        card.id,
                        note.id,
                        deck_id(card.deck),
                        card.ord,
                        now,
                        -1,
                        card.type,
                        card.queue,
                        card.due,
                        card.ivl,
                        card.factor,
                        card.reps,
                        card.lapses,
                        card.left,
                        0,
                        0,
                        card.flags,
                        card.data,
                    ),
                )
        db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", revlog)
        db.commit()
    finally:
        db.close()


def write_collection(
    path: Path,
    notetypes: list[NoteTypeOut],
    notes: list[NoteOut],
    revlog: list[tuple],
    media: dict[str, Path],
    crt: int,
) -> None:
    """Write the package: `revlog` rows as Anki's columns (id, cid, usn, ease, ivl, lastIvl,
    factor, time, type), `media` as the name Anki knows each file by -> the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        collection = Path(tmp) / "collection.anki2"
        _database(collection, notetypes, notes, revlog, crt)

        def pack(_: int, temporary: Path) -> None:
            with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(collection, "collection.anki2")
                names = sorted(media)
                archive.writestr("media", json.dumps({str(i): n for i, n in enumerate(names)}))
                for index, name in enumerate(names):
                    archive.write(media[name], str(index))

        replace_atomically(path, pack)
