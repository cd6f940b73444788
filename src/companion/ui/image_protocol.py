"""How images are drawn in this terminal: Kitty's graphics protocol, Sixel, or coloured half
blocks.

The choice is made once, before Textual starts: textual-image asks the terminal for its cell
size in pixels and reads the answer from stdin, which Textual owns once it runs. Kitty and
Ghostty are known by the variables they set; otherwise the terminal is asked for its device
attributes, which every terminal answers (Kitty's own query is left alone: a terminal without
the protocol leaves it unanswered, which would cost every start a timeout and could swallow a
key).
"""

import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement

KITTY = "kitty"
SIXEL = "sixel"
HALF_BLOCKS = "halfblocks"
KITTY_CACHE = 32
"""Pictures kept uploaded to the terminal: a card shown again is not sent again."""

_chosen = HALF_BLOCKS
_uploaded: dict[tuple[Path, int, int, int], RenderableType] = {}


def choose_protocol(
    setting: str, env: Mapping[str, str], is_tty: bool, has_sixel: Callable[[], bool]
) -> str:
    """KITTY, SIXEL or HALF_BLOCKS for `image_protocol` = auto, kitty, sixel or halfblocks.

    Auto picks Kitty's protocol in Kitty and in Ghostty, which draw its Unicode placeholders;
    elsewhere Sixel when the terminal says it has it (`has_sixel`, asked last: WezTerm, foot,
    Konsole, xterm -ti vt340); half blocks otherwise. Never inside tmux, which drops both
    unless wrapped for passthrough (and textual-image does not wrap them).
    """
    if setting in (KITTY, SIXEL, HALF_BLOCKS):
        return setting
    if not is_tty or env.get("TMUX"):
        return HALF_BLOCKS
    if env.get("KITTY_WINDOW_ID") or env.get("TERM") == "xterm-kitty":
        return KITTY
    if env.get("TERM_PROGRAM") == "ghostty" or env.get("TERM") == "xterm-ghostty":
        return KITTY
    return SIXEL if has_sixel() else HALF_BLOCKS


def terminal_has_sixel() -> bool:
    """Ask the terminal for its attributes (DA1, which every terminal answers): Sixel is
    attribute 4. Only before Textual starts, which owns stdin from then on."""
    stream, keys = sys.__stdout__, sys.__stdin__
    if sys.platform == "win32" or not (stream and keys and stream.isatty() and keys.isatty()):
        return False  # no terminal to ask (input piped, say)
    import termios

    from textual_image._posix import PosixTerminalError
    from textual_image._terminal import TerminalError, capture_terminal_response

    try:
        with capture_terminal_response("\x1b[?", "c", timeout=0.2) as response:
            stream.write("\x1b[c")
            stream.flush()
    except (TerminalError, PosixTerminalError, TimeoutError, OSError, ValueError, termios.error):
        return False  # no answer, or a key typed into it: half blocks
    return "4" in response.sequence[len("\x1b[?") : -1].split(";")


def start(setting: str, env: Mapping[str, str]) -> str:
    """Choose the protocol for this run (before the app starts) and return it."""
    global _chosen
    stream = sys.__stdout__
    _chosen = choose_protocol(setting, env, bool(stream and stream.isatty()), terminal_has_sixel)
    if _chosen in (KITTY, SIXEL):
        # Imported now: textual-image asks the terminal about its protocols and cell size on
        # import, and caches the answers; once Textual runs it owns stdin and they would be lost.
        from textual_image import widget  # noqa: F401 - asks on import
        from textual_image._terminal import get_cell_size

        get_cell_size()
    return _chosen


def use(protocol: str) -> None:
    """Set the protocol directly (the app's tests, and headless runs)."""
    global _chosen
    _chosen = protocol


def chosen() -> str:
    """The protocol images are drawn with in this run."""
    return _chosen


def kitty_picture(path: Path, rows: int, columns: int) -> RenderableType:
    """The picture as Kitty placeholders, at most `rows` x `columns` cells, aspect kept; the
    image itself goes to the terminal once, when first drawn."""
    key = (path, path.stat().st_mtime_ns, rows, columns)  # a picture changed is sent again
    picture = _uploaded.get(key)
    if picture is None:
        from textual_image.renderable.tgp import Image as KittyImage

        picture = _Fitted(KittyImage(path, width="auto", height="auto"), rows, columns)
        if len(_uploaded) >= KITTY_CACHE:
            _uploaded.pop(next(iter(_uploaded)))
        _uploaded[key] = picture
    return picture


class _Fitted:
    """A picture scaled into at most `rows` x `columns` cells (a card has no height limit of
    its own: without one, a tall image would fill the screen)."""

    def __init__(self, inner: RenderableType, rows: int, columns: int) -> None:
        self.inner = inner
        self.rows = rows
        self.columns = columns

    def _box(self, options: ConsoleOptions) -> ConsoleOptions:
        return options.update(width=min(options.max_width, self.columns), height=self.rows)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from console.render(self.inner, self._box(options))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, self._box(options), self.inner)
