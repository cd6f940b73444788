"""The Library (`l` in the Reader, and the palette): every saved page, to open, save again or
delete, with where it came from and the roadmap items that link to it."""

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from companion.services.library_pages import LibraryEntry
from companion.text import plural, shorten
from companion.ui.dialogs.confirm import Confirm
from companion.ui.safe_text import plain


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, size // 1024)} KB"


def _date(saved: str) -> str:
    try:
        return datetime.fromisoformat(saved).astimezone().strftime("%d %b %Y")
    except ValueError:
        return "—"


class ShelfTable(DataTable):
    """The saved pages; the Library's keys."""

    BINDINGS = [
        Binding("enter", "screen.open", "Open"),
        Binding("r", "screen.resave", "Save again"),
        Binding("d,delete", "screen.delete", "Delete"),
    ]


class LibraryDialog(ModalScreen[str | None]):
    """Dismissed with the URL of the page to open, or None."""

    BINDINGS = [Binding("escape,l", "dismiss_none", "Close")]

    def __init__(
        self,
        entries: Callable[[], list[LibraryEntry]],
        resave: Callable[[str], None],
        delete: Callable[[str], bool],
    ) -> None:
        """`entries` lists the pages (read again after a delete); `resave` queues a URL to be
        fetched again; `delete` removes a saved copy (False when it was gone already)."""
        super().__init__()
        self.entries = entries
        self.resave = resave
        self.delete = delete
        self.shown: list[LibraryEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="decks-dialog"):
            yield Static(id="library-title")
            yield ShelfTable(id="library-table", cursor_type="row")
            yield Static(
                Text("enter open  r save again  d delete  escape close", "dim"), id="library-keys"
            )

    def on_mount(self) -> None:
        table = self.query_one(ShelfTable)
        table.add_columns("Title", "Saved", "Size", "Linked from", "Source")
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one(ShelfTable)
        row = table.cursor_row
        table.clear()
        self.shown = self.entries()
        for entry in self.shown:
            linked = "; ".join(shorten(item, 30) for item in entry.items) or "—"
            table.add_row(
                plain(shorten(entry.title, 40)),
                _date(entry.saved),
                _size(entry.size),
                plain(shorten(linked, 34)),
                plain(shorten(entry.url, 48)),
            )
        count = plural(len(self.shown), "saved page")
        self.query_one("#library-title", Static).update(
            Text(f"Library: {count}" if self.shown else "Library: no saved pages yet. "
                 "Press s on a roadmap item to save its pages, or run companion save URL.")
        )  # fmt: skip
        if self.shown:
            table.move_cursor(row=min(row, len(self.shown) - 1))

    def _current(self) -> LibraryEntry | None:
        table = self.query_one(ShelfTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            self.app.bell()
            return None
        return self.shown[table.cursor_row]

    def action_open(self) -> None:
        """Read the page under the cursor."""
        if (entry := self._current()) is not None:
            self.dismiss(entry.url)

    def action_resave(self) -> None:
        """Fetch the page again (it replaces the copy when the fetch succeeds)."""
        if (entry := self._current()) is not None:
            self.resave(entry.url)

    def action_delete(self) -> None:
        """Delete the saved copy, after asking."""
        entry = self._current()
        if entry is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                gone = self.delete(entry.url)
                self.notify(f"Deleted the saved copy of {entry.title}." if gone else
                            "It was already gone.", timeout=3)  # fmt: skip
                self._fill()

        self.app.push_screen(Confirm(f"Delete the saved copy of '{entry.title}'?"), confirmed)

    def action_dismiss_none(self) -> None:
        """Close."""
        self.dismiss(None)
