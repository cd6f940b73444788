"""Focus and break blocks on wall-clock time, so a restart resumes with the right time left."""

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from companion.config import Settings

Clock = Callable[[], float]

LATE_COMPLETION_WINDOW_S = 3600
CLOCK_JUMP_TOLERANCE_S = 2.0


def steady_seconds() -> float:
    """Seconds that pass as real time does, whatever is done to the wall clock: since boot,
    counting suspend (a sleeping laptop's hour did pass) where the system can say so."""
    try:
        return time.clock_gettime(time.CLOCK_BOOTTIME)
    except (AttributeError, OSError):
        return time.monotonic()


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


class Outcome(StrEnum):
    """How a block ended."""

    COMPLETED = "completed"
    SKIPPED = "skipped"
    ABANDONED = "abandoned"


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
    interruptions_internal: int = 0
    interruptions_external: int = 0

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
    """A block that ended: completed, skipped, or abandoned while the app was closed."""

    phase: Phase
    item_id: str | None
    started_at: float
    ended_at: float
    planned_minutes: float
    minutes: float
    outcome: Outcome
    interruptions_internal: int = 0
    interruptions_external: int = 0

    def to_log(self) -> dict:
        """The study-log record."""
        return {**asdict(self), "phase": self.phase.value, "outcome": self.outcome.value}


