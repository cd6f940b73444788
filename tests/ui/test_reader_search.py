"""Search on the page as drawn (#15.11): every match painted and the current one apart, as
you type; long pages drawn a part at a time, their contents and search complete once drawn."""

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Input, Markdown
from textual.widgets._markdown import MarkdownBlock

from companion.store.saved_pages import store_page
from companion.ui.dialogs.contents import Contents
from companion.ui.panes.reader import LONG_PAGE_CHARS, ReaderPane
from companion.ui.widgets.page_view import CURRENT, MATCH

from .helpers import screen_text

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from reader import long_page  # noqa: E402 - the benchmark's page generator, at a smaller size

URL = "https://notes.dev/long"


def styles_on(reader: ReaderPane, line: int) -> set:
    page = reader.page_view
    strip = page.render_line(line - page.scroll_offset.y)
    return {segment.style.bgcolor for segment in strip if segment.style and segment.style.bgcolor}


async def test_a_long_page_is_drawn_in_parts_and_searched_as_you_type(make_app, data_dir: Path):
    text = long_page(30_000)
    assert len(text) > LONG_PAGE_CHARS
    store_page(data_dir, URL, "A very long page", text, "", datetime.now(UTC))
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(110, 30), notifications=True) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        reader._go(("saved", URL))
        await pilot.pause()
        assert reader.long_page and "A very long page" in screen_text(app)
        assert not reader.query_one(Markdown).display  # no widget per block for this page
        await pilot.press("slash", *"moment")
        page = reader.page_view
        expected = len(re.findall("moment", text, re.IGNORECASE))
        assert page.drawn and page.match_count == expected > 100
        assert page.current_number == 1
        line = page.current_line
        assert CURRENT.bgcolor in styles_on(reader, line)
        await pilot.press("enter", "n", "n")
        assert page.current_number == 3 and page.current_line >= line
        assert page.scroll_offset.y <= page.current_line < page.scroll_offset.y + page.size.height
        assert CURRENT.bgcolor in styles_on(reader, page.current_line)
        on_screen = range(page.scroll_offset.y, page.scroll_offset.y + 20)
        others = [
            n for n in on_screen if n != page.current_line and MATCH.bgcolor in styles_on(reader, n)
        ]
        assert others  # every match on screen painted, not only the current one
        await pilot.press("N")
        assert page.current_number == 2
        await pilot.press("escape")
        assert page.match_count == 0 and not styles_on(reader, page.scroll_offset.y)
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, Contents)
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        heading = page.headings[3]
        assert heading.label.startswith("Section 3:")
        assert page.scroll_offset.y == heading.line


async def test_an_ordinary_page_is_searched_as_shown_not_as_written(make_app, data_dir: Path):
    (data_dir / "guide.md").write_text(
        "# Guide\n\nThe **bold** claim: see [the paper](https://paper.dev/hidden-word).\n\n"
        "Another bold claim here.\n\n- a list item with a bold claim\n"
    )
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(110, 30)) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        reader._go(("file", str(data_dir / "guide.md")))
        await pilot.pause()
        assert not reader.long_page
        await pilot.press("slash", *"bold claim")
        assert len(reader.matches) == 3  # "**bold** claim" as shown matches too
        blocks = list(reader.query_one(Markdown).query(MarkdownBlock))
        assert sum(block.has_class("-match") for block in blocks) == 3
        assert sum(block.has_class("-current-match") for block in blocks) == 1
        assert reader.query_one("#reader-search", Input).border_subtitle == "1 of 3"
        painted = {}  # each block's painted words, by their background
        for block in blocks:
            for strip in block.render_lines(block.region.reset_offset):
                for segment in strip:
                    if segment.style and segment.style.bgcolor:
                        colour = segment.style.bgcolor.triplet.hex
                        painted.setdefault(colour, []).append(segment.text)
        assert "".join(painted.get("#ff8c00", [])) == "bold claim"  # the current match
        assert "".join(painted.get("#ffff00", [])) == "bold claim" * 2  # the others, each word
        await pilot.press("ctrl+u", *"hidden-word")  # in a link's address, not on the page
        assert reader.matches == []


async def test_code_blocks_are_syntax_highlighted_in_both_views(make_app, data_dir: Path):
    """#15.12: a fenced block with a language is coloured by its syntax, on an ordinary
    page (Textual's Markdown) and on a long one (the PageView, with Rich)."""
    from textual.widgets._markdown import MarkdownFence

    code = "```python\ndef attend(q, k, v):\n    return softmax(q @ k.T) @ v\n```\n"
    short = data_dir / "short.md"
    short.write_text("# Code\n\n" + code)
    long = data_dir / "long.md"
    long.write_text("# Code\n\n" + code + "\n" + long_page(30_000))
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(110, 30)) as pilot:
        reader = app.screen.query_one(ReaderPane)
        await pilot.pause()
        reader._go(("file", str(short)))
        await pilot.pause()
        code_label = reader.query_one(MarkdownFence).query_one("#code-content")
        strips = code_label.render_lines(code_label.region.reset_offset)
        colours = {
            seg.style.color for strip in strips for seg in strip if seg.style and seg.style.color
        }
        assert len(colours) >= 3  # keywords, names and operators apart
        reader._go(("file", str(long)))
        await pilot.pause()
        assert reader.long_page
        page = reader.page_view
        lines = [page.render_line(y) for y in range(page.size.height)]
        row = next(n for n, strip in enumerate(lines) if "def attend" in strip.text)
        colours = {seg.style.color for seg in lines[row] if seg.style and seg.style.color}
        assert len(colours) >= 3
