"""The Reader stays on what the learner reads: link results refresh marks in place, and the
contents dialog never crashes on a page drawn again under it (#15.1, #15.2)."""

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from companion.cli.main import main
from companion.store.saved_pages import page_path
from companion.ui.dialogs.contents import Contents
from companion.ui.dialogs.link_dialog import LinkDialog
from companion.ui.panes.reader import ReaderPane

from ..links.server import Server
from .helpers import screen_text


@pytest.fixture
def url(data_dir: Path, server: Server) -> str:
    """A roadmap linking one page, saved for offline reading, then its server gone."""
    url = f"{server.base}/article.html"
    (data_dir / "roadmaps" / "local.md").write_text(
        f"# Plan\n\n## Optimisation\n\n- Read [the article]({url})\n"
    )
    assert main(["--data-dir", str(data_dir), "save", url]) == 0
    server.stop()  # the roadmap's server is down from here on
    return url


async def test_a_finished_link_check_leaves_the_saved_article_and_its_contents_alone(
    make_app, url: str
):
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(120, 24), notifications=True) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        await pilot.press("1")  # the saved copy
        await pilot.pause()
        assert reader.document_key == ("saved", url)
        history = list(reader.history)
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, Contents)
        app.link_watch.start(force=True)  # as the start-up check does
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.link_watch.verdict(url) is not None  # the check did finish
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert reader.document_key == ("saved", url)
        assert reader.history == history  # no entry added behind the learner's back
        assert reader.scroll_y > 0  # the jump to the heading happened


async def test_link_results_redraw_an_item_page_in_place(make_app, url: str):
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(120, 12), notifications=True) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        item = reader.document_key
        assert item[0] == "item"
        reader.scroll_end(animate=False)
        await pilot.pause()
        position = reader.scroll_y
        assert position > 0
        history = list(reader.history)
        app.link_watch.start(force=True)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert reader.document_key == item and reader.history == history
        assert reader.scroll_y == position
        assert "offline" in reader.query_one("#reader-document").source.casefold() or any(
            "offline" in str(n.message).casefold() for n in app._notifications
        )


async def test_contents_after_the_page_was_drawn_again_goes_to_the_same_heading(make_app, url: str):
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(120, 24)) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        reader._display(reader.document_key)  # drawn again while the dialog is open
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.is_running and reader.document_key == ("saved", url)
        assert reader.scroll_y > 0


async def test_going_to_another_pane_and_back_keeps_the_page_enter_reads_the_item(
    make_app, url: str
):
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(120, 24)) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("c", "v")  # Review, then back to the Reader
        await pilot.pause()
        assert reader.document_key == ("saved", url)
        await pilot.press("m", "enter")  # the learner asks for the item itself
        await pilot.pause()
        assert app.current_pane == "reader" and reader.document_key[0] == "item"
        await pilot.press("b")
        await pilot.pause()
        assert reader.document_key == ("saved", url)


async def test_a_second_save_waits_for_the_first_and_each_ends_in_a_message(
    make_app, data_dir: Path, server
):
    slow, quick = f"{server.base}/slow-article.html", f"{server.base}/article.html"
    (data_dir / "roadmaps" / "local.md").write_text(
        f"# Plan\n\n## Reading\n\n- One [slow page]({slow})\n- Two [quick page]({quick})\n"
    )
    app = make_app(bundled=False)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        reader = app.screen.query_one(ReaderPane)
        first = reader.document_key
        second = ("item", app.library.roadmaps[0].items[1].id)
        reader.action_save_pages()  # item one: the slow page
        reader._go(second)  # item two, while the first still saves
        reader.action_save_pages()
        assert first != second
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any("after the save under way" in m for m in messages), messages
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert page_path(data_dir, slow).exists() and page_path(data_dir, quick).exists()
        done = [str(n.message) for n in app._notifications if "Saved" in str(n.message)]
        assert len(done) == 2, done


async def test_keys_typed_right_after_slash_go_to_the_search_box_not_the_app(make_app, url: str):
    """While the app is busy (a large page loading), keys wait in the queue behind '/': they
    must reach the search box it opens, not the app's shortcuts (p starts the timer)."""
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        for key, character in [("slash", "/"), ("p", "p"), ("q", "q")]:
            event = events.Key(key, character)  # all queued before any is handled
            event.set_sender(app)
            app._driver.send_message(event)
        await pilot.pause()
        assert app.timer.state.status.value == "idle"
        assert app.is_running
        assert app.screen.query_one("#reader-search", Input).value == "pq"


async def test_with_no_display_a_link_is_shown_to_copy_or_save_never_said_opened(
    make_app, data_dir: Path, server, monkeypatch
):
    """#15.8: over SSH (no display, no $BROWSER) nothing can open a browser: the Reader shows
    the link, c copies it with OSC 52, s saves its page for offline reading."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    url = f"{server.base}/article.html"
    (data_dir / "roadmaps" / "local.md").write_text(f"# Plan\n\n## P\n\n- Read [it]({url})\n")
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(120, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, LinkDialog), [str(n.message) for n in app._notifications]
        text = screen_text(app)
        assert url in text and "No browser can open here" in text
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == url
        assert not any("Opened" in str(n.message) for n in app._notifications)
        await pilot.press("1", "s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert page_path(data_dir, url).exists()
        assert any("Saved 1 page" in str(n.message) for n in app._notifications)
