"""Every card's record as a saved snapshot holds it: in columns, a record made only when read.

At 200,000 cards, making a record object for each card took longer than the rest of loading,
and start-up looks into a few hundred of them: the queue reads the columns themselves (due
time, flags), and the rest waits until a card is shown, answered or searched.
"""

from bisect import bisect_left
from collections.abc import Iterable, Iterator, KeysView, MutableMapping
from dataclasses import dataclass, field
from itertools import compress, islice, repeat
from operator import and_, eq, is_not, itemgetter, lt, not_, truth

from companion.srs.card_record import CardRecord
from companion.srs.record_columns import IN_LEARNING, SUSPENDED, RecordColumns

_due_time = itemgetter(0)


@dataclass
class CardsNow:
    """Where the cards stand at one moment, as the queue sorts them at start-up."""

    new: list[str] = field(default_factory=list)
    learning_now: list[str] = field(default_factory=list)
    """Learning cards due by now, by due time (ties in the order the cards were given)."""
    review_now: list[str] = field(default_factory=list)
    """Reviews due before the study day ends, by due time (ties likewise)."""
    review_due: list[float] = field(default_factory=list)
    """The due time of each card of `review_now`."""
    learning_later: list[tuple[float, str]] = field(default_factory=list)
    """The other learning cards with their due times, in the order given."""


@dataclass
class CardsSorting:
    """`CardsNow` being gathered one card at a time, each with its due time."""

    new: list[str] = field(default_factory=list)
    learning_now: list[tuple[float, str]] = field(default_factory=list)
    review_now: list[tuple[float, str]] = field(default_factory=list)
    learning_later: list[tuple[float, str]] = field(default_factory=list)

    def done(self) -> CardsNow:
        """Sorted on the due time alone (ties keep their order: float keys sort faster than
        tuples)."""
        self.learning_now.sort(key=_due_time)
        self.review_now.sort(key=_due_time)
        return CardsNow(
            self.new,
            [card_id for _, card_id in self.learning_now],
            [card_id for _, card_id in self.review_now],
            [due_ts for due_ts, _ in self.review_now],
            self.learning_later,
        )


