"""Cards as Anki notes for export: Basic, Basic (and reversed card) and Cloze (with its Back
Extra), fields as HTML with math as MathJax, the deck, tags and the note's GUID kept, so a
round trip through Anki loses nothing."""

import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import quote, unquote

from markdown_it import MarkdownIt

from companion.content.anki_html import source_note
from companion.content.deck import Card, deck_name

_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
_SRC = re.compile(r'src="([^"]*)"')
_UNNUMBERED = re.compile(r"\{\{(?!c\d+::)(.*?)\}\}")
_markdown = MarkdownIt("commonmark").enable("table")


@dataclass
class ExportNote:
    """One Anki note to write."""

    kind: str  # "basic", "reversed" or "cloze"
    fields: list[str]
    deck: str
    tags: list[str]
    guid: str
    images: list[str] = field(default_factory=list)
    """The image files the note shows."""
    cards: list[tuple[str, int]] = field(default_factory=list)
    """The companion cards the note's Anki cards are, with their template ordinals."""


def field_html(markdown: str) -> str:
    """A card side as Anki field HTML: Markdown rendered, `$x$` as `\\(x\\)`, `$$x$$` as
    `\\[x\\]`, images by file name (Anki keeps media flat)."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        display, inline = match.group(1), match.group(2)
        kept.append(f"\\[{display}\\]" if display is not None else f"\\({inline}\\)")
        return f"\ue000{len(kept) - 1}\ue001"

    text = _MATH.sub(keep, markdown)
    text = _IMAGE.sub(lambda m: f"![]({quote(unquote(m.group(1)).rsplit('/', 1)[-1])})", text)
    rendered = _markdown.render(text).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]  # one paragraph: Anki's fields hold no <p>
    rendered = rendered.replace("\n", "<br>") if "<pre>" not in rendered else rendered
    rendered = re.sub("\ue000(\\d+)\ue001", lambda m: kept[int(m.group(1))], rendered)
    # Anki names media as the files are named (spaces and accents), never percent-encoded
    rendered = _SRC.sub(lambda m: f'src="{html.escape(unquote(m.group(1)))}"', rendered)
    return rendered + source_note(markdown, rendered) if markdown.strip() else rendered


def numbered_cloze(sentence: str) -> str:
    """Anki needs numbered clozes: `{{text}}` becomes `{{cN::text}}` after the highest number."""
    numbers = [int(n) for n in re.findall(r"\{\{c(\d+)::", sentence)]
    counter = iter(range(max(numbers, default=0) + 1, 10_000))
    return _UNNUMBERED.sub(lambda m: f"{{{{c{next(counter)}::{m.group(1)}}}}}", sentence)


def guid_for(card: Card) -> str:
    """The note's GUID: Anki's when it came from Anki, else one made from the card's id
    (stable, so exporting again updates the same notes in Anki)."""
    if card.anki_guid:
        return card.anki_guid
    return "cmp" + hashlib.sha1(card.id.encode()).hexdigest()[:10]


def _images(card: Card, text: str) -> list[str]:
    """The images a card shows, as paths from its deck's folder (web images left out)."""
    folder = PurePath(card.source).parent
    return [str(folder / unquote(t)) for t in _IMAGE.findall(text) if "://" not in t]


def export_notes(cards: list[Card]) -> list[ExportNote]:
    """One note per cloze sentence, per card and its reverse, and per other card."""
    notes: list[ExportNote] = []
    clozes: dict[tuple, ExportNote] = {}
    by_guid: dict[str, ExportNote] = {}
    for card in cards:
        deck = deck_name(card.source) if card.source else "companion"
        if card.cloze_text is not None:
            number = card.cloze_number
            if card.note_key in clozes:
                note = clozes[card.note_key]
                ordinal = int(number) - 1 if number.isdigit() else len(note.cards)
                note.cards.append((card.id, ordinal))
                continue
            sentence = numbered_cloze(card.cloze_text)
            fields = [field_html(sentence), field_html(card.extra) if card.extra else ""]
            images = _images(card, card.cloze_text + card.extra)
            note = ExportNote("cloze", fields, deck, list(card.tags), guid_for(card), images)
            note.cards.append((card.id, int(number) - 1 if number.isdigit() else 0))
            clozes[card.note_key] = note
            notes.append(note)
            continue
        guid = guid_for(card)
        earlier = by_guid.get(guid) if card.anki_guid else None
        if earlier is not None and earlier.kind == "basic":
            earlier.kind = "reversed"  # the reverse of a card already written
            earlier.cards.append((card.id, 1))
            continue
        note = ExportNote(
            "basic",
            [field_html(card.front), field_html(card.back)],
            deck,
            list(card.tags),
            guid,
            _images(card, card.front + "\n" + card.back),
        )
        note.cards.append((card.id, 0))
        by_guid[guid] = note
        notes.append(note)
    return notes
