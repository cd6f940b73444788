"""The Review pane as a learner uses it: Anki keys, undo, bury, suspend, writing cards, info."""

import json
from pathlib import Path

from textual.widgets import TextArea

from companion.content.deck import card_id
from companion.store.deck_files import MY_DECK
from companion.ui.dialogs.card_editor import CardEditor
from companion.ui.dialogs.card_info import CardInfo
from companion.ui.panes.review import ReviewPane

from .helpers import screen_text

SIZE = (120, 36)


def pane(app) -> ReviewPane:
    return app.screen.query_one(ReviewPane)


async def answer(pilot, grade: str = "3") -> str:
    review = pane(pilot.app)
    card = review.session.current
    await pilot.press("space", grade)
    return card


async def test_grades_show_intervals_and_space_after_reveal_means_good(make_app):
    app = make_app(pane="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        text = screen_text(app)
        for words in ("1  Again 1m", "2  Hard 6m", "3  Good 10m", "4  Easy"):
            assert words in text
        first = pane(app).session.current
        await pilot.press("space")
        assert app.store.ledger.record(first).fsrs["step"] == 1  # Good: second learning step
        assert "New 19" in screen_text(app)


async def test_undo_twelve_levels_and_the_undo_survives_a_restart(make_app):
    app = make_app(pane="review")
    async with app.run_test(size=SIZE) as pilot:
        answered = [await answer(pilot, "4") for _ in range(12)]
        assert "New 8" in screen_text(app)
        for expected in reversed(answered[2:]):
            await pilot.press("u")
            assert pane(app).session.current == expected
        assert "New 18" in screen_text(app)
        assert not pane(app).revealed
    again = make_app(pane="review")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reviewed = [cid for cid, r in again.store.ledger.records.items() if not r.is_new]
        assert sorted(reviewed) == sorted(answered[:2])
        assert "New 18" in screen_text(again)


async def test_bury_and_suspend_take_the_card_away_and_undo_brings_it_back(make_app):
    app = make_app(pane="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        first = pane(app).session.current
        await pilot.press("minus")
        assert pane(app).session.current != first
        assert app.store.ledger.record(first).buried_until is not None
        second = pane(app).session.current
        await pilot.press("exclamation_mark")
        assert app.store.ledger.record(second).suspended
        assert "Suspended (u to undo)" in screen_text(app)
        await pilot.press("u")
        assert pane(app).session.current == second
        assert not app.store.ledger.record(second).suspended


async def test_a_writes_a_card_linked_to_the_selected_item_into_the_learners_deck(
    make_app, data_dir: Path
):
    app = make_app(pane="review")
    async with app.run_test(size=SIZE) as pilot:
        item_id = app.selected_item_id
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, CardEditor)
        assert "Linked to: Write down in two sentences" in screen_text(app)
        editor.query_one("#editor-front", TextArea).text = "What is [bold]FSRS[/]?"
        editor.query_one("#editor-back", TextArea).text = "A scheduler\nfor spaced repetition"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CardEditor)
    deck = (data_dir / "decks" / MY_DECK).read_text()
    assert f"<!-- item: {item_id} -->\nQ: What is [bold]FSRS[/]?\nA: A scheduler\n" in deck
    new_id = card_id("basic", "What is [bold]FSRS[/]?", "A scheduler\nfor spaced repetition")
    assert app.library.cards[new_id].item_id == item_id


async def test_editing_a_card_keeps_its_history(make_app, data_dir: Path):
    app = make_app(pane="review", new_cards_per_day=1)
    async with app.run_test(size=SIZE) as pilot:
        old = await answer(pilot, "1")  # Again: back within a minute, in learning
        assert pane(app).session.current == old
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, CardEditor)
        editor.query_one("#editor-back", TextArea).text = "Rewritten answer."
        await pilot.press("ctrl+s")
        await pilot.pause()
        new = pane(app).session.current
        assert new != old
        assert app.store.ledger.record(new).reps == 1
        assert app.store.ledger.record(old).retired
        assert "Rewritten answer." in (data_dir / "decks" / MY_DECK).read_text()
        history = app.store.card_history(new)
        assert [e["kind"] for e in history] == ["review"]
    again = make_app(pane="review", new_cards_per_day=1)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert old not in [c for c in again.library.cards if again.store.ledger.record(c).reps]
        assert again.store.ledger.record(new).reps == 1
        assert again.store.ledger.record(old).retired  # the bundled original stays hidden


