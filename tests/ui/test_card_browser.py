"""The card browser (`b`): Anki's search words, sorting, and every action on marked cards."""

import json
from pathlib import Path

from textual.widgets import Input

from companion.cli.main import main
from companion.ui.dialogs.card_browser import CardBrowser
from companion.ui.dialogs.card_info import CardInfo
from companion.ui.dialogs.confirm import Confirm
from companion.ui.panes.review import ReviewPane

from .helpers import screen_text

SIZE = (140, 40)
DECK = """\
<!-- tags: math linear-algebra -->
Q: What is a [matrix]?
A: A grid of numbers.

<!-- tags: math -->
Q: What is a gradient?
A: The vector of partial derivatives.

Q: What is an epoch?
A: One pass over the training set.

The {{c1::mitochondria}} is the {{c2::powerhouse}} of the cell.
"""


def pane(app) -> ReviewPane:
    return app.screen.query_one(ReviewPane) if not isinstance(app.screen, CardBrowser) else None


def browser(app) -> CardBrowser:
    assert isinstance(app.screen, CardBrowser)
    return app.screen


def fronts(app) -> list[str]:
    return [row.front for row in browser(app).found]


async def open_browser(pilot, query: str | None = None) -> CardBrowser:
    await pilot.press("b")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    if query is not None:
        await search(pilot, query)
    return browser(pilot.app)


async def search(pilot, query: str) -> None:
    await pilot.press("slash")
    browser(pilot.app).query_one(Input).value = query
    await pilot.press("enter")
    await pilot.pause()


