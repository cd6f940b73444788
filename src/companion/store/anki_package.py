"""Reading an Anki package (.apkg, .colpkg) into plain records; the package is never changed.

Current Anki (23.10 and later) writes `collection.anki21b`, a SQLite file compressed with
zstd, a zstd-compressed protobuf media map and zstd-compressed media files. Older versions
write `collection.anki21` or `collection.anki2` as plain SQLite with a JSON media map. The
collection is read with the standard library's sqlite3 from a private temporary copy.
"""

import io
import json
import sqlite3
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

import zstandard

from companion.files import MB, not_regular
from companion.store.anki_answers import LoggedAnswers
from companion.store.anki_deck_options import DeckOptions, deck_options
from companion.store.package_limits import (
    MAX_COLLECTION_BYTES,
    MAX_DECK_DEPTH,
    MAX_MEDIA_BYTES,
    MAX_MEDIA_LIST_BYTES,
    MAX_NOTE_BYTES,
    READ_CHUNK,
)
from companion.store.protobuf import fields_of
from companion.store.revlog_columns import Revlog

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")


class AnkiPackageError(ValueError):
    """The file is not an Anki package this version can read; one line for the learner."""


@dataclass(frozen=True)
class NoteType:
    """A note type: its name, whether it is a cloze type, its fields and card templates."""

    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: int
    formats: tuple[tuple[str, str, str], ...] = ()
    """Each card template as (name, question format, answer format), by ordinal."""
    css: str = ""


class AnkiNote(NamedTuple):
    """A note: its fields in order, its tags, and the GUID that identifies it across imports."""

    id: int
    guid: str
    notetype_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    modified: int = 0


class AnkiCard(NamedTuple):
    """A card as Anki schedules it (Anki's own columns, meanings as in Anki)."""

    id: int
    note_id: int
    deck_id: int
    ord: int
    type: int  # 0 new, 1 learning, 2 review, 3 relearning
    queue: int  # -3/-2 buried, -1 suspended, 0 new, 1 learning, 2 review, 3 day learning
    due: int  # new: position; queue 1: epoch seconds; queue 2 and 3: days since creation
    ivl: int
    reps: int
    lapses: int
    original_due: int
    original_deck: int
    data: str
    flags: int = 0


@dataclass
class AnkiPackage:
    """Everything companion takes from a package."""

    path: Path
    created: int
    """The collection's creation time (epoch seconds): review due days count from its day."""
    notetypes: dict[int, NoteType]
    decks: dict[int, str]
    notes: list[AnkiNote]
    cards: list[AnkiCard]
    reviews: Revlog
    media: dict[str, str] = field(default_factory=dict)
    """File name -> its member in the zip."""
    options: dict[int, DeckOptions] = field(default_factory=dict)
    """Each normal deck's options (its preset), by deck id."""
    compressed_media: bool = False
    missing_media: list[str] = field(default_factory=list)
    """Media the package lists that are not in it (left out, and told)."""

    oversized_notes: list[str] = field(default_factory=list)
    """GUIDs of the notes over MAX_NOTE_BYTES (left out, and told)."""

    def media_chunks(self, name: str) -> Iterator[bytes]:
        """One media file's content in chunks (decompressed when the package compresses
        media); AnkiPackageError past MAX_MEDIA_BYTES or when the entry is damaged."""
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.media[name]) as member:
                yield from _chunks(member, self.compressed_media, MAX_MEDIA_BYTES)
        except (zipfile.BadZipFile, EOFError, OSError) as error:
            raise AnkiPackageError(f"damaged ({error})") from None


def read_package(path: Path, logged: LoggedAnswers | None = None) -> AnkiPackage:
    """Read a package; raises AnkiPackageError (one line) for a damaged or foreign file.
    `logged`: the answers already in the learner's log (their entries are only counted)."""
    try:
        if kind := not_regular(path):  # a FIFO blocks the open, /dev/zero reads without end
            raise AnkiPackageError(f"{path}: not an Anki package (not a regular file but {kind})")
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "collection.sqlite"
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                member = next((name for name in COLLECTIONS if name in names), None)
                if member is None:
                    raise AnkiPackageError(f"{path}: not an Anki package (no collection inside)")
                modern = member == "collection.anki21b"
                _extract(archive, member, modern, copy, path)
                media_map = b""
                if "media" in names:
                    with archive.open("media") as listed:
                        media_map = b"".join(_chunks(listed, False, MAX_MEDIA_LIST_BYTES))
            media, compressed = _media_map(media_map, modern, path)
            package = _read_copy(copy, path, logged)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise AnkiPackageError(f"{path}: not an Anki package (damaged zip: {error})") from None
    except OSError as error:
        raise AnkiPackageError(f"{path}: cannot read ({error.strerror or error})") from None
    missing = sorted(name for name, member in media.items() if member not in names)
    _check_decks(path, package.decks)
    package.media = {name: member for name, member in media.items() if member in names}
    package.compressed_media, package.missing_media = compressed, missing
    return package


