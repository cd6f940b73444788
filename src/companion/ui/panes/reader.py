"""The Reader pane: item pages, saved web pages and Markdown files, with history.

Web links open the saved copy when there is one (reading works with no network), else the
browser, or say where they lead; links to Markdown files open here. Contents and search live
in `reader_find`, saving pages and the Library in `reader_saving`.
"""

import asyncio
from pathlib import Path
from urllib.parse import unquote

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Markdown, Static
from textual.widgets._markdown import MarkdownBlock, MarkdownParagraph

from companion.content.errors import ContentError
from companion.content.item_page import (
    escape_inline,
    item_links,
    item_page,
    phase_page,
    roadmap_page,
)
from companion.content.loader import Library
from companion.content.local_links import resolve_local
from companion.content.markdown_limits import fit_for_reading
from companion.content.roadmap import Resource
from companion.content.textfile import read_markdown
from companion.links.extract import links_in_markdown
from companion.store.notes import read_note
from companion.store.saved_pages import load_page, page_path
from companion.text import clean_text, plural
from companion.ui import image_protocol
from companion.ui.card_markdown import IMAGE_LINE, image_renderable
from companion.ui.link_opener import open_elsewhere
from companion.ui.panes.reader_find import FindInPage
from companion.ui.panes.reader_saving import SavePages
from companion.ui.widgets.page_view import PageView
from companion.ui.widgets.pictures import Pictures

Target = tuple[str, str]


LONG_PAGE_CHARS = 150_000  # past this, a page is drawn a part at a time (PageView)


