"""Where a link cannot open here: the link in full, to copy it or save its page."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from companion.text import clean_text


class LinkDialog(ModalScreen[str | None]):
    """`c` copies the link (OSC 52), `s` saves the page for offline reading when offered;
    escape closes. Dismissed with "copy", "save" or None."""

    BINDINGS = [
        Binding("c", "choose('copy')", "Copy link"),
        Binding("s", "choose('save')", "Save page"),
        Binding("escape,q", "choose(None)", "Close"),
    ]

    def __init__(self, url: str, reason: str, can_save: bool) -> None:
        super().__init__()
        self.url = url
        self.reason = reason
        self.can_save = can_save

    def compose(self) -> ComposeResult:
        keys = "c  copy the link" + ("      s  save the page to read here" if self.can_save else "")
        with Vertical(id="confirm-dialog"):
            yield Static(clean_text(self.reason), markup=False)
            yield Static(clean_text(self.url), markup=False, id="link-url")
            yield Static(f"{keys}      esc  close", id="confirm-keys")

    def action_choose(self, choice: str | None) -> None:
        """Close with what the learner chose."""
        if choice == "save" and not self.can_save:
            self.app.bell()
            return
        self.dismiss(choice)
