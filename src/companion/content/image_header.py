"""A picture opened for its header only, refused above a pixel count before anything is
decoded: Pillow reads the size without the pixels, and a 13,370 x 13,370 PNG of a few hundred
KB would decode to 715 MB."""

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image


@contextmanager
def opened_image(data: bytes, max_pixels: int) -> "Iterator[Image]":
    """The picture, opened lazily; ValueError (one line) when Pillow cannot read it or it
    has more than `max_pixels` pixels."""
    from PIL import Image  # imported when a picture is drawn, not at start-up

    try:
        with warnings.catch_warnings():  # our cap is lower than Pillow's, and checked next
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (OSError, Image.DecompressionBombError) as error:
        raise ValueError(f"not a picture Pillow can read ({error})") from None
    with image:
        if image.width * image.height > max_pixels:
            raise ValueError(f"{image.width}x{image.height} pixels, over {max_pixels:,} to draw")
        yield image
