"""Writes the learner's own deck files: cards added or edited in the app stay plain Markdown."""

import re
from pathlib import Path

from companion.content.deck import parse_deck, part_path
from companion.files import MB, read_text_file
from companion.store.atomic_file import write_atomically

MAX_BYTES = 20 * MB  # as for reading a deck

MY_DECK = "my-cards.md"
MY_DECK_HEADER = (
    "# My cards\n\nCards written in companion. Edit freely: history follows small edits.\n"
)


def my_deck_path(data_dir: Path) -> Path:
    """The deck that cards written in the app go to."""
    return data_dir / "decks" / MY_DECK


def read_deck_text(path: Path) -> str:
    """A deck's text (capped as decks are when loaded)."""
    return read_text_file(path, MAX_BYTES)


def append_card(path: Path, block: str) -> Path:
    """Add a card's Markdown at the end of a deck, creating the deck if needed (atomically);
    a deck file that would grow past what a deck may hold goes on in NAME.part-2.md and so
    on, the same deck. Returns the file written."""
    number = 1
    while True:
        target = path if number == 1 else part_path(path, number)
        text = read_text_file(target, MAX_BYTES) if target.exists() else MY_DECK_HEADER
        new = (text.rstrip("\n") + "\n\n" + block.rstrip("\n") + "\n").encode()
        if len(new) <= MAX_BYTES or not target.exists() and number > 1:
            write_atomically(target, new)
            return target
        number += 1


class CardNotFound(LookupError):
    """The card to change is no longer in its deck as it was shown (the file changed)."""


def replace_card(path: Path, card_ids: set[str], block: str) -> None:
    """Replace the lines of the card that has one of `card_ids` with its new Markdown.

    The deck is read again and the card found by its text (its id), never by a remembered
    line: the learner may have edited the file since. Its `<!-- item -->` and `<!-- tags -->`
    lines stay as they are. Raises CardNotFound, writing nothing, when no card matches.
    """
    text = read_text_file(path, MAX_BYTES)
    card = next((c for c in parse_deck(text, source=str(path)).cards if c.id in card_ids), None)
    if card is None:
        raise CardNotFound(f"{path.name} no longer holds this card as shown (it changed on disk)")
    lines = text.splitlines()
    new_lines = block.rstrip("\n").splitlines()
    first = lines[card.line - 1]
    bullet = first[: len(first) - len(first.lstrip())] + first.lstrip()[:2]
    if card.line == card.end_line and len(new_lines) == 1 and bullet.lstrip() in ("- ", "* "):
        new_lines = [bullet + new_lines[0]]  # a card written as a list item stays one
    lines[card.line - 1 : card.end_line] = new_lines
    write_atomically(path, ("\n".join(lines) + "\n").encode("utf-8"))


def remove_card(path: Path, card_ids: set[str]) -> None:
    """Remove the card that has one of `card_ids` from a deck, with the `<!-- item -->` and
    `<!-- tags -->` lines just above it; found by its text, as `replace_card` does."""
    text = read_text_file(path, MAX_BYTES)
    card = next((c for c in parse_deck(text, source=str(path)).cards if c.id in card_ids), None)
    if card is None:
        raise CardNotFound(f"{path.name} no longer holds this card as shown (it changed on disk)")
    lines = text.splitlines()
    start = card.line - 1
    while start > 0 and _MARK_LINE.match(lines[start - 1]):
        start -= 1
    del lines[start : card.end_line]
    if (
        start < len(lines)
        and start > 0
        and not lines[start].strip()
        and not lines[start - 1].strip()
    ):
        del lines[start]  # no double blank line where the card was
    write_atomically(path, ("\n".join(lines) + "\n").encode("utf-8"))


_MARK_LINE = re.compile(r"^\s*<!--\s*(item|tags):.*-->\s*$")


def write_new_deck(decks_dir: Path, stem: str, text: str) -> Path:
    """Write a deck under a name not yet taken (`stem.md`, `stem-2.md`, ...), atomically."""
    path = decks_dir / f"{stem}.md"
    number = 2
    while path.exists():
        path = decks_dir / f"{stem}-{number}.md"
        number += 1
    write_atomically(path, text.encode("utf-8"))
    return path


def write_export(path: Path, text: str) -> None:
    """Write an export file atomically."""
    write_atomically(path, text.encode("utf-8"))


def write_learner_file(path: Path, content: str | bytes) -> None:
    """Write one of the learner's files (a roadmap copy, a note, an image) atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, content.encode("utf-8") if isinstance(content, str) else content)


_ITEM_MARK = re.compile(r"(?m)^(\s*<!--\s*item:\s*)([\w-]+)(\s*-->\s*)$")


def relink_item_marks(data_dir: Path, renamed: dict[str, str]) -> int:
    """Point `<!-- item: ID -->` lines in the learner's decks at items' new ids, all at once
    (ids may swap); each deck is re-read and rewritten only if it changed. Returns how many
    marks moved."""
    moved = 0
    for path in sorted((data_dir / "decks").glob("*.md")):
        try:
            text = read_text_file(path, MAX_BYTES)
        except (OSError, UnicodeDecodeError):
            continue  # reported where decks are loaded

        def follow(match: re.Match) -> str:
            nonlocal moved
            new_id = renamed.get(match.group(2))
            if new_id is None:
                return match.group(0)
            moved += 1
            return match.group(1) + new_id + match.group(3)

        updated = _ITEM_MARK.sub(follow, text)
        if updated != text:
            write_atomically(path, updated.encode("utf-8"))
    return moved
