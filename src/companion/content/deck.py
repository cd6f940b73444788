"""Flashcard decks in Markdown: `Q:`/`A:` blocks, `front :: back` lines, `{{cloze}}` sentences.

A `<!-- item: ID -->` comment line links the card after it to a roadmap item.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import NamedTuple

from companion.content.anki_guid import marker_guid
from companion.text import normalise

_CLOZE = re.compile(r"\{\{(?:c(?P<number>\d+)::)?(?P<text>.*?)(?:::(?P<hint>.*?))?\}\}")
_CODE_SPAN = re.compile(r"`[^`]*`")
_SEPARATOR = re.compile(r"(?:^|\s)::(?:\s|$)")
_QUESTION = re.compile(r"^\s*Q:\s?(.*)$")
_ANSWER = re.compile(r"^\s*A:\s?(.*)$")
_ITEM_LINK = re.compile(r"^\s*<!--\s*item:\s*(?P<item>[\w-]+)\s*-->\s*$")
_TAGS = re.compile(r"^\s*<!--\s*tags:\s*(?P<tags>.*?)\s*-->\s*$")
_EXTRA = re.compile(r"^\s*Extra:\s?(?P<extra>.*)$")
_ANKI_GUID = re.compile(r"^\s*<!--\s*anki:\s*(?P<guid>\S+)\s*-->\s*$")
TYPED_MARK = "<!-- type the answer -->"
_TYPED = re.compile(r"^\s*<!--\s*type the answer\s*-->\s*$")


class Card(NamedTuple):
    """One flashcard; `id` is a hash of its normalised text, so whitespace edits keep it.

    A named tuple rather than a dataclass: 50,000 of them are built at every start.
    """

    id: str
    front: str
    back: str
    kind: str
    source: str = ""
    line: int = 0
    end_line: int = 0
    item_id: str | None = None
    cloze_text: str | None = None
    tags: tuple[str, ...] = ()
    cloze_number: str = ""
    """Which deletion of its sentence a cloze card asks for (`1` for c1, `auto1`...)."""
    hidden: str = ""
    """What a cloze card hides: a renumbered deletion is still the same card."""
    extra: str = ""
    """A cloze's `Extra:` line (Anki's Back Extra), shown under the answer."""
    anki_guid: str = ""
    """The GUID of the Anki note it came from (`<!-- anki: GUID -->`), kept for export."""
    typed: bool = False
    """The answer is typed before it is shown (`<!-- type the answer -->` above the card, as
    Anki's type-in cards)."""

    @property
    def note_key(self) -> tuple[str, str] | None:
        """What the cards of one note share (the clozes of a sentence), for sibling burying."""
        return (self.source, normalise(self.cloze_text)) if self.cloze_text is not None else None

    @property
    def text_for_matching(self) -> str:
        """The text compared when deciding whether an edited card is the same card."""
        return self.cloze_text if self.cloze_text is not None else f"{self.front}\n{self.back}"


@dataclass
class Deck:
    """The cards of one Markdown file and the problems found while reading it."""

    name: str
    source: str
    cards: list[Card] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


_PART = re.compile(r"\.part-\d+$")
"""`NAME.part-2.md`: more of the deck NAME, where one file would be too large to read."""


def part_path(path: PurePath, number: int) -> Path:
    """Where part `number` of the deck in `path` goes (part 1 is the file itself)."""
    return Path(path).with_name(f"{path.stem}.part-{number}{path.suffix}")


def deck_name(source: str) -> str:
    """A deck's name as Anki writes it: its path under `decks/`, folders joined by `::` (a
    file NAME.part-N.md is more of the deck NAME)."""
    path = PurePath(source)
    parts = path.parts
    stem = _PART.sub("", path.stem) or path.stem
    if "decks" in parts:
        inner = parts[len(parts) - parts[::-1].index("decks") :]
        return "::".join([*inner[:-1], stem])
    return stem


def card_id(kind: str, *parts: str) -> str:
    """The identity of a card: a hash of its kind and normalised text."""
    joined = "\x1f".join([kind, *(normalise(part) for part in parts)])
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def cloze_cards(sentence: str, source: str, line: int) -> list[Card]:
    """One card per cloze number; a `{{text}}` without a number is a cloze of its own."""
    matches = list(_CLOZE.finditer(sentence))
    keys = _cloze_keys(matches)
    cards = []
    for number in dict.fromkeys(keys):
        front, back = _render_cloze(sentence, matches, keys, number)
        hidden = " / ".join(
            match["text"] for match, key in zip(matches, keys, strict=True) if key == number
        )
        cards.append(
            Card(
                card_id("cloze", sentence, number),
                front,
                back,
                "cloze",
                source,
                line,
                line,
                cloze_text=sentence,
                cloze_number=number,
                hidden=hidden,
            )
        )
    return cards


def cloze_answer(sentence: str, number: str, marks: tuple[str, str]) -> str:
    """The answer side of cloze `number` with what it hides between `marks` (to highlight)."""
    matches = list(_CLOZE.finditer(sentence))
    return _render_cloze(sentence, matches, _cloze_keys(matches), number, marks)[1]


def _cloze_keys(matches: list[re.Match[str]]) -> list[str]:
    keys, auto = [], 0
    for match in matches:
        if match["number"]:
            keys.append(match["number"])
        else:
            auto += 1
            keys.append(f"auto{auto}")
    return keys


def _render_cloze(
    sentence: str,
    matches: list[re.Match[str]],
    keys: list[str],
    number: str,
    marks: tuple[str, str] = ("", ""),
) -> tuple[str, str]:
    front, back, last = [], [], 0
    for match, key in zip(matches, keys, strict=True):
        front.append(sentence[last : match.start()])
        back.append(sentence[last : match.start()])
        if key == number:
            front.append(f"[{match['hint']}]" if match["hint"] else "[...]")
            back.append(marks[0] + match["text"] + marks[1])
        else:
            front.append(match["text"])
            back.append(match["text"])
        last = match.end()
    front.append(sentence[last:])
    back.append(sentence[last:])
    return "".join(front).strip(), "".join(back).strip()


def format_card(front: str, back: str, item_id: str | None = None) -> str:
    """A card as deck Markdown: a one-liner when both sides fit on a line, else `Q:`/`A:`."""
    link = f"<!-- item: {item_id} -->\n" if item_id else ""
    front, back = front.strip(), back.strip()
    if "{{" in front and "\n" not in front:
        extra = " ".join(back.split())
        return f"{link}{front}\nExtra: {extra}\n" if extra else f"{link}{front}\n"
    if "\n" not in front and "\n" not in back and " :: " not in front + back:
        return f"{link}{front} :: {back}\n"
    return f"{link}Q: {front}\nA: {back}\n"


class _DeckReader:
    """Walks a deck's lines, collecting cards and `file:line: reason` problems."""

    def __init__(self, text: str, deck: Deck, label: str) -> None:
        self.lines = text.splitlines()
        self.deck = deck
        self.label = label
        self.item_id: str | None = None
        self.tags: tuple[str, ...] = ()
        self.guid = ""
        self.guid_cards = 0
        self.typed = False

    def add(self, *cards: Card) -> None:
        if self.guid and self.guid_cards == 1:  # a GUID's second card must be the reverse
            before = self.deck.cards[-1]
            if len(cards) == 1 and (cards[0].front, cards[0].back) == (before.back, before.front):
                self.tags = self.tags or before.tags
            else:
                self.guid = ""
        self.deck.cards.extend(
            card._replace(
                item_id=self.item_id, tags=self.tags, anki_guid=self.guid, typed=self.typed
            )
            for card in cards
        )
        self.typed = False
        self.item_id = None
        self.tags = ()
        self.guid_cards += 1
        if self.guid_cards >= 2:  # a GUID covers one note: at most a card and its reverse
            self.guid = ""

    def problem(self, line_no: int, reason: str) -> None:
        self.deck.problems.append(f"{self.label}:{line_no}: {reason}")

    def read(self) -> None:
        index = 0
        in_fence = False
        while index < len(self.lines):
            raw = self.lines[index]
            stripped = raw.strip()
            if stripped.startswith("```"):
                in_fence = not in_fence
            link = _ITEM_LINK.match(raw)
            tags = _TAGS.match(raw)
            guid = _ANKI_GUID.match(raw) if not link and not tags else None
            if guid:
                self.guid, self.guid_cards = marker_guid(guid["guid"]), 0
            elif _TYPED.match(raw):
                self.typed = True
            elif link:
                self.item_id = link["item"]
            elif tags:
                self.tags = tuple(tags["tags"].split())
            elif not in_fence and stripped and not stripped.startswith(("#", "<!--", "---")):
                if _QUESTION.match(raw):
                    index = self.question(index)
                    continue
                following = self.lines[index + 1] if index + 1 < len(self.lines) else ""
                extra = _EXTRA.match(following) if "{{" in stripped else None
                self.one_line(stripped, index + 1, extra["extra"].strip() if extra else "")
                index += 1 if extra else 0
            index += 1

    def one_line(self, stripped: str, line_no: int, extra: str = "") -> None:
        if _ANSWER.match(stripped):
            self.problem(line_no, "answer without a question")
        elif "{{" not in stripped and (separator := _one_line_separator(stripped)):
            front, back = stripped[: separator.start()].strip(), stripped[separator.end() :].strip()
            front = front[2:].strip() if front.startswith(("- ", "* ")) else front
            if front and back:
                self.add(
                    Card(
                        card_id("basic", front, back),
                        front,
                        back,
                        "basic",
                        self.label,
                        line_no,
                        line_no,
                    )
                )
            else:
                self.problem(line_no, "'::' card needs text on both sides")
        elif "{{" in stripped:
            if stripped.count("{{") != stripped.count("}}") or not _CLOZE.search(stripped):
                self.problem(line_no, "unclosed or empty cloze '{{'")
            else:
                sentence = stripped[2:] if stripped.startswith(("- ", "* ")) else stripped
                cards = cloze_cards(sentence, self.label, line_no)
                if extra:
                    end = line_no + 1
                    cards = [
                        c._replace(back=f"{c.back}\n\n{extra}", extra=extra, end_line=end)
                        for c in cards
                    ]
                self.add(*cards)

    def question(self, index: int) -> int:
        """Read a `Q:` block and its `A:`; return the index of the first line after it.

        A question runs until its `A:` line (a blank line or a new `Q:` first means it has no
        answer). An answer runs until the next `Q:`, heading or `---`, or a blank line followed
        by another card.
        """
        lines = self.lines
        start = index + 1
        question = [_QUESTION.match(lines[index]).group(1)]  # type: ignore[union-attr]
        index += 1
        while index < len(lines) and not _ANSWER.match(lines[index]):
            if _QUESTION.match(lines[index]) or not lines[index].strip():
                break
            question.append(lines[index])
            index += 1
        if index >= len(lines) or not _ANSWER.match(lines[index]):
            self.problem(start, "question without an answer (add an 'A:' line)")
            return index
        answer = [_ANSWER.match(lines[index]).group(1)]  # type: ignore[union-attr]
        index += 1
        while index < len(lines):
            line = lines[index]
            if _QUESTION.match(line) or line.strip().startswith(("#", "---")):
                break
            if not line.strip():
                following = _next_text(lines, index + 1)
                if not following or starts_card(following):
                    break
            answer.append(line)
            index += 1
        front, back = "\n".join(question).strip(), "\n".join(answer).strip()
        if not front or not back:
            self.problem(start, "question or answer is empty")
        else:
            end = start + len(question) + len(answer) - 1
            self.add(
                Card(card_id("basic", front, back), front, back, "basic", self.label, start, end)
            )
        return index


def _next_text(lines: list[str], index: int) -> str:
    """The first line from `index` on that holds text ("" at the end), without copying the
    rest of the deck (a slice per blank line made big decks quadratic to read)."""
    for position in range(index, len(lines)):
        if lines[position].strip():
            return lines[position]
    return ""


def parse_deck(text: str, name: str = "deck", source: str = "") -> Deck:
    """Parse a deck; malformed entries become `file:line: reason` problems and are skipped."""
    deck = Deck(name, source)
    _DeckReader(text, deck, source or name).read()
    return deck


def _one_line_separator(line: str) -> re.Match[str] | None:
    """The ` :: ` that splits a one-line card, ignoring any inside `code spans`."""
    masked = _CODE_SPAN.sub(lambda m: "x" * len(m.group(0)), line)
    return _SEPARATOR.search(masked)


def starts_card(line: str) -> bool:
    """Whether a line begins a new card or section, which ends the answer before it."""
    stripped = line.strip()
    return bool(
        _QUESTION.match(line)
        or stripped.startswith(("#", "---", "<!--"))
        or (_one_line_separator(stripped) is not None and not line.startswith((" ", "\t")))
        or "{{" in stripped
    )
