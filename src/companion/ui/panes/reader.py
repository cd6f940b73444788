"""The Reader pane: the selected item's notes and resources as Markdown, links opened by the app."""

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from companion.content.item_page import item_page, phase_page, roadmap_page
from companion.content.loader import Library
from companion.content.sanitize import clean_text
from companion.store.notes import read_note


class ReaderPane(VerticalScroll):
    """Shows one document; web links open in the browser, never as local paths."""

    BINDINGS = [
        Binding("o", "open_link(1)", "Open link"),
        *(Binding(str(n), f"open_link({n})", f"Open link {n}", show=False) for n in range(1, 10)),
    ]

    def __init__(self, library: Library, data_dir: Path | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.data_dir = data_dir
        self.document_key: tuple[str, str] | None = None
        self.links: list[str] = []

    def compose(self) -> ComposeResult:
        yield Markdown(id="reader-document", open_links=False)

    def show(self, target: tuple[str, str] | None, states: dict[str, str]) -> None:
        """Show an item, a phase or a roadmap: `target` is (kind, id) from the Roadmap pane."""
        self.links = []
        text = self._page(target, states)
        self.query_one(Markdown).update(clean_text(text))
        if target != self.document_key:
            self.scroll_home(animate=False)
        self.document_key = target

    def _page(self, target: tuple[str, str] | None, states: dict[str, str]) -> str:
        kind, key = target or ("roadmap", "")
        for roadmap in self.library.roadmaps:
            if kind == "item" and (item := roadmap.find_item(key)):
                self.links = [resource.url for resource in item.resources]
                notes = read_note(self.data_dir, item.id) if self.data_dir else ""
                watch = self.app.link_watch  # type: ignore[attr-defined]
                health = {r.url: watch.verdict(r.url) for r in item.resources}
                return item_page(roadmap, item, states, notes, health)
            if kind == "phase" and (phase := roadmap.find_phase(key)):
                return phase_page(roadmap, phase, states)
            if kind == "roadmap" and roadmap.id == key:
                return roadmap_page(roadmap)
        if self.library.roadmaps:
            return roadmap_page(self.library.roadmaps[0])
        return "# Nothing to read yet\n\nAdd a roadmap file to `roadmaps/` in the data directory."

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
