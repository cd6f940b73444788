"""The day's plan and memory on the roadmap, on a learner's own roadmap and deck: reviews due
and their minutes from the learner's own answer times, the next items at their pace (more
when behind), focus blocks against the day's share, and the phases whose cards fade. The
retrievability is FSRS's own."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion.cli.main import main
from companion.config import Settings
from companion.content.deck import format_card
from companion.content.loader import load_library
from companion.services.progress_sync import record_state
from companion.services.roadmap_memory import RoadmapMemory
from companion.services.study_session import card_scheduling, start_review
from companion.services.today import plan_today
from companion.srs.memory import recall_of
from companion.srs.scheduling import Grade, retrievability
from companion.srs.study_days import study_day_number
from companion.store import open_store

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
PLAN = """# ML plan

## Basics

- [ ] Linear algebra [10 hours]
- [ ] Calculus [6 hours]
- [ ] Probability [1 hour]

## Deep learning

- [ ] Backprop [5 hours]
- [ ] Convolutional networks [5 hours]
"""
SETTINGS = replace(Settings(), enable_fuzzing=False, weekly_target_hours=7.0)


def learner(data_dir: Path) -> tuple:
    (data_dir / "roadmaps").mkdir(parents=True, exist_ok=True)
    (data_dir / "roadmaps" / "plan.md").write_text(PLAN)
    roadmap = load_library([data_dir]).roadmaps[0]
    items = {item.text.split(" [")[0]: item for item in roadmap.items}
    algebra = items["Linear algebra"]
    deck = "".join(
        format_card(f"Matrix fact {n}?", f"Answer {n}.", algebra.id) for n in range(6)
    ) + "".join(format_card(f"Other fact {n}?", f"Other {n}.") for n in range(4))
    (data_dir / "decks").mkdir(exist_ok=True)
    (data_dir / "decks" / "algebra.md").write_text(deck)
    return roadmap, items


def answer_all(data_dir: Path, now: datetime, grade: Grade, ms: int) -> int:
    library = load_library([data_dir])
    store = open_store(data_dir, settings=SETTINGS)
    session = start_review(library, store, SETTINGS, now)
    answered = 0
    while (card := session.next_card(now)) is not None and answered < 40:
        session.show(card)
        session.answer(grade, now, duration_ms=ms)
        answered += 1
    store.close()
    return answered


def test_retrievability_is_fsrs_own_at_every_day(data_dir: Path):
    learner(data_dir)
    for day in range(0, 40, 3):  # answers on many days, so the stabilities differ
        answer_all(data_dir, START + timedelta(days=day, hours=day % 7), Grade.GOOD, 4000)
    library = load_library([data_dir])
    store = open_store(data_dir, settings=SETTINGS, read_only=True)
    scheduling = card_scheduling(library, SETTINGS)
    compared = 0
    for card_id, record in store.ledger.records.items():
        if record.is_new:
            continue
        for later in (0, 1, 5, 30, 200):
            when = START + timedelta(days=40 + later, hours=13)
            scheduler = scheduling(card_id).scheduler
            theirs = retrievability(scheduler, record, when)
            ours = recall_of(record, study_day_number(when.timestamp()), scheduler.parameters[20])
            assert ours == pytest.approx(theirs, abs=1e-12)
            compared += 1
    store.close()
    assert compared >= 40


def test_the_plan_for_today(data_dir: Path):
    roadmap, items = learner(data_dir)
    # every card twice (its learning step, then graduated), 6 s each
    assert answer_all(data_dir, START, Grade.GOOD, 6000) == 20
    store = open_store(data_dir, settings=SETTINGS)
    record_state(store, roadmap, items["Linear algebra"], "done", START)
    record_state(store, roadmap, items["Probability"], "doing", START)
    for day in range(14):  # two weeks at 2 h a week: behind a 7 h target
        begun = (START - timedelta(days=14 - day)).timestamp()
        if day % 4 == 0:
            store.log_block({"phase": "focus", "started_at": begun, "ended_at": begun + 3600,
                             "minutes": 60.0, "item_id": items["Calculus"].id,
                             "outcome": "completed"})  # fmt: skip
    now = START + timedelta(hours=5)
    today = now.timestamp() - 3600
    store.log_block({"phase": "focus", "started_at": today - 1500, "ended_at": today,
                     "minutes": 25.0, "item_id": items["Probability"].id,
                     "outcome": "completed"})  # fmt: skip
    library = load_library([data_dir])
    plan = plan_today(library, store, SETTINGS, now)
    store.close()

    assert plan.due_now == 0 and plan.due_later == 0  # all answered Good: due in days
    assert plan.seconds_per_answer == pytest.approx(6.0)
    assert plan.blocks_done == 1
    assert plan.blocks_target == 3  # 7 h a week = 60 min a day = 3 blocks of 25
    texts = [item.text for item in plan.next_items]
    assert texts[0].startswith("Probability")  # the one in progress first
    assert "Linear algebra [10 hours]" not in texts  # done
    assert plan.behind == ["plan"]  # 4.4 h in four weeks against 7 h a week
    # a day's share (1 h) and the shortfall of 23.6 h made up in two weeks, at most twice
    # the day's share: Probability (1 h) and Calculus (6 h)
    assert plan.hours_today == {"plan": pytest.approx(2.0)}
    assert texts == ["Probability [1 hour]", "Calculus [6 hours]"]
    assert plan.weak_phases == []  # just answered

    later = START + timedelta(days=45)
    store = open_store(data_dir, settings=SETTINGS, read_only=True)
    plan = plan_today(library, store, SETTINGS, later)
    memory = RoadmapMemory(library, store, SETTINGS)
    phases = memory.of_phases(roadmap, later)
    store.close()
    assert plan.due_now == 10
    assert plan.review_minutes == pytest.approx(10 * 6 / 60)
    [weak] = plan.weak_phases
    assert weak.title == "Basics" and weak.cards == 6 and weak.due == 6
    assert weak.retrievability < SETTINGS.desired_retention
    assert set(phases) == {roadmap.phases[0].id}  # no card is linked to Deep learning


def test_today_and_roadmap_show_print_it_as_json(data_dir: Path, capsys):
    roadmap, items = learner(data_dir)
    answer_all(data_dir, datetime.now(UTC) - timedelta(days=60), Grade.GOOD, 3000)
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "today", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert {"due_reviews", "review_minutes", "next_items", "blocks_done", "blocks_target",
            "weak_phases"} <= set(plan)  # fmt: skip
    assert plan["due_reviews"] == 10 and plan["review_minutes"] == pytest.approx(0.5)
    assert plan["own_pace"] is True  # 20 answers of 3 s
    assert {"roadmap", "item", "text"} <= set(plan["next_items"][0])
    assert plan["weak_phases"][0]["title"] == "Basics"
    assert main(["--data-dir", str(data_dir), "today"]) == 0
    said = capsys.readouterr().out
    assert "Reviews: 10 cards due now" in said and "Fading: Basics" in said

    assert main(["--data-dir", str(data_dir), "roadmap", "show", "plan", "--json"]) == 0
    tree = json.loads(capsys.readouterr().out)
    basics, deep = tree["phases"]
    algebra = next(i for i in basics["items"] if i["id"] == items["Linear algebra"].id)
    assert algebra["memory"]["cards"] == 6 and algebra["memory"]["due"] == 6
    assert 0 < algebra["memory"]["retrievability"] < 0.9
    assert basics["memory"]["cards"] == 6
    assert deep["memory"] is None and deep["items"][0]["memory"] is None


def test_today_during_a_custom_study_session_counts_every_deck(data_dir: Path, capsys):
    """A custom study session kept over a restart (Anki's filtered deck) or one deck chosen
    leaves the other reviews due all the same: `today`, `stats` and the spread count every
    deck switched on, not the search's few (they once counted only those). `today` also
    crashed on a custom queue (it did not say when its learning steps fall due)."""
    from companion.services.backlog import waiting_reviews
    from companion.services.study_session import StudyScope, save_scope

    learner(data_dir)
    answer_all(data_dir, START, Grade.GOOD, 4000)
    now = START + timedelta(days=60)
    for scope in (StudyScope("search", "Other"), StudyScope("deck", "nothing-here")):
        store = open_store(data_dir, settings=SETTINGS)
        save_scope(store, scope)
        assert start_review(load_library([data_dir]), store, SETTINGS, now).counts(now).total < 10
        waiting = waiting_reviews(load_library([data_dir]), store, SETTINGS, now)
        assert len(waiting) == 10
        plan = plan_today(load_library([data_dir]), store, SETTINGS, now)
        assert plan.due_now == 10  # the six matrix cards and the four others, all due
        store.close()
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "today", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["due_reviews"] == 10  # every card answered on START is due by now
    assert main(["--data-dir", str(data_dir), "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due_now"] == 10


def test_the_meter_measures_as_memory_of_and_follows_each_new_answer(data_dir: Path):
    from companion.srs.memory import MemoryMeter, memory_of

    learner(data_dir)
    for day in range(0, 30, 4):
        answer_all(data_dir, START + timedelta(days=day), Grade.GOOD, 4000)
    library = load_library([data_dir])
    store = open_store(data_dir, settings=SETTINGS)
    scheduling = card_scheduling(library, SETTINGS)

    def decay(card_id: str) -> float:
        return scheduling(card_id).scheduler.parameters[20]

    meter = MemoryMeter(lambda: store.ledger, decay, SETTINGS.desired_retention)
    cards = sorted(library.cards.ids())
    for later in (31, 60):
        now = START + timedelta(days=later)
        expected = memory_of(cards, store.ledger.records, now, decay, 0.9)
        assert meter.memory(cards, now) == expected
    now = START + timedelta(days=400)  # every card due again
    before = meter.memory(cards, now)
    session = start_review(library, store, SETTINGS, now)
    card = session.next_card(now)
    assert card is not None
    session.show(card)
    session.answer(Grade.AGAIN, now, duration_ms=3000)  # one card forgotten, answered now
    after = meter.memory(cards, now)
    assert after == memory_of(cards, store.ledger.records, now, decay, 0.9)
    assert after != before
    store.close()
