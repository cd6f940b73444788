"""The plan `companion today` keeps between calls is the plan it would work out again, whatever
happened meanwhile: answers (learning cards falling due minutes later), ticks, focus blocks,
edits of decks, roadmaps and settings, and the clock moving on by minutes or weeks. A
hypothesis state machine does those in random orders and, after each step, compares the kept
plan (when one is used) with one worked out afresh at the same moment."""

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from companion.cli.main import main
from companion.config import load_settings
from companion.content.loader import load_library
from companion.paths import ensure_data_dir
from companion.services.progress_sync import record_state
from companion.services.study_session import start_review
from companion.services.today import plan_today
from companion.services.today_cache import inputs_stamp, keep_plans, kept_plan
from companion.services.today_keeper import plans_ahead
from companion.srs.review_queue import next_day_start
from companion.srs.scheduling import Grade
from companion.store import open_store

from .test_today import learner

START = datetime(2026, 3, 2, 9, 17, tzinfo=UTC)
STEPS = (  # steps past the 20 minutes the queue looks ahead: cards fall due later today
    "enable_fuzzing = false\ncheck_links_on_start = false\n"
    "learning_steps_minutes = [1, 30, 240]\nrelearning_steps_minutes = [45]\n"
)
EXAMPLES = int(os.environ.get("TODAY_CACHE_EXAMPLES", "25"))


def worked_out(data_dir: Path, now: datetime, keep: bool = False):
    """The plan from the files, as `today` works it out (and keeps it with the plans that
    follow it, with `keep`)."""
    stamp = inputs_stamp(data_dir)
    settings_now = load_settings(data_dir)
    store = open_store(data_dir, read_only=True, settings=settings_now)
    try:
        library = load_library([data_dir])
        if keep:
            windows = plans_ahead(library, store, settings_now, now)
            keep_plans(data_dir, stamp, windows)
            return windows[0][2]
        return plan_today(library, store, settings_now, now, start_review(
            library, store, settings_now, now))  # fmt: skip
    finally:
        store.close()


