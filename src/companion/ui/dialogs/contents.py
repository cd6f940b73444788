"""A long document's table of contents: pick a heading to jump to it."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class Contents(ModalScreen[int | None]):
    """Returns the index of the chosen heading, or None."""

    BINDINGS = [Binding("escape,T", "dismiss_none", "Close")]

    def __init__(self, headings: list[tuple[int, str]]) -> None:
        super().__init__()
        self.headings = headings

    def compose(self) -> ComposeResult:
        with Vertical(id="contents-dialog"):
            yield Static("Contents", id="contents-title")
            yield OptionList(
                *(Option("  " * (level - 1) + label) for level, label in self.headings)
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_dismiss_none(self) -> None:
        """Close without jumping."""
        self.dismiss(None)
