"""The plan `companion today` keeps between calls is the plan it would work out again, whatever
happened meanwhile: answers (learning cards falling due minutes later), ticks, focus blocks,
edits of decks, roadmaps and settings, and the clock moving on by minutes or weeks. A
hypothesis state machine does those in random orders and, after each step, compares the kept
plan (when one is used) with one worked out afresh at the same moment."""

import os
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
from companion.services.today import plan_stays_until, plan_today
from companion.services.today_cache import inputs_stamp, keep_plan, kept_plan
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
    """The plan from the files, as `today` works it out (and keeps it, with `keep`)."""
    stamp = inputs_stamp(data_dir)
    settings_now = load_settings(data_dir)
    store = open_store(data_dir, read_only=True, settings=settings_now)
    try:
        library = load_library([data_dir])
        session = start_review(library, store, settings_now, now)
        plan = plan_today(library, store, settings_now, now, session)
        if keep:
            until = plan_stays_until(session, store.study_blocks(), now)
            keep_plan(data_dir, stamp, plan, now, until)
    finally:
        store.close()
    return plan


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
    assert kept_plan(data_dir, inputs_stamp(data_dir), edge + timedelta(minutes=1)) is None
