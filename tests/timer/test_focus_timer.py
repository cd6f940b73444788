from dataclasses import replace

import pytest

from companion.config import Settings
from companion.timer.focus_timer import FocusTimer, Outcome, Phase, Status, TimerState


class Clock:
    def __init__(self) -> None:
        self.t = 1_772_600_000.0

    def __call__(self) -> float:
        return self.t


def make(clock, **settings):
    return FocusTimer(replace(Settings(), **settings), clock)


def restarted(timer: FocusTimer, clock) -> FocusTimer:
    """The timer as a new process rebuilds it from its saved state."""
    return FocusTimer(timer.settings, clock, TimerState.from_dict(timer.state.to_dict()))


def test_start_pause_resume_and_time_left():
    clock = Clock()
    timer = make(clock)
    timer.toggle("item-1")
    assert timer.state.status is Status.RUNNING and timer.state.item_id == "item-1"
    clock.t += 600
    assert timer.remaining() == 15 * 60
    timer.toggle(None)
    assert timer.state.status is Status.PAUSED
    clock.t += 3000
    assert timer.remaining() == 15 * 60
    timer.toggle(None)
    clock.t += 60
    assert timer.remaining() == 14 * 60


def test_block_completes_once_and_is_followed_by_a_break():
    clock = Clock()
    timer = make(clock)
    timer.start("item-1")
    clock.t += 25 * 60 - 1
    assert timer.poll() is None
    clock.t += 1
    block = timer.poll()
    assert (block.phase, block.outcome, block.minutes, block.item_id) == (
        Phase.FOCUS,
        Outcome.COMPLETED,
        25,
        "item-1",
    )
    assert timer.poll() is None
    assert timer.state.phase is Phase.SHORT_BREAK and timer.state.status is Status.IDLE


def test_long_break_after_every_fourth_focus_block():
    clock = Clock()
    timer = make(clock, focus_minutes=1, short_break_minutes=1, long_break_minutes=1)
    phases = []
    for _ in range(8):
        timer.start(None)
        clock.t += 60
        phases.append(timer.poll().phase)
    assert phases == [Phase.FOCUS, Phase.SHORT_BREAK] * 3 + [Phase.FOCUS, Phase.LONG_BREAK]
    assert timer.state.phase is Phase.FOCUS and timer.state.focus_done == 4


def test_skip_logs_the_minutes_focused_and_moves_on():
    clock = Clock()
    timer = make(clock)
    timer.start("x")
    clock.t += 10 * 60
    block = timer.skip()
    assert (block.outcome, block.minutes, block.planned_minutes) == (Outcome.SKIPPED, 10, 25)
    assert timer.state.phase is Phase.SHORT_BREAK and timer.state.status is Status.IDLE
    assert timer.skip() is None  # a break not started is skipped without a log entry
    assert timer.state.phase is Phase.FOCUS


def test_reset_and_extend():
    clock = Clock()
    timer = make(clock)
    timer.start("x")
    clock.t += 300
    timer.extend(5)
    assert timer.remaining() == 25 * 60
    timer.reset()
    assert timer.state.status is Status.IDLE and timer.remaining() == 25 * 60


def test_interruptions_are_counted_only_in_a_focus_block():
    clock = Clock()
    timer = make(clock)
    assert not timer.interrupt(external=False)
    timer.start("x")
    assert timer.interrupt(external=False) and timer.interrupt(external=True)
    assert timer.interrupt(external=True)
    clock.t += 25 * 60
    block = timer.poll()
    assert (block.interruptions_internal, block.interruptions_external) == (1, 2)
    assert timer.state.interruptions_internal == 0


@pytest.mark.parametrize(("breaks", "focus"), [(False, False), (True, False), (True, True)])
def test_auto_start_switches(breaks, focus):
    clock = Clock()
    timer = make(clock, auto_start_breaks=breaks, auto_start_focus=focus)
    timer.start("x")
    clock.t += 25 * 60
    timer.poll()
    assert (timer.state.status is Status.RUNNING) is breaks
    if breaks:
        clock.t += 5 * 60
        assert timer.poll().phase is Phase.SHORT_BREAK
        assert (timer.state.status is Status.RUNNING) is focus


def test_a_restart_mid_block_continues_with_the_right_time_left():
    clock = Clock()
    timer = make(clock)
    timer.start("x")
    clock.t += 300
    clock.t += 120  # the app was closed for two minutes
    assert restarted(timer, clock).remaining() == 25 * 60 - 420


@pytest.mark.parametrize(
    ("closed_for", "outcome", "minutes"),
    [(25 * 60 + 3000, Outcome.COMPLETED, 25), (25 * 60 + 3601, Outcome.ABANDONED, 0)],
)
def test_a_block_that_ended_while_closed(closed_for, outcome, minutes):
    clock = Clock()
    timer = make(clock)
    timer.start("x")
    started = clock.t
    clock.t += closed_for
    block = restarted(timer, clock).poll()
    assert (block.outcome, block.minutes) == (outcome, minutes)
    assert block.ended_at == started + 25 * 60


def test_auto_started_blocks_that_ran_out_while_closed_are_all_logged_at_their_times():
    clock = Clock()
    timer = make(clock, auto_start_breaks=True, auto_start_focus=True)
    timer.start("x")
    started = clock.t
    clock.t += 25 * 60 + 5 * 60 + 25 * 60 + 60  # focus, break, focus, and a minute more
    timer = restarted(timer, clock)
    blocks = []
    while (block := timer.poll()) is not None:
        blocks.append(block)
    assert [(b.phase, b.ended_at - started) for b in blocks] == [
        (Phase.FOCUS, 1500),
        (Phase.SHORT_BREAK, 1800),
        (Phase.FOCUS, 3300),
    ]
    assert timer.state.phase is Phase.SHORT_BREAK and timer.remaining() == 4 * 60