def _chunks(source: BinaryIO, zstd: bool, limit: int) -> Iterator[bytes]:
    """The stream's bytes (decompressed with zstd when `zstd`) in chunks, up to `limit`."""
    total = 0
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(source) if zstd else source
        while chunk := reader.read(READ_CHUNK):
            total += len(chunk)
            if total > limit:
                raise AnkiPackageError(f"more than {limit // MB:,} MB once decompressed")
            yield chunk
    except zstandard.ZstdError as error:
        raise AnkiPackageError(f"damaged zstd data ({error})") from None


def _extract(archive: zipfile.ZipFile, member: str, modern: bool, copy: Path, path: Path) -> None:
    """The collection, decompressed into `copy` chunk by chunk (refused at its first chunk
    when it is no SQLite file)."""
    with archive.open(member) as source, copy.open("wb") as out:
        try:
            declared = None
            for chunk in _chunks(source, modern, MAX_COLLECTION_BYTES):
                if not out.tell():
                    declared = _declared_size(chunk)
                out.write(chunk)
                if declared is not None and out.tell() > declared:
                    raise AnkiPackageError(
                        f"longer than its SQLite header says ({declared:,} bytes)"
                    )
        except AnkiPackageError as error:
            raise AnkiPackageError(f"{path}: {member}: {error}") from None
        if not out.tell():
            raise AnkiPackageError(f"{path}: {member}: not a SQLite collection")


