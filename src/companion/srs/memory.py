"""How much of a set of cards the learner still remembers now: their average FSRS
retrievability, how many are due, and whether that falls below the retention they asked for.

Worked out from each record's stability and last answer with FSRS's own formula, the days
counted in study days as the scheduler counts them (`srs/study_days.py`): the same number
`fsrs.Scheduler.get_card_retrievability` gives, without making a `Card` per record, so a phase
of thousands of cards is measured at each redraw.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from companion.srs.card_record import CardRecord
from companion.srs.ledger import Ledger
from companion.srs.record_table import recall_inputs
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


class MemoryMeter:
    """Measures the memory of sets of cards from the ledger's records, reading what each card's
    retrievability needs (stability, last answer, due time) off the snapshot's columns (reading
    50,000 records took a third of a second), and keeping each set's memory until a record
    changes or the study day turns: the Roadmap's labels and the Today plan measure every
    linked card at each redraw."""

    def __init__(
        self, ledger_of: Callable[[], Ledger], decay_of: Callable[[str], float], desired: float
    ) -> None:
        """`ledger_of` gives the ledger as it is now (a store makes a new one on reload)."""
        self.ledger_of, self.decay_of, self.desired = ledger_of, decay_of, desired
        self._kept: dict[tuple, Memory] = {}
        self._kept_for: tuple = ()
        self._kept_ledger: Ledger | None = None

    def memory(self, card_ids: Iterable[str], now: datetime) -> Memory:
        """As `memory_of` measures it."""
        today = study_day_number(now.timestamp())
        day_end = next_day_start(now).timestamp()
        cards = card_ids if isinstance(card_ids, list) else list(card_ids)
        ledger = self.ledger_of()
        moment = (ledger.changes, today, day_end)
        if moment != self._kept_for or ledger is not self._kept_ledger:
            self._kept, self._kept_for, self._kept_ledger = {}, moment, ledger
        key = tuple(cards)
        found = self._kept.get(key)
        if found is None:
            found = self._kept[key] = self._measured(ledger, cards, today, day_end)
        return found

    def _measured(self, ledger: Ledger, cards: list[str], today: int, day_end: float) -> Memory:
        found = recall_inputs(ledger.records, cards, day_end)
        if not found.answered:
            return Memory(len(cards), found.due, None, self.desired)
        days = study_day_numbers(found.last)
        decays = [self.decay_of(card_id) for card_id in found.answered]
        factors = {decay: 0.9 ** (1 / -decay) - 1 for decay in set(decays)}
        total = sum(
            (1 + factors[decay] * max(0, today - day) / stability) ** -decay
            for decay, day, stability in zip(decays, days, found.stability, strict=True)
        )
        return Memory(len(cards), found.due, total / len(found.answered), self.desired)


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
    average = sum(recalls) / len(recalls) if recalls else None
    return Memory(count, due, average, desired)
