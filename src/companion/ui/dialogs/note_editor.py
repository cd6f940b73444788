"""Write the learner's own Markdown notes on a roadmap item."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from companion.text import clean_text


class NoteEditor(ModalScreen[str | None]):
    """Returns the edited note (ctrl+s), or None when cancelled (escape)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, item_title: str, text: str) -> None:
        super().__init__()
        self.item_title = item_title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="notes-dialog"):
            yield Static(clean_text(f"Notes: {self.item_title}"), id="notes-title", markup=False)
            yield TextArea(self.text, id="notes-text", soft_wrap=True)
            yield Static("Markdown  ·  ctrl+s save  ·  escape cancel", id="notes-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Return the note once the field has taken every key that came before ctrl+s (after a
        burst of keys, such as an unmarked paste, some may still wait in its queue)."""
        self.query_one(TextArea).call_later(self._save)

    def _save(self) -> None:
        # Not a lambda returning dismiss's awaitable: the field would await its own removal.
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
