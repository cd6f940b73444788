"""The wall clock set back or forward (by hand, by NTP, by a dual-boot machine) never freezes the
timer and never credits time that did not pass; real time is read from a steady clock."""

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from companion.config import Settings
from companion.timer.focus_timer import FocusTimer, Outcome, Status, TimerState

START = 1_772_600_000.0


class Clocks:
    """A wall clock that can be set, and a steady clock that only real time moves."""

    def __init__(self) -> None:
        self.wall = START
        self.real = 1000.0

    def now(self) -> float:
        return self.wall

    def steady(self) -> float:
        return self.real

    def wait(self, seconds: float) -> None:
        self.wall += seconds
        self.real += seconds

    def set_wall(self, by: float) -> None:
        self.wall += by


def timer_on(clocks: Clocks, state: TimerState | None = None) -> FocusTimer:
    return FocusTimer(replace(Settings(), focus_minutes=25), clocks.now, state, clocks.steady)


def test_a_clock_set_back_an_hour_does_not_freeze_the_block():
    clocks = Clocks()
    timer = timer_on(clocks)
    timer.start("item-1")
    clocks.wait(60)
    clocks.set_wall(-3600)
    clocks.wait(10)
    assert timer.remaining() == 25 * 60 - 70  # the old timer showed 25:00, "running"
    clocks.wait(25 * 60 - 70)
    block = timer.poll()
    assert block is not None and block.outcome is Outcome.COMPLETED and block.minutes == 25
    assert block.ended_at - block.started_at == 25 * 60  # in the new wall time, consistent


def test_a_clock_jumping_forward_credits_no_time_that_did_not_pass():
    clocks = Clocks()
    timer = timer_on(clocks)
    timer.start("item-1")
    clocks.wait(120)
    clocks.set_wall(20 * 60)  # 20 minutes that nobody studied
    clocks.wait(5)
    assert timer.poll() is None
    assert timer.remaining() == 25 * 60 - 125
    clocks.set_wall(3 * 3600)  # hours: the old timer logged the block as abandoned
    assert timer.poll() is None and timer.state.status is Status.RUNNING
    timer.pause()
    assert timer.elapsed() == 125


def test_a_block_saved_before_the_clock_was_set_back_counts_on_after_a_restart():
    clocks = Clocks()
    timer = timer_on(clocks)
    timer.start("item-1")
    clocks.wait(300)
    saved = TimerState.from_dict(timer.state.to_dict())
    clocks.set_wall(-2 * 3600)  # the app closed; the clock set back two hours
    clocks.wait(5)
    restarted = timer_on(clocks, saved)
    # How long the app was closed cannot be known once the clock went back: the block counts
    # on from what it had counted when last saved (its start), instead of freezing for 2 h.
    assert restarted.remaining() == 25 * 60
    clocks.wait(60)
    assert restarted.remaining() == 25 * 60 - 60
    assert restarted.state.started_at is not None
    assert restarted.state.started_at <= clocks.now()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("wait"), st.floats(0, 600)),
            st.tuples(st.just("set"), st.floats(5, 30 * 24 * 3600)),
            st.tuples(st.just("set"), st.floats(-30 * 24 * 3600, -5)),
            st.tuples(st.just("toggle"), st.just(0.0)),
            st.tuples(st.just("look"), st.just(0.0)),
        ),
        max_size=40,
    )
)
def test_time_counted_is_the_time_that_really_passed_while_running(steps):
    clocks = Clocks()
    timer = FocusTimer(replace(Settings(), focus_minutes=24 * 60), clocks.now, None, clocks.steady)
    timer.start("item-1")
    running_real = 0.0
    for action, amount in steps:
        if action == "wait":
            if timer.state.status is Status.RUNNING:
                running_real += amount
            clocks.wait(amount)
        elif action == "set":
            clocks.set_wall(amount)
        elif action == "toggle":
            timer.toggle("item-1")
        else:
            timer.poll()
        assert abs(timer.elapsed() - running_real) < 1e-6 * max(1.0, running_real) + 1e-3
        assert timer.state.started_at is not None


async def test_the_app_says_the_clock_moved_and_keeps_counting(make_app, clock, data_dir):
    real = [500.0]
    app = make_app(pane="timer", bundled=False)
    app.timer.steady = lambda: real[0]
    app.timer._readings = (app.timestamp(), real[0])
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("p")
        clock.advance(minutes=5)
        real[0] += 300
        app.tick()
        clock.advance(hours=-3)
        real[0] += 10
        app.tick()
        await pilot.pause()
        messages = " | ".join(n.message for n in app._notifications)
        assert "The system clock moved back by 3.0 h" in messages
        assert app.timer.state.status is Status.RUNNING
        assert app.timer.remaining() == 25 * 60 - 310
        saved = app.store.load_timer()
        assert saved is not None and saved["resumed_at"] == app.timer.state.resumed_at
    assert timedelta(seconds=app.timer.elapsed()) == timedelta(seconds=310)
