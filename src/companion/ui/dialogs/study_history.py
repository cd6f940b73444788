"""The study history (`h` in the Timer, and the palette): every focus block, to credit to
another item, correct its length, note or delete, with undo."""

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from companion.store import Store
from companion.store.errors import not_saved
from companion.store.study_log import BlockGone
from companion.text import plural, shorten
from companion.ui.dialogs.confirm import Confirm
from companion.ui.safe_text import plain

MAX_BLOCK_MINUTES = 24 * 60


class HistoryTable(DataTable):
    """The blocks, newest first; the history's keys."""

    BINDINGS = [
        Binding("c", "screen.credit", "Credit to selected item"),
        Binding("e", "screen.ask('minutes')", "Correct length"),
        Binding("n", "screen.ask('note')", "Note"),
        Binding("d,delete", "screen.delete", "Delete"),
        Binding("u", "screen.undo", "Undo"),
    ]


class StudyHistory(ModalScreen[bool]):
    """Dismissed with True when the log changed."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(
        self,
        store: Store,
        selected_item: Callable[[], tuple[str | None, str | None]],
    ) -> None:
        """`selected_item` gives the id and title of the item selected in the Roadmap."""
        super().__init__()
        self.store = store
        self.selected_item = selected_item
        self.blocks: list[dict] = []
        self.undo: list[tuple[str, dict, dict | None]] = []  # (what, block now, block before)
        self.changed = False
        self._asking = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="decks-dialog"):
            yield Static(id="history-title")
            yield HistoryTable(id="history-table", cursor_type="row")
            yield Input(id="history-input")
            yield Static(
                Text(
                    "c credit to the item selected in the Roadmap  e correct length  n note  "
                    "d delete  u undo  escape close",
                    "dim",
                )
            )

    def on_mount(self) -> None:
        table = self.query_one(HistoryTable)
        # The note before the item: the learner's own words are what a narrow screen must keep.
        table.add_columns("Day", "Time", "Length", "Outcome", "Interrupted", "Note", "Item")
        self.query_one("#history-input", Input).display = False
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one(HistoryTable)
        row = table.cursor_row
        table.clear()
        blocks = [b for b in self.store.study_blocks() if b.get("phase") == "focus"]
        self.blocks = list(reversed(blocks))
        for block in self.blocks:
            started = datetime.fromtimestamp(block["started_at"]).astimezone()
            internal = block.get("interruptions_internal", 0)
            external = block.get("interruptions_external", 0)
            table.add_row(
                started.strftime("%a %d %b"),
                started.strftime("%H:%M"),
                f"{block.get('minutes', 0):.0f} min",
                block.get("outcome", ""),
                f"{internal} / {external}" if internal or external else "—",
                plain(shorten(block.get("note") or "", 40)),
                plain(shorten(block.get("item_title") or "—", 36)),
            )
        total = sum(b.get("minutes", 0) for b in self.blocks)
        self.query_one("#history-title", Static).update(
            f"Study history: {plural(len(self.blocks), 'focus block')}, {total / 60:.1f} h "
            "(interrupted: internal / external)"
        )
        if self.blocks:
            table.move_cursor(row=min(row, len(self.blocks) - 1))

    def _current(self) -> dict | None:
        row = self.query_one(HistoryTable).cursor_row
        if not self.blocks or not 0 <= row < len(self.blocks):
            self.app.bell()
            return None
        return self.blocks[row]

    def _change(self, block: dict, changes: dict, words: str) -> None:
        try:
            before = self.store.change_block(block, changes)
        except BlockGone as error:
            self.notify(str(error), severity="warning")
        except OSError as error:
            self.notify(not_saved(error), severity="error")
        else:
            self.undo.append(("change", {**before, **changes}, before))
            self.changed = True
            self.notify(f"{words} (u undoes it).", timeout=3)
        self._fill()

    def action_credit(self) -> None:
        """Credit the block to the item selected in the Roadmap pane."""
        block = self._current()
        if block is None:
            return
        item_id, title = self.selected_item()
        if item_id is None:
            self.notify("Select an item in the Roadmap first.", severity="warning")
            return
        self._change(block, {"item_id": item_id, "item_title": title}, f"Now counts for {title}")

    def action_ask(self, field: str) -> None:
        """Ask for the block's corrected length, or its note, in the line under the table."""
        block = self._current()
        if block is None:
            return
        box = self.query_one("#history-input", Input)
        self._asking = field
        if field == "minutes":
            box.placeholder = "minutes really studied (enter saves, escape cancels)"
            box.value = f"{block.get('minutes', 0):g}"
        else:
            box.placeholder = "a one-line note (enter saves, escape cancels)"
            box.value = block.get("note") or ""
        box.display = True
        self.set_focus(box)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        box = event.input
        box.display = False
        self.query_one(HistoryTable).focus()
        block = self._current()
        if block is None:
            return
        if self._asking == "note":
            self._change(block, {"note": " ".join(box.value.split())[:200]}, "Note saved")
            return
        try:
            minutes = float(box.value.replace(",", "."))
        except ValueError:
            minutes = -1
        if not 0 <= minutes <= MAX_BLOCK_MINUTES or minutes != minutes:
            self.notify(f"A length is 0 to {MAX_BLOCK_MINUTES} minutes, not {box.value!r}.",
                        severity="warning")  # fmt: skip
            return
        self._change(block, {"minutes": round(minutes, 2)}, f"Now {minutes:g} minutes")

    def action_delete(self) -> None:
        """Delete the block from the log, after asking."""
        block = self._current()
        if block is None:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                deleted = self.store.delete_block(block)
            except (BlockGone, OSError) as error:
                message = not_saved(error) if isinstance(error, OSError) else str(error)
                self.notify(message, severity="warning")
                return
            self.undo.append(("delete", deleted, None))
            self.changed = True
            self.notify("Deleted (u undoes it).", timeout=3)
            self._fill()

        minutes = block.get("minutes", 0)
        self.app.push_screen(Confirm(f"Delete this {minutes:.0f}-minute block?"), confirmed)

    def action_undo(self) -> None:
        """Take back the last change or deletion."""
        if not self.undo:
            self.app.bell()
            return
        _, now, before = self.undo.pop()
        try:
            self.store.put_back_block(now, before)
        except OSError as error:
            self.notify(not_saved(error), severity="error")
            return
        self.changed = True
        self.notify("Undone.", timeout=2)
        self._fill()

    def key_escape(self) -> None:
        box = self.query_one("#history-input", Input)
        if box.display:
            box.display = False
            self.query_one(HistoryTable).focus()
        else:
            self.dismiss(self.changed)

    def action_close(self) -> None:
        """Close."""
        self.dismiss(self.changed)
