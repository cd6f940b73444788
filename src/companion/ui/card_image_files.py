"""Which files a card may show as its images: a card's text is untrusted (an Anki package
writes it), so an image must be a regular file in the folder of the card's deck (or below
it) or in the data directory's media/. Anything else is named in one line, never opened: a
FIFO or /dev/tty blocked the app at every start, and `../../secret.png` or an absolute path
drew files from anywhere."""

import stat
from pathlib import Path

from companion.files import MB

MAX_IMAGE_BYTES = 20 * MB
MAX_IMAGE_PIXELS = 40_000_000
"""Larger images are refused before they are decoded (a 13,370² PNG took 1.4 GB to draw)."""


def image_roots(folder: Path) -> list[Path]:
    """The folders a card of a deck in `folder` may take images from."""
    roots = [folder]
    for parent in (folder, *folder.parents):
        if parent.name == "decks":
            roots.append(parent.parent / "media")
            break
    return roots


def image_problem(path: Path, folder: Path) -> str | None:
    """Why the card in `folder` may not show `path` (in a few words), or None. Nothing is
    opened: a FIFO or a device is known by its type."""
    try:
        real = path.resolve(strict=True)
        info = real.stat()
    except (OSError, RuntimeError):
        return "missing"
    if not any(real.is_relative_to(root.resolve()) for root in image_roots(folder)):
        return "outside its deck's folder and media/: not shown"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file: not shown"
    if info.st_size > MAX_IMAGE_BYTES:
        return f"over {MAX_IMAGE_BYTES // MB} MB"
    return None
