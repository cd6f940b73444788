"""Pictures as widgets, for Sixel: its pixels are written where the widget sits on screen, so
unlike Kitty's placeholders they cannot live inside a Static's text (textual-image draws them)."""

from pathlib import Path

from rich.text import Text
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from companion.content.image_header import opened_image
from companion.files import read_file
from companion.text import clean_text
from companion.ui import image_protocol
from companion.ui.card_image_files import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
from companion.ui.card_markdown import IMAGE_HEIGHT


class Pictures(Vertical):
    """Each (alt text, file) as a picture with its alt text under it; a file that cannot be
    drawn says so in one line. Empty, and hidden, unless Sixel is the protocol."""

    DEFAULT_CSS = f"""
    Pictures {{ height: auto; display: none; }}
    Pictures > .picture {{ height: {IMAGE_HEIGHT}; width: auto; }}
    Pictures > .picture-alt {{ height: auto; }}
    """

    def __init__(self, pictures: list[tuple[str, Path]] | None = None, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self._initial = pictures or []

    def on_mount(self) -> None:
        if self._initial:
            self.show(self._initial)

    def show(self, pictures: list[tuple[str, Path]]) -> None:
        """Replace what is shown."""
        self.remove_children()
        wanted = image_protocol.chosen() == image_protocol.SIXEL and bool(pictures)
        self.display = wanted
        if wanted:
            self.mount_all([part for alt, path in pictures for part in _picture(alt, path)])


def _picture(alt: str, path: Path) -> list[Widget]:
    from PIL import Image
    from textual_image.widget import SixelImage

    caption = Static(Text(clean_text(alt), "dim italic"), classes="picture-alt")
    try:
        with opened_image(read_file(path, MAX_IMAGE_BYTES), MAX_IMAGE_PIXELS):
            pass  # refused above the pixel cap from its header, before Sixel decodes it all
        return [SixelImage(path, classes="picture"), caption]
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        words = f"🖼 {alt or path.name}: cannot draw {path.name} ({error})"
        return [Static(Text(clean_text(words), "dim"), classes="picture-alt")]
