"""One card's scheduling state and flags, as the ledger keeps it and the log records it."""

import marshal
from datetime import datetime

from fsrs import State

REVIEW_STATE = State.Review.value

FSRS_KEYS = ("card_id", "state", "step", "stability", "difficulty", "due", "last_review")
"""The keys of fsrs's card dict, in its order: a snapshot keeps only the values."""
ROW_FIELDS = (
    "card_id", "fsrs", "reps", "lapses", "suspended", "leech", "buried_until", "retired",
)  # fmt: skip


class CardRecord:
    """One card's scheduling state and flags.

    `fsrs` may arrive packed (from a snapshot: the tuple of its values, marshalled) and becomes
    a dict only when read: start-up loads every card, most of which it never looks into.
    """

    __slots__ = (
        "card_id", "_fsrs", "reps", "lapses", "suspended", "leech", "buried_until", "retired",
        "due_ts", "in_learning",
    )  # fmt: skip

    def __init__(
        self,
        card_id: str,
        fsrs: dict | tuple | bytes | None = None,
        reps: int = 0,
        lapses: int = 0,
        suspended: bool = False,
        leech: bool = False,
        buried_until: float | None = None,
        retired: bool | str = False,
        derived: tuple[float | None, bool] | None = None,
    ) -> None:
        """`retired`: its history moved to another card (an edit): the id it went to, or True
        in old logs. A retired card back in a deck (an edit reverted) is new unless its history
        comes back. `derived`: `(due_ts, in_learning, ...)` as saved by `snapshot_row`, so
        loading need not work them out."""
        self.card_id = card_id
        self._fsrs = fsrs
        self.reps = reps
        self.lapses = lapses
        self.suspended = suspended
        self.leech = leech
        self.buried_until = buried_until
        self.retired = retired
        # Derived once: the queue reads these for every card at start-up.
        self.due_ts: float | None
        """When it is next due, as a POSIX timestamp; None while new."""
        self.in_learning: bool
        """In (re)learning steps rather than long-term review."""
        if derived is not None:
            self.due_ts, self.in_learning = derived[0], derived[1]
            return
        state = self.fsrs
        self.due_ts = datetime.fromisoformat(state["due"]).timestamp() if state else None
        self.in_learning = state is not None and state["state"] != REVIEW_STATE

    @property
    def fsrs(self) -> dict | None:
        """fsrs's card as a dict (`Card.to_dict`); None while new."""
        value = self._fsrs
        if value.__class__ is bytes:
            value = marshal.loads(value)  # type: ignore[arg-type]
        if value.__class__ is tuple:
            value = dict(zip(FSRS_KEYS, value, strict=True))  # type: ignore[arg-type]
        self._fsrs = value
        return value  # type: ignore[return-value]

    def changed(self, **changes: object) -> "CardRecord":
        """A copy with some fields changed (the derived ones follow a changed `fsrs`)."""
        fields = dict(zip(ROW_FIELDS, self._raw_row(), strict=True))
        fields.update(changes)
        derived = None if "fsrs" in changes else (self.due_ts, self.in_learning)
        return CardRecord(**fields, derived=derived)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not CardRecord:
            return NotImplemented
        return self.to_row() == other.to_row()  # type: ignore[union-attr]

    __hash__ = None  # type: ignore[assignment] - mutable, as a dataclass with eq

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(ROW_FIELDS, self.to_row(), strict=True))
        return f"CardRecord({shown})"

    def _raw_row(self) -> tuple:
        """The fields as stored (`fsrs` perhaps still a tuple)."""
        return (
            self.card_id, self._fsrs, self.reps, self.lapses, self.suspended, self.leech,
            self.buried_until, self.retired,
        )  # fmt: skip

    @property
    def passes_history_on(self) -> bool:
        """Whether an edit of the card carries something over: not a retired card that passed
        its history on already (a deleted card written again still has its own)."""
        return not self.retired or self._fsrs is not None

    @property
    def is_new(self) -> bool:
        """Never answered."""
        return self._fsrs is None

    def available(self, now_ts: float) -> bool:
        """Whether it may be shown at all now (not suspended or buried)."""
        if self.suspended:
            return False
        return self.buried_until is None or self.buried_until <= now_ts

    def to_row(self) -> list:
        """A compact JSON list (the fsrs dict is shared, not copied: records are replaced whole)."""
        return [self.card_id, self.fsrs, *self._raw_row()[2:]]

    def memory_inputs(self) -> tuple[float | None, float | None]:
        """(stability, time of the last answer) for its retrievability: None when not there."""
        state = self.fsrs
        if not state:
            return None, None
        stability, last = state.get("stability"), state.get("last_review")
        if stability.__class__ not in (int, float) or not stability:
            return None, None
        return stability, datetime.fromisoformat(last).timestamp() if last else None

    def snapshot_row(self) -> tuple:
        """`to_row` plus the derived fields (due time, in learning, and `memory_inputs`), for
        the ledger snapshot; `fsrs` packed as the marshalled tuple of its values when it has
        fsrs's usual keys: one bytes object to load instead of a tuple, two dates and three
        numbers, for a card start-up never looks into."""
        stability, last = self.memory_inputs()
        state = self._fsrs
        if state.__class__ is dict and tuple(state) == FSRS_KEYS:  # type: ignore[arg-type]
            state = tuple(state.values())  # type: ignore[union-attr]
        if state.__class__ is tuple:
            state = marshal.dumps(state)
        derived = (self.due_ts, self.in_learning, stability, last)
        return (self.card_id, state, *self._raw_row()[2:], derived)

    @classmethod
    def from_row(cls, row: list | tuple) -> "CardRecord":
        """Rebuild from `to_row` or `snapshot_row`."""
        return cls(*row)


def fsrs_int_id(card_id: str) -> int:
    """fsrs wants an integer id (and sleeps 1 ms when given none)."""
    return int(card_id[:12], 16) if all(c in "0123456789abcdef" for c in card_id[:12]) else 1
