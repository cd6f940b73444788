"""A backlog after a break, spread over the next days: no day above its share, the cards most
at risk of being forgotten first, logged so it can be put back. The break is made with a clock
moved forward for the whole process (faketime), as a learner's real absence makes it."""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.config import Settings
from companion.content.loader import load_library
from companion.services.backlog import spread_backlog, undo_spread, waiting_reviews
from companion.services.study_session import start_review
from companion.srs.backlog import Waiting, spread
from companion.srs.scheduling import Grade
from companion.srs.study_days import study_day_number
from companion.store import open_store

SETTINGS = replace(Settings(), enable_fuzzing=False, new_cards_per_day=200)
DECK = "".join(f"Fact {n}? :: Answer {n}.\n" for n in range(120))


@given(
    st.lists(st.floats(0, 1), max_size=200),
    st.integers(1, 30),
    st.lists(st.integers(0, 20), max_size=30),
)
def test_no_day_above_its_share_and_the_most_at_risk_first(recalls, days, already):
    waiting = [Waiting(f"c{n}", r, float(n)) for n, r in enumerate(recalls)]
    placed, most = spread(waiting, days, already)
    assert set(placed) == {w.card_id for w in waiting}
    loads = (list(already) + [0] * days)[:days]
    share = -(-(len(waiting) + sum(loads)) // days) if days else 0
    for day in placed.values():
        loads[day] += 1
    before = (list(already) + [0] * days)[:days]
    assert all(load <= max(share, b) for load, b in zip(loads, before, strict=True))
    assert most == max(loads)
    by_risk = sorted(waiting, key=lambda w: (w.retrievability, w.due_ts, w.card_id))
    days_in_order = [placed[w.card_id] for w in by_risk]
    assert days_in_order == sorted(days_in_order)  # the most at risk never after the others


def answer_everything(data_dir: Path, when: datetime) -> None:
    """Every card learnt: a third Easy at once, the others Good, and Good again an hour later
    (their learning step), so their memories, and the risk of forgetting them, differ."""
    (data_dir / "decks").mkdir(parents=True, exist_ok=True)
    (data_dir / "decks" / "facts.md").write_text(DECK)
    library = load_library([data_dir])
    store = open_store(data_dir, settings=SETTINGS)
    for hour in range(3):
        now = when + timedelta(hours=hour)
        session = start_review(library, store, SETTINGS, now)
        answered = 0
        while (card := session.next_card(now)) is not None and answered < 500:
            session.show(card)
            first = session.ledger.record(card).is_new
            easy = first and int(card, 16) % 3 == 0
            session.answer(Grade.EASY if easy else Grade.GOOD, now, duration_ms=4000)
            answered += 1
    store.close()


def test_a_backlog_spread_and_put_back(data_dir: Path):
    answered = datetime(2026, 3, 2, 9, tzinfo=UTC)
    answer_everything(data_dir, answered)
    back_at = answered + timedelta(days=80)  # a long break: everything is due
    library = load_library([data_dir])
    store = open_store(data_dir, settings=SETTINGS)
    waiting = waiting_reviews(library, store, SETTINGS, back_at)
    assert len(waiting) == 120
    risk = {w.card_id: w.retrievability for w in waiting}
    before = {c: r.due_ts for c, r in store.ledger.records.items()}
    done = spread_backlog(library, store, SETTINGS, back_at, 6)
    assert (done.before_today, done.most_a_day) == (120, 20)
    today = study_day_number(back_at.timestamp())
    # the cards left for today keep the date they fell due on
    day_of = {
        c: max(0, study_day_number(r.due_ts) - today) for c, r in store.ledger.records.items()
    }
    per_day = [sum(1 for d in day_of.values() if d == n) for n in range(6)]
    assert per_day == [20] * 6
    assert done.moved == 100
    order = sorted(risk, key=lambda c: (risk[c], day_of[c]))  # ties: any day among them
    assert [day_of[c] for c in order] == sorted(day_of[c] for c in order)  # at risk first
    assert len(set(risk.values())) > 1
    # a card answered after the spread keeps that answer when the spread is put back
    session = start_review(library, store, SETTINGS, back_at)
    first = session.next_card(back_at)
    session.show(first)
    session.answer(Grade.GOOD, back_at, duration_ms=3000)
    assert undo_spread(store, back_at) == 100 - (day_of[first] != 0)
    after = {c: r.due_ts for c, r in store.ledger.records.items()}
    assert {c for c in before if after[c] != before[c]} == {first}
    store.close()


@pytest.mark.skipif(
    shutil.which("faketime") is None and not os.environ.get("COMPANION_REQUIRE_FAKETIME"),
    reason="faketime is not installed (.ci/run installs it and requires this test)",
)
def test_the_command_after_a_break_made_by_a_clock_moved_forward(data_dir: Path):
    answer_everything(data_dir, datetime.now(UTC))

    def companion(*args: str, later: str = "+90d") -> str:
        env = {**os.environ, "FAKETIME_DONT_RESET": "1"}
        run = subprocess.run(
            ["faketime", "-f", later, sys.executable, "-m", "companion", "--data-dir",
             str(data_dir), *args],
            capture_output=True, text=True, env=env, check=True, timeout=120,
        )  # fmt: skip
        return run.stdout

    assert json.loads(companion("today", "--json"))["due_reviews"] == 120
    said = companion("cards", "spread", "4")
    assert "Spread 120 reviews due today over 4 days" in said and "at most 30 a day" in said
    assert json.loads(companion("today", "--json"))["due_reviews"] == 30
    assert json.loads(companion("today", "--json", later="+93d"))["due_reviews"] == 120
    assert "Put back 90 cards" in companion("cards", "spread", "--undo")
    assert json.loads(companion("today", "--json"))["due_reviews"] == 120


def test_the_review_order_by_due_retrievability_or_random(data_dir: Path):
    from companion.services.study_session import build_queue, card_recall

    answer_everything(data_dir, datetime(2026, 3, 2, 9, tzinfo=UTC))
    library = load_library([data_dir])
    store = open_store(data_dir, settings=SETTINGS)
    now = datetime(2026, 5, 21, 9, tzinfo=UTC)  # everything due, at different risks
    recall = card_recall(library, store, SETTINGS, now)

    def reviews(order: str, when: datetime = now) -> list[str]:
        queue = build_queue(library, store, replace(SETTINGS, review_order=order), when)
        return list(queue._ready_review)

    by_due = reviews("due")
    due_ts = [store.ledger.records[c].due_ts for c in by_due]
    assert due_ts == sorted(due_ts) and len(by_due) == 120
    at_risk = reviews("retrievability")
    recalls = [recall(c) for c in at_risk]
    assert recalls == sorted(recalls) and recalls[0] < recalls[-1]
    shuffled = reviews("random")
    assert sorted(shuffled) == sorted(by_due) and shuffled not in (by_due, at_risk)
    assert reviews("random", now + timedelta(hours=3)) == shuffled  # the same all day
    store.close()
