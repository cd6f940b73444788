"""Parsed decks and roadmaps saved between runs, so a large collection is not parsed each start.

Derived data, each entry valid while its file keeps the size and modification time it had:
a missing, damaged or outdated cache is simply rebuilt.
"""

import marshal
from collections.abc import Callable
from pathlib import Path

from companion.content.deck import Card, Deck, parse_deck
from companion.content.loader import CachedDeck
from companion.content.roadmap import Roadmap
from companion.content.roadmap_codec import SCHEMA, roadmap_from_plain, roadmap_to_plain
from companion.store.deck_files import read_deck_text
from companion.store.packed_file import Blob, read_packed, read_packed_with_blobs, write_packed

OLD_DECK_CACHE_NAME = "decks.json"  # the JSON cache written by earlier builds


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return (info.st_size, info.st_mtime_ns)


class _StampedCache:
    """Entries keyed by file path, each saved with the file's size and modification time."""

    KIND = ""
    VERSION = 0

    def __init__(self, path: Path) -> None:
        self.path = path
        self.changed = False
        data = self._read()
        self._entries: dict[str, tuple] = data if isinstance(data, dict) else {}
        self._used: set[str] = set()

    def _read(self) -> object:
        return read_packed(self.path, self.KIND, self.VERSION)

    def _write(self) -> None:
        write_packed(self.path, self.KIND, self.VERSION, self._entries)

    def _fresh(self, path: Path) -> tuple | None:
        """The entry's value if the file is unchanged since it was saved."""
        self._used.add(str(path))
        entry = self._entries.get(str(path))
        try:
            stamp, value = entry  # type: ignore[misc]
            return value if stamp == _stamp(path) else None
        except (OSError, TypeError, ValueError):
            return None

    def _keep(self, path: Path, value: tuple) -> None:
        self._used.add(str(path))
        self._entries[str(path)] = (_stamp(path), value)
        self.changed = True

    def save(self, drop_unused: bool = True) -> None:
        """Write the cache if anything changed (atomically, like every data file).

        Entries of files not looked up since the cache was opened (deleted, renamed, or in a
        data directory that moved) are dropped, unless `drop_unused` is False (one entry
        added by a command that looked nothing else up).
        """
        for gone in (self._entries.keys() - self._used) if drop_unused else ():
            del self._entries[gone]
            self.changed = True
        if self.changed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._write()
            self.changed = False


def _unpack_cards(rows: bytes) -> list[Card]:
    make = Card._make
    return [make(row) for row in marshal.loads(rows)]


CARDS_PER_PART = 1000


def _loader(path: Path, rows: Blob | bytes) -> Callable[[], list[Card]]:
    def load() -> list[Card]:
        packed = rows.read() if isinstance(rows, Blob) else rows
        if packed is not None:
            return _unpack_cards(packed)
        try:  # damaged since it was opened: the deck itself, parsed again
            return parse_deck(read_deck_text(path), source=str(path)).cards
        except (OSError, UnicodeDecodeError):
            return []

    return load


class DeckCache(_StampedCache):
    """Decks as their card ids plus their cards packed apart, a thousand to a part: start-up
    reads only the ids, and a part's cards are read from the file and unpacked when one of
    them is shown (a deck of 10,000 imported cards took 37 ms to unpack whole, before the first
    card could show; at 200,000 cards, reading every part took 40 ms)."""

    KIND = "decks"
    VERSION = 8  # 6: the clozes of each part; 7: the cards of each part as a blob; 8: links

    def _read(self) -> object:
        found = read_packed_with_blobs(self.path, self.KIND, self.VERSION)
        if found is None:
            return None
        entries, blobs = found
        try:  # each part names its blob by number
            return {
                key: (
                    stamp,
                    (fields, problems, [(ids, blobs[n], cz, ln) for ids, n, cz, ln in parts]),
                )
                for key, (stamp, (fields, problems, parts)) in entries.items()
            }
        except (TypeError, ValueError, IndexError, AttributeError):
            return None

    def _write(self) -> None:
        blobs: list[bytes] = []
        entries = {}
        for key, (stamp, (fields, problems, parts)) in self._entries.items():
            numbered = []
            for ids, rows, clozes, links in parts:
                packed = rows.read() if isinstance(rows, Blob) else rows
                if packed is None:
                    break  # damaged since it was read: the deck is parsed again next time
                numbered.append((ids, len(blobs), clozes, links))
                blobs.append(packed)
            else:
                entries[key] = (stamp, (fields, problems, numbered))
        write_packed(self.path, self.KIND, self.VERSION, entries, blobs)

    def get(self, path: Path) -> CachedDeck | None:
        """The cached parse of `path`, or None when absent or stale."""
        value = self._fresh(path)
        try:
            fields, problems, parts = value  # type: ignore[misc]
            parts = [
                (list(ids), _loader(path, rows), list(clozes), {c: i for c, i in links})
                for ids, rows, clozes, links in parts
            ]
        except (TypeError, ValueError):
            return None
        if fields != Card._fields:  # written before Card changed: its rows would not fit
            return None
        return CachedDeck(list(problems), parts)

    def put(self, path: Path, deck: Deck) -> None:
        """Remember a fresh parse; written out by `save`."""
        parts = []
        for start in range(0, len(deck.cards), CARDS_PER_PART):
            cards = deck.cards[start : start + CARDS_PER_PART]
            clozes = [card.id for card in cards if card.cloze_text is not None]
            links = [(card.id, card.item_id) for card in cards if card.item_id]
            rows = marshal.dumps([tuple(c) for c in cards])
            parts.append(([card.id for card in cards], rows, clozes, links))
        self._keep(path, (Card._fields, list(deck.problems), parts))

    def save(self, drop_unused: bool = True) -> None:
        super().save(drop_unused)
        (self.path.parent / OLD_DECK_CACHE_NAME).unlink(missing_ok=True)


class RoadmapCache(_StampedCache):
    """Roadmaps as parsed: with every roadmap unchanged, start-up never loads the parser."""

    KIND = "roadmaps"
    VERSION = 4  # 4: the parse rules of #27 (boxless sections, course tables, empty headings)

    def get(self, path: Path) -> Roadmap | None:
        """The cached parse of `path`, or None when absent, stale or of another schema."""
        value = self._fresh(path)
        try:
            schema, plain = value  # type: ignore[misc]
            return roadmap_from_plain(plain) if schema == SCHEMA else None
        except (TypeError, ValueError, KeyError):
            return None

    def put(self, path: Path, roadmap: Roadmap) -> None:
        """Remember a fresh parse; written out by `save`."""
        self._keep(path, (SCHEMA, roadmap_to_plain(roadmap)))
