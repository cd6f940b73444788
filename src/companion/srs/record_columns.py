"""Card records side by side in columns, as a saved snapshot holds them: the i-th entry of
each column is the i-th card's. Loading them makes no record object (at 200,000 cards that
took longer than the rest of loading); `RecordTable` makes one when a card is read.
"""

import marshal
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from math import isnan

from companion.srs.card_record import CardRecord
from companion.srs.due_index import IN_LEARNING, LEECH, SUSPENDED, DueIndex

NONE = float("nan")
"""A due time or burial that is not there (a new card, a card not buried)."""


@dataclass
class RecordColumns:
    """Records side by side, the i-th of each column the i-th card's."""

    ids: list[str] = field(default_factory=list)
    fsrs: bytes = b""
    """Each card's packed fsrs state, one after another; empty for a new card."""
    fsrs_ends: array = field(default_factory=lambda: array("q"))
    reps: array = field(default_factory=lambda: array("q"))
    lapses: array = field(default_factory=lambda: array("q"))
    flags: bytes = b""
    buried_until: array = field(default_factory=lambda: array("d"))
    due_ts: array = field(default_factory=lambda: array("d"))
    stability: array = field(default_factory=lambda: array("d"))
    """FSRS stability, NaN when the card has none (new): with `last_review`, what its
    retrievability needs, read without unpacking its fsrs state."""
    last_review: array = field(default_factory=lambda: array("d"))
    """The time of its last answer, NaN when none."""
    retired: dict[str, bool | str] = field(default_factory=dict)
    """The few retired cards: where their history went (or True)."""
    index: DueIndex | None = None
    """The rows by due time, as saved (None when the columns were given without it)."""
    by_id: array | None = None
    """The rows in the order of their card ids, to find a card's row by bisecting (None when
    the columns were given without it)."""

    def check(self) -> None:
        """Raise ValueError unless every column holds one entry per card."""
        n = len(self.ids)
        sizes = (len(self.fsrs_ends), len(self.reps), len(self.lapses), len(self.flags))
        floats = (self.buried_until, self.due_ts, self.stability, self.last_review)
        if sizes != (n,) * 4 or tuple(map(len, floats)) != (n,) * 4:
            raise ValueError("columns of different lengths")
        if n and self.fsrs_ends[-1] != len(self.fsrs):
            raise ValueError("fsrs column cut short")
        if self.index is not None:
            self.index.check(n)
        if self.by_id is not None and len(self.by_id) != n:
            raise ValueError("id order of another length")

    def packed(self) -> list:
        """The columns as plain values (marshal writes arrays as bytes only)."""
        return [
            self.ids, self.fsrs, self.fsrs_ends.tobytes(), self.reps.tobytes(),
            self.lapses.tobytes(), self.flags, self.buried_until.tobytes(),
            self.due_ts.tobytes(), self.stability.tobytes(), self.last_review.tobytes(),
            self.retired,
            None if self.index is None else self.index.packed(),
            None if self.by_id is None else self.by_id.tobytes(),
        ]  # fmt: skip

    @classmethod
    def unpacked(cls, saved: list) -> "RecordColumns":
        """Back from `packed`; TypeError or ValueError for anything else."""
        ids, fsrs, ends, reps, lapses, flags, buried, due, stability, last, retired = saved[:11]
        index, by_id = saved[11:]
        if not (isinstance(ids, list) and isinstance(fsrs, bytes) and isinstance(flags, bytes)):
            raise TypeError("records")
        if not isinstance(retired, dict):
            raise TypeError("retired")
        columns = cls(ids, fsrs, flags=flags, retired=retired)
        for column, data in zip(
            (columns.fsrs_ends, columns.reps, columns.lapses, columns.buried_until, columns.due_ts,
             columns.stability, columns.last_review),
            (ends, reps, lapses, buried, due, stability, last),
            strict=True,
        ):  # fmt: skip
            column.frombytes(data)
        if index is not None:
            columns.index = DueIndex.unpacked(index)
        if by_id is not None:
            columns.by_id = array("q")
            columns.by_id.frombytes(by_id)
        columns.check()
        return columns

    def record(self, at: int) -> CardRecord:
        """The record in row `at`."""
        return CardRecord(*self.snapshot_row(at))

    def snapshot_row(self, at: int) -> tuple:
        """Row `at` as `CardRecord.snapshot_row` gives it."""
        card_id, flags = self.ids[at], self.flags[at]
        start = self.fsrs_ends[at - 1] if at else 0
        buried, due = self.buried_until[at], self.due_ts[at]
        stability, last = self.stability[at], self.last_review[at]
        return (
            card_id, self.fsrs[start : self.fsrs_ends[at]] or None, self.reps[at],
            self.lapses[at], bool(flags & SUSPENDED), bool(flags & LEECH),
            None if isnan(buried) else buried, self.retired.get(card_id, False),
            (None if isnan(due) else due, bool(flags & IN_LEARNING),
             None if isnan(stability) else stability, None if isnan(last) else last),
        )  # fmt: skip


def columns_of(rows: Iterable[tuple]) -> RecordColumns:
    """Columns from `CardRecord.snapshot_row`s."""
    columns = RecordColumns()
    packed, flags = [], bytearray()
    end = 0
    for card_id, state, reps, lapses, suspended, leech, buried, retired, derived in rows:
        columns.ids.append(card_id)
        blob = b"" if state is None else state
        if blob.__class__ is not bytes:  # a state with keys of its own (an old log's)
            blob = marshal.dumps(blob)
        packed.append(blob)
        end += len(blob)
        columns.fsrs_ends.append(end)
        columns.reps.append(reps)
        columns.lapses.append(lapses)
        due, learning, stability, last = derived
        flags.append(SUSPENDED * bool(suspended) | LEECH * bool(leech) | IN_LEARNING * learning)
        columns.buried_until.append(NONE if buried is None else buried)
        columns.due_ts.append(NONE if due is None else due)
        columns.stability.append(NONE if stability is None else stability)
        columns.last_review.append(NONE if last is None else last)
        if retired:
            columns.retired[card_id] = retired
    columns.fsrs, columns.flags = b"".join(packed), bytes(flags)
    columns.index = DueIndex.of(columns.flags, columns.buried_until, columns.due_ts)
    columns.by_id = array("q", sorted(range(len(columns.ids)), key=columns.ids.__getitem__))
    return columns
