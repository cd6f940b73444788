"""Reading what the app shows, as text."""

import html
import re
import stat
import webbrowser
from collections import defaultdict
from pathlib import Path

import pytest
from textual.app import App

_TEXT = re.compile(r'<text[^>]*?x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>')
CELL_WIDTH = 12.2  # Textual's SVG export draws one terminal cell 12.2 px wide


def screen_text(app: App) -> str:
    """The visible screen as plain text, rebuilt cell by cell from a real screenshot export."""
    svg = app.export_screenshot()
    rows: dict[float, dict[int, str]] = defaultdict(dict)
    for x, y, raw in _TEXT.findall(svg):
        column = round(float(x) / CELL_WIDTH)
        for offset, char in enumerate(html.unescape(raw).replace("\xa0", " ")):
            rows[float(y)][column + offset] = char
    lines = []
    for y in sorted(rows):
        cells = rows[y]
        lines.append("".join(cells.get(i, " ") for i in range(max(cells) + 1)).rstrip())
    return "\n".join(lines)


def recording_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$BROWSER set to a real program that writes each URL it is given to a file (returned):
    what the app sends to the browser is read back from there."""
    received = tmp_path / "browser-received.txt"
    program = tmp_path / "record-url"
    program.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {received}\n')
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BROWSER", f"{program} %s")
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # read $BROWSER again
    received.touch()
    return received


async def wait_for(pilot, condition, seconds: float = 5.0) -> bool:
    """Pause until `condition()` holds (layout and scrolling finish on their own time on a
    busy machine); whether it came true before `seconds` ran out."""
    waited = 0.0
    while not condition() and waited < seconds:
        await pilot.pause(0.05)
        waited += 0.05
    return bool(condition())
