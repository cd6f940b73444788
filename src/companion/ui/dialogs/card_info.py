"""The `i` dialog: a card's scheduling state and its whole review history."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class CardInfo(ModalScreen[None]):
    """Shows what is known about one card; the history arrives from a background read."""

    BINDINGS = [Binding("escape,i,q", "dismiss", "Close")]

    def __init__(self, summary: Text) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="info-dialog"):
            yield Static(self.summary, id="info-summary")
            yield Static(Text("Reading the review history…", "dim"), id="info-history")
            yield Static(Text("escape to close", "dim"))

    def show_history(self, history: Text) -> None:
        """Fill in the history once it has been read from the log."""
        self.query_one("#info-history", Static).update(history)
