"""Counts and due cards follow Anki's rules, in the real app on a real data directory."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.cli.main import main
from companion.ui.panes.review import ReviewPane

from .helpers import screen_text

SIZE = (120, 36)
TWO_CARDS = "Q: What is a tensor?\nA: An array.\n\nQ: What is an epoch?\nA: One pass.\n"


def pane(app) -> ReviewPane:
    return app.screen.query_one(ReviewPane)


def counts(app) -> tuple[int, int, int]:
    found = pane(app).session.counts(app.now())
    return found.new, found.learning, found.review


def deck(data_dir: Path, text: str) -> Path:
    path = data_dir / "decks" / "ml.md"
    path.write_text(text)
    return path


async def test_a_review_is_due_from_the_start_of_its_study_day_not_its_hour(
    make_app, data_dir: Path, clock
):
    deck(data_dir, "Q: What is a tensor?\nA: An array.\n")
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        card = pane(app).session.current
        await pilot.press("space", "4")  # Easy: days away
        due = datetime.fromtimestamp(app.store.ledger.record(card).due_ts, UTC)
    assert due.hour >= 9  # answered at 9:30: due at 9:30 or later that day
    clock.current = due.replace(hour=4, minute=5)  # the same study day, hours before that time
    again = make_app(pane="review", bundled=False)
    async with again.run_test(size=SIZE):
        assert pane(again).session.current == card
        assert counts(again) == (0, 0, 1)
    clock.current = due.replace(hour=3, minute=55)  # still the day before (before 4 am)
    before = make_app(pane="review", bundled=False)
    async with before.run_test(size=SIZE):
        assert pane(before).session.current is None
        assert "Next card due in 5m" in screen_text(before)


async def test_learning_steps_do_not_use_the_review_allowance(make_app, data_dir: Path, clock):
    deck(data_dir, TWO_CARDS)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4", "space", "4")  # both in review, due in days
        first_due = min(app.store.ledger.record(c).due_ts for c in app.library.cards)
    clock.current = datetime.fromtimestamp(first_due, UTC) + timedelta(days=30)
    # A third, new card; a review allowance of one.
    deck(data_dir, TWO_CARDS + "\nQ: What is a batch?\nA: Some samples.\n")
    again = make_app(pane="review", bundled=False, reviews_per_day=1)
    async with again.run_test(size=SIZE) as pilot:
        assert counts(again) == (1, 0, 1)  # two reviews due, one allowed
        # The new card through its learning steps: Again, Again, Good, Good (minutes apart).
        while again.library.cards[pane(again).session.current].front != "What is a batch?":
            await pilot.press("-")  # bury the review shown first, for now
        for grade in ["1", "1", "3", "3"]:
            assert again.library.cards[pane(again).session.current].front == "What is a batch?"
            await pilot.press("space", grade)
            clock.advance(minutes=11)
            pane(again).session.next_card(clock())
        assert again.store.reviews_today(clock())[2] == 0  # no answer used the allowance
        assert pane(again).session.queue.limits.reviews_left == 1
    reopened = make_app(pane="review", bundled=False, reviews_per_day=1)
    async with reopened.run_test(size=SIZE):
        assert pane(reopened).session.queue.limits.reviews_left == 1  # whole after a restart


async def test_the_interval_runs_from_the_grading_not_from_the_reveal(
    make_app, data_dir: Path, clock
):
    deck(data_dir, "Q: What is a tensor?\nA: An array.\n")
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        card = pane(app).session.current
        await pilot.press("space")
        clock.advance(minutes=3)  # the learner thinks before grading
        graded_at = clock()
        await pilot.press("1")  # Again: one minute
        due = datetime.fromtimestamp(app.store.ledger.record(card).due_ts, UTC)
        assert due == graded_at + timedelta(minutes=1)


async def test_counts_stay_true_after_undo_and_after_a_leech_is_suspended(
    make_app, data_dir: Path, clock
):
    deck(data_dir, TWO_CARDS)
    app = make_app(pane="review", bundled=False, leech_threshold=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4", "space", "4")
        assert counts(app) == (0, 0, 0)
        await pilot.press("u")
        assert counts(app) == (1, 0, 0)
        await pilot.press("space", "4")
        first_due = min(app.store.ledger.record(c).due_ts for c in app.library.cards)
        clock.current = datetime.fromtimestamp(first_due, UTC) + timedelta(days=60)
        pane(app).session.next_card(clock())
        assert counts(app) == (0, 0, 2)
        await pilot.press("space", "1")  # forgotten once: a leech at threshold 1, suspended
        assert "Leech: this card was forgotten 1 time;" in " ".join(screen_text(app).split())
        assert counts(app) == (0, 0, 1)  # the suspended leech is not counted in learning


async def test_cloze_siblings_are_buried_until_the_next_study_day(make_app, data_dir: Path, clock):
    deck(data_dir, "The {{c1::mitochondria}} is the {{c2::powerhouse}} of the cell.\n")
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        assert counts(app) == (2, 0, 0)
        await pilot.press("space", "4")
        assert counts(app) == (0, 0, 0)
        assert pane(app).session.current is None
        await pilot.press("u")  # undo gives the sibling back too
        assert counts(app) == (2, 0, 0)
        await pilot.press("space", "4")
    again = make_app(pane="review", bundled=False)  # still buried after a restart
    async with again.run_test(size=SIZE):
        assert counts(again) == (0, 0, 0)
    clock.current = clock.current.replace(hour=4, minute=1) + timedelta(days=1)
    tomorrow = make_app(pane="review", bundled=False)
    async with tomorrow.run_test(size=SIZE):
        assert counts(tomorrow)[0] == 1
    off = make_app(pane="review", bundled=False, bury_siblings=False)
    clock.current = clock.current - timedelta(days=1)
    async with off.run_test(size=SIZE):
        assert counts(off)[0] == 1  # with burying off, the sibling is there the same day


async def test_stats_json_counts_a_hand_edit_without_opening_the_app(
    make_app, data_dir: Path, capsys
):
    path = deck(data_dir, TWO_CARDS)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4", "space", "4")
    path.write_text(TWO_CARDS.replace("One pass.", "One full pass."))
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "stats", "--json"]) == 0
    totals = json.loads(capsys.readouterr().out)["review"]["totals"]
    assert totals["review"] == 2 and totals["orphaned"] == 0


async def test_the_answer_timer_shows_the_time_on_the_card_and_logs_it_capped(
    make_app, data_dir: Path, clock
):
    deck(data_dir, TWO_CARDS)
    app = make_app(pane="review", bundled=False, show_answer_timer=True, max_answer_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        clock.advance(seconds=12)
        await pilot.pause(1.3)  # the timer redraws every second
        assert "⏱ 0:12" in screen_text(app)
        await pilot.press("space", "3")
        clock.advance(seconds=200)  # a break with the card on screen
        await pilot.pause(1.3)
        assert "⏱ 1:00" in screen_text(app)
        await pilot.press("space", "3")
        times = [e["ms"] for e in app.store.review_events() if e["kind"] == "review"]
        assert times == [12_000, 60_000]  # kept in the log, capped as Anki caps it
    off = make_app(pane="review", bundled=False)
    async with off.run_test(size=SIZE) as pilot:
        await pilot.pause(1.3)
        assert "⏱" not in screen_text(off)  # off by default, as in Anki
