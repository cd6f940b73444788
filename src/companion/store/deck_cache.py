"""Parsed decks saved between runs, so 50,000 cards do not have to be parsed at every start.

Derived data: a missing, damaged or outdated cache is simply rebuilt.
"""

from pathlib import Path

import orjson

from companion.content.deck import Card, Deck
from companion.store.atomic_file import write_atomically

CACHE_VERSION = 1


class DeckCache:
    """Deck parses keyed by path, valid while the file's size and modification time match."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.changed = False
        self._entries: dict[str, dict] = {}
        try:
            data = orjson.loads(path.read_bytes())
            if data.get("version") == CACHE_VERSION:
                self._entries = dict(data["decks"])
        except (OSError, ValueError, KeyError, TypeError):
            self._entries = {}

    @staticmethod
    def _stamp(path: Path) -> list[int]:
        info = path.stat()
        return [info.st_size, info.st_mtime_ns]

    def get(self, path: Path) -> Deck | None:
        """The cached parse of `path`, or None when absent or stale."""
        entry = self._entries.get(str(path))
        try:
            if entry is None or entry["stamp"] != self._stamp(path):
                return None
            make = Card._make
            cards = [make((*row[:9], tuple(row[9]))) for row in entry["cards"]]
            return Deck(path.stem, str(path), cards, list(entry["problems"]))
        except (OSError, TypeError, KeyError, IndexError):
            return None

    def put(self, path: Path, deck: Deck) -> None:
        """Remember a fresh parse; written out by `save`."""
        self._entries[str(path)] = {
            "stamp": self._stamp(path),
            "cards": [list(card) for card in deck.cards],
            "problems": deck.problems,
        }
        self.changed = True

    def save(self) -> None:
        """Write the cache if anything changed (atomically, like every data file)."""
        if self.changed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            payload = {"version": CACHE_VERSION, "decks": self._entries}
            write_atomically(self.path, orjson.dumps(payload))
            self.changed = False
