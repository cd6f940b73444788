"""A long Markdown page drawn a part at a time, searched as drawn.

Textual's Markdown widget makes a widget of every block: a page of 200,000 words took seconds
to open, 400 MB, and 14 s per search. This view renders the page with Rich a part at a time
(the first screen at once, the rest between frames) and composes only the lines on screen.
Search runs over the text of the drawn lines and paints every match, the current one apart.
"""

from bisect import bisect_right
from dataclasses import dataclass

from rich.cells import cell_len
from rich.markdown import Markdown as RichMarkdown
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from companion.content.page_parts import LineSearch, headings_in, split_parts

LINES_PER_CHAR = 1 / 70  # a first guess at a part's height, until it is drawn
MATCH = Style(color="black", bgcolor="yellow")
CURRENT = Style(color="black", bgcolor="dark_orange", bold=True)


@dataclass(frozen=True)
class Heading:
    """A heading of the page: its level, its text, and the line it is drawn on."""

    level: int
    label: str
    line: int


class PageView(ScrollView, can_focus=True):
    """Shows one long page; `search` finds and paints matches, `headings` lists its headings."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._parts: list[str] = []
        self._lines: list[list[Strip] | None] = []
        self._texts: list[list[str]] = []
        self._heights: list[int] = []
        self._starts: list[int] = [0]
        self._width = 0
        self._search: LineSearch | None = None
        self._query = ""
        self.match_count = 0
        self._current: int | None = None  # the current match, as an offset in the search text
        self.current_number = 0  # its place among the matches, from 1
        self.headings: list[Heading] = []

    # -- the page -------------------------------------------------------------
    def show(self, text: str) -> None:
        """Show `text` from the top; parts are drawn as they come on screen, the rest soon."""
        self._parts = split_parts(text)
        self._reset(self._width or self.size.width or 80)
        self.scroll_to(0, 0, animate=False)
        self.set_timer(0.05, self._draw_next)

    def _reset(self, width: int) -> None:
        self._width = width
        self._lines = [None] * len(self._parts)
        self._texts = [[] for _ in self._parts]
        self._heights = [max(1, round(len(part) * LINES_PER_CHAR)) for part in self._parts]
        self._search = None
        self._current, self.current_number = None, 0  # an offset in the search text gone
        self.headings = []
        self._restart()

    def _restart(self) -> None:
        starts = [0]
        for height in self._heights:
            starts.append(starts[-1] + height)
        self._starts = starts
        self.virtual_size = Size(self._width, starts[-1])

    def _draw(self, number: int) -> list[Strip]:
        lines = self._lines[number]
        if lines is not None:
            return lines
        console = self.app.console
        options = console.options.update(width=max(self._width, 10), height=None)
        rendered = console.render_lines(
            RichMarkdown(self._parts[number], code_theme="monokai", hyperlinks=False),
            options,
            pad=False,
            new_lines=False,
        )
        lines = [Strip(line).simplify() for line in rendered] or [Strip.blank(0)]
        self._lines[number] = lines
        self._texts[number] = ["".join(seg.text for seg in line) for line in rendered]
        if self._heights[number] != len(lines):
            self._heights[number] = len(lines)
            self._restart()
            self.refresh()
        if all(part is not None for part in self._lines):
            self._complete()
        return lines

    def _draw_next(self) -> None:
        """Draw one more part between frames, until every part is drawn."""
        waiting = next((n for n, lines in enumerate(self._lines) if lines is None), None)
        if waiting is not None:
            self._draw(waiting)
            self.set_timer(0.001, self._draw_next)

    def _complete(self) -> None:
        texts = [text for part in self._texts for text in part]
        self._search = LineSearch(texts)
        self.headings = []
        for number, part in enumerate(self._parts):
            line = self._starts[number]
            for level, label in headings_in(part):
                wanted = label.casefold()
                while line < self._starts[number + 1] and wanted not in texts[line].casefold():
                    line += 1
                if line < self._starts[number + 1]:
                    self.headings.append(Heading(level, label, line))
        if self._query:
            self.search(self._query, keep_current=True)

    def draw_all(self) -> None:
        """Draw every part still waiting (search and contents need the whole page)."""
        for number in range(len(self._parts)):
            self._draw(number)

    @property
    def drawn(self) -> bool:
        """Whether every part is drawn (search and headings are complete)."""
        return self._search is not None

    # -- lines on screen ---------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width and width != self._width and self._parts:
            self._reset(width)  # drawn again at the new width
            self.set_timer(0.05, self._draw_next)
        line = self.scroll_offset.y + y
        if not self._parts or line >= self._starts[-1]:
            return Strip.blank(width)
        self._draw(_part_of(self._starts, line))
        number = _part_of(self._starts, line)  # heights change as parts are drawn
        if not 0 <= number < len(self._parts):
            return Strip.blank(width)
        lines = self._draw(number)
        index = line - self._starts[number]
        strip = lines[index] if index < len(lines) else Strip.blank(width)
        spans = self._spans(line) if index < len(lines) else []
        if spans:
            strip = _painted(strip, self._texts[number][index], spans)
        return strip.crop_extend(self.scroll_offset.x, self.scroll_offset.x + width, None)

    # -- search -----------------------------------------------------------------
    def search(self, query: str, keep_current: bool = False) -> int:
        """Find `query` in the drawn lines (all of them once drawn) and return how many
        matches there are; every match on screen is painted. The current match is the first
        at or after the top of the screen (or stays, with `keep_current`)."""
        self._query = query
        if self._search is None:
            self.draw_all()
        found = self._search
        assert found is not None
        self.match_count = found.count(query)
        if not self.match_count:
            self._current, self.current_number = None, 0
        elif not keep_current or self._current is None:
            top = min(self.scroll_offset.y, len(found.starts) - 1)
            self._set_current(found.next_from(query, found.starts[top]))
        self.refresh()
        return self.match_count

    def _set_current(self, offset: int | None) -> None:
        assert self._search is not None
        self._current = offset
        self.current_number = 0 if offset is None else self._search.count(self._query, offset) + 1

    def step(self, delta: int) -> int | None:
        """Make the next (or previous) match current; its line, or None with no matches."""
        found = self._search
        if found is None or self._current is None:
            return None
        if delta > 0:
            self._set_current(found.next_from(self._query, self._current + 1))
        else:
            self._set_current(found.previous_before(self._query, self._current))
        self.refresh()
        return self.current_line

    @property
    def current_line(self) -> int | None:
        """The line of the current match."""
        if self._search is None or self._current is None:
            return None
        return self._search.line_of(self._current)

    def show_current(self) -> None:
        """Scroll the current match to a third of the way down the screen."""
        line = self.current_line
        if line is not None:
            self.scroll_to(y=max(0, line - self.size.height // 3), animate=False)

    def clear_search(self) -> None:
        """No search: nothing painted."""
        self._query, self.match_count = "", 0
        self._current, self.current_number = None, 0
        self.refresh()

    def _spans(self, line: int) -> list[tuple[int, int, bool]]:
        """The matches on one line, marked current or not."""
        if not self._query or self._search is None:
            return []
        current = self._current
        start = self._search.starts[line] if line < len(self._search.starts) else 0
        return [
            (begin, end, current is not None and start + begin == current)
            for begin, end in self._search.in_line(self._query, line)
        ]


def _part_of(starts: list[int], line: int) -> int:
    """The part holding `line`, given each part's first line."""
    return bisect_right(starts, line) - 1


def _painted(strip: Strip, text: str, spans: list[tuple[int, int, bool]]) -> Strip:
    """The line with its matches painted (positions in characters turned into cells)."""
    cuts: list[int] = []
    styles: list[Style | None] = []
    at = 0
    for start, end, current in sorted(spans):
        begin, finish = cell_len(text[:start]), cell_len(text[:end])
        if begin < at:
            continue
        cuts += [begin, finish]
        styles += [None, CURRENT if current else MATCH]
        at = finish
    cuts.append(strip.cell_length)
    styles.append(None)
    pieces = strip.divide(cuts)
    return Strip.join(
        piece.apply_style(style) if style is not None else piece
        for piece, style in zip(pieces, styles, strict=False)
    )
