"""Anki notes as deck Markdown: any non-cloze note type one card per card Anki made, each
asking what its template asks (fields no template shows kept beside it as comments); clozes
with their Back Extra; Image Occlusion drawn; and which Anki card each companion card is."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from companion.content.anki_guid import guid_marker
from companion.content.anki_html import html_to_markdown
from companion.content.anki_templates import fields_shown, has_text, render_card
from companion.content.deck import TYPED_MARK, format_card, parse_deck, starts_card
from companion.content.image_occlusion import is_occlusion
from companion.services.anki_report import ImportReport
from companion.store.anki_origins import KeptNote
from companion.store.anki_package import AnkiCard, AnkiNote, AnkiPackage, NoteType
from companion.text import clean_text

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
    each, and the names of the fields typed-in cards check (their cards are marked so)."""
    fields = dict(zip(notetype.fields, note.fields, strict=False))
    blocks, numbers, typed = [], [], []
    for card in sorted(cards, key=lambda c: c.ord):
        if card.ord >= len(notetype.formats):
            continue
        _, question, answer = notetype.formats[card.ord]
        rendered = render_card(question, answer, fields)
        front = side(rendered.question, media, False) or "(empty)"
        back = side(rendered.answer, media, True) or "(empty)"
        mark = f"{TYPED_MARK}\n" if rendered.typed_field else ""
        blocks.append(f"{mark}Q: {front}\nA: {back}\n")
        numbers.append(card.ord + 1)
        if rendered.typed_field:
            typed.append(rendered.typed_field)
    return "".join(blocks), numbers, typed


@dataclass
class NoteText:
    """A note as Markdown, and which of its Anki cards each of its companion cards is."""

    note: AnkiNote
    deck: str
    block: str
    cards: list[tuple[AnkiCard, str]]
    numbers: list[int] | None = None
    kept_as_is: bool = False
    """Exactly as the last import kept it (id, fields, tags, type, time, cards)."""


def _side(value: str, media: dict[str, str], answer: bool = False) -> str:
    """A field as Markdown that stays inside one Q:/A: block: a question holds no blank line;
    an answer keeps those before a line that cannot start a card."""
    lines, fenced = [], False
    source = html_to_markdown(value, media).split("\n")
    for index, line in enumerate(source):
        if line.startswith("```"):
            fenced = not fenced
        following = source[index + 1] if index + 1 < len(source) else ""
        if line.strip() or fenced or (answer and following and not starts_card(following)):
            lines.append(line)
    fenced = False
    for index in range(len(lines) - 1):  # a line break the learner made stays one
        line, following = lines[index], lines[index + 1]
        if line.startswith("```"):
            fenced = not fenced
        if fenced or line.startswith("|"):
            continue  # code and tables keep their lines as they are
        plain = line.strip() and not line.startswith(("```", "- ", "  ")) and not line[:1].isdigit()
        hard_break = following.strip() and not following.startswith(("- ", "```"))
        if plain and hard_break and not line.endswith("  "):
            lines[index] += "  "
    return "\n".join(lines)


def _one_line(value: str, media: dict[str, str]) -> str:
    return " ".join(html_to_markdown(value, media).split())


def _head(note: AnkiNote) -> str:
    """The lines above a note's cards: its GUID, and its tags."""
    head = f"<!-- anki: {guid_marker(note.guid)} -->\n"
    if note.tags:
        head += f"<!-- tags: {' '.join(note.tags)} -->\n"
    return head


def _note_text(
    note: AnkiNote, notetype: NoteType, cards: list[AnkiCard], media: dict[str, str]
) -> tuple[str, list[str]]:
    """The Markdown of a note and what had to be approximated (one word per kind)."""
    fields = [*note.fields, "", ""]
    head = _head(note)
    approximated = []
    if notetype.cloze:
        extra = _one_line(fields[1], media) if len(note.fields) > 1 else ""
        body = format_card(_one_line(fields[0], media), extra)
        return head + body, approximated
    front = _side(fields[0], media) or "(empty)"
    back = _side(fields[1], media, answer=True) or "(empty)"
    body = f"Q: {front}\nA: {back}\n"
    ords = {card.ord for card in cards}
    if 1 in ords and notetype.templates >= 2:
        body += f"Q: {back}\nA: {front}\n"
    if len(note.fields) > 2 and any(f.strip() for f in note.fields[2:]) and 1 not in ords:
        approximated.append(f"{notetype.name}: fields after the second")
    if ords - {0, 1}:
        approximated.append(f"{notetype.name}: cards of templates after the second")
    return head + body, approximated


