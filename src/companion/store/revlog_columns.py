"""A package's revlog held in columns: a million entries as tuples took 235 MB, as arrays of
64-bit integers 64 MB. Entries are kept sorted by card, then time, and made into
`AnkiReview`s only where an entry is wanted whole (on a second import, next to none)."""

import sqlite3
from array import array
from collections.abc import Iterable
from itertools import chain, groupby
from typing import NamedTuple

from companion.store.anki_answers import CardKey, LoggedAnswers

COLUMNS = ("id", "cid", "ease", "ivl", "type", "time", "factor", "lastIvl")
KEPT_SQL = "(ease between 1 and 4 or type in (4, 5))"
"""The entries an import keeps (answers, Forgets, due dates set), as `anki_history.kind_of`
tells them: tests/services/test_anki_history.py holds the two alike."""
BATCH = 500  # ids in one `in (...)`


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
    """Every entry, by card; or, read against the entries already logged, only the others,
    with `totals` per card over all of them."""

    def __init__(
        self, columns: list[array], totals: dict[int, tuple[int, int]] | None = None
    ) -> None:
        self._columns = columns
        self.totals = totals
        """None, or per card: (entries kept, answers among them), logged or not."""
        self._spans: dict[int, tuple[int, int]] = {}
        start = 0
        for card_id, entries in groupby(columns[1]):
            end = start + sum(1 for _ in entries)
            self._spans[card_id] = (start, end)
            start = end

    @classmethod
    def read(
        cls,
        db: sqlite3.Connection,
        logged: LoggedAnswers | None = None,
        card_keys: dict[int, CardKey] | None = None,
    ) -> "Revlog":
        """The collection's revlog; TypeError when a column holds something else than an
        integer (a damaged collection). When most entries are `logged` already (an import
        again: the same revlog id of the same note's card, `card_keys` giving each card's),
        only the others are read whole, and the rest counted."""
        if logged:
            keys = card_keys or {}
            rows = db.execute("select id, cid from revlog")
            total, fresh = 0, []
            for revlog_id, card_id in rows:
                total += 1
                if not logged.has(keys.get(card_id), revlog_id):
                    fresh.append(revlog_id)
            if len(fresh) * 4 <= total:
                return cls._read_fresh(db, fresh)
        # a scan and a sort: Anki's index on cid would make it jump about the table for
        # every row of a revlog written day by day (2.6 s instead of 1.3 at a million)
        query = f"select {', '.join(COLUMNS)} from revlog not indexed order by cid, id"
        return cls(_columns(db.execute(query)))

    @classmethod
    def _read_fresh(cls, db: sqlite3.Connection, fresh: list[int]) -> "Revlog":
        columns = ", ".join(COLUMNS)
        rows = []
        for start in range(0, len(fresh), BATCH):
            batch = fresh[start : start + BATCH]
            marks = ",".join("?" * len(batch))
            rows += db.execute(f"select {columns} from revlog where id in ({marks})", batch)
        rows.sort(key=lambda row: (row[1], row[0]))
        totals = {
            card_id: (kept, answers)
            for card_id, kept, answers in db.execute(
                f"select cid, sum({KEPT_SQL}), sum(ease > 0 and {KEPT_SQL}) "
                "from revlog not indexed group by cid"  # a sort beats the index here too
            )
        }
        return cls(_columns(rows), totals)

    def column(self, name: str) -> array:
        """One column (by its name in Anki's revlog table), in the order entries are kept."""
        return self._columns[COLUMNS.index(name)]

    def span(self, card_id: int) -> range:
        """Where the card's entries are in the columns (oldest first)."""
        return range(*self._spans.get(card_id, (0, 0)))

    def entry(self, index: int) -> AnkiReview:
        c = self._columns
        return AnkiReview(c[0][index], c[1][index], c[2][index], c[3][index], c[4][index],
                          c[5][index], c[6][index], c[7][index])  # fmt: skip


def _columns(rows: Iterable[tuple]) -> list[array]:
    flat = array("q", chain.from_iterable(rows))  # row after row; then cut into columns
    width = len(COLUMNS)
    return [flat[index::width] for index in range(width)]
