"""A note of any non-cloze note type as deck Markdown, one card per card Anki made, each asking
what its template asks, and the fields no template shows kept beside it as comments."""

from collections.abc import Callable

from companion.content.anki_html import html_to_markdown
from companion.content.anki_templates import fields_shown, has_text, render_card
from companion.store.anki_package import AnkiCard, AnkiNote, NoteType

Side = Callable[[str, dict[str, str], bool], str]


def kept_fields(note: AnkiNote, notetype: NoteType, media: dict[str, str]) -> str:
    """Comment lines for the fields with text that no template shows (Anki keeps them; so do
    we, and they go back to Anki with the note)."""
    shown = fields_shown(notetype.formats)
    lines = []
    for name, value in zip(notetype.fields, note.fields, strict=False):
        if name in shown or not has_text(value):
            continue
        text = " ".join(html_to_markdown(value, media).split()).replace("-->", "--&gt;")
        lines.append(f"<!-- field {name}: {text} -->\n")
    return "".join(lines)


def templated_cards(
    note: AnkiNote, notetype: NoteType, cards: list[AnkiCard], media: dict[str, str], side: Side
) -> tuple[str, list[int], list[str]]:
    """The note's cards as `Q:`/`A:` blocks in template order, the number (ordinal + 1) of
    each, and the names of the fields typed-in cards check (those are written as plain
    questions and answers)."""
    fields = dict(zip(notetype.fields, note.fields, strict=False))
    blocks, numbers, typed = [], [], []
    for card in sorted(cards, key=lambda c: c.ord):
        if card.ord >= len(notetype.formats):
            continue
        _, question, answer = notetype.formats[card.ord]
        rendered = render_card(question, answer, fields)
        front = side(rendered.question, media, False) or "(empty)"
        back = side(rendered.answer, media, True) or "(empty)"
        blocks.append(f"Q: {front}\nA: {back}\n")
        numbers.append(card.ord + 1)
        if rendered.typed_field:
            typed.append(rendered.typed_field)
    return "".join(blocks), numbers, typed
