"""A card side as Markdown in the terminal: bold, italics, code (highlighted), lists, tables.

Card text is untrusted: escape sequences and control characters are removed before it is
parsed, and Rich's Markdown never reads square brackets as markup. What a cloze hid is marked
with two zero-width characters before rendering and shown highlighted on the answer side.
"""

import re
from pathlib import Path
from urllib.parse import unquote

from rich.color import Color
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.markdown import Markdown
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from companion.content.deck import Card, cloze_answer
from companion.content.image_header import opened_image
from companion.content.latex import render_math
from companion.files import read_file
from companion.text import clean_text, shortened, size_words
from companion.ui import image_protocol
from companion.ui.card_image_files import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, image_problem

MARK_START, MARK_END = "\u2060", "\u2063"  # zero-width: they never change the layout
HIDDEN_STYLE = Style(bold=True, color="black", bgcolor="cyan")
CODE_THEME = "monokai"
MAX_SHOWN_CHARS = 10_000
MAX_SHOWN_LINES = 400


def strip_marks(text: str) -> str:
    """The learner's text with any stray mark characters removed (they would highlight)."""
    return text.replace(MARK_START, "").replace(MARK_END, "")


class CardMarkdown:
    """Renders Markdown; text between MARK_START and MARK_END is highlighted."""

    def __init__(self, text: str) -> None:
        self.markdown = Markdown(clean_text(text), code_theme=CODE_THEME, hyperlinks=False)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        inside = False
        for segment in console.render(self.markdown, options):
            text, style, control = segment
            if control or (MARK_START not in text and MARK_END not in text):
                yield Segment(text, _highlighted(style) if inside else style, control)
                continue
            piece = ""
            for char in text:
                if char in (MARK_START, MARK_END):
                    if piece:
                        yield Segment(piece, _highlighted(style) if inside else style)
                    piece, inside = "", char == MARK_START
                else:
                    piece += char
            if piece:
                yield Segment(piece, _highlighted(style) if inside else style)


def _highlighted(style: Style | None) -> Style:
    return (style or Style()) + HIDDEN_STYLE


def answer_side(card: Card) -> str:
    """The back of a card; a cloze's with what it hid marked, to be highlighted."""
    if card.cloze_text is None:
        return card.back
    marked = cloze_answer(strip_marks(card.cloze_text), card.cloze_number, (MARK_START, MARK_END))
    return f"{marked}\n\n{card.extra}" if card.extra else marked


IMAGE_LINE = re.compile(r"^\s*!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+)\)\s*$")
IMAGE_HEIGHT = 12  # cells: an image on a card is a reminder, not a poster
IMAGE_WIDTH = 60


class ImageError(Exception):
    """Pillow could not read an image (a decompression bomb, say)."""


class HalfBlockImage:
    """An image in coloured half blocks: each cell shows two pixels, its upper one as the
    foreground of `▀` and its lower one as the background, so pixels stay square.

    Drawn here rather than with textual-image's half cells, whose import asks the terminal
    for its cell size and graphics support by writing escape sequences (and failed on a
    terminal that reports no pixel size): nothing but the cells is ever written. textual-image
    draws real pixels where Kitty's protocol is chosen (see image_protocol).
    """

    def __init__(self, path: Path, rows: int, columns: int) -> None:
        key = (path, path.stat().st_mtime_ns, rows, columns)
        found = _drawn.get(key)  # decoded once: a reveal draws it again at once
        if found is None:
            found = _half_blocks(path, rows, columns)
            if len(_drawn) >= DRAWN_KEPT:
                _drawn.pop(next(iter(_drawn)))
            _drawn[key] = found
        self.width, self.rows = found

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = min(self.width, options.max_width)
        for upper, lower in zip(self.rows[::2], self.rows[1::2], strict=True):
            for top, bottom in zip(upper[:width], lower[:width], strict=True):
                yield Segment(
                    "▀", Style(color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom))
                )
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)


DRAWN_KEPT = 32
_drawn: dict[tuple, tuple[int, list]] = {}


