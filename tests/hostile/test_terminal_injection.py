"""File names and texts are untrusted: no escape sequence reaches the terminal, no markup is read.

The raw output of the real app, run in a pseudo-terminal, is checked byte for byte.
"""

import os
import pty
import select
import sys
import time
from pathlib import Path

from companion.paths import ensure_data_dir

from ..ui.helpers import screen_text

HOSTILE_NAMES = [
    "\x1b]52;c;aGFja2Vk\x1b\\clipboard.md",  # OSC 52: writes the clipboard
    "\x1b]0;pwned\x07title.md",  # OSC 0: sets the window title
    "\x1bPq#0;2;0;0;0\x1b\\sixel.md",  # DCS
]
DECK = "Q: What is a tensor?\nA: An array.\n\nbroken :: \n"


def run_in_pty(data_dir: Path, keys: list[tuple[float, bytes]], limit_s: float = 30) -> bytes:
    """Run `companion` on a pseudo-terminal, type `keys` at their times; all it wrote."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command line, as a learner starts it
        os.environ.update(TERM="xterm-256color", COLUMNS="120", LINES="36")
        os.execv(
            sys.executable,
            [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "--pane", "review"],
        )
    output, start, pending = b"", time.monotonic(), list(keys)
    while time.monotonic() - start < limit_s:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        while pending and time.monotonic() - start >= pending[0][0]:
            os.write(fd, pending.pop(0)[1])
    else:
        os.kill(pid, 9)
    os.waitpid(pid, 0)
    os.close(fd)
    return output


def test_hostile_file_names_put_no_escape_sequence_on_the_terminal(tmp_path: Path):
    data_dir = ensure_data_dir(tmp_path / "data")
    (data_dir / "config.toml").write_text("check_links_on_start = false\nnotify_desktop = false\n")
    for name in HOSTILE_NAMES:
        (data_dir / "decks" / name).write_text(DECK)
    # The toasts name each file; then card info (i) shows the deck path of the card on show.
    output = run_in_pty(data_dir, [(4.0, b"i"), (5.5, b"q"), (6.5, b"q")])
    assert b"Content problem" in output or b"Content" in output  # the toasts were drawn
    assert b"\x1b]52" not in output and b"aGFja2Vk\x1b" not in output
    assert b"\x1b]0;" not in output and b"\x1b]2;" not in output
    assert b"\x1bP" not in output
    # The only operating-system commands are Textual's own pointer-shape resets (OSC 22).
    osc = {output[i : i + 5] for i in range(len(output)) if output.startswith(b"\x1b]", i)}
    assert osc <= {b"\x1b]22;"}


async def test_brackets_in_file_names_and_items_are_text_never_markup(
    data_dir: Path, make_app, tmp_path: Path
):
    for name in ("lecture [t=1:30].md", "[@click=app.quit].md", "notes [optional].md"):
        (data_dir / "decks" / name).write_text(DECK)
    (data_dir / "roadmaps" / "marks.md").write_text(
        "# Marks\n\n## Phase one\n\n- Notes on a:b [x=y:z]\n- [optional] reading\n"
    )
    app = make_app(pane="timer", bundled=False)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "lecture [t=1:30].md" in text
        assert "notes [optional].md" in text
        assert "[@click=app.quit].md" in text
        await pilot.click("Toast")  # a click on the toast is not a link that quits
        assert app.is_running
        item = next(i for r in app.library.roadmaps for i in r.items if "x=y:z" in i.text)
        app.selected_item_id = item.id
        await pilot.press("l")
        await pilot.pause()
        assert "Notes on a:b [x=y:z]" in screen_text(app)
        assert app.is_running
