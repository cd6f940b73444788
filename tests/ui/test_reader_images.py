"""Images in the Reader (#15.12, #14.2): an image on a line of its own, from a file on disk,
is drawn in half blocks under its alt text, as on cards; with images off, its alt text and a
click to open it."""

from pathlib import Path

from PIL import Image
from textual.widgets import Static

from companion.ui.panes.reader import ReaderPane

from .helpers import screen_text, wait_for

PAGE = (
    "# Attention\n\nHow the heads look:\n\n![Attention weights as a heat map](heat.png)\n\nEnd.\n"
)


def write_page(data_dir: Path) -> Path:
    picture = Image.new("RGB", (40, 20), (200, 30, 30))
    picture.paste((30, 30, 200), (20, 0, 40, 20))  # red on the left, blue on the right
    picture.save(data_dir / "heat.png")
    page = data_dir / "attention.md"
    page.write_text(PAGE)
    return page


async def open_page(pilot, data_dir: Path) -> ReaderPane:  # noqa: ANN001 - Textual's Pilot
    """The page with its picture opened in the Reader, once its picture is mounted."""
    page = write_page(data_dir)
    reader = pilot.app.screen.query_one(ReaderPane)
    await pilot.pause()
    reader._go(("file", str(page)))
    assert await wait_for(pilot, lambda: bool(reader.query(".reader-image")))
    return reader


def colours(widget: Static) -> set:
    strips = widget.render_lines(widget.region.reset_offset)
    return {
        seg.style.color.triplet
        for strip in strips
        for seg in strip
        if seg.style and seg.style.color
    }


async def test_an_image_in_a_page_is_drawn_in_half_blocks(make_app, data_dir: Path):
    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(100, 40)) as pilot:
        reader = await open_page(pilot, data_dir)
        image = reader.query_one(".reader-image", Static)
        assert await wait_for(pilot, lambda: image.region.height > 0)  # laid out
        drawn = colours(image)
        assert (200, 30, 30) in drawn and (30, 30, 200) in drawn, (image.region, drawn)
        assert "▀" in screen_text(app) and "Attention weights as a heat map" in screen_text(app)


async def test_with_images_off_the_alt_text_and_how_to_open_it(make_app, data_dir: Path):
    app = make_app(bundled=False, pane="reader", card_images=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_page(pilot, data_dir)
        text = screen_text(app)
        assert (
            "▀" not in text
            and "Attention weights as a heat map  (a click above opens heat.png)" in text
        )
