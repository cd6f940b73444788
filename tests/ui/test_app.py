"""Drive the real app with the pilot and check what the learner sees and what is saved."""

import json
from pathlib import Path

from textual.widgets import Markdown, TabbedContent

from companion.store.store import REVIEW_LOG_NAME
from companion.ui.app import CompanionApp
from companion.ui.dialogs.keys import KeysScreen
from companion.ui.panes.review import ReviewPane
from companion.ui.panes.roadmap import RoadmapPane, RoadmapTree

from .helpers import recording_browser, screen_text

SIZE = (120, 36)


async def goto_first_item(pilot) -> str:
    tree = pilot.app.screen.query_one(RoadmapTree)
    await pilot.pause()
    ref = tree.cursor_node.data
    assert ref.kind == "item"
    return ref.key


async def test_pane_keys_tab_and_palette_reach_every_pane(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        tabs = app.screen.query_one(TabbedContent)
        assert tabs.active == "roadmap"
        keys = [("d", "today"), ("v", "reader"), ("c", "review"), ("t", "timer"), ("m", "roadmap")]
        for key, pane in keys:
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == pane
        await pilot.press("tab")
        assert tabs.active == "reader"
        await pilot.press("shift+tab", "shift+tab", "shift+tab")
        assert tabs.active == "timer"
        commands = [command.title for command in app.get_system_commands(app.screen)]
        panes = {"Go to Today", "Go to Roadmap", "Go to Reader", "Go to Review", "Go to Timer"}
        assert panes <= set(commands)
        footer = screen_text(app)
        for label in ("Today", "Roadmap", "Reader", "Review", "Timer", "Keys", "Quit"):
            assert label in footer


async def test_question_mark_lists_every_key(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        text = screen_text(app)
        for words in ("show the answer", "Again, Hard, Good, Easy", "start or pause", "done"):
            assert words in text
        await pilot.press("escape")
        assert not isinstance(app.screen, KeysScreen)


async def test_pane_option_opens_on_that_pane(make_app):
    app = make_app(pane="timer")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "timer"
        assert "25:00" in screen_text(app) or app.timer.remaining() == 25 * 60


async def test_keys_in_every_pane_are_saved_and_survive_a_restart(make_app, clock, data_dir: Path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        item_id = await goto_first_item(pilot)
        await pilot.press("x")  # done
        await pilot.press("down", "w")  # next item: doing
        await pilot.pause()
        second_id = app.screen.query_one(RoadmapTree).cursor_node.data.key
        await pilot.press("up", "enter")  # read the first item
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "reader"
        reader_text = screen_text(app)
        assert "Write down in two sentences" in reader_text and "Done" in reader_text
        await pilot.press("c", "space")
        await pilot.pause()
        review = app.screen.query_one(ReviewPane)
        first_card = review.session.current
        assert review.revealed
        await pilot.press("3")
        await pilot.pause()
        assert review.session.current != first_card
        await pilot.press("space", "space")  # reveal, then space again means Good
        await pilot.press("t", "p")
        await pilot.pause()
        assert app.timer.state.status.value == "running"
        assert app.timer.state.item_id == item_id
        clock.advance(minutes=10)
        app.tick()
        assert "15:00" in screen_text(app)
        await pilot.press("q")

    logged = [json.loads(line) for line in (data_dir / REVIEW_LOG_NAME).read_text().splitlines()]
    assert [e["kind"] for e in logged] == ["item", "item", "review", "review"]  # ticks: events
    clock.advance(minutes=5)
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.screen.query_one(TabbedContent).active == "timer"  # a block on the clock
        assert again.store.item_states() == {item_id: "done", second_id: "doing"}
        assert again.timer.state.status.value == "running"
        assert round(again.timer.remaining()) == 10 * 60
        assert "10:00" in screen_text(again)
        assert sum(1 for r in again.store.ledger.records.values() if not r.is_new) == 2
        await pilot.press("m")
        await pilot.pause()
        tree = again.screen.query_one(RoadmapTree)
        assert tree.cursor_node.data.key == item_id  # the selection is restored
        assert "●" in str(tree.cursor_node.label)


async def test_pressing_a_state_key_twice_returns_the_item_to_todo(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        item_id = await goto_first_item(pilot)
        await pilot.press("s")
        assert app.store.item_states()[item_id] == "skipped"
        await pilot.press("s")
        assert app.store.item_states()[item_id] == "todo"
        text = screen_text(app)
        assert "0% (0/19)" in text


async def test_a_focus_block_is_logged_and_counted_when_it_ends(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        item_id = await goto_first_item(pilot)
        await pilot.press("p")
        clock.advance(minutes=25)
        app.tick()
        await pilot.pause()
        blocks = app.store.study_blocks()
        assert [(b["phase"], b["item_id"], b["minutes"], b["outcome"]) for b in blocks] == [
            ("focus", item_id, 25, "completed")
        ]
        assert app.timer.state.phase.value == "short_break"
        text = screen_text(app)
        assert "Week 0.4 / 7 h" in text
        assert "Focus block done" in text


async def test_reader_opens_web_links_by_click_and_by_key(make_app, tmp_path, monkeypatch):
    received = recording_browser(tmp_path, monkeypatch)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await goto_first_item(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        markdown = app.screen.query_one(Markdown)
        markdown.post_message(Markdown.LinkClicked(markdown, "https://course.fast.ai/"))
        await pilot.pause()
        await pilot.press("o", "2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        opened = received.read_text().splitlines()
        assert opened == ["https://course.fast.ai/", "https://course.fast.ai/"]
        assert "Sent to your browser: https://course.fast.ai/" in screen_text(app)


async def test_untrusted_text_shows_brackets_literally_and_no_escapes(make_app, data_dir: Path):
    (data_dir / "decks" / "evil.md").write_text(
        "[bold]Front[/] \x1b[2J\x1b]0;pwned\x07 :: [link=http://x]back[/link] \x1b[31m\n",
        encoding="utf-8",
    )
    (data_dir / "roadmaps" / "evil.md").write_text(
        "## Phase [/]\n\n- Study [bold]this[/bold] \x1b[5mnow\n", encoding="utf-8"
    )
    app = make_app(pane="review")
    async with app.run_test(size=SIZE) as pilot:
        review = app.screen.query_one(ReviewPane)
        evil = next(cid for cid, card in app.library.cards.items() if "Front" in card.front)
        review.session.current = evil
        review._show()
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]Front[/]" in text
        assert "[link=http://x]back[/link]" in text
        await pilot.press("m")
        roadmap = app.screen.query_one(RoadmapPane)
        evil_item = next(r for r in app.library.roadmaps if r.id == "evil").items[0]
        roadmap.select_item(evil_item.id)
        await pilot.pause()
        text = screen_text(app)
        assert "Study [bold]this[/bold] now" in text
        assert "Phase [/]" in text
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "pwned" not in svg


async def test_reader_follows_the_roadmap_cursor_to_phases_and_roadmaps(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await goto_first_item(pilot)
        await pilot.press("x", "up", "v")  # the phase above the first item
        await pilot.pause()
        text = screen_text(app)
        assert "Decide what you want from it" in text
        assert "Knowing your goal" in text  # the phase's notes
        assert "33% done (1/3)" in text
        await pilot.press("m", "up", "v")  # the roadmap itself
        await pilot.pause()
        text = screen_text(app)
        assert "suggested pace 7 hours a week" in text
        assert "~120 hours in all" in text


async def test_pane_keys_work_from_inside_every_pane(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        tabs = app.screen.query_one(TabbedContent)
        for start in ("roadmap", "reader", "review", "timer"):
            for key, pane in [("m", "roadmap"), ("v", "reader"), ("c", "review"), ("t", "timer")]:
                app.main.show_pane(start)
                await pilot.pause()
                await pilot.press(key)
                await pilot.pause()
                assert tabs.active == pane, (start, key)


async def test_start_up_pauses_the_collector_and_unpacks_cached_decks_after_the_first_paint(
    data_dir, settings, clock, monkeypatch
):
    import gc

    from companion.services.content_sources import load_content
    from companion.store import open_store
    from companion.ui import startup

    monkeypatch.setattr(startup, "_managed", False)
    load_content(data_dir)  # a first start fills the parse caches
    startup.pause_collection()  # as `companion` does before it loads the collection
    store = open_store(data_dir, settings=settings)
    library = load_content(data_dir)
    assert library.cards._packed  # cached decks come in packed
    app = CompanionApp(store, library, settings, pane="review", clock=clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert app.screen.query_one(ReviewPane).session.current is not None
            await pilot.pause()
            assert not library.cards.unpack_one()  # every deck was unpacked in the background
    finally:
        store.close()
        gc.enable()
        gc.unfreeze()


async def test_panes_off_screen_are_built_after_the_first_frame_and_take_keys_at_once(make_app):
    app = make_app(pane="review")
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        assert main.pane("review") is not None  # the pane on show is there from the start
        await pilot.press("v")  # possibly before the Reader is built: it takes focus once it is
        await pilot.pause()
        reader = main.pane("reader")
        assert reader is not None and app.focused is reader
        assert main.query_one(TabbedContent).active == "reader"
        await pilot.press("m")
        assert app.focused is main.pane("roadmap").query_one(RoadmapTree)
        assert main.pane("timer") is not None


async def test_the_status_line_counts_due_cards_when_the_app_opens_elsewhere(make_app):
    app = make_app(pane="roadmap")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        due = app.screen.pane("review").due_now()
        assert due > 0
        assert f"◆ {due} due" in screen_text(app)
