"""A typed answer against the card's answer, as Anki shows it: what was typed right, what was
typed wrong, and what was missed, character by character."""

import difflib
import re
from unicodedata import normalize

_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|[*_`]|<[^>]+>")


def answer_text(markdown: str) -> str:
    """The words of an answer as they read (Markdown marks, images and tags left out)."""
    text = _MARKUP.sub(lambda m: m.group(1) or "", markdown)
    return " ".join(normalize("NFC", text).split())


def compare(typed: str, expected: str) -> list[tuple[str, str]]:
    """The typed answer in pieces: ("good", text) typed right, ("bad", text) typed wrong,
    ("missed", text) in the answer but not typed. Case and accents count, as in Anki."""
    typed = " ".join(normalize("NFC", typed).split())
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, typed, expected, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("good", typed[i1:i2]))
            continue
        if i2 > i1:
            pieces.append(("bad", typed[i1:i2]))
        if j2 > j1:
            pieces.append(("missed", expected[j1:j2]))
    return pieces


def is_right(typed: str, expected: str) -> bool:
    """Whether the typed answer is the answer exactly (spaces aside)."""
    return " ".join(normalize("NFC", typed).split()) == expected