def _declared_size(start: bytes) -> int | None:
    """The database's size as its SQLite header gives it (page size x pages, when SQLite
    keeps that count valid, as it has since 3.7.0), so a collection padded into a bomb stops
    there; None when the header does not say. AnkiPackageError if it is no SQLite file."""
    if len(start) < 100 or not start.startswith(b"SQLite format 3\x00"):
        raise AnkiPackageError("not a SQLite collection")
    page_size = int.from_bytes(start[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(start[28:32], "big")
    valid = start[24:28] == start[92:96]  # the count is valid for this change counter
    return page_size * pages if valid and pages else None


def _read_copy(copy: Path, path: Path, logged: LoggedAnswers | None) -> AnkiPackage:
    """The collection's records, from its private copy; damage told in one line."""
    try:
        return _read_collection(copy, path, logged)
    except sqlite3.DatabaseError as error:
        raise AnkiPackageError(f"{path}: the collection cannot be read ({error})") from None
    except AnkiPackageError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError,
            RecursionError) as error:  # fmt: skip
        # a column of the wrong type, a note type that is no table: a damaged collection,
        # told in one line before anything is written
        said = f"{type(error).__name__}: {error}".splitlines()[0][:100]
        raise AnkiPackageError(f"{path}: the collection is damaged ({said})") from None


def _check_decks(path: Path, decks: dict[int, str]) -> None:
    for name in decks.values():
        if not isinstance(name, str):
            raise AnkiPackageError(f"{path}: the collection is damaged (a deck with no name)")
        depth = name.count("::") + 1
        if depth > MAX_DECK_DEPTH:
            raise AnkiPackageError(
                f"{path}: a deck is {depth} levels deep ({name[:40]}…); companion keeps decks "
                f"up to {MAX_DECK_DEPTH} levels (each is a folder)"
            )


def _unzstd(data: bytes, limit: int) -> bytes:
    return b"".join(_chunks(io.BytesIO(data), True, limit))


def _media_map(data: bytes, modern: bool, path: Path) -> tuple[dict[str, str], bool]:
    """File name -> zip member. Current packages: a protobuf list, entry n in member "n"."""
    if not data:
        return {}, False
    if data.startswith(b"{"):
        try:
            mapping = json.loads(data)
        except ValueError:
            raise AnkiPackageError(f"{path}: its media list is damaged") from None
        return {str(name): str(member) for member, name in mapping.items()}, False
    try:
        entries = fields_of(_unzstd(data, MAX_MEDIA_LIST_BYTES))
        media = {}
        for index, (number, value) in enumerate(entries):
            if number == 1 and isinstance(value, bytes):
                name = next((v for n, v in fields_of(value) if n == 1), b"")
                media[bytes(name).decode("utf-8")] = str(index)
    except (ValueError, UnicodeDecodeError):
        raise AnkiPackageError(f"{path}: its media list is damaged") from None
    return media, modern


def _numbers(card: AnkiCard) -> AnkiCard:
    """The card, its columns checked (TypeError for a number column holding text)."""
    if not all(value.__class__ is int for value in (*card[:12], card.flags)):
        raise TypeError("a card's columns hold values that are not numbers")
    return card


def _note(nid: int, guid: object, mid: int, flds: str, tags: str, mod: int) -> AnkiNote:
    """A note, its columns checked (TypeError for fields or tags that are not text)."""
    if not (flds.__class__ is tags.__class__ is str) or not (nid.__class__ is mid.__class__ is int):
        raise TypeError("a note's columns hold values of the wrong kind")
    return AnkiNote(nid, _guid(guid, nid), mid, tuple(flds.split("\x1f")), tuple(tags.split()), mod)


def _guid(guid: object, note_id: int) -> str:
    """A note's GUID; one with none (NULL or empty, in a collection Anki did not write) is
    known by its note id, so importing it again finds it instead of adding it again."""
    if isinstance(guid, bytes):
        guid = guid.decode("utf-8", "replace")
    if guid is None or guid == "":
        return f"nid:{note_id}"
    return str(guid)


def _read_collection(copy: Path, path: Path, logged: LoggedAnswers | None) -> AnkiPackage:
    db = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
        if not {"col", "notes", "cards", "revlog"} <= tables:
            raise AnkiPackageError(f"{path}: not an Anki collection (tables missing)")
        created = int(db.execute("select crt from col").fetchone()[0])
        if "notetypes" in tables:
            notetypes, decks = _modern_types(db), _modern_decks(db)
        else:
            notetypes, decks = _legacy_types_and_decks(db, path)
        size = "length(cast(flds as blob)) + length(cast(tags as blob))"
        notes = [
            _note(nid, guid, mid, flds, tags, mod)
            for nid, guid, mid, flds, tags, mod in db.execute(
                f"select id, guid, mid, flds, tags, mod from notes where {size} <= ? order by id",
                (MAX_NOTE_BYTES,),
            )
        ]
        oversized = [  # never read whole: a note of gigabytes would be in memory
            _guid(guid, nid)
            for nid, guid in db.execute(f"select id, guid from notes where {size} > ?",
                                        (MAX_NOTE_BYTES,))
        ]  # fmt: skip
        cards = [
            _numbers(AnkiCard._make(row))
            for row in db.execute(
                "select id, nid, did, ord, type, queue, due, ivl, reps, lapses, odue, odid, "
                "data, flags from cards order by nid, ord"
            )
        ]
        try:
            guids = {note.id: note.guid for note in notes}
            keys = {card.id: (guids.get(card.note_id, ""), card.ord) for card in cards}
            reviews = Revlog.read(db, logged, keys)
        except TypeError:
            problem = "its revlog holds values that are not numbers"
            raise AnkiPackageError(f"{path}: {problem}") from None
        try:
            options = deck_options(db, tables)
        except (ValueError, KeyError, TypeError, struct.error):
            options = {}  # presets that cannot be read: the learner's own settings apply
    finally:
        db.close()
    return AnkiPackage(
        path, created, notetypes, decks, notes, cards, reviews, options=options,
        oversized_notes=oversized,
    )  # fmt: skip


def _modern_types(db: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[str]] = {}
    for ntid, name in db.execute("select ntid, name from fields order by ntid, ord"):
        fields.setdefault(ntid, []).append(name)
    formats: dict[int, list[tuple[str, str, str]]] = {}
    for ntid, name, config in db.execute(
        "select ntid, name, config from templates order by ntid, ord"
    ):
        parts = dict((n, v) for n, v in fields_of(bytes(config or b"")) if n in (1, 2))
        question, answer = (bytes(parts.get(n, b"")).decode("utf-8", "replace") for n in (1, 2))
        formats.setdefault(ntid, []).append((name, question, answer))
    types = {}
    for ntid, name, config in db.execute("select id, name, config from notetypes"):
        parts = fields_of(bytes(config or b""))
        kind = next((v for n, v in parts if n == 1), 0)
        css = next((bytes(v).decode("utf-8", "replace") for n, v in parts if n == 3), "")
        own = tuple(formats.get(ntid, []))
        types[ntid] = NoteType(
            name, kind == 1, tuple(fields.get(ntid, [])), len(own) or 1, own, str(css)
        )
    return types


def _modern_decks(db: sqlite3.Connection) -> dict[int, str]:
    rows = db.execute("select id, name from decks")
    return {did: name.replace("\x1f", "::") for did, name in rows}


def _legacy_types_and_decks(
    db: sqlite3.Connection, path: Path
) -> tuple[dict[int, NoteType], dict[int, str]]:
    models_json, decks_json = db.execute("select models, decks from col").fetchone()
    try:
        models, decks = json.loads(models_json), json.loads(decks_json)
    except ValueError:
        raise AnkiPackageError(f"{path}: its note types or decks are damaged") from None
    types = {
        int(mid): NoteType(
            model.get("name", "?"),
            model.get("type") == 1,
            tuple(f["name"] for f in sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))),
            len(model.get("tmpls", [])) or 1,
            tuple(
                (str(t.get("name", "")), str(t.get("qfmt", "")), str(t.get("afmt", "")))
                for t in sorted(model.get("tmpls", []), key=lambda t: t.get("ord", 0))
            ),
            str(model.get("css", "")),
        )
        for mid, model in models.items()
    }
    return types, {int(did): deck.get("name", "Default") for did, deck in decks.items()}