class ReaderPane(FindInPage, SavePages, VerticalScroll):
    """Shows one document at a time and remembers where the learner was in each."""

    BINDINGS = [
        Binding("o", "open_link(1)", "Open link 1", show=False),
        *(Binding(str(n), f"open_link({n})", f"Open link {n}", show=False) for n in range(1, 10)),
        Binding("s", "save_pages", "Save offline"),
        Binding("b", "history(-1)", "Back", show=False),
        Binding("f", "history(1)", "Forward", show=False),
        Binding("T", "contents", "Contents"),
        Binding("l", "library", "Library"),
        Binding("O", "open_file", "Open file", show=False),
        Binding("slash", "search", "Search"),
        Binding("n", "next_match(1)", "Next match", show=False),
        Binding("N", "next_match(-1)", "Previous match", show=False),
    ]

    def __init__(self, library: Library, data_dir: Path | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.data_dir = data_dir
        self.document_key: Target | None = None
        self.links: list[str] = []
        self.history: list[Target] = []
        self.position = -1
        self.scroll_memory: dict[str, float] = {}  # replaced by the app's, kept across runs
        self.matches: list[tuple[MarkdownBlock, int, int]] = []
        self.match_index = -1
        self._states: dict[str, str] = {}
        self._followed: Target | None = None  # the Roadmap selection last followed
        self._saves_waiting = 0
        self._save_turn = asyncio.Lock()  # saves run one after another, none is dropped
        self.long_page = False

    def on_mount(self) -> None:
        self.scroll_memory = self.app.reading_positions  # type: ignore[attr-defined]

    def remember_position(self) -> None:
        """Note where the learner is in the document on screen."""
        if self.document_key is not None:
            self.scroll_memory[_key(self.document_key)] = self._scroller().scroll_y

    def _scroller(self) -> VerticalScroll | PageView:
        """What scrolls the page on show: the pane, or the long page's own view."""
        return self.page_view if self.long_page else self

    def compose(self) -> ComposeResult:
        yield Markdown(id="reader-document", open_links=False)
        yield PageView(id="reader-page")
        yield Input(
            placeholder="Search this page (as you type; enter, then n / N)", id="reader-search"
        )

    # -- showing documents --------------------------------------------------
    def show(self, target: Target | None, states: dict[str, str], asked: bool = False) -> None:
        """Show what the Roadmap cursor is on, when it moved since it was last followed or the
        learner `asked` to read it (a new document starts fresh forward history); otherwise
        stay on what is being read."""
        self._states = states
        if target == self._followed and self.document_key is not None and not asked:
            self.refresh_marks(states)
            return
        self._followed = target
        self._go(target)

    def _go(self, target: Target | None, fragment: str = "") -> None:
        """Read `target` (at the heading `fragment` names), after the document on screen in
        the history."""
        if target is not None and target != self.document_key:
            self.history = self.history[: self.position + 1] + [target]
            self.position = len(self.history) - 1
        self._display(target, fragment)

    def refresh_marks(self, states: dict[str, str]) -> None:
        """Draw the page being read again with new link verdicts and item states, in place:
        never another document, never a history entry. Only item pages carry such marks."""
        self._states = states
        if self.document_key is not None and self.document_key[0] in ("item", "phase"):
            self._display(self.document_key)

    def _display(self, target: Target | None, fragment: str = "") -> None:
        if self.document_key is not None:
            self.scroll_memory[_key(self.document_key)] = self._scroller().scroll_y
        self.links = []
        changed = target != self.document_key
        remembered = self.scroll_memory.get(_key(target), 0.0) if target else 0.0
        if not changed:
            remembered = self._scroller().scroll_y
        self.clear_search()  # matches were on the page drawn before
        text, rewritten = fit_for_reading(clean_text(self._page(target)))
        if rewritten:  # said at the top of the page, where the reader sees it
            text = "".join(f"> *{note}*\n>\n" for note in rewritten) + "\n" + text
        self.document_key = target
        markdown, page = self.query_one(Markdown), self.page_view
        self.long_page = len(text) > LONG_PAGE_CHARS
        markdown.display, page.display = not self.long_page, self.long_page
        if self.long_page:
            markdown.update("")  # its widgets, one per block, are what made long pages slow
            page.show(text)
            updated = None
        else:
            page.show("")
            updated = markdown.update(text)

        async def restore() -> None:
            if updated is not None:
                await updated  # the blocks must be laid out before scrolling into them
                await self._draw_images()
            index = self.heading_index(fragment) if fragment else None
            if index is not None:
                self.call_after_refresh(self.go_to_heading, index)
            else:
                scroller = self._scroller()
                self.call_after_refresh(scroller.scroll_to, y=remembered, animate=False)

        self.run_worker(restore, group="reader-position", exclusive=True)

    def _page(self, target: Target | None) -> str:
        kind, key = target or ("roadmap", "")
        if kind == "file":
            return self._file_page(Path(key))
        if kind == "saved" and self.data_dir and (page := load_page(self.data_dir, key)):
            shown = self._number_links(page.markdown, page.url)
            source = f"*Saved {page.saved[:10]} from* `{page.url}` *({shown}b to go back)*"
            if page.markdown.lstrip().startswith("# "):  # the article has its own title
                return f"{source}\n\n{page.markdown}"
            return f"# {page.title}\n\n{source}\n\n{page.markdown}"
        for roadmap in self.library.roadmaps:
            if kind == "item" and (item := roadmap.find_item(key)):
                notes = read_note(self.data_dir, item.id) if self.data_dir else ""
                facts = self._numbered(item_links(roadmap.phase_of(item), item))
                return item_page(roadmap, item, self._states, notes, *facts)
            if kind == "phase" and (phase := roadmap.find_phase(key)):
                facts = self._numbered(phase.resources)
                return phase_page(roadmap, phase, self._states, *facts)
            if kind == "roadmap" and roadmap.id == key:
                return roadmap_page(roadmap)
        if self.library.roadmaps:
            return roadmap_page(self.library.roadmaps[0])
        return "# Nothing to read yet\n\nAdd a roadmap with `companion roadmap add FILE_OR_URL`."

    def _numbered(self, links: list[Resource]) -> tuple[dict, set[str]]:
        """Number these links for the keys 1-9; each one's health and whether it was saved."""
        self.links = [resource.url for resource in links]
        watch = self.app.link_watch  # type: ignore[attr-defined]
        return {r.url: watch.verdict(r.url) for r in links}, {
            r.url for r in links if self._saved(r.url)
        }

    async def _draw_images(self) -> None:
        """Draw each image standing alone in a paragraph, from a file on disk, under its alt
        text line (which still opens it when clicked): in coloured half blocks, as on cards."""
        draw = self.app.settings.card_images  # type: ignore[attr-defined]
        markdown = self.query_one(Markdown)
        for block in list(markdown.query(MarkdownParagraph)):
            match = IMAGE_LINE.match((block.source or "").strip())
            if match is None or "://" in match["path"]:
                continue
            target = resolve_local(match["path"], self._bases())
            if target is None or not target.path.is_file():
                continue
            if draw and image_protocol.chosen() == image_protocol.SIXEL:
                pictures = Pictures([(match["alt"], target.path)], classes="reader-image")
                await markdown.mount(pictures, after=block)
                continue
            picture = image_renderable(match["alt"], target.path, draw, "a click above opens")
            await markdown.mount(Static(picture, classes="reader-image"), after=block)

    def _file_page(self, path: Path) -> str:
        """A Markdown file from disk, under a line saying which."""
        try:
            text = read_markdown(path)
        except ContentError as error:
            return f"# Cannot open this file\n\n{error}\n\n*b goes back.*"
        shown = self._number_links(text, str(path))
        return f"*{escape_inline(str(path))} ({shown}b to go back)*\n\n{text}"

    def _number_links(self, text: str, source: str) -> str:
        """Take the page's links in order, so 1-9 follow them from the keyboard as on an item's
        page; the words that say so."""
        self.links = list(dict.fromkeys(link.url for link in links_in_markdown(text, source)))
        return f"{plural(len(self.links), 'link')}: 1-9 follow them; " if self.links else ""

    def _bases(self) -> list[Path]:
        """Where the relative links of the page on show are read from: a file's folder; an
        item's roadmap folder, then the notes folder (its page shows the learner's notes)."""
        kind, key = self.document_key or ("", "")
        if kind == "file":
            return [Path(key).parent]
        if kind == "saved" and self.data_dir is not None:
            return [self.data_dir / "library"]  # its images, saved beside it
        bases = [
            Path(roadmap.source).parent
            for roadmap in self.library.roadmaps
            if roadmap.source
            and (roadmap.id == key or roadmap.find_item(key) or roadmap.find_phase(key))
        ]
        if self.data_dir is not None:
            bases.append(self.data_dir / "notes")
        return bases or [Path.cwd()]

    def _saved(self, url: str) -> bool:
        return bool(self.data_dir) and page_path(self.data_dir, url).exists()  # type: ignore[arg-type]

    def action_history(self, step: int) -> None:
        """Back or forward through the documents read."""
        position = self.position + step
        if not 0 <= position < len(self.history):
            self.app.bell()
            return
        self.position = position
        self._display(self.history[position])

    # -- links and saving ---------------------------------------------------
    def action_open_link(self, number: int) -> None:
        """Open the item's n-th resource: its saved copy when there is one, else the browser."""
        if not 1 <= number <= len(self.links):
            self.app.bell()
            self.app.notify(f"This page has no link {number}.", severity="warning", timeout=3)
            return
        url = self.links[number - 1]
        if self._saved(url):
            self._go(("saved", url))
        else:
            self.open_link(url)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.prevent_default()
        event.stop()
        self.open_link(event.href)

    def open_link(self, href: str) -> None:
        """Open a web link in the browser (or say where it is, to copy or save, when none can
        open here); a Markdown file on disk in the Reader, at its heading; `#part` on this
        page; another file in the system's viewer."""
        if href.startswith(("http://", "https://")):
            open_elsewhere(self.app, href, save=lambda: self._queue_save([href]))
            return
        if href.startswith("#"):
            index = self.heading_index(unquote(href[1:]))
            if index is None or not self.go_to_heading(index):
                self.app.notify(f"No heading {href} on this page.", severity="warning")
            return
        target = resolve_local(href, self._bases())
        if target is None:
            self.app.notify(f"Not a web link or a file: {href}", severity="warning")
        elif not target.path.is_file():
            self.app.notify(f"No such file: {target.path}", severity="warning")
        elif target.is_markdown:
            self._go(("file", str(target.path)), target.fragment)
        else:
            open_elsewhere(self.app, target.path.as_uri())

    def action_open_file(self) -> None:
        """Pick a Markdown file on disk to read."""
        from companion.ui.dialogs.file_picker import FilePicker

        start = self._bases()[0]
        while not start.is_dir() and start != start.parent:
            start = start.parent

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._go(("file", str(path.resolve())))

        self.app.push_screen(FilePicker(start), chosen)


def _key(target: Target | None) -> str:
    return f"{target[0]}:{target[1]}" if target else ""