def _cards_of(
    block: str, note: AnkiNote, cloze: bool, cards: list[AnkiCard], numbers: list[int] | None
) -> list[tuple[AnkiCard, str]]:
    """Which companion card each Anki card of the note became (`numbers`: the cloze number
    of each card in order, for a note written as one card per cloze)."""
    parsed = parse_deck(clean_text(block)).cards  # a block kept by an earlier import, too
    found = []
    for card in cards:
        if numbers is not None:
            index = numbers.index(card.ord + 1) if card.ord + 1 in numbers else len(parsed)
            match = parsed[index] if index < len(parsed) else None
        elif cloze:
            match = next((c for c in parsed if c.cloze_number == str(card.ord + 1)), None)
        else:
            match = parsed[card.ord] if card.ord < len(parsed) else None
        if match is not None:
            found.append((card, match.id))
    return found


Occlusion = Callable[[AnkiNote, NoteType, str], "tuple[str, list[int]] | str"]


def plan_notes(
    package: AnkiPackage,
    media_for: Callable[[str], dict[str, str]],
    report: ImportReport,
    occlusion: Occlusion | None = None,
    kept: dict[str, KeptNote] | None = None,
) -> list[NoteText]:
    """Every note as Markdown in the deck of its first card (`occlusion` draws an Image
    Occlusion note's cards: without it, or when it cannot, they stay clozes of its text).
    A note exactly as an earlier import `kept` it is not written out again."""
    cards_by_note: dict[int, list[AnkiCard]] = defaultdict(list)
    for card in package.cards:
        cards_by_note[card.note_id].append(card)
    planned = []
    for note in package.notes:
        notetype = package.notetypes.get(note.notetype_id)
        cards = cards_by_note.get(note.id, [])
        if notetype is None or not cards:
            report.problems.append(f"note {note.guid}: no note type or no card; skipped")
            continue
        first = cards[0]
        deck = package.decks.get(first.original_deck or first.deck_id, "Default")
        previous = (kept or {}).get(note.guid)
        if previous is not None and (previous.fields, previous.tags, previous.notetype) == (
            list(note.fields),
            list(note.tags),
            note.notetype_id,
        ):
            numbers = previous.numbers
            known = previous.card_ids or {}
            as_is = all(str(card.ord) in known for card in cards)
            if as_is:  # no need to parse it again
                pairs = [(card, known[str(card.ord)]) for card in cards]
            else:
                pairs = _cards_of(previous.block, note, notetype.cloze, cards, numbers)
            as_is = as_is and len(known) == len(cards)
            as_is = as_is and (previous.id, previous.modified) == (note.id, note.modified)
            planned.append(NoteText(note, deck, previous.block, pairs, numbers, as_is))
            continue
        drawn = None
        if occlusion is not None and notetype.cloze and is_occlusion(note.fields[0]):
            drawn = occlusion(note, notetype, deck)
            if isinstance(drawn, str):
                report.problems.append(f"Image Occlusion note {note.guid}: {drawn}; kept as text")
                drawn = None
            else:
                report.occlusions += 1
        if drawn is not None:
            body, numbers = drawn
            block, approximated = _head(note) + body, []
        elif not notetype.cloze and all("{{" in q for _, q, _ in notetype.formats or [(0, "", 0)]):
            media = media_for(deck)
            body, numbers, typed = templated_cards(
                note, notetype, cards, media, lambda v, m, a: _side(v, m, answer=a)
            )
            block, approximated = _head(note) + kept_fields(note, notetype, media) + body, []
            report.typed += bool(typed)
        else:
            block, approximated = _note_text(note, notetype, cards, media_for(deck))
            numbers = None
        for what in approximated:
            report.approximated[what] = report.approximated.get(what, 0) + 1
        # as the deck is read back (escape sequences and control characters dropped): the
        # ids its history is logged under are the ones its cards have when loaded
        block = clean_text(block)
        pairs = _cards_of(block, note, notetype.cloze, cards, numbers)
        planned.append(NoteText(note, deck, block, pairs, numbers))
    return planned
