"""How to tell the learner a block ended outside the app: the best desktop channel available.

Pure choices from the environment, so they are tested without a desktop; `send_external` runs
notify-send or osascript and never raises (a channel that fails falls through silently).
"""

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping

NOTIFY_SEND = "notify-send"
OSASCRIPT = "osascript"
OSC_777 = "osc777"
OSC_9 = "osc9"
OSC_99 = "osc99"

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f;]")


def choose_channels(
    env: Mapping[str, str],
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
) -> list[str]:
    """Desktop channels to try in order: a native notifier first, then the terminal's own."""
    channels = []
    # notify-send needs a session bus, not a display: inside tmux attached over SSH the
    # display is gone but the desktop's bus may still be there, and the other way round.
    desktop = (
        env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("DBUS_SESSION_BUS_ADDRESS")
    )
    if platform == "darwin" and which(OSASCRIPT):
        channels.append(OSASCRIPT)
    elif desktop and which(NOTIFY_SEND):
        channels.append(NOTIFY_SEND)
    # Inside tmux, TERM and TERM_PROGRAM name tmux: the terminal around it is known by the
    # variables it sets, which tmux's environment keeps.
    terminal = (env.get("TERM_PROGRAM", "") + " " + env.get("TERM", "")).lower()
    if "kitty" in terminal or env.get("KITTY_WINDOW_ID"):
        channels.append(OSC_99)
    elif (
        any(name in terminal for name in ("iterm", "wezterm", "ghostty", "windows"))
        or env.get("WT_SESSION")
        or env.get("ITERM_SESSION_ID")
        or env.get("WEZTERM_PANE")
        or env.get("GHOSTTY_RESOURCES_DIR")
    ):
        channels.append(OSC_9)
    elif any(name in terminal for name in ("foot", "rxvt", "konsole", "vte", "xterm-kitty")) or (
        env.get("VTE_VERSION")
    ):
        channels.append(OSC_777)
    return channels


def clean(text: str, limit: int = 120) -> str:
    """Text safe inside an escape sequence: no control characters, no separators."""
    return _UNSAFE.sub(" ", text)[:limit].strip()


def osc_sequence(channel: str, title: str, body: str, in_tmux: bool) -> str:
    """The terminal escape sequence for a notification, wrapped for tmux when inside it."""
    title, body = clean(title), clean(body)
    if channel == OSC_777:
        sequence = f"\x1b]777;notify;{title};{body}\x1b\\"
    elif channel == OSC_99:
        sequence = (
            f"\x1b]99;i=companion:d=0;{title}\x1b\\\x1b]99;i=companion:d=1:p=body;{body}\x1b\\"
        )
    elif channel == OSC_9:
        sequence = f"\x1b]9;{title}: {body}\x07"
    else:
        raise ValueError(f"not a terminal channel: {channel}")
    if in_tmux:
        # tmux passes a sequence through only inside a DCS wrapper, with every ESC doubled.
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence


def send_external(channel: str, title: str, body: str) -> bool:
    """Run a native notifier; False (never an exception) when it is missing or fails."""
    title, body = clean(title), clean(body)
    if channel == NOTIFY_SEND:
        command = [NOTIFY_SEND, "--app-name=companion", title, body]
    elif channel == OSASCRIPT:
        body, title = body.replace('"', "'"), title.replace('"', "'")
        script = f'display notification "{body}" with title "{title}"'
        command = [OSASCRIPT, "-e", script]
    else:
        return False
    try:
        return subprocess.run(command, capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def tmux_passthrough_hint(env: Mapping[str, str], channels: list[str]) -> str | None:
    """What to set when notifications would go through tmux to the terminal around it: tmux
    drops such sequences unless passthrough is on (tmux 3.3 and later). None otherwise."""
    if not env.get("TMUX") or not channels or not channels[0].startswith("osc"):
        return None
    return (
        "Inside tmux, desktop notifications need: set -g allow-passthrough on "
        "(in ~/.tmux.conf, tmux 3.3 or later)"
    )


def tmux_passes_through() -> bool:
    """Whether the tmux around the app lets terminal sequences through (asked of tmux; False
    when it cannot say)."""
    try:
        done = subprocess.run(
            ["tmux", "show-options", "-gqv", "allow-passthrough"],
            capture_output=True, text=True, timeout=2, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return False
    return done.stdout.strip() in ("on", "all")
