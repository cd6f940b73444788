"""The learner's own notes: one Markdown file per roadmap item in the data directory's notes/."""

import re
from pathlib import Path

from companion.files import MB, read_text_file
from companion.store.atomic_file import write_atomically

MAX_NOTE_BYTES = 20 * MB

_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def note_path(data_dir: Path, item_id: str) -> Path:
    """Where the note for an item lives (the id is made safe as a file name)."""
    return data_dir / "notes" / f"{_SAFE.sub('_', item_id)}.md"


def read_note(data_dir: Path, item_id: str) -> str:
    """The item's note, or an empty string."""
    try:
        return read_text_file(note_path(data_dir, item_id), MAX_NOTE_BYTES)
    except (OSError, UnicodeDecodeError):
        return ""


BOTH_CHANGED = (
    "<!-- This note also changed in its file while it was edited in companion: "
    "that version follows. -->"
)


def write_note(data_dir: Path, item_id: str, text: str, base: str | None = None) -> bool:
    """Save the item's note atomically; an empty note removes the file.

    `base` is the note as the editor opened it. When the file changed since then (the learner
    edited it elsewhere), nothing of that is overwritten: the file's version is kept under the
    editor's, after a line that says so. Returns whether both versions had to be kept.
    """
    path = note_path(data_dir, item_id)
    both = False
    if base is not None:
        on_disk = read_note(data_dir, item_id)
        if on_disk.strip() != base.strip() and on_disk.strip() != text.strip():
            both = True
            text = f"{text.rstrip()}\n\n{BOTH_CHANGED}\n\n{on_disk}" if text.strip() else on_disk
    if not text.strip():
        path.unlink(missing_ok=True)
        return both
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, (text.rstrip() + "\n").encode("utf-8"))
    return both


def move_notes(data_dir: Path, moves: list[tuple[str, str]]) -> None:
    """Rename notes to follow their items (old id, new id); ids may swap places, so every note
    is first moved aside. A note whose new place already holds one is appended to it."""
    aside = []
    for index, (old_id, new_id) in enumerate(moves):
        source = note_path(data_dir, old_id)
        if old_id != new_id and source.exists():
            parked = source.with_name(f".moving-{index}-{source.name}")
            source.rename(parked)
            aside.append((parked, note_path(data_dir, new_id)))
    for parked, target in aside:
        if target.exists():
            merged = read_text_file(target, MAX_NOTE_BYTES).rstrip() + "\n\n"
            merged += read_text_file(parked, MAX_NOTE_BYTES)
            write_atomically(target, merged.encode("utf-8"))
            parked.unlink()
        else:
            parked.rename(target)
