"""Every card's record as a saved snapshot holds it: in columns, a record made only when read.

At 200,000 cards, making a record object for each card took longer than the rest of loading,
and start-up looks into a few hundred of them: the queue reads the columns themselves (due
time, flags), and the rest waits until a card is shown, answered or searched.
"""

import marshal
from array import array
from collections.abc import Iterable, Iterator, KeysView, MutableMapping
from dataclasses import dataclass, field
from math import isnan

from companion.srs.card_record import CardRecord

SUSPENDED, LEECH, IN_LEARNING = 1, 2, 4
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
    retired: dict[str, bool | str] = field(default_factory=dict)
    """The few retired cards: where their history went (or True)."""

    def check(self) -> None:
        """Raise ValueError unless every column holds one entry per card."""
        n = len(self.ids)
        sizes = (len(self.fsrs_ends), len(self.reps), len(self.lapses), len(self.flags))
        if sizes != (n,) * 4 or (len(self.buried_until), len(self.due_ts)) != (n, n):
            raise ValueError("columns of different lengths")
        if n and self.fsrs_ends[-1] != len(self.fsrs):
            raise ValueError("fsrs column cut short")

    def packed(self) -> list:
        """The columns as plain values (marshal writes arrays as bytes only)."""
        return [
            self.ids, self.fsrs, self.fsrs_ends.tobytes(), self.reps.tobytes(),
            self.lapses.tobytes(), self.flags, self.buried_until.tobytes(),
            self.due_ts.tobytes(), self.retired,
        ]  # fmt: skip

    @classmethod
    def unpacked(cls, saved: list) -> "RecordColumns":
        """Back from `packed`; TypeError or ValueError for anything else."""
        ids, fsrs, ends, reps, lapses, flags, buried, due, retired = saved
        if not (isinstance(ids, list) and isinstance(fsrs, bytes) and isinstance(flags, bytes)):
            raise TypeError("records")
        if not isinstance(retired, dict):
            raise TypeError("retired")
        columns = cls(ids, fsrs, flags=flags, retired=retired)
        for column, data in zip(
            (columns.fsrs_ends, columns.reps, columns.lapses, columns.buried_until, columns.due_ts),
            (ends, reps, lapses, buried, due),
            strict=True,
        ):
            column.frombytes(data)
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
        return (
            card_id, self.fsrs[start : self.fsrs_ends[at]] or None, self.reps[at],
            self.lapses[at], bool(flags & SUSPENDED), bool(flags & LEECH),
            None if isnan(buried) else buried, self.retired.get(card_id, False),
            (None if isnan(due) else due, bool(flags & IN_LEARNING)),
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
        due, learning = derived
        flags.append(SUSPENDED * bool(suspended) | LEECH * bool(leech) | IN_LEARNING * learning)
        columns.buried_until.append(NONE if buried is None else buried)
        columns.due_ts.append(NONE if due is None else due)
        if retired:
            columns.retired[card_id] = retired
    columns.fsrs, columns.flags = b"".join(packed), bytes(flags)
    return columns


@dataclass
class CardsNow:
    """Where the cards stand at one moment, as the queue sorts them at start-up."""

    new: list[str] = field(default_factory=list)
    learning_now: list[tuple[float, str]] = field(default_factory=list)
    review_now: list[tuple[float, str]] = field(default_factory=list)
    """Reviews due before the study day ends."""
    learning_later: list[tuple[float, str]] = field(default_factory=list)


def sort_card(
    cards: CardsNow, card_id: str, record: CardRecord | None, now_ts: float, day_end: float
) -> None:
    """Put one card where it stands now; suspended and buried cards, and reviews due on a
    later study day, nowhere."""
    if record is None:
        cards.new.append(card_id)
        return
    buried = record.buried_until
    if record.suspended or (buried is not None and buried > now_ts):
        return
    due_ts = record.due_ts
    if due_ts is None:
        cards.new.append(card_id)
    elif record.in_learning:
        later = due_ts > now_ts
        (cards.learning_later if later else cards.learning_now).append((due_ts, card_id))
    elif due_ts < day_end:
        cards.review_now.append((due_ts, card_id))


class RecordTable(MutableMapping[str, CardRecord]):
    """A mapping of card id to record over `RecordColumns`; records written since (answers,
    burials) are kept as objects instead of their row."""

    def __init__(self, columns: RecordColumns | None = None) -> None:
        self._columns = columns or RecordColumns()
        # card id -> its row, or -1 for a card whose record was written since (in `_made`)
        self._rows: dict[str, int] = dict(
            zip(self._columns.ids, range(len(self._columns.ids)), strict=True)
        )
        self._made: dict[str, CardRecord] = {}

    def get(self, card_id: str, default: CardRecord | None = None) -> CardRecord | None:  # type: ignore[override]
        row = self._rows.get(card_id)
        if row is None:
            return default
        # made afresh at each read, not kept: the columns stay the only copy of the cards
        # never written, even once the card browser has read all of them
        return self._made[card_id] if row < 0 else self._columns.record(row)

    def __getitem__(self, card_id: str) -> CardRecord:
        record = self.get(card_id)
        if record is None:
            raise KeyError(card_id)
        return record

    def __setitem__(self, card_id: str, record: CardRecord) -> None:
        self._made[card_id] = record
        self._rows[card_id] = -1

    def __delitem__(self, card_id: str) -> None:
        del self._rows[card_id]
        self._made.pop(card_id, None)

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        """A real dict's key view: set operations with it run in C."""
        return self._rows.keys()

    def retired_ids(self) -> set[str]:
        """The retired cards, found without making a record of each card."""
        rows = self._rows
        unchanged = {cid for cid in self._columns.retired if rows.get(cid, -1) >= 0}
        return unchanged | {cid for cid, record in self._made.items() if record.retired}

    def where_now(self, card_ids: Iterable[str], now_ts: float, day_end: float) -> CardsNow:
        """`sort_card` for each card, read off the columns for the cards unchanged since."""
        cards = CardsNow()
        new, learning_now, review_now = cards.new, cards.learning_now, cards.review_now
        learning_later = cards.learning_later
        rows, made = self._rows.get, self._made
        columns = self._columns
        flags, buried_until, due_ts = columns.flags, columns.buried_until, columns.due_ts
        # One lookup per card and no calls: this loop runs over every card at start-up.
        # (NaN compares false: a card not buried is never `buried > now_ts`.)
        for card_id in card_ids:
            row = rows(card_id)
            if row is None:
                new.append(card_id)
            elif row < 0:
                sort_card(cards, card_id, made[card_id], now_ts, day_end)
            elif flags[row] & SUSPENDED or buried_until[row] > now_ts:
                continue
            else:
                due = due_ts[row]
                if due != due:  # NaN: new
                    new.append(card_id)
                elif flags[row] & IN_LEARNING:
                    (learning_later if due > now_ts else learning_now).append((due, card_id))
                elif due < day_end:
                    review_now.append((due, card_id))
        return cards

    def snapshot_rows(self, order: Iterable[str] = ()) -> Iterator[tuple]:
        """Every record as `CardRecord.snapshot_row`, those named in `order` first and in that
        order (so the next start-up reads them in the order it looks them up)."""
        rows, made = self._rows, self._made
        yielded: set[str] = set()
        for card_id in (*order, *rows):
            row = rows.get(card_id)
            if row is None or card_id in yielded:
                continue
            yielded.add(card_id)
            yield made[card_id].snapshot_row() if row < 0 else self._columns.snapshot_row(row)


def where_now(
    records: MutableMapping[str, CardRecord], card_ids: Iterable[str], now_ts: float, day_end: float
) -> CardsNow:
    """Where each of these cards stands now, in their order, whatever holds the records."""
    if isinstance(records, RecordTable):
        return records.where_now(card_ids, now_ts, day_end)
    cards = CardsNow()
    get = records.get
    for card_id in card_ids:
        sort_card(cards, card_id, get(card_id), now_ts, day_end)
    return cards
