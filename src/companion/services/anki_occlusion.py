"""An Image Occlusion note as image cards: for each of its cards, the picture with that
card's masks drawn (question) and revealed (answer), saved beside the note's image."""

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from companion.content.anki_html import html_to_markdown
from companion.content.image_occlusion import masked, occlusions
from companion.store.anki_package import AnkiNote

_IMAGE = re.compile(r"""<img[^>]*?src=["']?([^"'>]+?)["' >]""", re.IGNORECASE)


def occlusion_cards(
    note: AnkiNote,
    fields: dict[str, str],
    copied: dict[str, Path],
    deck_folder: Path,
    write: Callable[[Path, bytes], None],
) -> tuple[str, list[int]] | str:
    """The note's cards as deck Markdown and their cloze numbers in order, or why it cannot
    be drawn (one line). `write` saves each drawn image (the import's journal sees it)."""
    cards = occlusions(fields.get("Occlusion") or next(iter(fields.values()), ""))
    found = _IMAGE.search(fields.get("Image", ""))
    if not cards or found is None or found.group(1) not in copied:
        return "its image is missing"
    image_path = copied[found.group(1)]
    try:
        image = image_path.read_bytes()
    except OSError as error:
        return f"its image cannot be read ({error.strerror or error})"
    header = " ".join(html_to_markdown(fields.get("Header", "")).split())
    extra = " ".join(html_to_markdown(fields.get("Back Extra", "")).split())
    stem = "occlusion-" + hashlib.sha1(note.guid.encode()).hexdigest()[:12]
    blocks = []
    for number in sorted(cards):
        sides = []
        for side in ("question", "answer"):
            try:
                png = masked(image, cards, number, answer=side == "answer")
            except ValueError as error:
                return str(error)
            target = image_path.parent / f"{stem}-{number}-{side}.png"
            if not target.exists() or target.read_bytes() != png:
                write(target, png)
            relative = os.path.relpath(target, deck_folder)
            sides.append(f"![{header or 'image'}: part {number}]({relative})")
        question = f"{header}  \n{sides[0]}" if header else sides[0]
        answer = f"{sides[1]}  \n{extra}" if extra else sides[1]
        blocks.append(f"Q: {question}\nA: {answer}\n")
    return "".join(blocks), sorted(cards)