class FocusTimer:
    """Focus and break blocks on wall-clock time from an injected clock."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        state: TimerState | None = None,
        steady: Clock | None = None,
    ) -> None:
        """`clock` is the wall clock (blocks are logged and resumed by it); `steady` is time as
        it really passes, to notice the wall clock being set back or forward (the wall clock
        itself when not given: then no jump is ever seen)."""
        self.settings = settings
        self.clock = clock
        self.steady = steady or clock
        self.state = state or TimerState(duration_s=self._length(Phase.FOCUS))
        self._readings = (clock(), self.steady())
        self._re_anchor_if_in_the_future()

    def _re_anchor_if_in_the_future(self) -> None:
        """A saved block that starts after now: the clock was set back while the app was
        closed. It counts on from now with the time it had, rather than freezing until the
        clock catches up."""
        state, now = self.state, self.clock()
        if state.resumed_at is not None and state.resumed_at > now + CLOCK_JUMP_TOLERANCE_S:
            self._shift(now - state.resumed_at)
        elif state.started_at is not None and state.started_at > now + CLOCK_JUMP_TOLERANCE_S:
            self.state = replace(state, started_at=now - state.elapsed_before_s)

    def follow_clock(self) -> float:
        """Notice a change of the wall clock since the last call (set back, or forward): the
        block under way keeps the time that really passed. Returns the jump in seconds."""
        wall, steady = self.clock(), self.steady()
        last_wall, last_steady = self._readings
        self._readings = (wall, steady)
        jump = (wall - last_wall) - (steady - last_steady)
        if abs(jump) < CLOCK_JUMP_TOLERANCE_S:
            return 0.0
        if self.state.status is not Status.IDLE:
            self._shift(jump)
        return jump

    def _shift(self, seconds: float) -> None:
        """Move the block's wall-clock anchors, so what it counted stays what it counted."""
        state = self.state
        self.state = replace(
            state,
            resumed_at=None if state.resumed_at is None else state.resumed_at + seconds,
            started_at=None if state.started_at is None else state.started_at + seconds,
        )

    def _length(self, phase: Phase) -> float:
        minutes = {
            Phase.FOCUS: self.settings.focus_minutes,
            Phase.SHORT_BREAK: self.settings.short_break_minutes,
            Phase.LONG_BREAK: self.settings.long_break_minutes,
        }[phase]
        return minutes * 60

    def elapsed(self) -> float:
        """Seconds counted in the current block (a change of the wall clock is followed first)."""
        self.follow_clock()
        state = self.state
        running = self.clock() - state.resumed_at if state.resumed_at is not None else 0.0
        return state.elapsed_before_s + max(running, 0.0)

    def remaining(self) -> float:
        """Seconds left in the current block."""
        return max(self.state.duration_s - self.elapsed(), 0.0)

    def start(self, item_id: str | None, at: float | None = None) -> None:
        """Start the current block, credited to `item_id`."""
        now = self.clock() if at is None else at
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

    def leave_out(self, seconds: float) -> float:
        """Take time away from the block under way (the learner was not studying); returns
        the seconds actually taken (no more than it has counted)."""
        taken = min(max(seconds, 0.0), self.elapsed())
        state = self.state
        if state.status is Status.RUNNING and state.resumed_at is not None:
            running = self.clock() - state.resumed_at
            from_running = min(taken, running)
            self.state = replace(
                state,
                resumed_at=state.resumed_at + from_running,
                elapsed_before_s=state.elapsed_before_s - (taken - from_running),
            )
        elif state.status is Status.PAUSED:
            self.state = replace(state, elapsed_before_s=state.elapsed_before_s - taken)
        return taken

    def extend(self, minutes: float = 5) -> None:
        """Add time to the current block."""
        self.state = replace(self.state, duration_s=self.state.duration_s + minutes * 60)

    def reset(self) -> None:
        """Put the current block back to its start, not running; the time counted is dropped."""
        self.state = replace(
            self.state,
            status=Status.IDLE,
            resumed_at=None,
            started_at=None,
            elapsed_before_s=0.0,
            duration_s=self._length(self.state.phase),
            interruptions_internal=0,
            interruptions_external=0,
        )

    def interrupt(self, external: bool) -> bool:
        """Count an interruption of the focus block under way; False when there is none."""
        state = self.state
        if state.phase is not Phase.FOCUS or state.status is Status.IDLE:
            return False
        if external:
            self.state = replace(state, interruptions_external=state.interruptions_external + 1)
        else:
            self.state = replace(state, interruptions_internal=state.interruptions_internal + 1)
        return True

    def skip(self) -> FinishedBlock | None:
        """End the current block now and move on; a started block is logged as skipped."""
        state = self.state
        block = None
        if state.status is not Status.IDLE and state.started_at is not None:
            block = self._finished(self.clock(), Outcome.SKIPPED, self.elapsed() / 60)
        self._advance(counted_focus=False, ended_at=None)
        if state.phase is Phase.FOCUS:
            self.state = replace(
                self.state, phase=Phase.SHORT_BREAK, duration_s=self._length(Phase.SHORT_BREAK)
            )
        return block

    def poll(self) -> FinishedBlock | None:
        """Finish the block if its time is up; return it so it can be logged.

        Call again until it returns None: with auto-start on, a block that ended while the app
        was closed starts the next one at its scheduled end, which may be over too.
        """
        state = self.state
        if state.status is not Status.RUNNING or self.remaining() > 0:
            return None
        assert state.resumed_at is not None
        scheduled_end = state.resumed_at + (state.duration_s - state.elapsed_before_s)
        late = self.clock() - scheduled_end > LATE_COMPLETION_WINDOW_S
        outcome = Outcome.ABANDONED if late else Outcome.COMPLETED
        minutes = 0.0 if late else state.duration_s / 60
        block = self._finished(scheduled_end, outcome, minutes)
        self._advance(
            counted_focus=state.phase is Phase.FOCUS and not late,
            ended_at=None if late else scheduled_end,
        )
        return block

    def _finished(self, ended_at: float, outcome: Outcome, minutes: float) -> FinishedBlock:
        state = self.state
        return FinishedBlock(
            state.phase,
            state.item_id,
            state.started_at or ended_at,
            ended_at,
            state.duration_s / 60,
            round(minutes, 2),
            outcome,
            state.interruptions_internal,
            state.interruptions_external,
        )

    def _advance(self, counted_focus: bool, ended_at: float | None) -> None:
        """Move to the next block; auto-start it (from `ended_at`) when the settings say so."""
        state = self.state
        focus_done = state.focus_done + (1 if counted_focus else 0)
        if state.phase is Phase.FOCUS and counted_focus:
            every = max(self.settings.focus_blocks_before_long_break, 1)
            next_phase = Phase.LONG_BREAK if focus_done % every == 0 else Phase.SHORT_BREAK
        else:
            next_phase = Phase.FOCUS
        self.state = TimerState(
            phase=next_phase,
            duration_s=self._length(next_phase),
            item_id=state.item_id,
            focus_done=focus_done,
        )
        auto = (
            self.settings.auto_start_focus
            if next_phase is Phase.FOCUS
            else self.settings.auto_start_breaks
        )
        if auto and ended_at is not None:
            self.start(state.item_id, at=ended_at)


def clock_face(seconds: float) -> str:
    """MM:SS, rounding up so a block never shows 00:00 while still running."""
    whole = int(seconds + 0.999)
    return f"{whole // 60:02d}:{whole % 60:02d}"
