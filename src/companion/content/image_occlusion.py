"""Anki's Image Occlusion notes as pictures: the masks of each card drawn over its image.

An occlusion note's first field holds its shapes as clozes, e.g.
`{{c2::image-occlusion:rect:left=.2:top=.3:width=.2:height=.15:oi=1}}`: the cloze number is
the card, positions are fractions of the image's size (older notes: pixels), and `oi=1` means
"hide all, guess one" (the other shapes stay masked on both sides). As in Anki, the shape
asked about is filled in red on the question and outlined on the answer; the others, when
hidden, are filled in yellow.
"""

import io
import re
from dataclasses import dataclass

from PIL import ImageDraw

from companion.content.image_header import opened_image

_SHAPE = re.compile(r"\{\{c(\d+)::image-occlusion:(\w+):([^}]*)\}\}")
ACTIVE, INACTIVE, OUTLINE = (255, 142, 142), (255, 235, 162), (212, 43, 43)
MAX_PIXELS = 16_000_000  # a picture larger than this is not drawn


@dataclass(frozen=True)
class Shape:
    """One mask: its kind (rect, ellipse, polygon), its numbers, and whether the other masks
    are hidden too when it is asked about."""

    kind: str
    values: dict[str, str]
    hide_all: bool


def occlusions(text: str) -> dict[int, list[Shape]]:
    """The shapes of each card (cloze number -> its masks); {} when `text` holds none."""
    cards: dict[int, list[Shape]] = {}
    for number, kind, raw in _SHAPE.findall(text):
        values = dict(part.split("=", 1) for part in raw.split(":") if "=" in part)
        cards.setdefault(int(number), []).append(Shape(kind, values, values.get("oi") == "1"))
    return cards


def is_occlusion(text: str) -> bool:
    """Whether a field holds Image Occlusion shapes."""
    return _SHAPE.search(text) is not None


def _number(shape: Shape, name: str, size: int) -> float:
    try:
        value = float(shape.values.get(name, "0"))
    except ValueError:
        return 0.0
    return value * size if value <= 1 else value  # fractions, or pixels in older notes


def _outline(shape: Shape, width: int, height: int) -> list[tuple[float, float]] | None:
    left, top = _number(shape, "left", width), _number(shape, "top", height)
    if shape.kind == "rect":
        right = left + _number(shape, "width", width)
        bottom = top + _number(shape, "height", height)
        return [(left, top), (right, bottom)]
    if shape.kind == "ellipse":
        rx, ry = _number(shape, "rx", width), _number(shape, "ry", height)
        return [(left, top), (left + 2 * rx, top + 2 * ry)]
    if shape.kind == "polygon":
        points = []
        for pair in shape.values.get("points", "").split():
            x, _, y = pair.partition(",")
            try:
                points.append((float(x) * (width if float(x) <= 1 else 1),
                               float(y) * (height if float(y) <= 1 else 1)))  # fmt: skip
            except ValueError:
                return None
        return points if len(points) >= 3 else None
    return None  # text labels and unknown shapes are left undrawn


def _draw(draw: ImageDraw.ImageDraw, shape: Shape, box: list, fill, outline, width: int) -> None:  # type: ignore[no-untyped-def]
    if shape.kind == "ellipse":
        draw.ellipse(box, fill=fill, outline=outline, width=width)
    elif shape.kind == "polygon":
        draw.polygon(box, fill=fill, outline=outline, width=width)
    else:
        draw.rectangle(box, fill=fill, outline=outline, width=width)


def masked(image: bytes, cards: dict[int, list[Shape]], number: int, answer: bool) -> bytes:
    """The picture of card `number`'s question (or answer) as PNG bytes.

    Raises ValueError for a picture Pillow cannot read or one too large to draw."""
    with opened_image(image, MAX_PIXELS) as opened:
        try:
            picture = opened.convert("RGB")
        except OSError as error:
            raise ValueError(f"not a picture Pillow can read ({error})") from None
    draw = ImageDraw.Draw(picture)
    width, height = picture.size
    line = max(1, round(min(width, height) / 150))  # an outline that never hides the shape
    asked = cards.get(number, [])
    hide_others = any(shape.hide_all for shape in asked)
    for other, shapes in cards.items():
        if other == number or not hide_others:
            continue
        for shape in shapes:
            if (box := _outline(shape, width, height)) is not None:
                _draw(draw, shape, box, INACTIVE, OUTLINE, line)
    for shape in asked:
        if (box := _outline(shape, width, height)) is not None:
            _draw(draw, shape, box, None if answer else ACTIVE, OUTLINE, line)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()
