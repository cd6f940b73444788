"""Parsed decks saved between runs, so 50,000 cards do not have to be parsed at every start.

Each deck is kept as its card ids plus its cards packed apart, so start-up reads the ids and
a deck's cards are unpacked only when one of them is shown. Derived data: a missing, damaged
or outdated cache is simply rebuilt.
"""

import marshal
from pathlib import Path

from companion.content.deck import Card, Deck
from companion.content.loader import CachedDeck
from companion.store.packed_file import read_packed, write_packed

CACHE_KIND = "decks"
CACHE_VERSION = 2
OLD_CACHE_NAME = "decks.json"  # the JSON cache written by earlier builds


def _unpack(rows: bytes) -> list[Card]:
    make = Card._make
    return [make(row) for row in marshal.loads(rows)]


class DeckCache:
    """Deck parses keyed by path, valid while the file's size and modification time match."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.changed = False
        data = read_packed(path, CACHE_KIND, CACHE_VERSION)
        self._entries: dict[str, tuple] = data if isinstance(data, dict) else {}

    @staticmethod
    def _stamp(path: Path) -> tuple[int, int]:
        info = path.stat()
        return (info.st_size, info.st_mtime_ns)

    def get(self, path: Path) -> CachedDeck | None:
        """The cached parse of `path`, or None when absent or stale."""
        entry = self._entries.get(str(path))
        try:
            stamp, ids, problems, rows = entry  # type: ignore[misc]
            if stamp != self._stamp(path):
                return None
        except (OSError, TypeError, ValueError):
            return None
        return CachedDeck(list(ids), list(problems), lambda: _unpack(rows))

    def put(self, path: Path, deck: Deck) -> None:
        """Remember a fresh parse; written out by `save`."""
        rows = marshal.dumps([tuple(card) for card in deck.cards])
        ids = [card.id for card in deck.cards]
        self._entries[str(path)] = (self._stamp(path), ids, list(deck.problems), rows)
        self.changed = True

    def save(self) -> None:
        """Write the cache if anything changed (atomically, like every data file)."""
        if self.changed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_packed(self.path, CACHE_KIND, CACHE_VERSION, self._entries)
            (self.path.parent / OLD_CACHE_NAME).unlink(missing_ok=True)
            self.changed = False
