"""Every card back to Anki: notes that came from Anki in their own note types, with their note
ids, GUIDs, card ids and fields (as Anki had them, or as the learner edited them since), the
learner's other cards as Basic, reversed and Cloze notes; each card with its state, due date,
interval, memory state, flags, suspension and burial, and every answer as a revlog row."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import genanki

from companion.content.anki_export import export_notes, field_html
from companion.content.deck import Card, deck_name, parse_deck
from companion.content.loader import Library
from companion.services.anki_import import note_spans
from companion.services.anki_revlog import Columns, revlog_rows
from companion.srs.study_days import DAY_STARTS_AT_HOUR, study_date
from companion.store import Store
from companion.store.anki_collection_writer import NoteOut, NoteTypeOut
from companion.store.anki_origins import KeptNote, KeptNoteType, kept_notes, kept_notetypes
from companion.store.deck_files import read_deck_text

_ONE_FIELD = re.compile(r"^\s*\{\{\s*([^#^/}:][^}:]*?)\s*\}\}\s*$")
_RULE = re.compile(r"<hr[^>]*\bid\s*=\s*[\"']?answer[\"']?[^>]*>", re.IGNORECASE)
_MEDIA = re.compile(r"""<img[^>]*?\bsrc=["']([^"']+)["']|\[sound:([^\]]+)\]""", re.IGNORECASE)
NATIVE_MODELS = {
    "basic": genanki.BASIC_MODEL,
    "reversed": genanki.BASIC_AND_REVERSED_CARD_MODEL,
    "cloze": genanki.CLOZE_MODEL,
}


@dataclass
class WayBack:
    """What goes to Anki, and what the export says of it."""

    crt: int
    notetypes: list[NoteTypeOut] = field(default_factory=list)
    notes: list[NoteOut] = field(default_factory=list)
    revlog: list[tuple] = field(default_factory=list)
    media: dict[str, Path] = field(default_factory=dict)
    edited: int = 0
    """Notes from Anki the learner edited here: their sides go back into their fields."""
    problems: list[str] = field(default_factory=list)
    earlier: dict[str, str] = field(default_factory=dict)
    """Cards rewritten by hand so much that they are new cards here -> what they are now."""


def note_blocks(text: str) -> dict[str, str]:
    """Each imported note's lines in a deck (GUID -> its block), as the import finds them."""
    lines = text.split("\n")
    return {guid: "\n".join(lines[a:b]) for guid, (a, b) in note_spans(text).items()}


def edited_fields(
    note: KeptNote, kind: KeptNoteType, cards: list[tuple[Card, int]]
) -> tuple[list[str], list[str]]:
    """The fields of a note edited here, and the edits that could not go back (one line
    each). A side the learner changed goes back into its field when its template shows that
    one field alone (a cloze's text and extra likewise); the other fields stay as Anki had
    them."""
    fields = list(note.fields)
    places = {name: index for index, name in enumerate(kind.fields)}
    before = parse_deck(note.block).cards
    unplaced = []
    for position, (card, ordinal) in enumerate(cards):
        was = before[position] if position < len(before) else None
        if card.cloze_text is not None:
            if was is None or (was.cloze_text, was.extra) != (card.cloze_text, card.extra):
                fields[0] = field_html(card.cloze_text)
                if len(fields) > 1:
                    fields[1] = field_html(card.extra) if card.extra else ""
            continue
        if ordinal >= len(kind.templates):
            continue
        _, question, answer = kind.templates[ordinal]
        after = _RULE.split(answer, maxsplit=1)[-1]
        sides = (
            ("question", question, card.front, was.front if was else None),
            ("answer", after, card.back, was.back if was else None),
        )
        for name, template, side, old in sides:
            if side == old:
                continue
            match = _ONE_FIELD.match(template)
            if match and match.group(1) in places:
                fields[places[match.group(1)]] = field_html(side)
            else:
                unplaced.append(
                    f"{kind.name} note {note.guid}: the {name} edited here shows several "
                    "fields, so it stays in Anki as it was (edit it there, or on the card that "
                    "shows one field)"
                )
    return fields, unplaced


def creation_time(now: datetime) -> int:
    """The package's day zero: the start of a study day ten years back."""
    day = study_date(now.timestamp())
    start = datetime(day.year, day.month, day.day, DAY_STARTS_AT_HOUR).astimezone()
    return int(start.timestamp()) - 3650 * 86400


