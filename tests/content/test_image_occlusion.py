"""Image Occlusion shapes read from Anki's cloze text and drawn as Anki draws them."""

import io

import pytest
from PIL import Image

from companion.content.image_occlusion import ACTIVE, INACTIVE, masked, occlusions

TEXT = (
    "{{c1::image-occlusion:rect:left=.1:top=.1:width=.3:height=.3:oi=1}}<br>"
    "{{c2::image-occlusion:ellipse:left=.6:top=.6:rx=.1:ry=.1:oi=1}}<br>"
    "{{c2::image-occlusion:polygon:left=.5:top=.1:points=.5,.1 .9,.1 .7,.4:oi=1}}"
)


def picture(size=(200, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 60, 200)).save(out, "PNG")
    return out.getvalue()


def pixel(png: bytes, x: float, y: float) -> tuple:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.getpixel((int(x * image.width), int(y * image.height)))


def test_shapes_are_grouped_by_the_card_they_ask():
    cards = occlusions(TEXT)
    assert sorted(cards) == [1, 2]
    assert [s.kind for s in cards[2]] == ["ellipse", "polygon"]
    assert all(s.hide_all for shapes in cards.values() for s in shapes)
    assert occlusions("no shapes here") == {}


def test_the_question_fills_its_part_in_red_and_hides_the_others_in_yellow():
    cards = occlusions(TEXT)
    question = masked(picture(), cards, 1, answer=False)
    assert pixel(question, 0.25, 0.25) == ACTIVE
    assert pixel(question, 0.7, 0.7) == INACTIVE  # the ellipse of card 2
    assert pixel(question, 0.95, 0.9) == (20, 60, 200)  # outside every shape


def test_the_answer_reveals_its_part_and_keeps_the_others_hidden():
    cards = occlusions(TEXT)
    answer = masked(picture(), cards, 1, answer=True)
    assert pixel(answer, 0.25, 0.25) == (20, 60, 200)
    assert pixel(answer, 0.7, 0.7) == INACTIVE


def test_hide_one_leaves_the_other_parts_visible():
    cards = occlusions(TEXT.replace("oi=1", "oi=0"))
    question = masked(picture(), cards, 1, answer=False)
    assert pixel(question, 0.25, 0.25) == ACTIVE
    assert pixel(question, 0.7, 0.7) == (20, 60, 200)


def test_a_broken_or_huge_picture_is_one_line():
    with pytest.raises(ValueError, match="not a picture"):
        masked(b"not a png", occlusions(TEXT), 1, answer=False)
    with pytest.raises(ValueError, match="over 16,000,000 to draw"):
        masked(picture((5000, 4000)), occlusions(TEXT), 1, answer=False)
