"""The Reader pane: the selected item's notes and resources as Markdown, links opened by the app."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from companion.content.item_page import item_page, roadmap_page
from companion.content.loader import Library
from companion.content.sanitize import clean_text


class ReaderPane(VerticalScroll):
    """Shows one document; web links open in the browser, never as local paths."""

    BINDINGS = [
        Binding("o", "open_link(1)", "Open link"),
        *(Binding(str(n), f"open_link({n})", f"Open link {n}", show=False) for n in range(1, 10)),
    ]

    def __init__(self, library: Library, **kwargs) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.document_key: tuple[str | None, str | None] | None = None
        self.links: list[str] = []

    def compose(self) -> ComposeResult:
        yield Markdown(id="reader-document", open_links=False)

    def show(self, roadmap_id: str | None, item_id: str | None, states: dict[str, str]) -> None:
        """Show the item, or the roadmap's overview when no item is chosen."""
        key = (roadmap_id, item_id)
        found = self.library.find_item(item_id) if item_id else None
        self.links = []
        if found:
            roadmap, item = found
            text = item_page(roadmap, item, states)
            self.links = [resource.url for resource in item.resources]
        else:
            roadmap = next((r for r in self.library.roadmaps if r.id == roadmap_id), None)
            roadmap = roadmap or (self.library.roadmaps[0] if self.library.roadmaps else None)
            text = roadmap_page(roadmap) if roadmap else "# Nothing to read yet\n\nAdd a roadmap."
        self.query_one(Markdown).update(clean_text(text))
        if key != self.document_key:
            self.scroll_home(animate=False)
        self.document_key = key

    def action_open_link(self, number: int) -> None:
        """Open the item's n-th resource, so links need no mouse."""
        if not 1 <= number <= len(self.links):
            self.app.bell()
            self.app.notify(f"This page has no link {number}.", severity="warning", timeout=3)
            return
        self.open_link(self.links[number - 1])

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.prevent_default()
        event.stop()
        self.open_link(event.href)

    def open_link(self, href: str) -> None:
        """Open a web link in the browser; anything else is refused with a notice."""
        if href.startswith(("http://", "https://")):
            self.app.open_url(href)
            self.app.notify(f"Opened {href}", timeout=3)
        else:
            self.app.notify(f"Not a web link: {href}", severity="warning")
