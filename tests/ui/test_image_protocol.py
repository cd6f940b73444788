"""Kitty's graphics protocol for pictures on cards: chosen by the terminal's variables, drawn by
textual-image as Unicode placeholders in the card, the picture itself sent to the terminal."""

import base64
import re
import zlib
from pathlib import Path

import pytest

from companion.config import ConfigError, load_settings
from companion.ui import image_protocol
from companion.ui.image_protocol import HALF_BLOCKS, KITTY, SIXEL, choose_protocol

from .helpers import screen_text
from .test_review_edits import SIZE, _image_deck

PLACEHOLDER = chr(0x10EEEE)


@pytest.mark.parametrize(
    ("setting", "env", "tty", "sixel", "expected"),
    [
        ("auto", {"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "1"}, True, False, KITTY),
        ("auto", {"TERM_PROGRAM": "ghostty", "TERM": "xterm-ghostty"}, True, False, KITTY),
        ("auto", {"TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/d,1,0"}, True, True, HALF_BLOCKS),
        ("auto", {"TERM_PROGRAM": "WezTerm", "TERM": "xterm-256color"}, True, True, SIXEL),
        ("auto", {"TERM": "xterm"}, True, True, SIXEL),  # xterm -ti vt340 says so in DA1
        ("auto", {"TERM": "xterm-256color"}, True, False, HALF_BLOCKS),
        ("auto", {"TERM": "xterm-kitty"}, False, True, HALF_BLOCKS),  # piped: no terminal
        ("kitty", {"TERM": "xterm-256color", "TMUX": "x"}, True, False, KITTY),  # as told
        ("sixel", {"TERM": "xterm-256color"}, True, False, SIXEL),
        ("halfblocks", {"TERM": "xterm-kitty"}, True, True, HALF_BLOCKS),
    ],
)
def test_the_protocol_is_chosen_by_the_terminals_variables_then_its_answer(
    setting, env, tty, sixel, expected
):
    asked = []

    def has_sixel() -> bool:
        asked.append(True)
        return sixel

    assert choose_protocol(setting, env, tty, has_sixel) == expected
    if expected == KITTY or not tty or "TMUX" in env or setting != "auto":
        assert not asked  # the terminal is asked only when nothing else decides


def test_an_unknown_protocol_in_the_settings_is_one_line_naming_the_choices(tmp_path: Path):
    (tmp_path / "config.toml").write_text('image_protocol = "iterm"\n')
    with pytest.raises(ConfigError) as raised:
        load_settings(tmp_path)
    assert "'image_protocol' should be one of auto, kitty, sixel, halfblocks" in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.fixture
def kitty():
    image_protocol.use(KITTY)
    yield
    image_protocol.use(HALF_BLOCKS)


async def test_in_kitty_a_card_shows_its_picture_as_placeholders_and_sends_it_once(
    make_app, data_dir: Path, capfd, kitty
):
    _image_deck(data_dir)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert PLACEHOLDER in text and "▀" not in text  # pixels, not half blocks
        assert "a blue and red flag" in text
        await pilot.press("space")  # the answer side: the same picture, drawn again
        await pilot.pause()
    sent = capfd.readouterr().out
    uploads = re.findall(r"\x1b_G([^;]*);([^\x1b]*)\x1b\\", sent)
    transmit = [(keys, data) for keys, data in uploads if "f=100" in keys]
    assert transmit, "the picture never reached the terminal"
    png = base64.b64decode("".join(data for _, data in transmit))
    assert png.startswith(b"\x89PNG")  # a PNG the terminal decodes itself
    assert zlib.crc32(png)  # whole: base64 decoded without error
    ids = {re.search(r"i=(\d+)", keys).group(1) for keys, _ in transmit}
    assert len(ids) == 1  # sent once, whichever side shows it
    assert re.search(r"a=p,i=\d+,c=\d+,r=\d+,U=1", sent)  # placed as Unicode placeholders


async def assert_a_broken_picture_says_so(make_app, data_dir: Path) -> None:  # noqa: ANN001
    (data_dir / "media" / "flag.png").write_bytes(b"not an image at all")
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "cannot draw flag.png" in " ".join(screen_text(app).split())


async def test_in_kitty_a_broken_picture_still_says_so_in_one_line(make_app, data_dir: Path, kitty):
    _image_deck(data_dir)
    await assert_a_broken_picture_says_so(make_app, data_dir)


async def test_in_kitty_a_picture_in_a_page_in_the_reader_is_drawn_the_same_way(
    make_app, data_dir: Path, capfd, kitty
):
    from .test_reader_images import open_page

    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_page(pilot, data_dir)
        await pilot.pause()
        text = screen_text(app)
        assert PLACEHOLDER in text and "Attention weights as a heat map" in text
    assert "f=100" in capfd.readouterr().out


@pytest.fixture
def sixel():
    image_protocol.use(SIXEL)
    yield
    image_protocol.use(HALF_BLOCKS)


def _sixel_data(widget) -> str:
    """What the picture writes to the terminal: the strips' control segments."""
    from textual.geometry import Region

    inner = widget.children[0]
    strips = inner.render_lines(Region(0, 0, inner.size.width, inner.size.height))
    return "".join(seg.text for strip in strips for seg in strip)


async def test_with_sixel_a_cards_picture_is_a_widget_under_its_side(
    make_app, data_dir: Path, sixel
):
    from textual_image.widget import SixelImage

    from companion.ui.widgets.pictures import Pictures

    from .helpers import wait_for

    _image_deck(data_dir)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        front = app.screen.query_one("#review-front-pictures", Pictures)
        assert front.display and "▀" not in screen_text(app)
        picture = front.query_one(SixelImage)
        assert await wait_for(pilot, lambda: picture.region.height == 12)
        assert "\x1bP" in _sixel_data(picture)  # a Sixel sequence (DCS), pixels not cells
        assert "a blue and red flag" in screen_text(app)
        back = app.screen.query_one("#review-back-pictures", Pictures)
        assert not back.display  # the answer side is not shown yet
        await pilot.press("space")
        await pilot.pause()
        assert not back.display  # the answer has no picture of its own
    await assert_a_broken_picture_says_so(make_app, data_dir)


async def test_with_sixel_a_picture_in_a_page_is_a_widget_in_its_place(
    make_app, data_dir: Path, sixel
):
    from textual_image.widget import SixelImage

    from .helpers import wait_for
    from .test_reader_images import open_page

    app = make_app(bundled=False, pane="reader")
    async with app.run_test(size=(100, 40)) as pilot:
        reader = await open_page(pilot, data_dir)
        assert await wait_for(pilot, lambda: bool(reader.query(SixelImage)))
        picture = reader.query_one(SixelImage)
        assert await wait_for(pilot, lambda: picture.region.height == 12)
        assert "\x1bP" in _sixel_data(picture)
        text = screen_text(app)
        assert "Attention weights as a heat map" in text and "▀" not in text


async def test_with_sixel_a_picture_of_too_many_pixels_is_named_and_never_decoded(
    make_app, data_dir: Path, sixel
):
    """Sixel decodes the whole file: a 13,370² PNG of a few hundred bytes is refused from its
    header (#28: 1.4 GB at each reveal)."""
    from textual_image.widget import SixelImage

    from companion.ui.widgets.pictures import Pictures

    from .test_review_edits import _png_header

    (data_dir / "decks" / "huge.png").write_bytes(_png_header(13_370, 13_370))
    (data_dir / "decks" / "img.md").write_text("Q: What is drawn?\n![huge](huge.png)\nA: It.\n")
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        front = app.screen.query_one("#review-front-pictures", Pictures)
        assert not front.query(SixelImage)
        text = " ".join(screen_text(app).split())
        assert "cannot draw huge.png (13370x13370 pixels, over 40,000,000 to draw)" in text
