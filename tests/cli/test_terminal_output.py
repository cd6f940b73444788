"""What a command prints to a terminal holds no escape sequence a package, a file or a page
put in its text (#28: `cards import` printed note GUIDs raw, so `ESC ]0;... BEL ESC [2J` set
the terminal's title and cleared it). Run in a real pseudo-terminal."""

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.services.anki_packages import PackageBuilder

HOSTILE = "\x1b]0;pwned\x07\x1b[2Jguid"


def run_in_terminal(*args: str) -> bytes:
    """Everything the command writes to a pseudo-terminal (stdout and stderr)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "companion", *args],
        stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, close_fds=True,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command ended and its side closed
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=60)
    os.close(leader)
    return seen


def test_a_hostile_guid_reaches_the_terminal_cleaned(tmp_path: Path):
    package = PackageBuilder(modern=True)
    basic = package.notetype(10, "Basic", ["Front", "Back"])
    package.note(1, HOSTILE, basic, ["Front?", "Back."])  # a note with no card: told of
    package.note(2, "fine", basic, ["Fine?", "Yes."])
    package.card(201, 2, 1)
    path = package.write(tmp_path / "hostile.apkg")
    seen = run_in_terminal("--data-dir", str(tmp_path / "data"), "cards", "import", str(path))
    assert b"Imported 1 new note" in seen
    assert b"note guid: no note type or no card; skipped" in seen  # told, the sequence gone
    assert b"\x1b" not in seen and b"\x07" not in seen


def test_a_sequence_cut_between_two_writes_is_cleaned_whole():
    from companion.cli.terminal_output import CleanLines

    written: list[str] = []

    class Sink:
        def write(self, text: str) -> None:
            written.append(text)

        def flush(self) -> None:
            pass

    lines = CleanLines(Sink())  # type: ignore[arg-type]
    lines.write("one \x1b[2")  # a sequence cut between two writes
    lines.write("Jline\nand a prompt: ")
    lines.flush()
    assert "".join(written) == "one line\nand a prompt: "