def sort_card(
    cards: CardsSorting, card_id: str, record: CardRecord | None, now_ts: float, day_end: float
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
        # card id -> its row, or -1 for a card whose record was written since (in `_made`);
        # made when first needed: until then a card's row is found in `by_id` (at 200,000
        # cards, making it took a third of the time to open the store, and start-up looks up
        # a few hundred cards)
        self._row_map: dict[str, int] | None = None
        if self._columns.by_id is None:
            self.index_all()
        self._made: dict[str, CardRecord] = {}
        self._written = False  # any record put or deleted: the saved index no longer holds

    def index_all(self) -> None:
        """Make the map of every card to its row now (after start-up, between other work)."""
        if self._row_map is None:
            ids = self._columns.ids
            self._row_map = dict(zip(ids, range(len(ids)), strict=True))

    @property
    def _rows(self) -> dict[str, int]:
        if self._row_map is None:
            self.index_all()
        return self._row_map  # type: ignore[return-value]

    def _row_of(self, card_id: str) -> int | None:
        if self._row_map is not None:
            return self._row_map.get(card_id)
        ids, by_id = self._columns.ids, self._columns.by_id
        assert by_id is not None
        at = bisect_left(by_id, card_id, key=ids.__getitem__)
        return by_id[at] if at < len(by_id) and ids[by_id[at]] == card_id else None

    def all_held_in(self, present: "KeysView[str]") -> bool:
        """Whether every card with a record is in `present` (without the map, if not made)."""
        if self._row_map is None:
            ids = self._columns.ids
            if not ids:
                return True
            # Saved in deck order: as a rule a run of `present` (after the cards of decks never
            # studied), told in one compare, where asking card by card would hash every id
            # read from the snapshot (20 ms at 200,000 cards).
            listed = list(present)
            try:
                start = listed.index(ids[0])
            except ValueError:
                return False
            return listed[start : start + len(ids)] == ids or all(map(present.__contains__, ids))
        return self._row_map.keys() <= present

    def get(self, card_id: str, default: CardRecord | None = None) -> CardRecord | None:  # type: ignore[override]
        row = self._row_of(card_id)
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
        self._written = True

    def __delitem__(self, card_id: str) -> None:
        del self._rows[card_id]
        self._made.pop(card_id, None)
        self._written = True

    def __contains__(self, card_id: object) -> bool:
        return card_id.__class__ is str and self._row_of(card_id) is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._columns.ids) if self._row_map is None else len(self._row_map)

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        """A real dict's key view: set operations with it run in C."""
        return self._rows.keys()

    def review_due_times(self) -> Iterator[float]:
        """The due time of every card in long-term review and not suspended (what the load
        balancer counts per day), from the columns, without making a record of each card."""
        columns, rows = self._columns, self._row_map
        ids, flags, retired = columns.ids, columns.flags, columns.retired
        skip = SUSPENDED | IN_LEARNING
        for at, due in enumerate(columns.due_ts):
            if due != due or flags[at] & skip or (retired and retired.get(ids[at])):  # NaN: new
                continue
            if rows is not None and rows.get(ids[at]) != at:
                continue  # written since (below) or gone
            yield due
        for record in self._made.values():
            counted = not (record.in_learning or record.suspended or record.retired)
            if counted and record.due_ts is not None:
                yield record.due_ts

    def recall_inputs(self, card_ids: Iterable[str]) -> "RecallInputs":
        """`RecallInputs` of these cards, read off the columns for the cards unchanged since,
        in the order given: the Today plan measures every linked card, unpacking 50,000 fsrs
        states took a third of a second, and a step of Python per card most of what is left,
        so the columns are read with `map` (each step over every card in C)."""
        cards = card_ids if isinstance(card_ids, list) else list(card_ids)
        rows = list(map(self._rows.get, cards))
        if -1 in rows:  # a record written since: card by card
            return self._recall_inputs_by_card(cards, rows)
        if None in rows:  # cards never studied have no record
            known = list(map(is_not, rows, repeat(None)))
            rows, cards = list(compress(rows, known)), list(compress(cards, known))
        columns = self._columns
        stability = list(map(columns.stability.__getitem__, rows))
        held = list(map(and_, map(eq, stability, stability), map(truth, stability)))  # not NaN, 0
        if not all(held):
            rows, cards = list(compress(rows, held)), list(compress(cards, held))
            stability = list(compress(stability, held))
        flags, due_ts = columns.flags, columns.due_ts
        due = list(map(due_ts.__getitem__, rows))
        free = map(not_, map(and_, map(flags.__getitem__, rows), repeat(SUSPENDED)))
        last = list(map(columns.last_review.__getitem__, rows))
        answered = list(map(eq, last, last))  # NaN: never answered
        return RecallInputs(
            list(compress(due, map(and_, free, map(eq, due, due)))),  # NaN: no due time
            list(compress(cards, answered)),
            list(compress(stability, answered)),
            list(compress(last, answered)),
        )

    def _recall_inputs_by_card(self, card_ids: list[str], rows: list[int | None]) -> "RecallInputs":
        found = RecallInputs()
        answered, stabilities, lasts = found.answered, found.stability, found.last
        due_times = found.due_times
        made, columns = self._made, self._columns
        flags, due_ts = columns.flags, columns.due_ts
        stability, last_review = columns.stability, columns.last_review
        for card_id, row in zip(card_ids, rows, strict=True):
            if row is None:
                continue
            if row < 0:
                add_recall_input(found, card_id, made[card_id])
                continue
            held = stability[row]
            if held != held or not held:  # NaN: none
                continue
            due = due_ts[row]
            if due == due and not flags[row] & SUSPENDED:
                due_times.append(due)
            last = last_review[row]
            if last == last:
                answered.append(card_id)
                stabilities.append(held)
                lasts.append(last)
        return found

    def retired_ids(self) -> set[str]:
        """The retired cards, found without making a record of each card."""
        row_of = self._row_of
        retired = self._columns.retired
        unchanged = {cid for cid in retired if (row := row_of(cid)) is not None and row >= 0}
        return unchanged | {cid for cid, record in self._made.items() if record.retired}

    def where_now(self, card_ids: Iterable[str], now_ts: float, day_end: float) -> CardsNow:
        """`sort_card` for each card, read off the columns for the cards unchanged since."""
        if self._columns.index is not None and not self._written and isinstance(card_ids, list):
            found = self._indexed_where_now(card_ids, now_ts, day_end)
            if found is not None:
                return found
        cards = CardsSorting()
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
        return cards.done()

    def _indexed_where_now(
        self, card_ids: list[str], now_ts: float, day_end: float
    ) -> CardsNow | None:
        """`where_now` from the saved index, when the cards' rows run in their order (the
        snapshot was saved in deck order); None when they do not."""
        columns = self._columns
        index, ids, due_ts = columns.index, columns.ids, columns.due_ts
        assert index is not None
        row_of: list[int | None] | None = None
        chosen: set[int] | None = None
        if card_ids != ids:  # a subset, or cards with no record: their rows must still rise
            row_of = list(map(self._rows.get, card_ids))
            known = [row for row in row_of if row is not None]
            if not all(map(lt, known, islice(known, 1, None))):
                return None  # another order: ties would come out in the wrong order
            chosen = set(known) if len(known) < len(ids) else None
        excluded = index.buried_now(columns.buried_until, now_ts)

        def kept(rows: Iterable[int]) -> Iterable[int]:
            if chosen is None and not excluded:
                return rows
            return [r for r in rows if r not in excluded and (chosen is None or r in chosen)]

        cards = CardsNow()
        reviews = kept(index.reviews_before(due_ts, day_end))
        cards.review_now = list(map(ids.__getitem__, reviews))
        cards.review_due = list(map(due_ts.__getitem__, reviews))
        learning_now, learning_later = index.learning_split(due_ts, now_ts)
        cards.learning_now = list(map(ids.__getitem__, kept(learning_now)))
        later = sorted(kept(learning_later))  # in deck order, as listed
        cards.learning_later = list(
            zip(map(due_ts.__getitem__, later), map(ids.__getitem__, later), strict=True)
        )
        if row_of is None:
            cards.new = [ids[row] for row in kept(index.new)]
        else:
            new = set(index.new) - excluded
            cards.new = [
                c for c, row in zip(card_ids, row_of, strict=True) if row is None or row in new
            ]
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
    """Where each of these cards stands now, whatever holds the records: see `CardsNow`."""
    if isinstance(records, RecordTable):
        return records.where_now(card_ids, now_ts, day_end)
    cards = CardsSorting()
    get = records.get
    for card_id in card_ids:
        sort_card(cards, card_id, get(card_id), now_ts, day_end)
    return cards.done()