class KeptPlans(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(os.environ["TODAY_CACHE_TMP"]) / f"run-{id(self)}"
        self.now = START
        self.used = 0

    @initialize()
    def a_learner(self) -> None:
        self.data_dir = ensure_data_dir(self.folder)
        (self.data_dir / "config.toml").write_text(f"weekly_target_hours = 7.0\n{STEPS}")
        self.roadmap, self.items = learner(self.data_dir)

    @rule(minutes=st.sampled_from([0.5, 3, 9, 11, 21, 45, 180, 60 * 19, 60 * 24 * 3, 60 * 24 * 8]))
    def time_goes_by(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)

    @rule(pick=st.integers(0, 50), before=st.booleans())
    def to_an_edge(self, pick: int, before: bool) -> None:
        """Just before or after a moment the plan may change at within a day: a block's
        fourth and first week ending, a learning card coming within the queue's 20 minutes."""
        store = open_store(self.data_dir, read_only=True, settings=load_settings(self.data_dir))
        try:
            edges = [b["ended_at"] + 28 * 86400 for b in store.study_blocks()]
            edges += [b["started_at"] + 7 * 86400 for b in store.study_blocks()]
            edges += [r.due_ts - 20 * 60 for r in store.ledger.records.values()
                      if r.in_learning and r.due_ts is not None]  # fmt: skip
        finally:
            store.close()
        moments = [edge + (-30 if before else 30) for edge in edges]
        later = sorted(moment for moment in moments if moment > self.now.timestamp())
        if later:
            self.now = datetime.fromtimestamp(later[pick % len(later)], UTC)

    @rule(grade=st.sampled_from([Grade.AGAIN, Grade.HARD, Grade.GOOD]), count=st.integers(1, 4))
    def answer(self, grade: Grade, count: int) -> None:
        settings_now = load_settings(self.data_dir)
        store = open_store(self.data_dir, settings=settings_now)
        try:
            session = start_review(load_library([self.data_dir]), store, settings_now, self.now)
            for _ in range(count):
                card = session.next_card(self.now)
                if card is None:
                    break
                session.show(card)
                session.answer(grade, self.now, duration_ms=3000 + 1000 * count)
        finally:
            store.close()

    @rule(index=st.integers(0, 4), state=st.sampled_from(["doing", "done", "skipped"]))
    def tick(self, index: int, state: str) -> None:
        item = self.roadmap.items[index]
        store = open_store(self.data_dir)
        try:
            record_state(store, self.roadmap, item, state, self.now)
        finally:
            store.close()

    @rule(index=st.integers(0, 1), minutes=st.sampled_from([5.0, 25.0]))
    def focus_block(self, index: int, minutes: float) -> None:
        ended = self.now.timestamp()
        store = open_store(self.data_dir)
        try:
            store.log_block({
                "phase": "focus", "item_id": self.roadmap.items[index].id,
                "started_at": ended - minutes * 60, "ended_at": ended,
                "planned_minutes": 25.0, "minutes": minutes,
                "outcome": "completed" if minutes == 25.0 else "skipped",
            })  # fmt: skip
        finally:
            store.close()

    @rule(number=st.integers(0, 10**6))
    def write_a_card(self, number: int) -> None:
        with (self.data_dir / "decks" / "algebra.md").open("a") as deck:
            deck.write(f"\nQ: Written fact {number}?\nA: Yes {number}.\n")

    @rule(
        retention=st.sampled_from(["0.8", "0.9", "0.95"]),
        hours=st.sampled_from(["0.5", "3", "7"]),
    )
    def change_settings(self, retention: str, hours: str) -> None:
        (self.data_dir / "config.toml").write_text(
            f"weekly_target_hours = {hours}\ndesired_retention = {retention}\n{STEPS}"
        )

    @invariant()
    def a_kept_plan_is_the_plan(self) -> None:
        """`today` called after every step, as a status bar does: the kept plan, when it
        holds, is the plan worked out afresh; when it does not, the plan is worked out and
        kept."""
        if not hasattr(self, "data_dir"):
            return
        kept = kept_plan(self.data_dir, inputs_stamp(self.data_dir), self.now)
        if kept is None:
            worked_out(self.data_dir, self.now, keep=True)
        else:
            self.used += 1
            assert kept == worked_out(self.data_dir, self.now), self.now

    def teardown(self) -> None:
        KeptPlans.uses.append(self.used)


KeptPlans.uses = []


@pytest.fixture
def machine_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TODAY_CACHE_TMP", str(tmp_path))
    monkeypatch.setenv("TZ", "Europe/Berlin")  # a study day that is not the UTC day
    import time

    time.tzset()
    yield tmp_path
    monkeypatch.delenv("TZ")
    time.tzset()


def test_a_kept_plan_is_always_the_plan_worked_out_again(machine_folder: Path):
    KeptPlans.uses = []
    run = KeptPlans.TestCase
    run.settings = settings(
        max_examples=EXAMPLES, stateful_step_count=30, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )  # fmt: skip
    run().runTest()
    assert sum(KeptPlans.uses) > EXAMPLES  # kept plans were used, not only thrown away


def test_today_prints_the_kept_plan_as_it_printed_the_worked_out_one(data_dir: Path, capsys):
    learner(data_dir)
    assert main(["--data-dir", str(data_dir), "today", "--json"]) == 0
    first = capsys.readouterr().out
    assert (data_dir / "cache" / "today.packed").is_file()
    assert main(["--data-dir", str(data_dir), "today", "--json"]) == 0
    assert capsys.readouterr().out == first
    assert main(["--data-dir", str(data_dir), "today"]) == 0
    text = capsys.readouterr().out
    (data_dir / "cache" / "today.packed").unlink()
    assert main(["--data-dir", str(data_dir), "today"]) == 0
    assert capsys.readouterr().out == text


def test_a_damaged_kept_plan_is_worked_out_again(data_dir: Path, capsys):
    learner(data_dir)
    assert main(["--data-dir", str(data_dir), "today", "--json"]) == 0
    first = capsys.readouterr().out
    (data_dir / "cache" / "today.packed").write_bytes(b"companion packed\n\x00garbage")
    assert main(["--data-dir", str(data_dir), "today", "--json"]) == 0
    assert capsys.readouterr().out == first


def test_a_plan_is_kept_no_longer_than_until_a_block_leaves_the_pace_s_four_weeks(
    tmp_path: Path,
):
    """Blocks four weeks old stop counting in the pace, mid-day: the plan changes there, and
    the kept one ends there."""
    data_dir = ensure_data_dir(tmp_path / "data")
    (data_dir / "config.toml").write_text(f"weekly_target_hours = 0.5\n{STEPS}")
    roadmap, _ = learner(data_dir)
    store = open_store(data_dir)
    ended = START.timestamp()
    for number in range(4):  # an hour and 40 minutes on the first item, four weeks ago
        store.log_block({
            "phase": "focus", "item_id": roadmap.items[0].id,
            "started_at": ended - (number + 1) * 1500, "ended_at": ended - number * 1500,
            "planned_minutes": 25.0, "minutes": 25.0, "outcome": "completed",
        })  # fmt: skip
    store.close()
    edge = START - timedelta(seconds=3 * 1500) + timedelta(weeks=4)  # the oldest block leaves
    before = worked_out(data_dir, edge - timedelta(minutes=2), keep=True)
    assert kept_plan(data_dir, inputs_stamp(data_dir), edge - timedelta(minutes=1)) == before
    after = worked_out(data_dir, edge + timedelta(minutes=1))
    assert after.hours_today != before.hours_today  # 75 minutes of pace left, not 100
    # the span after the edge was kept as a plan of its own: the plan worked out there
    assert kept_plan(data_dir, inputs_stamp(data_dir), edge + timedelta(minutes=1)) == after


def test_the_first_call_of_the_morning_prints_the_plan_kept_the_evening_before(
    machine_folder: Path,
):
    """A learner who studied in the evening, with focus blocks four weeks old that leave the
    pace one after another the next morning (a pace past the target, then behind it) and
    learning cards due later in the evening: the plans kept that evening cover the rest of
    that study day and the next, span by span, and each is the plan worked out afresh then."""
    data_dir = ensure_data_dir(machine_folder / "data")
    (data_dir / "config.toml").write_text(f"weekly_target_hours = 0.5\n{STEPS}")
    roadmap, _ = learner(data_dir)
    evening = datetime(2026, 3, 2, 20, 30, tzinfo=UTC)  # 21:30 in Berlin
    store = open_store(data_dir)
    for hour in range(5, 10):  # ended at 6 to 10 am Berlin, four weeks before the next day
        ended = datetime(2026, 3, 3, hour, tzinfo=UTC) - timedelta(weeks=4)
        store.log_block({
            "phase": "focus", "item_id": roadmap.items[hour % 2].id,
            "started_at": ended.timestamp() - 1500, "ended_at": ended.timestamp(),
            "planned_minutes": 25.0, "minutes": 25.0, "outcome": "completed",
        })  # fmt: skip
    store.close()
    learner_settings = load_settings(data_dir)
    store = open_store(data_dir, settings=learner_settings)
    session = start_review(load_library([data_dir]), store, learner_settings, evening)
    for _ in range(4):  # new cards on to the 30-minute step: due later this evening
        session.show(session.next_card(evening))
        session.answer(Grade.GOOD, evening, duration_ms=5000)
    store.close()
    worked_out(data_dir, evening, keep=True)
    kept = {}
    for hours in (0.1, 1, 4.5, 8, 9, 10, 11, 12.6, 15, 20, 25, 31.6):
        moment = evening + timedelta(hours=hours)
        plan = kept_plan(data_dir, inputs_stamp(data_dir), moment)
        if plan is not None:
            assert plan == worked_out(data_dir, moment), moment
            kept[hours] = plan
    assert set(kept) == {0.1, 1, 4.5, 8, 9, 10, 11, 12.6, 15, 20, 25}
    assert kept[0.1].due_later == 4 and kept[1].due_later == 0  # the learning cards' edge
    morning = [kept[hours].hours_today for hours in (8, 9, 10, 11)]  # 5:30 to 8:30 am
    assert len({str(hours) for hours in morning}) == 4  # each block's edge: another plan


@pytest.mark.skipif(
    shutil.which("faketime") is None and not os.environ.get("COMPANION_REQUIRE_FAKETIME"),
    reason="faketime is not installed (.ci/run installs it and requires this test)",
)
def test_today_the_next_morning_prints_the_plan_kept_the_evening_before(data_dir: Path):
    """Whole processes, the next morning's clock set by faketime: the first `today` of the
    morning prints the plan the evening's call kept (the cache is not written again), and
    it is the plan worked out afresh that morning."""
    learner(data_dir)
    now = datetime.now(UTC)
    store = open_store(data_dir)
    store.log_block({
        "phase": "focus", "item_id": load_library([data_dir]).roadmaps[0].items[0].id,
        "started_at": now.timestamp() - 1500, "ended_at": now.timestamp(),
        "planned_minutes": 25.0, "minutes": 25.0, "outcome": "completed",
    })  # fmt: skip
    store.close()
    morning = next_day_start(now) + timedelta(hours=4)

    def today(at: datetime | None = None) -> str:
        clock = [] if at is None else ["faketime", "-f", f"@{at.astimezone():%Y-%m-%d %H:%M:%S}"]
        command = [*clock, sys.executable, "-m", "companion", "--data-dir", str(data_dir)]
        env = {**os.environ, "FAKETIME_DONT_RESET": "1"}
        run = subprocess.run([*command, "today", "--json"], capture_output=True, text=True,
                             env=env, check=True, timeout=120)  # fmt: skip
        return run.stdout

    evening = json.loads(today())
    cache = data_dir / "cache" / "today.packed"
    kept_then = cache.stat().st_mtime_ns
    printed = today(morning)
    assert cache.stat().st_mtime_ns == kept_then  # printed as kept, nothing worked out
    assert evening["blocks_done"] == 1
    if morning.astimezone().date() != now.astimezone().date():  # not run between 0 and 4 am
        assert json.loads(printed)["blocks_done"] == 0
    cache.unlink()
    assert today(morning) == printed
