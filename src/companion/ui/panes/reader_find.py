"""Finding things on the page the Reader shows: contents, search, and `#heading` jumps.

An ordinary page is Textual's Markdown widget (its blocks, links you can click); a long one is
the `PageView`, drawn a part at a time. Both answer the same keys: T contents, / search as
you type (every match painted, the current one apart), n / N, escape.
"""

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.style import Style
from textual.widgets import Input, Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownFence

from companion.links.fragments import github_slug
from companion.ui.dialogs.contents import Contents
from companion.ui.widgets.page_view import PageView

Target = tuple[str, str]
MATCH_WORD = Style.parse("black on yellow")
CURRENT_WORD = Style.parse("bold black on darkorange")


if TYPE_CHECKING:  # a mixin of the Reader pane: typed as the widget it is mixed into
    _Pane = VerticalScroll
else:  # at run time a plain class, so it adds no CSS or flags of a widget of its own
    _Pane = object


class FindInPage(_Pane):
    """Mixed into the Reader pane (it holds a Markdown, a PageView and the search Input);
    `long_page` says which of the two shows the page."""

    long_page: bool
    document_key: Target | None
    matches: list[tuple[MarkdownBlock, int, int]]
    """On an ordinary page: each match, as its block and where it lies in the block's text."""
    match_index: int

    # -- which widget shows the page -----------------------------------------------
    @property
    def page_view(self) -> PageView:
        return self.query_one(PageView)

    def _headings(self) -> list[tuple[int, str]]:
        if self.long_page:
            return [(h.level, h.label) for h in self._drawn_page().headings]
        toc = self.query_one(Markdown).table_of_contents or []
        return [(level, str(label)) for level, label, _ in toc]

    def _drawn_page(self) -> PageView:
        page = self.page_view
        if not page.drawn:
            page.draw_all()
        return page

    def go_to_heading(self, index: int) -> bool:
        """Scroll to the heading at `index` of the page's headings; False if it is gone."""
        if self.long_page:
            headings = self._drawn_page().headings
            if not 0 <= index < len(headings):
                return False
            self.page_view.scroll_to(y=headings[index].line, animate=False)
            return True
        markdown = self.query_one(Markdown)
        toc = markdown.table_of_contents or []
        block_id = toc[index][2] if 0 <= index < len(toc) else None
        blocks = markdown.query(f"#{block_id}") if block_id else []
        if not blocks:
            return False
        self.scroll_to_widget(blocks.first(), top=True, animate=False)
        return True

    def heading_index(self, fragment: str) -> int | None:
        """The index of the heading `#fragment` names (GitHub's anchors, numbered when
        repeated), or None."""
        seen: dict[str, int] = {}
        for index, (_, label) in enumerate(self._headings()):
            slug = github_slug(label)
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            if fragment.casefold() in (slug, f"{slug}-{count}"):
                return index
        return None

    # -- contents -------------------------------------------------------------------
    def action_contents(self) -> None:
        """Jump to a heading of a long document."""
        headings = self._headings()
        if not headings:
            self.app.notify("This page has no headings.", timeout=2)
            return
        document = self.document_key

        def chosen(index: int | None) -> None:
            if index is None:
                return
            if (
                document != self.document_key
                or self._headings()[: index + 1] != headings[: index + 1]
            ):
                self.app.notify("The page changed: open the contents again (T).", timeout=3)
            elif not self.go_to_heading(index):
                self.app.notify("That heading is not on the page yet: try again.", timeout=3)

        self.app.push_screen(Contents(headings), chosen)

    # -- search -----------------------------------------------------------------------
    def action_search(self) -> None:
        """Show the search box; matches are found as you type."""
        box = self.query_one("#reader-search", Input)
        box.display = True
        # At once, not after the keys already queued (`focus` waits its turn): typed right
        # after '/' while the app was busy, they belong to the box, not the app's shortcuts.
        self.screen.set_focus(box)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "reader-search":
            return
        event.stop()
        count = self._find(event.value.strip())
        if count:
            self._show_match(announce=False)  # the box itself says "1 of 5" while typing
        else:
            event.input.border_subtitle = "none" if event.value.strip() else ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "reader-search":
            return
        event.stop()
        event.input.display = False
        self.focus()
        count = self._find(event.value.strip())
        if not count and event.value.strip():
            self.app.notify(f"Not found: {event.value}", severity="warning", timeout=3)
        elif count:
            self._show_match()

    def _find(self, query: str) -> int:
        """Find `query` on the page as drawn; paint the matches; how many there are."""
        if self.long_page:
            return self.page_view.search(query)
        self._unpaint()
        needle = query.lower()
        self.matches = []
        leaves = [
            block
            for block in self.query_one(Markdown).query(MarkdownBlock)
            if not block.query(MarkdownBlock)
        ]
        for block in leaves if needle else []:
            text = _shown_text(block).lower()
            at = text.find(needle)
            while at != -1:
                self.matches.append((block, at, at + len(needle)))
                at = text.find(needle, at + len(needle))
        self.match_index = 0 if self.matches else -1
        self._paint()
        return len(self.matches)

    def _paint(self) -> None:
        """Every match painted in its block, the current one apart (a code block, drawn by a
        widget of its own, is marked as a whole)."""
        current = self.matches[self.match_index] if self.matches else None
        by_block: dict[MarkdownBlock, list[tuple[int, int, bool]]] = {}
        for match in self.matches:
            block, start, end = match
            by_block.setdefault(block, []).append((start, end, match == current))
        for block, spans in by_block.items():
            block.add_class("-match")
            block.set_class(any(now for _, _, now in spans), "-current-match")
            content = getattr(block, "_content", None)
            if isinstance(block, MarkdownFence) or not isinstance(content, Content):
                continue
            if len(content.plain.lower()) != len(content.plain):
                continue  # lowercasing moved the letters: the block's mark must do
            for start, end, now in spans:
                content = content.stylize(CURRENT_WORD if now else MATCH_WORD, start, end)
            block.update(content)  # its own content stays unpainted, for clearing

    def _unpaint(self) -> None:
        for block in dict.fromkeys(block for block, _, _ in self.matches):
            block.remove_class("-match", "-current-match")
            content = getattr(block, "_content", None)
            if not isinstance(block, MarkdownFence) and isinstance(content, Content):
                block.update(content)

    def _show_match(self, announce: bool = True) -> None:
        if self.long_page:
            page = self.page_view
            page.show_current()
            total, number = page.match_count, page.current_number
        else:
            self._paint()
            block = self.matches[self.match_index][0]
            self.scroll_to_widget(block, top=True, animate=False)
            total, number = len(self.matches), self.match_index + 1
        self.query_one("#reader-search", Input).border_subtitle = f"{number} of {total}"
        if announce:
            self.app.notify(f"Match {number} of {total}", timeout=2)

    def action_next_match(self, step: int) -> None:
        """Go to the next (or previous) search match."""
        if self.long_page:
            if self.page_view.step(step) is None:
                self.app.bell()
                return
        elif not self.matches:
            self.app.bell()
            return
        else:
            self.match_index = (self.match_index + step) % len(self.matches)
        self._show_match()

    def key_escape(self) -> None:
        box = self.query_one("#reader-search", Input)
        if box.display:
            box.display = False
            self.focus()
        else:
            self.clear_search()

    def clear_search(self) -> None:
        """Nothing found, nothing painted (a new page, or escape)."""
        self._unpaint()
        self.matches, self.match_index = [], -1
        self.page_view.clear_search()


def _shown_text(block: MarkdownBlock) -> str:
    """The text a block shows (not its Markdown source)."""
    content = getattr(block, "_content", None)
    return getattr(content, "plain", "") or str(content or "") or (block.source or "")
