"""Handing a link or a file to a program outside the terminal, only where one can show it.

Python's `webbrowser` falls back to console browsers (lynx, w3m, ...) when no graphical one is
found: started under the app, they would draw over it. Over SSH or on a console with no
display, there is nowhere to open a link, and the learner is told so instead.
"""

import os
import sys
import webbrowser
from pathlib import PurePath

CONSOLE_BROWSERS = {"www-browser", "links", "links2", "elinks", "lynx", "w3m", "browsh"}


def can_open_outside() -> bool:
    """Whether a graphical browser or viewer can take a link here ($BROWSER is the learner's
    choice, unless it names a console browser)."""
    chosen = os.environ.get("BROWSER", "").split(os.pathsep)[0].strip()
    if chosen:
        return PurePath(chosen.split()[0]).name not in CONSOLE_BROWSERS
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_outside(url: str) -> bool:
    """Hand `url` to the browser (blocking: call it off the event loop); False when none took it."""
    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False
