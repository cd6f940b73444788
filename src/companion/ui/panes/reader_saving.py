"""Saving pages for offline reading, one save after another, and the Library of them all."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.containers import VerticalScroll

from companion.content.loader import Library
from companion.links.extract import is_remote
from companion.store.errors import not_saved
from companion.store.saved_pages import delete_page, load_page, store_page
from companion.text import plural

if TYPE_CHECKING:  # a mixin of the Reader pane: typed as the widget it is mixed into
    _Pane = VerticalScroll
else:  # at run time a plain class, so it adds no CSS or flags of a widget of its own
    _Pane = object


class SavePages(_Pane):
    """`s` saves the item's pages (saves queue, each ends in a message); `l` the Library.
    The pane provides the page being read, its links, history and redrawing."""

    document_key: tuple[str, str] | None
    links: list[str]
    data_dir: Path | None
    library: Library
    position: int
    _states: dict[str, str]
    _saves_waiting: int
    _save_turn: asyncio.Lock

    def action_save_pages(self) -> None:
        """Save the web pages of this item (and its section's), or of this section, for
        reading offline (in the background)."""
        kind, key = self.document_key or ("", "")
        urls = [url for url in self.links if is_remote(url)]
        if kind not in ("item", "phase") or not urls:
            self.app.notify("Open a roadmap item with web links to save them.", timeout=3)
            return
        self._queue_save(urls)

    def _queue_save(self, urls: list[str], item_id: str | None = None) -> None:
        """Save pages in turn after any save under way, for `item_id` or the item being read."""
        kind, key = self.document_key or ("", "")
        key = item_id if item_id is not None else key if kind in ("item", "phase") else ""
        pages = plural(len(urls), "page")
        if self._saves_waiting:
            self.app.notify(f"Queued: {pages}, saved after the save under way.", timeout=3)
        else:
            self.app.notify(f"Saving {pages} for offline reading…", timeout=3)
        self._saves_waiting += 1
        self._save(urls, key)

    @work(group="save-pages")
    async def _save(self, urls: list[str], item_id: str) -> None:
        try:
            async with self._save_turn:
                await self._save_now(urls, item_id)
        finally:
            self._saves_waiting -= 1

    async def _save_now(self, urls: list[str], item_id: str) -> None:
        # Only saving needs the HTTP client and trafilatura, both slow to import.
        import httpx

        from companion.links.fetch import FetchError, deadline_for
        from companion.links.snapshot import save_page
        from companion.services.link_check import user_agent

        settings = self.app.settings  # type: ignore[attr-defined]
        saved, failed = 0, []
        async with httpx.AsyncClient(
            headers={"User-Agent": user_agent(settings)}, timeout=settings.link_timeout_seconds
        ) as client:
            for url in urls:
                try:
                    page = await save_page(client, url, deadline_for(settings.link_timeout_seconds))
                    store_page(
                        self.data_dir,
                        page.url,
                        page.title,
                        page.markdown,
                        item_id,  # type: ignore[arg-type]
                        datetime.now(UTC),
                        page.images,
                    )
                except FetchError as error:
                    failed.append(str(error))
                    continue
                except OSError as error:
                    failed.append(f"{url}: {not_saved(error)}")
                    continue
                saved += 1
        if saved:
            self.app.notify(
                f"Saved {plural(saved, 'page')}: press 1-9 to read "
                f"{'it' if saved == 1 else 'them'} offline."
            )
        for message in failed[:3]:
            self.app.notify(message, severity="warning", timeout=8)
        if len(failed) > 3:
            self.app.notify(f"{len(failed) - 3} more pages not saved.", severity="warning")
        self.refresh_marks(self._states)

    # -- the library ----------------------------------------------------------
    def action_library(self) -> None:
        """Every saved page: open one, save it again, or delete it."""
        from companion.services.library_pages import library_entries
        from companion.ui.dialogs.library import LibraryDialog

        if self.data_dir is None:
            return
        data_dir = self.data_dir

        def resave(url: str) -> None:
            page = load_page(data_dir, url)
            self._queue_save([url], page.item_id if page else "")

        def delete(url: str) -> bool:
            gone = delete_page(data_dir, url)
            if self.document_key == ("saved", url):  # no longer there to read: step back
                if self.position > 0:
                    self.action_history(-1)
                else:
                    self._display(None)
            self.refresh_marks(self._states)
            return gone

        def chosen(url: str | None) -> None:
            if url is not None:
                self._go(("saved", url))

        self.app.push_screen(
            LibraryDialog(lambda: library_entries(data_dir, self.library), resave, delete),
            chosen,
        )
