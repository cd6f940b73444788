"""The Decks dialog (`d`): decks on and off, one deck, custom study, per-deck limits."""

from pathlib import Path

from textual.widgets import Input

from companion.config import load_settings
from companion.ui.dialogs.decks import DecksDialog
from companion.ui.panes.review import ReviewPane

from .helpers import screen_text

SIZE = (130, 40)


def pane(app) -> ReviewPane:
    return app.screen.query_one(ReviewPane)


def counts(app) -> tuple[int, int, int]:
    found = pane(app).session.counts(app.now())
    return found.new, found.learning, found.review


def decks(data_dir: Path) -> None:
    (data_dir / "decks" / "ml.md").write_text(
        "Q: What is an epoch?\nA: One pass.\n\nQ: What is a batch?\nA: Some samples.\n\n"
        "Q: What is a loss?\nA: A number to lower.\n"
    )
    (data_dir / "decks" / "bio.md").write_text("The {{c1::mitochondria}} makes energy.\n")


async def open_decks(pilot) -> DecksDialog:
    await pilot.press("D")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, DecksDialog)
    return pilot.app.screen


async def cursor_to(pilot, name: str) -> None:
    dialog = pilot.app.screen
    names = [deck.name for deck in dialog.summaries]
    dialog.query_one("#decks-table").move_cursor(row=names.index(name))
    await pilot.pause()


async def wait_for(pilot, words: str) -> None:
    for _ in range(40):  # the table is redrawn from a worker: on a busy machine, later
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
        if words in screen_text(pilot.app):
            return
    assert words in screen_text(pilot.app)


def starter_cards_queued(app) -> bool:
    shown = {app.library.cards[c].source for c in pane(app).session.queue._new}
    return any("deep-learning-starter" in source for source in shown)


async def test_a_deck_switched_off_leaves_review_and_stays_off_after_a_restart(
    make_app, data_dir: Path
):
    decks(data_dir)
    app = make_app(pane="review")  # the bundled starter deck too (off: the learner has decks)
    async with app.run_test(size=SIZE) as pilot:
        await open_decks(pilot)
        assert "deep-learning-starter" in screen_text(app) and "bio" in screen_text(app)
        await cursor_to(pilot, "bio")
        await pilot.press("space")
        await wait_for(pilot, "✗ off")
        await pilot.press("escape")
        await pilot.pause()
        assert not starter_cards_queued(app)
        assert counts(app)[0] == 3  # the 3 in ml
    again = make_app(pane="review")
    async with again.run_test(size=SIZE):
        assert counts(again)[0] == 3


async def test_the_starter_deck_is_off_once_the_learner_has_decks_and_space_brings_it_back(
    make_app, data_dir: Path
):
    """The learner's collection is theirs: imported or dropped-in decks push the bundled
    starter deck out of review (cards written in the app do not); it can be switched back."""
    app = make_app(pane="review")
    async with app.run_test(size=SIZE):
        assert starter_cards_queued(app)  # a first-time learner studies the starter deck
    decks(data_dir)
    app = make_app(pane="review")
    async with app.run_test(size=SIZE) as pilot:
        assert not starter_cards_queued(app) and counts(app)[0] == 4
        dialog = await open_decks(pilot)
        starter = next(d for d in dialog.summaries if d.name == "deep-learning-starter")
        assert not starter.on
        await cursor_to(pilot, "deep-learning-starter")
        await pilot.press("space")
        for _ in range(40):  # redrawn from a worker
            await pilot.app.workers.wait_for_complete()
            await pilot.pause(0.05)
            if next(d for d in pilot.app.screen.summaries if d.name == starter.name).on:
                break
        assert next(d for d in pilot.app.screen.summaries if d.name == starter.name).on
        await pilot.press("escape")
        await pilot.pause()
        assert starter_cards_queued(app)
    again = make_app(pane="review")
    async with again.run_test(size=SIZE):
        assert starter_cards_queued(again)  # switched back on, it stays on


async def test_enter_studies_one_deck_and_a_studies_all_again(make_app, data_dir: Path):
    decks(data_dir)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        assert counts(app)[0] == 4
        await open_decks(pilot)
        await cursor_to(pilot, "bio")
        await pilot.press("enter")
        await pilot.pause()
        assert counts(app)[0] == 1
        assert "Deck bio" in screen_text(app)
        assert "mitochondria" not in screen_text(app)  # the cloze hides it
        await open_decks(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert counts(app)[0] == 4 and "All decks" in screen_text(app)


async def test_custom_study_shows_cards_not_due_and_comes_back_after_a_restart(
    make_app, data_dir: Path
):
    decks(data_dir)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")  # an Easy answer: due in days
        answered = next(iter(app.store.ledger.records))
        await open_decks(pilot)
        await pilot.press("c")
        await pilot.pause()
        search = app.screen.query_one("#custom-search", Input)
        search.value = "2"  # preset 2: study ahead
        await pilot.pause()
        assert search.value == "prop:due<=3 -is:new"
        search.value = "prop:due<=30 -is:new"
        await pilot.press("enter")
        await pilot.pause()
        assert pane(app).session.current == answered  # not due, shown in custom study
        assert "Custom study: prop:due<=30 -is:new" in screen_text(app)
    search_again = make_app(pane="review", bundled=False)
    async with search_again.run_test(size=SIZE):
        assert pane(search_again).session.current == answered  # remembered


async def test_a_bad_custom_search_is_one_line_and_changes_nothing(make_app, data_dir: Path):
    decks(data_dir)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_decks(pilot)
        await pilot.press("c")
        app.screen.query_one("#custom-search", Input).value = "prop:nonsense>2"
        await pilot.press("enter")
        await pilot.pause()
        assert "unknown property 'nonsense'" in screen_text(app)
        app.screen.query_one("#custom-search", Input).value = "is:suspended"
        await pilot.press("enter")
        await pilot.pause()
        assert "No card matches" in screen_text(app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert counts(app)[0] == 4


async def test_per_deck_limits_from_config_toml(make_app, data_dir: Path):
    decks(data_dir)
    (data_dir / "config.toml").write_text('[decks."ml"]\nnew_cards_per_day = 1\n')
    limits = load_settings(data_dir).deck_limits
    app = make_app(pane="review", bundled=False, deck_limits=limits)
    async with app.run_test(size=SIZE) as pilot:
        assert counts(app)[0] == 2  # one from ml, the bio cloze
        await pilot.press("space", "3")
        await pilot.press("space", "3")
        assert counts(app)[0] == 0
        await open_decks(pilot)
        assert "1 new a day" in screen_text(app)
    again = make_app(pane="review", bundled=False, deck_limits=limits)
    async with again.run_test(size=SIZE):
        assert counts(again)[0] == 0  # ml's one new card for today is used
