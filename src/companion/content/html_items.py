"""Items written in HTML inside Markdown: `<li>` and `<tr>` with their `<a href>` links.

READMEs often hold their lists in HTML (inside `<details>`, or a `<table>` of courses); read
like their Markdown equivalents, each `<li>` or table row with text is an item, its links are
its resources. Images and badges are not text.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class HtmlItem:
    """One `<li>` or `<tr>`: its text and its (title, href) links."""

    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    """A table row's cells, as text (a Duration column is read from them)."""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[HtmlItem] = []
        self.stack: list[HtmlItem] = []  # open <li>/<tr>, innermost last
        self.href: str | None = None
        self.link_text: list[str] = []
        self.header_row = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("li", "tr"):
            self.stack.append(HtmlItem())
            self.header_row = False
        elif tag == "th":
            self.header_row = True
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
            self.link_text = []
        elif tag == "td" and self.stack:
            self.stack[-1].text += " "
            self.stack[-1].cells.append("")
        elif tag == "br" and self.stack:
            self.stack[-1].text += " "

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href is not None:
            title = " ".join("".join(self.link_text).split())
            if self.stack and title and self.href and not self.href.startswith("#"):
                self.stack[-1].links.append((title, self.href))
            self.href = None
        elif tag in ("li", "tr") and self.stack:
            item = self.stack.pop()
            item.cells = [" ".join(cell.split()) for cell in item.cells]
            item.text = (
                item.cells[0] if item.cells and item.cells[0] else " ".join(item.text.split())
            )
            if item.text and not (tag == "tr" and self.header_row):
                self.items.append(item)

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1].text += data
            if self.stack[-1].cells:
                self.stack[-1].cells[-1] += data
        if self.href is not None:
            self.link_text.append(data)


def html_items(markup: str) -> list[HtmlItem]:
    """The `<li>` and `<tr>` items of an HTML fragment, in order of their end."""
    collector = _Collector()
    collector.feed(markup)
    collector.close()
    return collector.items
