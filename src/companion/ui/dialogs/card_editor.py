"""Write or edit a flashcard: front and back (or one cloze sentence), saved with ctrl+s."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

from companion.text import clean_text


class CardEditor(ModalScreen[tuple[str, str] | None]):
    """Returns (front, back), or None when cancelled; a cloze sentence goes in the front."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, title: str, front: str = "", back: str = "", context: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.front = front
        self.back = back
        self.context = context

    def compose(self) -> ComposeResult:
        with Vertical(id="editor-dialog"):
            yield Static(clean_text(self.title_text), id="editor-title", markup=False)
            if self.context:
                yield Static(clean_text(self.context), id="editor-context", markup=False)
            yield Label("Front (or a sentence with {{cloze}} deletions)")
            yield TextArea(self.front, id="editor-front", soft_wrap=True)
            yield Label("Back (empty for a cloze)")
            yield TextArea(self.back, id="editor-back", soft_wrap=True)
            yield Static("ctrl+s save   ·   escape cancel   ·   tab next field", id="editor-hint")

    def on_mount(self) -> None:
        self.query_one("#editor-front", TextArea).focus()

    def action_save(self) -> None:
        """Save once both fields have taken every key that came before ctrl+s.

        Keys go to a field's own queue, and ctrl+s is acted on as it arrives: after a burst
        (a paste the terminal does not mark as one) the fields may still hold keys to insert.
        """
        front = self.query_one("#editor-front", TextArea)
        back = self.query_one("#editor-back", TextArea)
        front.call_later(back.call_later, self._save)

    def _save(self) -> None:
        """Return the card, unless the front is empty or a plain card has no back."""
        front = self.query_one("#editor-front", TextArea).text.strip()
        back = self.query_one("#editor-back", TextArea).text.strip()
        if not front or (not back and "{{" not in front):
            self.notify(
                "A card needs a front and a back (or a {{cloze}} in the front).", severity="warning"
            )
            return
        self.dismiss((front, back))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