async def wait_rows(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def make_deck(data_dir: Path) -> Path:
    path = data_dir / "decks" / "ml.md"
    path.write_text(DECK)
    return path


async def test_b_lists_every_card_and_anki_search_words_find_them(make_app, data_dir: Path, clock):
    make_deck(data_dir)
    app = make_app(pane="review", bundled=False, bury_siblings=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "1")  # the matrix card: Again, in learning
        await open_browser(pilot)
        assert len(browser(app).found) == 5
        text = screen_text(app)
        assert "What is a [matrix]?" in text and "learning" in text and "math" in text
        await search(pilot, "tag:math")
        assert set(fronts(app)) == {"What is a [matrix]?", "What is a gradient?"}
        await search(pilot, "tag:math -gradient")
        assert fronts(app) == ["What is a [matrix]?"]
        await search(pilot, "is:new deck:ml")
        assert len(fronts(app)) == 4
        await search(pilot, "is:learn or epoch")
        assert set(fronts(app)) == {"What is a [matrix]?", "What is an epoch?"}
        await search(pilot, "prop:lapses>3")
        assert fronts(app) == []
        await search(pilot, "mito*dria")
        assert len(fronts(app)) == 2
        await search(pilot, "is:nonsense")
        assert "unknown 'is:nonsense'" in screen_text(app)
        await search(pilot, "is:due")
        assert fronts(app) == []  # the learning step is a minute away
        clock.advance(minutes=2)
        await search(pilot, "is:due")
        assert fronts(app) == ["What is a [matrix]?"]
        await search(pilot, "rated:1:1")
        assert fronts(app) == ["What is a [matrix]?"]
        await search(pilot, '"grid of"')
        assert fronts(app) == ["What is a [matrix]?"]


async def test_suspend_bury_reset_and_undo_from_the_browser_change_the_queue(
    make_app, data_dir: Path
):
    make_deck(data_dir)
    app = make_app(pane="review", bundled=False, bury_siblings=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")  # matrix: Easy, in review
        await open_browser(pilot, "tag:math")
        await pilot.press("ctrl+a", "exclamation_mark")  # suspend both marked
        await wait_rows(pilot)
        await search(pilot, "is:suspended")
        assert len(fronts(app)) == 2
        await pilot.press("u")  # one undo takes back the whole action
        await wait_rows(pilot)
        await search(pilot, "is:suspended")
        assert fronts(app) == []
        await search(pilot, "epoch")
        await pilot.press("minus")  # bury
        await wait_rows(pilot)
        await search(pilot, "is:buried")
        assert fronts(app) == ["What is an epoch?"]
        await pilot.press("minus")  # unbury
        await wait_rows(pilot)
        await search(pilot, "is:buried")
        assert fronts(app) == []
        await search(pilot, "matrix")
        await pilot.press("N")  # forget: new again, counts at 0
        await wait_rows(pilot)
        row = browser(app).found[0]
        assert (row.state, row.reps) == ("new", 0)
        assert sum(1 for e in app.store.review_events() if e["kind"] == "review") == 1
        await search(pilot, "gradient")
        await pilot.press("exclamation_mark")
        await wait_rows(pilot)
        await pilot.press("escape")
        await pilot.pause()
        counts = pane(app).session.counts(app.now())
        assert counts.new == 4  # gradient suspended; matrix new again; epoch, 2 clozes


async def test_delete_removes_the_note_from_the_deck_keeps_history_and_lists_orphans(
    make_app, data_dir: Path
):
    path = make_deck(data_dir)
    app = make_app(pane="review", bundled=False, bury_siblings=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "3")  # matrix answered
        await open_browser(pilot, "matrix")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await wait_rows(pilot)
        assert "matrix" not in path.read_text()
        assert "<!-- tags: math linear-algebra -->" not in path.read_text()
        assert "What is a gradient?" in path.read_text()
        await search(pilot, "")
        assert len(fronts(app)) == 4
        await search(pilot, "mitochondria")
        await pilot.press("x", "y")
        await wait_rows(pilot)
        assert "mitochondria" not in path.read_text()  # the note goes with both its cards
        reviews = [e for e in app.store.review_events() if e["kind"] == "review"]
        assert len(reviews) == 1  # history stays in the log
        await search(pilot, "is:orphan")
        assert fronts(app) == []  # deleted on purpose: not an orphan


async def test_orphans_are_listed_and_their_info_opens(make_app, data_dir: Path):
    path = data_dir / "decks" / "ml.md"
    path.write_text("Q: What is an epoch?\nA: One pass over the training set.\n")
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "3")
    path.write_text("Q: Something else entirely\nA: Nothing alike at all here\n")
    again = make_app(pane="review", bundled=False)
    async with again.run_test(size=SIZE) as pilot:
        await open_browser(pilot, "is:orphan")
        assert fronts(again) == ["What is an epoch?"]
        assert "orphaned" in screen_text(again)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(again.screen, CardInfo)
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert "no longer in any deck" in screen_text(again)


async def test_sorting_by_a_column_and_typing_a_search_never_fires_an_action(
    make_app, data_dir: Path
):
    make_deck(data_dir)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_browser(pilot)
        while browser(app).sort_column != "front":
            await pilot.press("o")
        assert fronts(app) == sorted(fronts(app), key=str.lower)
        await pilot.press("O")
        assert fronts(app) == sorted(fronts(app), key=str.lower, reverse=True)
        await pilot.press("slash")
        for key in "epoch xNue!-p":
            await pilot.press("space" if key == " " else key)
        await pilot.pause()
        assert browser(app).query_one(Input).value == "epoch xNue!-p"
        assert not app.store.ledger.records  # no card was suspended, reset or buried
        assert app.timer.state.status.value == "idle"  # p was a letter, not the timer key


async def test_leech_notice_points_to_the_browser_which_opens_on_the_leech(
    make_app, data_dir: Path, clock
):
    make_deck(data_dir)
    app = make_app(pane="review", bundled=False, leech_threshold=1, bury_siblings=False)
    async with app.run_test(size=SIZE) as pilot:
        card = pane(app).session.current
        await pilot.press("space", "4")
    clock.advance(days=90)
    again = make_app(pane="review", bundled=False, leech_threshold=1, bury_siblings=False)
    async with again.run_test(size=SIZE, notifications=True) as pilot:
        assert pane(again).session.current == card
        await pilot.press("space", "1")  # forgotten: a leech at threshold 1
        notice = " ".join(screen_text(again).split())  # under the card, not over it
        assert "forgotten 1 time;" in notice and "b opens it in the browser" in notice
        assert not again._notifications
        await open_browser(pilot)
        assert browser(again).query_one(Input).value == "is:leech"
        assert browser(again)._cursor_id() == card
        await pilot.press("exclamation_mark")  # unsuspend it from there
        await wait_rows(pilot)
        assert not again.store.ledger.record(card).suspended


def test_cards_list_suspend_unsuspend_reset_from_the_command_line(data_dir: Path, capsys):
    make_deck(data_dir)
    home = ["--data-dir", str(data_dir)]
    assert main([*home, "cards", "list", "tag:math deck:ml", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {row["front"] for row in listed} == {"What is a [matrix]?", "What is a gradient?"}
    assert all(row["state"] == "new" for row in listed)
    assert main([*home, "cards", "suspend", "tag:math deck:ml"]) == 0
    assert "2 cards suspended" in capsys.readouterr().out
    assert main([*home, "cards", "list", "is:suspended deck:ml"]) == 0
    assert "2 cards" in capsys.readouterr().out
    assert main([*home, "cards", "unsuspend", "matrix"]) == 0
    assert "1 card unsuspended" in capsys.readouterr().out
    assert main([*home, "cards", "reset", "deck:ml"]) == 0
    assert "0 cards reset to new" in capsys.readouterr().out
    assert main([*home, "cards", "list", "prop:lapses>"]) == 2
    assert "cannot read 'prop:lapses>'" in capsys.readouterr().err


async def test_e_in_the_browser_edits_the_card_and_the_table_shows_the_new_text(
    make_app, data_dir: Path
):
    from textual.widgets import TextArea

    from companion.ui.dialogs.card_editor import CardEditor

    make_deck(data_dir)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_browser(pilot, "epoch")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)
        app.screen.query_one("#editor-back", TextArea).text = "One full pass over the data."
        await pilot.press("ctrl+s")
        await wait_rows(pilot)
        assert isinstance(app.screen, CardBrowser)
        await search(pilot, "epoch")
        assert [row.back for row in browser(app).found] == ["One full pass over the data."]
        assert "One full pass over the data." in (data_dir / "decks" / "ml.md").read_text()


async def test_a_long_result_is_drawn_as_the_cursor_goes_down(make_app, data_dir: Path):
    from companion.ui.dialogs.card_browser import CHUNK, CardTable

    lines = [f"Term {n} :: definition number {n}" for n in range(CHUNK * 3)]
    (data_dir / "decks" / "many.md").write_text("\n".join(lines) + "\n")
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_browser(pilot)
        table = browser(app).query_one(CardTable)
        assert len(browser(app).found) == CHUNK * 3
        assert table.row_count == CHUNK  # only the first rows are drawn at once
        for _ in range(30):
            await pilot.press("pagedown")
        await pilot.pause()
        assert table.row_count == CHUNK * 3  # every card is reachable with the cursor
        await search(pilot, "definition")
        await pilot.press("end")
        assert browser(app)._cursor_id() == browser(app).found[-1].card_id


async def test_a_sibling_held_back_today_reads_as_buried_and_unburies_as_in_anki(
    make_app, data_dir: Path
):
    make_deck(data_dir)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        review = pane(app)
        while not review.session.queue.buried_siblings and review.session.current:
            await pilot.press("space", "4")  # up to a cloze: its sibling waits for tomorrow
        (held,) = review.session.queue.buried_siblings
        assert review.session.current is None  # nothing else left today
        await open_browser(pilot, "is:buried")
        assert [(row.card_id, row.state) for row in browser(app).found] == [(held, "buried")]
        await pilot.press("minus")  # unbury: back today, as Anki's Unbury
        await wait_rows(pilot)
        assert "1 card unburied" in " ".join(screen_text(app).split())
        await search(pilot, "is:buried")
        assert fronts(app) == []
        await pilot.press("escape")
        await pilot.pause()
        assert pane(app).session.current == held  # in today's queue again
    again = make_app(pane="review", bundled=False)  # a restart the same day: still unburied
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert pane(again).session.current == held
        await open_browser(pilot, "is:buried")
        assert fronts(again) == []
        await search(pilot, "")
        await pilot.press("u")  # the unbury undone: held back again once the browser closes
        await wait_rows(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert pane(again).session.current is None
        assert held in pane(again).session.queue.buried_siblings
