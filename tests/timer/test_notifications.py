import pytest

from companion.timer.notifications import (
    NOTIFY_SEND,
    OSASCRIPT,
    OSC_9,
    OSC_99,
    OSC_777,
    choose_channels,
    osc_sequence,
)


def which_all(name: str) -> str:
    return f"/usr/bin/{name}"


def which_none(name: str) -> None:
    return None


@pytest.mark.parametrize(
    ("env", "platform", "which", "expected"),
    [
        ({"DISPLAY": ":0", "TERM": "xterm-256color"}, "linux", which_all, [NOTIFY_SEND]),
        ({"WAYLAND_DISPLAY": "wl-0", "TERM": "foot"}, "linux", which_all, [NOTIFY_SEND, OSC_777]),
        ({"DISPLAY": ":0", "TERM": "foot"}, "linux", which_none, [OSC_777]),
        ({"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "1"}, "linux", which_none, [OSC_99]),
        ({"TERM_PROGRAM": "iTerm.app"}, "darwin", which_all, [OSASCRIPT, OSC_9]),
        ({"TERM_PROGRAM": "WezTerm"}, "linux", which_none, [OSC_9]),
        ({"VTE_VERSION": "7200", "TERM": "xterm-256color"}, "linux", which_none, [OSC_777]),
        ({"TERM": "screen", "TMUX": "/tmp/tmux"}, "linux", which_none, []),
        # inside tmux: the terminal around it, known by the variables it left behind
        (
            {"TERM": "tmux-256color", "TERM_PROGRAM": "tmux", "KITTY_WINDOW_ID": "3"},
            "linux",
            which_none,
            [OSC_99],
        ),  # fmt: skip
        ({"TERM_PROGRAM": "tmux", "ITERM_SESSION_ID": "w0t0p0"}, "darwin", which_none, [OSC_9]),
        ({"TERM_PROGRAM": "tmux", "WEZTERM_PANE": "0"}, "linux", which_none, [OSC_9]),
        # a session bus without a display (tmux over SSH on the desktop machine): notify-send
        (
            {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus", "TMUX": "/tmp/t"},
            "linux",
            which_all,
            [NOTIFY_SEND],
        ),  # fmt: skip
        ({}, "linux", which_all, []),  # no display, unknown terminal: toast and bell only
    ],
)
def test_channel_is_chosen_from_the_environment(env, platform, which, expected):
    assert choose_channels(env, platform, which) == expected


def test_osc_sequences_and_tmux_wrapping():
    assert osc_sequence(OSC_777, "Done", "Break", False) == "\x1b]777;notify;Done;Break\x1b\\"
    assert osc_sequence(OSC_9, "Done", "Break", False) == "\x1b]9;Done: Break\x07"
    assert osc_sequence(OSC_99, "Done", "Break", False).startswith("\x1b]99;i=companion:d=0;Done")
    wrapped = osc_sequence(OSC_9, "Done", "Break", True)
    assert wrapped == "\x1bPtmux;\x1b\x1b]9;Done: Break\x07\x1b\\"


def test_untrusted_text_cannot_break_out_of_the_sequence():
    sequence = osc_sequence(OSC_777, "Item \x1b]0;evil\x07", "a;b\x1b[31m", False)
    assert sequence.count("\x1b") == 2  # only the sequence's own ESC ]  and ESC \
    assert "evil" in sequence and "\x07" not in sequence


def test_inside_tmux_the_passthrough_setting_is_named_when_it_is_needed():
    from companion.timer.notifications import tmux_passthrough_hint

    assert "allow-passthrough on" in tmux_passthrough_hint({"TMUX": "/tmp/t"}, [OSC_9])
    assert tmux_passthrough_hint({"TMUX": "/tmp/t"}, [NOTIFY_SEND]) is None  # no tmux in between
    assert tmux_passthrough_hint({}, [OSC_9]) is None
