"""How much of a set of cards the learner still remembers now: their average FSRS
retrievability, how many are due, and whether that falls below the retention they asked for.

Worked out from each record's stability and last answer with FSRS's own formula, the days
counted in study days as the scheduler counts them (`srs/study_days.py`): the same number
`fsrs.Scheduler.get_card_retrievability` gives, without making a `Card` per record, so a phase
of thousands of cards is measured at each redraw.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, compress, repeat
from math import fsum
from operator import add, eq, mul, sub, truediv

from companion.srs.card_record import CardRecord
from companion.srs.ledger import Ledger
from companion.srs.record_table import RecallInputs, recall_inputs
from companion.srs.review_queue import next_day_start
from companion.srs.study_days import study_day_number, study_day_numbers


@dataclass(frozen=True)
class Memory:
    """Linked cards' memory now; `retrievability` None while none has been answered."""

    cards: int
    due: int
    retrievability: float | None
    desired: float

    @property
    def weak(self) -> bool:
        """Below the desired retention: more is forgotten than the learner chose to accept."""
        return self.retrievability is not None and self.retrievability < self.desired

    def as_dict(self) -> dict:
        recall = None if self.retrievability is None else round(self.retrievability, 4)
        return {"cards": self.cards, "due": self.due, "retrievability": recall}


def recall_of(record: CardRecord, today: int, decay: float) -> float | None:
    """The chance of recalling the card on study day `today` (None: never answered, or its
    record holds no stability); `decay` is its scheduler's FSRS-6 w[20]."""
    state = record.fsrs
    if state is None or not state.get("stability") or not state.get("last_review"):
        return None
    last = study_day_number(datetime.fromisoformat(state["last_review"]).timestamp())
    elapsed = max(0, today - last)
    factor = 0.9 ** (1 / -decay) - 1
    return (1 + factor * elapsed / state["stability"]) ** -decay


@dataclass(frozen=True)
class _Inputs:
    """A set's `RecallInputs` with the study day of each last answer, by FSRS decay: what its
    memory on any study day is worked out from, while no record changes."""

    cards: int
    found: RecallInputs
    by_decay: list[tuple[float, list[int], list[float]]]  # (decay, last days, stabilities)


class MemoryMeter:
    """Measures the memory of sets of cards from the ledger's records, reading what each card's
    retrievability needs (stability, last answer, due time) off the snapshot's columns (reading
    50,000 records took a third of a second), and keeping each set's memory until a record
    changes or the study day turns, and what it is worked out from until a record changes:
    the Roadmap's labels and the Today plan measure every linked card at each redraw, and the
    plans kept ahead measure them again on the next study day."""

    def __init__(
        self, ledger_of: Callable[[], Ledger], decay_of: Callable[[str], float], desired: float
    ) -> None:
        """`ledger_of` gives the ledger as it is now (a store makes a new one on reload)."""
        self.ledger_of, self.decay_of, self.desired = ledger_of, decay_of, desired
        self._kept: dict[tuple, Memory] = {}
        self._kept_for: tuple = ()
        self._inputs: dict[tuple, _Inputs] = {}
        self._inputs_for: tuple = ()
        self._kept_ledger: Ledger | None = None

    def memory(self, card_ids: Iterable[str], now: datetime) -> Memory:
        """As `memory_of` measures it."""
        today = study_day_number(now.timestamp())
        day_end = next_day_start(now).timestamp()
        cards = card_ids if isinstance(card_ids, list) else list(card_ids)
        ledger = self.ledger_of()
        changes = (ledger.changes, time.tzname)  # the study days of the answers: the zone's
        if changes != self._inputs_for or ledger is not self._kept_ledger:
            self._inputs, self._inputs_for, self._kept_ledger = {}, changes, ledger
            self._kept_for = ()
        moment = (changes, today, day_end)
        if moment != self._kept_for:
            self._kept, self._kept_for = {}, moment
        key = tuple(cards)
        found = self._kept.get(key)
        if found is None:
            inputs = self._inputs.get(key)
            if inputs is None:
                inputs = self._inputs[key] = self._read(ledger, cards)
            found = self._kept[key] = self._measured(inputs, today, day_end)
        return found

    def _read(self, ledger: Ledger, cards: list[str]) -> _Inputs:
        found = recall_inputs(ledger.records, cards)
        days = study_day_numbers(found.last)
        decays = list(map(self.decay_of, found.answered))
        by_decay = [
            (decay, list(compress(days, map(eq, decays, repeat(decay)))),
             list(compress(found.stability, map(eq, decays, repeat(decay)))))
            for decay in set(decays)
        ]  # fmt: skip
        return _Inputs(len(cards), found, by_decay)

    def _measured(self, inputs: _Inputs, today: int, day_end: float) -> Memory:
        found = inputs.found
        due = found.due_by(day_end)
        if not found.answered:
            return Memory(inputs.cards, due, None, self.desired)
        total = fsum(chain.from_iterable(
            _recalls(days, held, today, decay) for decay, days, held in inputs.by_decay
        ))  # fmt: skip
        return Memory(inputs.cards, due, total / len(found.answered), self.desired)


def _recalls(
    days: Iterable[int], stabilities: Iterable[float], today: int, decay: float
) -> Iterable[float]:
    """`recall_of` of each card last answered on study day `days[i]` with stability
    `stabilities[i]`, worked out by `map` (in C, the same operations in the same order)."""
    factor = 0.9 ** (1 / -decay) - 1
    elapsed = map(max, repeat(0), map(sub, repeat(today), days))
    bases = map(add, repeat(1), map(truediv, map(mul, repeat(factor), elapsed), stabilities))
    return map(pow, bases, repeat(-decay))


def memory_of(
    card_ids: Iterable[str],
    records: dict[str, CardRecord],
    now: datetime,
    decay_of: Callable[[str], float],
    desired: float,
) -> Memory:
    """The memory of these cards now: each scored with its own deck's FSRS decay. A suspended
    card counts as a card but not as due; an unanswered one has no retrievability yet."""
    today = study_day_number(now.timestamp())
    day_end = next_day_start(now).timestamp()
    count = due = 0
    recalls: list[float] = []
    for card_id in card_ids:
        count += 1
        record = records.get(card_id)
        if record is None or record.is_new:
            continue
        if not record.suspended and record.due_ts is not None and record.due_ts < day_end:
            due += 1
        recall = recall_of(record, today, decay_of(card_id))
        if recall is not None:
            recalls.append(recall)
    average = fsum(recalls) / len(recalls) if recalls else None
    return Memory(count, due, average, desired)
