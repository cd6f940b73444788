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
from companion.srs.review_queue import next_day_start
from companion.srs.study_days import study_day_number


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
    """Measures the memory of sets of cards from the ledger's records, keeping what each card's
    retrievability needs (its stability, last study day, decay, due time) until its newest
    event changes: the Roadmap's labels and the Today plan measure every linked card at each
    redraw, and reading 50,000 records each time took half a second."""

    def __init__(self, ledger: Ledger, decay_of: Callable[[str], float], desired: float) -> None:
        self.ledger, self.decay_of, self.desired = ledger, decay_of, desired
        self._inputs: dict[str, tuple] = {}

    def _inputs_of(self, card_id: str) -> tuple:
        """(newest event key, due time or None, suspended, stability, last study day, decay);
        the last three None for a card not answered yet."""
        key = self.ledger.touched.get(card_id)
        found = self._inputs.get(card_id)
        if found is not None and found[0] == key:
            return found
        record = self.ledger.records.get(card_id)
        state = record.fsrs if record is not None else None
        if record is None or state is None or not state.get("stability"):
            found = (key, None, False, None, None, None)
        else:
            last = state.get("last_review")
            day = study_day_number(datetime.fromisoformat(last).timestamp()) if last else None
            found = (key, record.due_ts, record.suspended, state["stability"], day,
                     self.decay_of(card_id))  # fmt: skip
        self._inputs[card_id] = found
        return found

    def memory(self, card_ids: Iterable[str], now: datetime) -> Memory:
        """As `memory_of` measures it."""
        today = study_day_number(now.timestamp())
        day_end = next_day_start(now).timestamp()
        count = due = 0
        total, answered = 0.0, 0
        factors: dict[float, float] = {}
        for card_id in card_ids:
            count += 1
            _, due_ts, suspended, stability, day, decay = self._inputs_of(card_id)
            if stability is None:
                continue
            if not suspended and due_ts is not None and due_ts < day_end:
                due += 1
            if day is None:
                continue
            factor = factors.get(decay)
            if factor is None:
                factor = factors[decay] = 0.9 ** (1 / -decay) - 1
            total += (1 + factor * max(0, today - day) / stability) ** -decay
            answered += 1
        return Memory(count, due, total / answered if answered else None, self.desired)


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
