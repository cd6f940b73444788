"""`companion` with no command: open the full-screen app on the learner's data."""

import os
from pathlib import Path

from companion.cli.console import say
from companion.config import Settings
from companion.ui.startup import pause_collection

PANES = ("today", "roadmap", "reader", "review", "timer")


def run_app(data_dir: Path, settings: Settings, pane: str | None, read: Path | None = None) -> int:
    """Open the store, load the content, run the app until the learner quits."""
    pause_collection()  # the app turns it back on after its first paint
    from companion.services.content_sources import load_content
    from companion.services.sync import catch_up
    from companion.services.today_cache import sources_stamp
    from companion.store import StoreLockedError, open_store
    from companion.ui import image_protocol
    from companion.ui.app import CompanionApp

    image_protocol.start(settings.image_protocol, os.environ)  # before Textual owns stdin
    # The learner's settings: the store applies each answer with their learning steps.
    try:
        store = open_store(data_dir, settings=settings, notice=say)
    except StoreLockedError as error:
        if os.environ.get("TEXTUAL_DRIVER", "").endswith("WebDriver"):  # a browser tab
            from companion.ui.message_app import MessageApp

            MessageApp(str(error)).run()
        raise
    try:
        # the other machines' work since the last start, before the screen
        if catch_up(store, say).settings_applied:
            settings = store.settings  # their settings changes, now this machine's too
        sources = sources_stamp(data_dir)  # before they are read: an edit meanwhile shows
        library = load_content(data_dir)
        app = CompanionApp(store=store, library=library, settings=settings, pane=pane, read=read,
                           sources=sources)  # fmt: skip
        app.run()
        for line in app.timer_control.left_unsaved():  # in the terminal, not lost with the app
            say(f"companion: not saved (disk full or read-only?): {line}")
    finally:
        store.close()
    return app.return_code or 0
