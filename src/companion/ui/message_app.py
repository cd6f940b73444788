"""A one-line message as a whole screen: what a browser tab sees when companion cannot open
(the data directory already in use by another tab or a terminal), where a terminal would print
the line itself."""

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static


class MessageApp(App[None]):
    """Shows `message`; any of q, escape or enter closes it."""

    BINDINGS = [Binding("q,escape,enter", "quit", "Close")]
    CSS = "Static { margin: 2 4; }"

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("companion: ", "bold"), self.message, ("\n\nq closes", "dim")))
