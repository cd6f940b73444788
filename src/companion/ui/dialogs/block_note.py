"""After a focus block: an optional one-line note on what was done."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from companion.text import plural


class BlockNote(ModalScreen[str | None]):
    """Returns the note, or None when the learner skips it with escape."""

    BINDINGS = [Binding("escape", "skip", "Skip")]

    def __init__(self, minutes: float) -> None:
        super().__init__()
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(
                f"Focus block done: {plural(round(self.minutes), 'minute')}. Well done.",
                id="note-title",
            )
            yield Input(
                placeholder="What did you do? (one line; enter saves, escape skips)",
                id="note-input",
                max_length=200,
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_skip(self) -> None:
        """Close without a note."""
        self.dismiss(None)
