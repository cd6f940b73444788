"""A package's revlog held in columns: a million entries as tuples took 235 MB, as arrays of
64-bit integers 64 MB. Entries are kept sorted by card, then time, and made into
`AnkiReview`s one card at a time."""

import sqlite3
from array import array
from collections.abc import Iterator
from itertools import groupby
from typing import NamedTuple

COLUMNS = ("id", "cid", "ease", "ivl", "type", "time", "factor", "lastIvl")
BATCH = 50_000


class AnkiReview(NamedTuple):
    """One revlog entry: when (ms), the grade (0 for a manual change), interval, time taken,
    kind (0 learning, 1 review, 2 relearning, 3 filtered, 4 manual, 5 rescheduled) and ease
    factor (0 on a Forget, and on a filtered deck's answer that did not reschedule)."""

    id: int
    card_id: int
    ease: int
    ivl: int
    type: int
    time_ms: int
    factor: int = 0
    last_ivl: int = 0


class Revlog:
    """Every entry, by card."""

    def __init__(self, columns: list[array]) -> None:
        self._columns = columns
        self._spans: dict[int, tuple[int, int]] = {}
        start = 0
        for card_id, entries in groupby(columns[1]):
            end = start + sum(1 for _ in entries)
            self._spans[card_id] = (start, end)
            start = end

    @classmethod
    def read(cls, db: sqlite3.Connection) -> "Revlog":
        """The collection's revlog; TypeError when a column holds something else than an
        integer (a damaged collection)."""
        columns = [array("q") for _ in COLUMNS]
        cursor = db.execute(f"select {', '.join(COLUMNS)} from revlog order by cid, id")
        while batch := cursor.fetchmany(BATCH):
            for column, values in zip(columns, zip(*batch, strict=True), strict=True):
                column.extend(values)
        return cls(columns)

    def __len__(self) -> int:
        return len(self._columns[0])

    def __iter__(self) -> Iterator[AnkiReview]:
        for card_id in self._spans:
            yield from self.of_card(card_id)

    def of_card(self, card_id: int) -> list[AnkiReview]:
        """The card's entries, oldest first."""
        start, end = self._spans.get(card_id, (0, 0))
        return [AnkiReview._make(c[i] for c in self._columns) for i in range(start, end)]
