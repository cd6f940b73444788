"""What an Anki import keeps so the notes can go back to Anki as they came: each note type
(its id, fields, templates and styling) and each note (its id, GUID, fields as HTML and the
Markdown block it became), in `anki/` in the data directory. Updated at every import,
written atomically; a damaged file reads as empty (the export then falls back to the decks)."""

from dataclasses import asdict, dataclass
from pathlib import Path

import orjson

from companion.files import read_text_file
from companion.store.atomic_file import write_atomically

FOLDER = "anki"
NOTETYPES, NOTES = "notetypes.json", "notes.json"
MAX_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class KeptNoteType:
    """A note type as Anki had it."""

    id: int
    name: str
    cloze: bool
    fields: list[str]
    templates: list[list[str]]
    """[name, question format, answer format] per template, by ordinal."""
    css: str


@dataclass(frozen=True)
class KeptNote:
    """A note as Anki had it, and the Markdown it became (to tell whether it was edited)."""

    id: int
    guid: str
    notetype: int
    fields: list[str]
    tags: list[str]
    modified: int
    block: str
    numbers: list[int] | None = None
    """The number of each card in the block, when written one per template or cloze."""
    card_ids: dict[str, str] | None = None
    """The companion card each of its Anki cards became, by template ordinal (as text)."""


def _read(path: Path) -> dict:
    try:
        data = orjson.loads(read_text_file(path, MAX_BYTES))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, orjson.dumps(data))


def kept_notetypes(data_dir: Path) -> dict[int, KeptNoteType]:
    """Every note type an import kept, by id."""
    found = {}
    for key, value in _read(data_dir / FOLDER / NOTETYPES).items():
        try:
            found[int(key)] = KeptNoteType(**value)
        except (TypeError, ValueError):
            continue
    return found


def kept_notes(data_dir: Path) -> dict[str, KeptNote]:
    """Every note an import kept, by GUID."""
    found = {}
    for guid, value in _read(data_dir / FOLDER / NOTES).items():
        try:
            found[guid] = KeptNote(**value)
        except TypeError:
            continue
    return found


def origin_files(data_dir: Path) -> list[Path]:
    """The files `keep` writes."""
    return [data_dir / FOLDER / NOTETYPES, data_dir / FOLDER / NOTES]


def keep(
    data_dir: Path,
    notetypes: list[KeptNoteType],
    notes: list[KeptNote],
    kept: dict[str, KeptNote] | None = None,
) -> None:
    """Add (or update) these note types and notes beside those kept before (`kept`, when
    already read); files with nothing new are not written again."""
    folder = data_dir / FOLDER
    types = _read(folder / NOTETYPES)
    new_types = {str(t.id): asdict(t) for t in notetypes}
    if any(types.get(key) != value for key, value in new_types.items()):
        _write(folder / NOTETYPES, {**types, **new_types})
    known = kept_notes(data_dir) if kept is None else kept
    changed = [note for note in notes if known.get(note.guid) != note]
    if changed:
        saved = {guid: vars(note) for guid, note in known.items()}
        saved.update({note.guid: vars(note) for note in changed})
        _write(folder / NOTES, saved)