async def test_info_shows_state_memory_and_history(make_app):
    app = make_app(pane="review", new_cards_per_day=1)
    async with app.run_test(size=SIZE) as pilot:
        card = await answer(pilot, "1")
        assert pane(app).session.current == card
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, CardInfo)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        for words in ("Stability", "Difficulty", "Retrievability now", "Learning", "Lapses"):
            assert words in text
        assert "History (1 answer)" in text and "Again" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, CardInfo)


async def test_s_shows_heatmap_forecast_totals_and_true_retention(make_app):
    app = make_app(pane="review")
    async with app.run_test(size=(120, 50)) as pilot:
        for _ in range(3):
            await answer(pilot, "4")
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Reviews per day, last 6 months" in text
        assert "3 reviews on 1 day" in text
        assert "Due in the next 30 days" in text
        assert "30 days 3 (busiest day" in text  # the three answered Easy fall due within it
        assert "new 50   learning 0   review 3" in text
        assert "True retention, last 30 days" in text and "young —" in text
        await pilot.press("W")  # the workload table, simulated in a process of its own
        await app.workers.wait_for_complete()
        await pilot.pause()
        stats = app.screen.query_one("#review-stats").render()
        shown = str(stats)
        assert "Workload by desired retention" in shown and "0.70" in shown and "0.97" in shown
        assert "0.90" in next(line for line in shown.splitlines() if "← yours" in line)


async def test_latex_in_cards_is_shown_as_unicode(make_app):
    app = make_app(pane="review")
    async with app.run_test(size=SIZE) as pilot:
        review = pane(app)
        rule = next(c for c in app.library.cards.values() if "update rule" in c.front)
        review.session.show(rule.id)
        await pilot.press("space")
        text = screen_text(app)
        assert "θ ← θ - η ∇_θ J(θ), where η is the learning rate and J the loss." in text
        assert "\\theta" not in text


async def test_keys_typed_faster_than_the_editor_takes_them_are_all_saved(make_app, data_dir):
    """A paste without bracketed paste arrives as a burst of keys: ctrl+s at its end must not
    save the fields before they have taken every key queued ahead of it."""
    from textual import events

    app = make_app(pane="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        editor.query_one("#editor-back", TextArea).text = "typed at paste speed"
        for char in "What is a tensor":
            key = "space" if char == " " else char
            app.post_message(events.Key(key, char))
        app.post_message(events.Key("ctrl+s", None))
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, CardEditor)
    assert (
        "\nWhat is a tensor :: typed at paste speed\n" in (data_dir / "decks" / MY_DECK).read_text()
    )


async def test_show_answer_and_the_grades_are_buttons_for_mouse_and_touch(make_app, data_dir):
    from .helpers import screen_text

    def where(app, words: str) -> tuple[int, int]:  # noqa: ANN001
        """Where `words` are drawn in the keys line under the card."""
        keys = app.screen.query_one("#review-keys")
        line = next(line for line in screen_text(app).splitlines() if words in line)
        return line.index(words) + 1, keys.content_region.y

    app = make_app(pane="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        review = app.screen.query_one(ReviewPane)
        first = review.session.current
        await pilot.click(offset=where(app, "show answer"))
        await pilot.pause()
        assert review.revealed
        await pilot.click(offset=where(app, "Good"))
        await pilot.pause()
        assert review.session.current != first
        logged = [
            json.loads(line) for line in (data_dir / "reviews.jsonl").read_text().splitlines()
        ]
        assert [(e["kind"], e["grade"]) for e in logged] == [("review", 3)]
