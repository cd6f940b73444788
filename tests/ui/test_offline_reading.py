"""Offline reading: save pages (s, or `companion save`), read them with the server gone,
back and forward, contents, search, and the reading position remembered."""

from pathlib import Path

from companion.cli.main import main
from companion.store.saved_pages import load_page, page_path
from companion.ui.dialogs.contents import Contents
from companion.ui.panes.reader import ReaderPane
from companion.ui.panes.roadmap import RoadmapPane

from .helpers import screen_text


def test_save_command_keeps_the_article_as_markdown(server, tmp_path: Path, capsys):
    data_dir = tmp_path / "d"
    url = f"{server.base}/article.html"
    assert main(["--data-dir", str(data_dir), "save", url, "--item", "abc"]) == 0
    assert "Saved 'Gradient descent, explained'" in capsys.readouterr().out
    page = load_page(data_dir, url)
    assert page.title == "Gradient descent, explained" and page.item_id == "abc"
    assert "## Learning rate" in page.markdown and "Copyright" not in page.markdown
    assert "\x1b" not in page.markdown  # escape sequences removed
    assert main(["--data-dir", str(data_dir), "save", f"{server.base}/missing"]) == 2
    assert "HTTP 404" in capsys.readouterr().err


async def test_a_lectures_page_saves_and_opens_its_sections_course_link(
    make_app, data_dir: Path, server
):
    """ML-YouTube-Courses: the lectures are the items, the course's link is its heading's
    ("🔗 Link to Course"); a lecture's page numbers it, `s` saves it, `1` reads it."""
    url = f"{server.base}/article.html"
    (data_dir / "roadmaps" / "courses.md").write_text(
        f"# Courses\n\n## Optimisation course\n\n- Lecture 1: Gradients\n"
        f"- Lecture 2: Momentum\n\n🔗 [Link to Course]({url})\n"
    )
    app = make_app(bundled=False)
    async with app.run_test(size=(120, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # read the first lecture
        await pilot.pause()
        text = screen_text(app)
        assert "Lecture 1: Gradients" in text and "From Optimisation course" in text
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert page_path(data_dir, url).exists()
        assert "saved: press 1 to read offline" in screen_text(app)
        server.stop()
        await pilot.press("1")
        await pilot.pause()
        assert "Gradient descent, explained" in screen_text(app)
        await pilot.press("q")


async def test_s_saves_then_the_page_reads_offline_with_back_contents_and_search(
    make_app, data_dir: Path, server
):
    url = f"{server.base}/article.html"
    (data_dir / "roadmaps" / "local.md").write_text(
        f"# Plan\n\n## Optimisation\n\n- Read [the article]({url})\n"
    )
    app = make_app(bundled=False)
    async with app.run_test(size=(120, 20), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # read the item
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert page_path(data_dir, url).exists()
        assert "saved: press 1 to read offline" in screen_text(app)
        server.stop()  # no network from here on
        await pilot.press("1")
        await pilot.pause()
        text = screen_text(app)
        assert "Gradient descent, explained" in text and "Learning rate" in text
        reader = app.screen.query_one(ReaderPane)
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, Contents)
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert reader.scroll_y > 0
        position = reader.scroll_y
        await pilot.press("slash", *"momentum", "enter")
        await pilot.pause()
        assert len(reader.matches) == 2  # the heading and the paragraph
        assert reader.match_index == 0
        await pilot.press("n")
        assert reader.match_index == 1
        await pilot.press("N")
        assert reader.match_index == 0
        await pilot.press("b")
        await pilot.pause()
        assert reader.document_key[0] == "item"
        await pilot.press("f")
        await pilot.pause()
        assert reader.document_key == ("saved", url)
        assert reader.scroll_y > 0  # the reading position came back
        assert position > 0
        assert app.screen.query_one(RoadmapPane) is not None
        await pilot.press("q")
    again = make_app(bundled=False, pane="reader")
    async with again.run_test(size=(120, 20)) as pilot:
        reader = again.screen.query_one(ReaderPane)
        await pilot.pause()
        await pilot.press("1")  # the saved copy again
        await pilot.pause(0.2)
        assert reader.document_key == ("saved", url)
        assert reader.scroll_y > 0  # remembered across a restart