def gather(library: Library, store: Store, now: datetime) -> WayBack:
    """Everything the package will hold."""
    from companion.services.review import reconcile

    reconcile(library, store)  # cards edited since the app last ran: their history follows
    out = WayBack(creation_time(now))
    columns = Columns(store, out.crt, now)
    done = _from_anki(library, store, columns, out)
    _native([c for c in library.cards.values() if c.id not in done], columns, out)
    card_ids = {card.companion: card.id for note in out.notes for card in note.cards}
    for old, new in out.earlier.items():  # a card rewritten by hand keeps its answers in Anki
        if new in card_ids:
            card_ids.setdefault(old, card_ids[new])
    out.revlog = revlog_rows(store, card_ids)
    return out


def _from_anki(library: Library, store: Store, columns: Columns, out: WayBack) -> set[str]:
    """The notes that came from Anki, found by their GUIDs in the decks as they are now."""
    data_dir = store.data_dir
    types, kept = kept_notetypes(data_dir), kept_notes(data_dir)
    origins = store.card_origins()
    done: set[str] = set()
    for source in sorted(library.cards.sources()):
        path = Path(source)
        if not path.is_relative_to(data_dir) or not path.is_file():
            continue
        for guid, block in note_blocks(read_deck_text(path)).items():
            note = kept.get(guid)
            kind = types.get(note.notetype) if note is not None else None
            if note is None or kind is None:
                continue
            was = [c.id for c in parse_deck(note.block).cards]
            cards = []
            for position, card in enumerate(parse_deck(block, source=source).cards):
                origin = origins.get(card.id)
                if origin is None and position < len(was):  # rewritten here: by its place
                    origin = origins.get(was[position])
                    if origin is not None:
                        out.earlier[was[position]] = card.id
                if origin is not None and origin.get("note_guid") == guid:
                    cards.append((library.cards.get(card.id) or card, origin))
            if not cards:
                continue
            unchanged = block.rstrip("\n") == note.block.rstrip("\n")
            fields = note.fields
            if not unchanged:
                fields, unplaced = edited_fields(note, kind, [(c, o["ord"]) for c, o in cards])
                out.problems += unplaced
            out.edited += not unchanged
            deck = deck_name(source)
            outs = [
                columns.card(c.id, o["card_id"], o["ord"], deck, o.get("flags", 0))
                for c, o in cards
            ]
            modified = note.modified if unchanged else int(columns.now.timestamp())
            out.notes.append(
                NoteOut(note.id, guid, note.notetype, list(fields), note.tags, modified, outs)
            )
            done.update(c.id for c, _ in cards)
            _media(fields, data_dir, out.media)
    used = {note.notetype for note in out.notes}
    out.notetypes += [
        NoteTypeOut(t.id, t.name, t.cloze, t.fields, [(*x,) for x in t.templates], t.css)  # type: ignore[misc]
        for t in types.values()
        if t.id in used
    ]
    return done


def _media(fields: list[str], data_dir: Path, into: dict[str, Path]) -> None:
    """The media a note's fields use, by the names Anki knows them by."""
    for found in _MEDIA.finditer(" ".join(fields)):
        name = found.group(1) or found.group(2)
        path = data_dir / "media" / name
        if path.is_file():
            into[name] = path


def _stable_id(key: str) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest()[:12], 16) % 10**13 + 10**12


def _native(cards: list[Card], columns: Columns, out: WayBack) -> None:
    """The learner's own cards as Basic, reversed and Cloze notes."""
    used = set()
    for note in export_notes(cards):
        used.add(note.kind)
        outs = [
            columns.card(card_id, _stable_id(card_id), ordinal, note.deck, 0)
            for card_id, ordinal in note.cards
        ]
        tags = [tag.replace(" ", "_") for tag in note.tags]
        out.notes.append(
            NoteOut(
                _stable_id(note.guid),
                note.guid,
                NATIVE_MODELS[note.kind].model_id,
                note.fields,
                tags,
                int(columns.now.timestamp()),
                outs,
            )
        )
        for image in map(Path, note.images):
            if image.is_file():
                out.media[image.name] = image
    for kind in sorted(used):
        model = NATIVE_MODELS[kind]
        templates = [(t["name"], t["qfmt"], t["afmt"]) for t in model.templates]
        fields = [f["name"] for f in model.fields]
        out.notetypes.append(
            NoteTypeOut(model.model_id, model.name, kind == "cloze", fields, templates, model.css)
        )
