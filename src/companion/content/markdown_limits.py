"""Markdown deeper or larger than what reads it can take: flattened or compacted, never dropped.

markdown-it stops nesting at a fixed depth and silently drops what lies deeper (a 1,000-level
list kept 9 items), and a table drawn as one widget per cell grows without bound (a 20,000-row
table took minutes and gigabytes). Both are rewritten in the text first, in one linear pass.
"""

import re
from dataclasses import dataclass

from companion.text import plural

_LIST_ITEM = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DELIMITER_ROW = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
MAX_CELL_WIDTH = 40
ROWS_PER_BLOCK = 500


@dataclass
class _Open:
    """A list item still open: where its marker and its content start (columns)."""

    indent: int
    content: int
    moved: bool = False


def _width(whitespace: str) -> int:
    return len(whitespace.expandtabs(4))


def _outside_fences(lines: list[str]) -> list[bool]:
    """For each line, whether it is outside a fenced code block."""
    outside, fence = [], ""
    for line in lines:
        match = _FENCE.match(line)
        if fence:
            outside.append(False)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
        elif match:
            outside.append(False)
            fence = match.group(1)
        else:
            outside.append(True)
    return outside


def flatten_deep_lists(text: str, max_depth: int) -> tuple[str, int]:
    """The text with list items nested deeper than `max_depth` levels moved up to that level
    (in order, with their text), and how many were moved."""
    lines = text.split("\n")
    stack: list[_Open] = []
    moved = 0
    for number, (line, outside) in enumerate(zip(lines, _outside_fences(lines), strict=True)):
        if not outside or not line.strip():
            continue
        match = _LIST_ITEM.match(line)
        if match is None:
            indent = _width(line[: len(line) - len(line.lstrip())])
            if stack and stack[-1].moved and indent > stack[-1].content:
                lines[number] = " " * stack[-1].content + line.lstrip()  # its paragraph follows
            elif indent == 0 and not stack[-1:]:
                stack.clear()
            continue
        indent = _width(match.group(1))
        while stack and indent < stack[-1].content:
            stack.pop()
        marker_width = len(match.group(2)) + max(_width(match.group(3)), 1)
        if len(stack) < max_depth:
            stack.append(_Open(indent, indent + marker_width))
            continue
        # As deep as allowed: this item becomes a sibling of the deepest one shown.
        sibling = stack.pop()
        lines[number] = " " * sibling.indent + line[match.end(1) :]
        stack.append(_Open(sibling.indent, sibling.indent + marker_width, moved=True))
        moved += 1
    return "\n".join(lines), moved


def _cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells = []
    for cell in _CELL_SPLIT.split(row):
        plain = _EMPHASIS.sub("", _LINK.sub(r"\1", cell)).replace("\\|", "|").strip()
        cells.append(plain if len(plain) <= MAX_CELL_WIDTH else plain[: MAX_CELL_WIDTH - 1] + "…")
    return cells


def _as_text(header: str, rows: list[str]) -> list[str]:
    """A table as aligned columns inside a fenced block: one block, however many rows."""
    table = [_cells(header), *(_cells(row) for row in rows)]
    columns = max(len(cells) for cells in table)
    widths = [
        max((len(cells[i]) for cells in table if i < len(cells)), default=0) for i in range(columns)
    ]

    def line(cells: list[str]) -> str:
        padded = [(cells[i] if i < len(cells) else "").ljust(widths[i]) for i in range(columns)]
        return " │ ".join(padded).rstrip()

    rule = "─┼─".join("─" * width for width in widths)
    head = [line(table[0]), rule]
    blocks: list[str] = []
    # In blocks of a few hundred rows, each under the header: a screen lays out one block
    # at a time, and the reader always sees the column names.
    for start in range(1, len(table), ROWS_PER_BLOCK):
        body = [line(cells) for cells in table[start : start + ROWS_PER_BLOCK]]
        blocks += ["```text", *head, *body, "```", ""]
    return blocks


def compact_large_tables(text: str, max_rows: int) -> tuple[str, int]:
    """The text with tables of more than `max_rows` rows drawn as aligned text (links keep
    their words), and how many tables were so drawn."""
    lines = text.split("\n")
    outside = _outside_fences(lines)
    out: list[str] = []
    compacted = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        is_table = (
            outside[index]
            and index + 1 < len(lines)
            and outside[index + 1]
            and "|" in line
            and _DELIMITER_ROW.match(lines[index + 1]) is not None
            and "|" in lines[index + 1]
        )
        if not is_table:
            out.append(line)
            index += 1
            continue
        end = index + 2
        while end < len(lines) and outside[end] and lines[end].strip() and "|" in lines[end]:
            end += 1
        rows = lines[index + 2 : end]
        if len(rows) > max_rows:
            out.extend(_as_text(line, rows))
            compacted += 1
        else:
            out.extend(lines[index:end])
        index = end
    return "\n".join(out), compacted


READER_LIST_DEPTH = 8  # what Textual's Markdown widget nests (markdown-it's limit of 20)
READER_TABLE_ROWS = 200  # a table widget holds one widget per cell


def fit_for_reading(text: str) -> tuple[str, list[str]]:
    """The text as the Reader can show it whole, and one line per thing that was rewritten."""
    text, moved = flatten_deep_lists(text, READER_LIST_DEPTH)
    text, tables = compact_large_tables(text, READER_TABLE_ROWS)
    notes = []
    if moved:
        notes.append(
            f"{moved} list items nested deeper than {READER_LIST_DEPTH} levels are shown at "
            f"level {READER_LIST_DEPTH}."
        )
    if tables:
        notes.append(
            f"{plural(tables, 'table')} of more than {READER_TABLE_ROWS} rows "
            f"{'is' if tables == 1 else 'are'} shown as plain text."
        )
    return text, notes
