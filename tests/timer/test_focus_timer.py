from dataclasses import replace

from companion.config import Settings
from companion.timer.focus_timer import FocusTimer, Phase, Status, TimerState
from companion.timer.study_log import today_minutes, week_minutes


class Clock:
    def __init__(self) -> None:
        self.t = 1_772_600_000.0

    def __call__(self) -> float:
        return self.t


def make(clock, **settings):
    return FocusTimer(replace(Settings(), **settings), clock)


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


def test_block_finishes_and_is_reported_once():
    clock = Clock()
    timer = make(clock)
    timer.start("item-1")
    clock.t += 25 * 60 - 1
    assert timer.poll() is None
    clock.t += 1
    block = timer.poll()
    assert block.completed and block.phase is Phase.FOCUS and block.minutes == 25
    assert block.item_id == "item-1"
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
    assert phases[:8] == [Phase.FOCUS, Phase.SHORT_BREAK] * 3 + [Phase.FOCUS, Phase.LONG_BREAK]


def test_state_survives_a_restart_mid_block():
    clock = Clock()
    timer = make(clock)
    timer.start("x")
    clock.t += 300
    saved = timer.state.to_dict()
    clock.t += 120  # the app was closed for two minutes
    restored = FocusTimer(Settings(), clock, TimerState.from_dict(saved))
    assert restored.remaining() == 25 * 60 - 420


def test_block_that_ended_while_closed_is_completed_within_the_hour_else_abandoned():
    for closed_for, completed in [(25 * 60 + 3000, True), (25 * 60 + 3601, False)]:
        clock = Clock()
        timer = make(clock)
        timer.start("x")
        started = clock.t
        clock.t += closed_for
        block = FocusTimer(Settings(), clock, TimerState.from_dict(timer.state.to_dict())).poll()
        assert block.completed is completed
        assert block.ended_at == started + 25 * 60


def test_study_minutes_sum_completed_focus_blocks_this_week_and_today():
    from datetime import UTC, datetime

    now = datetime(2026, 3, 4, 12, tzinfo=UTC)  # a Wednesday
    monday = datetime(2026, 3, 2, 10, tzinfo=UTC).timestamp()
    today = datetime(2026, 3, 4, 9, tzinfo=UTC).timestamp()
    last_week = datetime(2026, 2, 27, 9, tzinfo=UTC).timestamp()
    blocks = [
        {"phase": "focus", "completed": True, "minutes": 25, "ended_at": monday},
        {"phase": "focus", "completed": True, "minutes": 25, "ended_at": today},
        {"phase": "focus", "completed": False, "minutes": 25, "ended_at": today},
        {"phase": "short_break", "completed": True, "minutes": 5, "ended_at": today},
        {"phase": "focus", "completed": True, "minutes": 25, "ended_at": last_week},
    ]
    assert week_minutes(blocks, now) == 50
    assert today_minutes(blocks, now) == 25
