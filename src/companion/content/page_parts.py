"""A long Markdown page in parts, and search over its rendered lines.

A page of 200,000 words is rendered a part at a time (the first screen at once, the rest
while the learner reads), and searched as drawn: over the text of its lines, not its source.
"""

import re
from bisect import bisect_right

PART_CHARS = 40_000
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def split_parts(text: str, size: int = PART_CHARS) -> list[str]:
    """`text` cut at blank lines outside code fences into parts of about `size` characters
    (a block is never cut, so a part may run longer)."""
    parts: list[str] = []
    current: list[str] = []
    length = 0
    fenced = False
    for line in text.splitlines(keepends=True):
        if _FENCE.match(line):
            fenced = not fenced
        current.append(line)
        length += len(line)
        if length >= size and not fenced and not line.strip():
            parts.append("".join(current))
            current, length = [], 0
    if current:
        parts.append("".join(current))
    return parts or [""]


_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_INLINE_MARKS = re.compile(r"[*_`]|\[([^\]]*)\]\([^)]*\)")


def headings_in(part: str) -> list[tuple[int, str]]:
    """The ATX headings of a part (not those inside code fences), as (level, plain text)."""
    found, fenced = [], False
    for line in part.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := _ATX.match(line)):
            label = _INLINE_MARKS.sub(lambda m: m.group(1) or "", match.group(2)).strip()
            found.append((len(match.group(1)), label))
    return found


def _fold(text: str) -> str:
    """Lowercase with every character kept one character long, so positions in the folded
    text are positions in the text (str.lower turns a few characters into two)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class LineSearch:
    """Case-insensitive search over lines of text. Counting and stepping run in C over the
    whole text (str.count, str.find), so a one-letter search on a page of 200,000 words
    costs milliseconds: matches are only located one by one, and painted for the lines on
    screen."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = [_fold(line) for line in lines]
        self.text = "\n".join(self.lines)
        starts = [0]
        for line in self.lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        self.starts = starts

    def count(self, query: str, end: int | None = None) -> int:
        """How many times `query` occurs (before offset `end`, when given)."""
        needle = _fold(query)
        if not needle or "\n" in needle:
            return 0
        return self.text.count(needle, 0, len(self.text) if end is None else end)

    def next_from(self, query: str, offset: int) -> int | None:
        """The offset of the first match at or after `offset`, wrapping round; None if none."""
        needle = _fold(query)
        if not needle or "\n" in needle:
            return None
        found = self.text.find(needle, offset)
        if found == -1:
            found = self.text.find(needle)
        return found if found != -1 else None

    def previous_before(self, query: str, offset: int) -> int | None:
        """The offset of the last match before `offset`, wrapping round; None if none."""
        needle = _fold(query)
        if not needle or "\n" in needle:
            return None
        found = self.text.rfind(needle, 0, max(0, offset))
        if found == -1:
            found = self.text.rfind(needle)
        return found if found != -1 else None

    def line_of(self, offset: int) -> int:
        """The line holding `offset`."""
        return bisect_right(self.starts, offset) - 1

    def in_line(self, query: str, line: int) -> list[tuple[int, int]]:
        """The matches within one line, as (start, end) positions in it."""
        needle = _fold(query)
        text = self.lines[line] if 0 <= line < len(self.lines) else ""
        spans, at = [], text.find(needle) if needle else -1
        while at != -1:
            spans.append((at, at + len(needle)))
            at = text.find(needle, at + len(needle))
        return spans
