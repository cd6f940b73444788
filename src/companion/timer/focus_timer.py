"""Focus and break blocks on wall-clock time, so a restart resumes with the right time left."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from companion.config import Settings

Clock = Callable[[], float]

LATE_COMPLETION_WINDOW_S = 3600


class Phase(StrEnum):
    """The kind of block."""

    FOCUS = "focus"
    SHORT_BREAK = "short_break"
    LONG_BREAK = "long_break"

    @property
    def label(self) -> str:
        """How the phase is named on screen."""
        return {"focus": "Focus", "short_break": "Short break", "long_break": "Long break"}[self]


class Status(StrEnum):
    """Whether the block is counting."""

    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"


@dataclass(frozen=True)
class TimerState:
    """Everything needed to resume the timer after a restart."""

    phase: Phase = Phase.FOCUS
    status: Status = Status.IDLE
    duration_s: float = 25 * 60
    elapsed_before_s: float = 0.0
    resumed_at: float | None = None
    started_at: float | None = None
    item_id: str | None = None
    focus_done: int = 0

    def to_dict(self) -> dict:
        """A JSON-ready copy."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "TimerState":
        """Rebuild a saved state, tolerating a missing or partial record."""
        known = {key: data[key] for key in cls.__dataclass_fields__ if key in data}
        state = cls(**known)
        return replace(state, phase=Phase(state.phase), status=Status(state.status))


@dataclass(frozen=True)
class FinishedBlock:
    """A block that ran to its end (or was abandoned while the app was closed)."""

    phase: Phase
    item_id: str | None
    started_at: float
    ended_at: float
    minutes: float
    completed: bool


class FocusTimer:
    """Start, pause and finish focus and break blocks against an injected clock."""

    def __init__(self, settings: Settings, clock: Clock, state: TimerState | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.state = state or TimerState(duration_s=self._length(Phase.FOCUS))

    def _length(self, phase: Phase) -> float:
        minutes = {
            Phase.FOCUS: self.settings.focus_minutes,
            Phase.SHORT_BREAK: self.settings.short_break_minutes,
            Phase.LONG_BREAK: self.settings.long_break_minutes,
        }[phase]
        return minutes * 60

    def elapsed(self) -> float:
        """Seconds counted in the current block."""
        state = self.state
        running = self.clock() - state.resumed_at if state.resumed_at is not None else 0.0
        return state.elapsed_before_s + max(running, 0.0)

    def remaining(self) -> float:
        """Seconds left in the current block."""
        return max(self.state.duration_s - self.elapsed(), 0.0)

    def start(self, item_id: str | None) -> None:
        """Start the current block, credited to `item_id`."""
        now = self.clock()
        self.state = replace(
            self.state,
            status=Status.RUNNING,
            resumed_at=now,
            started_at=now,
            elapsed_before_s=0.0,
            item_id=item_id,
        )

    def pause(self) -> None:
        """Stop counting, keeping the time already counted."""
        if self.state.status is Status.RUNNING:
            self.state = replace(
                self.state, status=Status.PAUSED, resumed_at=None, elapsed_before_s=self.elapsed()
            )

    def resume(self) -> None:
        """Count again from where the block was paused."""
        if self.state.status is Status.PAUSED:
            self.state = replace(self.state, status=Status.RUNNING, resumed_at=self.clock())

    def toggle(self, item_id: str | None) -> None:
        """Start when idle, pause when running, resume when paused: one key for all three."""
        if self.state.status is Status.IDLE:
            self.start(item_id)
        elif self.state.status is Status.RUNNING:
            self.pause()
        else:
            self.resume()

    def set_item(self, item_id: str | None) -> None:
        """Credit the current block to another item."""
        self.state = replace(self.state, item_id=item_id)

    def poll(self) -> FinishedBlock | None:
        """Finish the block if its time is up; return it so it can be logged."""
        state = self.state
        if state.status is not Status.RUNNING or self.remaining() > 0:
            return None
        assert state.resumed_at is not None and state.started_at is not None
        scheduled_end = state.resumed_at + (state.duration_s - state.elapsed_before_s)
        completed = self.clock() - scheduled_end <= LATE_COMPLETION_WINDOW_S
        block = FinishedBlock(
            state.phase,
            state.item_id,
            state.started_at,
            scheduled_end,
            state.duration_s / 60,
            completed,
        )
        self._advance(state.phase is Phase.FOCUS and completed)
        return block

    def _advance(self, counted_focus: bool) -> None:
        state = self.state
        focus_done = state.focus_done + (1 if counted_focus else 0)
        if state.phase is Phase.FOCUS and not counted_focus:
            next_phase = Phase.FOCUS
        elif state.phase is Phase.FOCUS:
            every = max(self.settings.focus_blocks_before_long_break, 1)
            next_phase = Phase.LONG_BREAK if focus_done % every == 0 and counted_focus else None
            next_phase = next_phase or Phase.SHORT_BREAK
        else:
            next_phase = Phase.FOCUS
        self.state = TimerState(
            phase=next_phase,
            duration_s=self._length(next_phase),
            item_id=state.item_id,
            focus_done=focus_done,
        )