def _half_blocks(path: Path, rows: int, columns: int) -> tuple[int, list]:
    """The picture's width and its rows of pixels, read without blocking (a FIFO put in
    its place), refused above MAX_IMAGE_PIXELS before it is decoded."""
    from PIL import Image  # imported when a card shows an image, not at start-up

    data = read_file(path, MAX_IMAGE_BYTES)
    try:
        with opened_image(data, MAX_IMAGE_PIXELS) as image:
            image.draft("RGB", (columns, rows))  # a JPEG decodes at a fraction of its size
            image.thumbnail((columns, rows))  # down, keeping its shape; then a small
            scale = min(columns / image.width, rows / image.height)  # one up, blocky
            size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
            picture = image.convert("RGB").resize(size, Image.Resampling.NEAREST)
    except (ValueError, OSError, Image.DecompressionBombError) as error:
        raise ImageError(str(error)) from None
    width, height = picture.size
    data = picture.tobytes()
    pixels = [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]
    if height % 2:
        pixels += [(0, 0, 0)] * width
        height += 1
    return width, [pixels[y * width : (y + 1) * width] for y in range(height)]


def _kitty_picture(path: Path) -> RenderableType:
    from PIL import Image

    try:
        return image_protocol.kitty_picture(path, IMAGE_HEIGHT, IMAGE_WIDTH)
    except Image.DecompressionBombError as error:
        raise ImageError(str(error)) from None


def card_images(text: str, folder: Path) -> list[tuple[str, Path]]:
    """The images a card side shows on lines of their own, as (alt text, file): those it
    may show (see card_image_files)."""
    found = []
    for line in text.split("\n"):
        match = IMAGE_LINE.match(line)
        if match and "://" not in match["path"]:
            path = folder / unquote(match["path"])
            if image_problem(path, folder) is None:
                found.append((match["alt"], path))
    return found


def image_renderable(
    alt: str, path: Path, draw: bool, opens: str = "o opens", folder: Path | None = None
) -> RenderableType:
    """The image drawn in coloured half blocks with its alt text under it; where it cannot be
    drawn (images off, the file missing or not an image), its alt text and the key to open it;
    one the card may not show (`folder`: its deck's), its alt text and why."""
    if folder is not None and (problem := image_problem(path, folder)):
        return Text(clean_text(f"🖼 {alt or path.name}: {path.name} {problem}"), "dim")
    if draw:
        try:
            if path.stat().st_size <= MAX_IMAGE_BYTES:
                if image_protocol.chosen() == image_protocol.KITTY:
                    picture = _kitty_picture(path)
                else:
                    picture = HalfBlockImage(path, IMAGE_HEIGHT * 2, IMAGE_WIDTH)
                return Group(picture, Text(clean_text(alt), "dim italic"))
        except (OSError, ValueError, ImageError) as error:
            return Text(
                clean_text(f"🖼 {alt or path.name}: cannot draw {path.name} ({error})"), "dim"
            )
    return Text(clean_text(f"🖼 {alt or path.name}  ({opens} {path.name})"), "dim")


def card_side(text: str, folder: Path | None = None, draw_images: bool = True):
    """One side of a card as Markdown, an image on a line of its own drawn in its place, cut
    to what a screen can lay out at once (a 10 MB line froze the app for minutes), saying so
    when it is cut."""
    shown, cut = shortened(text, MAX_SHOWN_CHARS, MAX_SHOWN_LINES)
    parts: list[RenderableType] = []
    if cut:
        parts.append(
            Text(
                f"Shown in part: this side is {size_words(len(text))}; shorten it in its deck.",
                "bold yellow",
            )
        )
    chunk: list[str] = []
    for line in (shown + (" …" if cut else "")).split("\n"):
        match = IMAGE_LINE.match(line) if folder is not None else None
        if match and "://" not in match["path"]:
            if chunk:
                parts.append(CardMarkdown(render_math("\n".join(chunk))))
                chunk = []
            if not (draw_images and image_protocol.chosen() == image_protocol.SIXEL):
                path = folder / unquote(match["path"])
                parts.append(image_renderable(match["alt"], path, draw_images, folder=folder))
            # (with Sixel, a Pictures widget under the side draws it: see widgets.pictures)
        else:
            chunk.append(line)
    if chunk:
        parts.append(CardMarkdown(render_math("\n".join(chunk))))
    if not parts:
        return Text("")
    return parts[0] if len(parts) == 1 else Group(*parts)
