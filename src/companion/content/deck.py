"""Flashcard decks in Markdown: `Q:`/`A:` blocks, `front :: back` lines, `{{cloze}}` sentences."""

import hashlib
import re
from dataclasses import dataclass, field

from companion.content.sanitize import normalise

_CLOZE = re.compile(r"\{\{(?:c(?P<number>\d+)::)?(?P<text>.*?)(?:::(?P<hint>.*?))?\}\}")
_CODE_SPAN = re.compile(r"`[^`]*`")
_SEPARATOR = re.compile(r"(?:^|\s)::(?:\s|$)")
_QUESTION = re.compile(r"^\s*Q:\s?(.*)$")
_ANSWER = re.compile(r"^\s*A:\s?(.*)$")


@dataclass(frozen=True)
class Card:
    """One flashcard; `id` is a hash of its normalised text, so whitespace edits keep it."""

    id: str
    front: str
    back: str
    kind: str
    source: str = ""
    line: int = 0


@dataclass
class Deck:
    """The cards of one Markdown file and the problems found while reading it."""

    name: str
    source: str
    cards: list[Card] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def card_id(kind: str, *parts: str) -> str:
    """The identity of a card: a hash of its kind and normalised text."""
    joined = "\x1f".join([kind, *(normalise(part) for part in parts)])
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def cloze_cards(sentence: str, source: str, line: int) -> list[Card]:
    """One card per cloze number; a `{{text}}` without a number is a cloze of its own."""
    matches = list(_CLOZE.finditer(sentence))
    numbers: list[str] = []
    auto = 0
    keys: list[str] = []
    for match in matches:
        if match["number"]:
            key = match["number"]
        else:
            auto += 1
            key = f"auto{auto}"
        keys.append(key)
        if key not in numbers:
            numbers.append(key)
    cards = []
    for number in numbers:
        front, back = _render_cloze(sentence, matches, keys, number)
        cards.append(Card(card_id("cloze", sentence, number), front, back, "cloze", source, line))
    return cards


def _render_cloze(
    sentence: str, matches: list[re.Match[str]], keys: list[str], number: str
) -> tuple[str, str]:
    front, back, last = [], [], 0
    for match, key in zip(matches, keys, strict=True):
        front.append(sentence[last : match.start()])
        back.append(sentence[last : match.start()])
        if key == number:
            front.append(f"[{match['hint']}]" if match["hint"] else "[...]")
            back.append(match["text"])
        else:
            front.append(match["text"])
            back.append(match["text"])
        last = match.end()
    front.append(sentence[last:])
    back.append(sentence[last:])
    return "".join(front).strip(), "".join(back).strip()


def parse_deck(text: str, name: str = "deck", source: str = "") -> Deck:
    """Parse a deck; malformed entries become `file:line: reason` problems and are skipped."""
    deck = Deck(name, source)
    lines = text.splitlines()
    label = source or name
    index = 0
    in_fence = False
    while index < len(lines):
        raw = lines[index]
        line_no = index + 1
        stripped = raw.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        if in_fence or not stripped or stripped.startswith(("#", "<!--", "---")):
            index += 1
            continue
        question = _QUESTION.match(raw)
        if question:
            index = _read_question(deck, lines, index, question.group(1), label)
            continue
        if _ANSWER.match(raw):
            deck.problems.append(f"{label}:{line_no}: answer without a question")
        elif "{{" not in stripped and (separator := _one_line_separator(stripped)):
            front, back = stripped[: separator.start()].strip(), stripped[separator.end() :].strip()
            front = front.lstrip("-* ").strip() if front.startswith(("- ", "* ")) else front
            if front and back:
                deck.cards.append(
                    Card(card_id("basic", front, back), front, back, "basic", label, line_no)
                )
            else:
                deck.problems.append(f"{label}:{line_no}: '::' card needs text on both sides")
        elif "{{" in stripped:
            if stripped.count("{{") != stripped.count("}}") or not _CLOZE.search(stripped):
                deck.problems.append(f"{label}:{line_no}: unclosed or empty cloze '{{{{'")
            else:
                deck.cards.extend(cloze_cards(stripped.lstrip("-* "), label, line_no))
        index += 1
    return deck


def _one_line_separator(line: str) -> re.Match[str] | None:
    """The ` :: ` that splits a one-line card, ignoring any inside `code spans`."""
    masked = _CODE_SPAN.sub(lambda m: "x" * len(m.group(0)), line)
    return _SEPARATOR.search(masked)


def _starts_card(line: str) -> bool:
    """Whether a line begins a new card or section, which ends the answer before it."""
    stripped = line.strip()
    return bool(
        _QUESTION.match(line)
        or stripped.startswith(("#", "---"))
        or (_one_line_separator(stripped) is not None and not line.startswith((" ", "\t")))
        or "{{" in stripped
    )


def _read_question(deck: Deck, lines: list[str], index: int, first: str, label: str) -> int:
    """Read a `Q:` block and its `A:`; return the index of the first line after it.

    A question runs until its `A:` line (a blank line or a new `Q:` first means it has no answer).
    An answer runs until the next `Q:`, heading or `---`, or a blank line followed by another card.
    """
    start = index + 1
    question = [first]
    index += 1
    while index < len(lines) and not _ANSWER.match(lines[index]):
        if _QUESTION.match(lines[index]) or not lines[index].strip():
            break
        question.append(lines[index])
        index += 1
    if index >= len(lines) or not _ANSWER.match(lines[index]):
        deck.problems.append(f"{label}:{start}: question without an answer (add an 'A:' line)")
        return index
    answer = [_ANSWER.match(lines[index]).group(1)]  # type: ignore[union-attr]
    index += 1
    while index < len(lines):
        line = lines[index]
        if _QUESTION.match(line) or line.strip().startswith(("#", "---")):
            break
        if not line.strip():
            following = next((rest for rest in lines[index + 1 :] if rest.strip()), "")
            if not following or _starts_card(following):
                break
        answer.append(line)
        index += 1
    front = "\n".join(question).strip()
    back = "\n".join(answer).strip()
    if not front or not back:
        deck.problems.append(f"{label}:{start}: question or answer is empty")
    else:
        deck.cards.append(Card(card_id("basic", front, back), front, back, "basic", label, start))
    return index
