"""Which review-log lines name which card, so one card's events are read back without
parsing the whole log (when an event arrives out of time order, the ledger replays the card).

Built the first time it is needed, from the raw lines (a pattern, not a JSON parse: at a
million answers a parse of every line takes seconds), and extended as the log grows.
"""

import json
import re
from array import array
from collections.abc import Iterator
from pathlib import Path

_NAMES = re.compile(rb'"(?:card|from|to)":"((?:[^"\\]|\\.)*)"')


def _card_ids(line: bytes) -> set[str]:
    ids = set()
    for match in _NAMES.finditer(line):
        raw = match.group(1)
        try:
            ids.add(json.loads(b'"' + raw + b'"') if b"\\" in raw else raw.decode())
        except (ValueError, UnicodeDecodeError):
            continue
    return ids


class CardEventIndex:
    """The offsets of the log lines naming each card, over the log's first `covered` bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.covered = 0
        self._lines: dict[str, array] = {}

    def reset(self) -> None:
        """Forget everything (the log was cut back or replaced)."""
        self.covered = 0
        self._lines = {}

    def extend(self, upto: int) -> None:
        """Index the lines that end at or before byte `upto`."""
        if upto < self.covered:
            self.reset()
        if upto == self.covered:
            return
        with self.path.open("rb") as handle:
            handle.seek(self.covered)
            position = self.covered
            for line in handle:
                if position + len(line) > upto or not line.endswith(b"\n"):
                    break
                for card_id in _card_ids(line):
                    self._lines.setdefault(card_id, array("q")).append(position)
                position += len(line)
        self.covered = position

    def lines_naming(self, card_ids: set[str]) -> Iterator[bytes]:
        """The raw lines (indexed so far) that name any of these cards, in log order."""
        offsets = sorted({o for card_id in card_ids for o in self._lines.get(card_id, ())})
        if not offsets:
            return
        with self.path.open("rb") as handle:
            for offset in offsets:
                handle.seek(offset)
                yield handle.readline()
