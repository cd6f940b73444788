"""Opening a link outside the app, and saying where it is when that cannot happen here."""

from collections.abc import Callable

from textual.app import App

from companion.ui.dialogs.link_dialog import LinkDialog
from companion.ui.outside import can_open_outside, open_outside

NO_DISPLAY = "No browser can open here (no display: over SSH, or on a console)."
NOT_TAKEN = "No browser took the link."


def open_elsewhere(app: App, url: str, save: Callable[[], None] | None = None) -> None:
    """Send `url` to the browser, or show it with keys to copy it and (`save`) save its page."""
    if not can_open_outside():
        offer_link(app, url, NO_DISPLAY, save)
        return

    def hand_over() -> None:
        opened = open_outside(url)
        app.call_from_thread(handed, opened)

    def handed(opened: bool) -> None:
        if opened:
            where = "your image viewer" if url.startswith("file:") else "your browser"
            app.notify(f"Sent to {where}: {url}", timeout=3)
        else:
            offer_link(app, url, NOT_TAKEN, save)

    app.run_worker(hand_over, thread=True, group="open-outside")


def offer_link(app: App, url: str, reason: str, save: Callable[[], None] | None) -> None:
    """The link in full, to copy (OSC 52) or to save its page when `save` is given."""

    def chosen(choice: str | None) -> None:
        if choice == "copy":
            app.copy_to_clipboard(url)
            app.notify(
                "Copied the link, if your terminal accepts clipboard writes (OSC 52; "
                "in tmux: set -g set-clipboard on).",
                timeout=5,
            )
        elif choice == "save" and save is not None:
            save()

    app.push_screen(LinkDialog(url, reason, save is not None), chosen)