@dataclass
class RecallInputs:
    """What the memory of a set of cards is measured from: the due time of each one with a
    memory and not suspended, and the id, FSRS stability and time of the last answer of each
    one answered (kept while no record changes, whatever the study day)."""

    due_times: list[float] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    stability: list[float] = field(default_factory=list)
    last: list[float] = field(default_factory=list)

    def due_by(self, day_end: float) -> int:
        """How many of them are due by `day_end` (the end of a study day)."""
        return sum(map(lt, self.due_times, repeat(day_end)))


def add_recall_input(found: RecallInputs, card_id: str, record: CardRecord | None) -> None:
    """Add one card's record to `found`."""
    if record is None:
        return
    stability, last = record.memory_inputs()
    if stability is None:
        return
    if last is not None:
        found.answered.append(card_id)
        found.stability.append(stability)
        found.last.append(last)
    if not record.suspended and record.due_ts is not None:
        found.due_times.append(record.due_ts)


def recall_inputs(
    records: MutableMapping[str, CardRecord], card_ids: Iterable[str]
) -> RecallInputs:
    """`RecallInputs` of these cards, whatever holds the records."""
    if isinstance(records, RecordTable):
        return records.recall_inputs(card_ids)
    found = RecallInputs()
    for card_id in card_ids:
        add_recall_input(found, card_id, records.get(card_id))
    return found


def all_held_in(records: MutableMapping[str, CardRecord], present: KeysView[str]) -> bool:
    """Whether every card with a record is in `present`, whatever holds the records."""
    if isinstance(records, RecordTable):
        return records.all_held_in(present)
    return records.keys() <= present
