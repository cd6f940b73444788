"""Regenerate screenshots/*.svg by driving the real app on the bundled content.

Run: python scripts/screenshots.py   (uses a throwaway data directory and a fixed clock)
"""

import asyncio
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.config import Settings
from companion.content.loader import load_library
from companion.paths import ensure_data_dir
from companion.services.content_sources import content_dirs
from companion.store import open_store
from companion.ui.app import CompanionApp

OUT = Path(__file__).resolve().parents[1] / "screenshots"
SIZE = (120, 36)


class Clock:
    """A clock the script moves, so the timer shows a realistic running block."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 4, 19, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def capture() -> None:
    clock = Clock()
    random.seed(0)  # FSRS fuzzes intervals at random: the same previews on every run
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = ensure_data_dir(Path(tmp))
        store = open_store(data_dir)
        # Screenshots never touch the network; the script's clock jumps are not absences.
        settings = Settings(check_links_on_start=False, idle_minutes=0)
        app = CompanionApp(store, load_library(content_dirs(data_dir)), settings, clock=clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("x", "down", "x", "down", "w")  # two items done, one under way
            await pilot.pause()
            app.save_screenshot("roadmap.svg", str(OUT))
            await pilot.press("down", "down", "enter")  # an item with a link, in the Reader
            await pilot.pause()
            app.save_screenshot("reader.svg", str(OUT))
            await pilot.press("p")  # a focus block on this item...
            clock.now += timedelta(minutes=25)
            app.tick()
            await pilot.pause()
            await pilot.press(*"Read the first half", "enter")  # ...its note...
            await pilot.press("p")  # ...then a short break...
            clock.now += timedelta(minutes=5)
            app.tick()
            await pilot.press("p")  # ...and the next focus block under way
            clock.now += timedelta(minutes=11, seconds=42)
            await pilot.press("c", "space", "3", "space")
            await pilot.pause()
            app.save_screenshot("review.svg", str(OUT))
            await pilot.press("t")
            app.tick()
            await pilot.pause()
            app.save_screenshot("timer.svg", str(OUT))
            await pilot.press("d")  # the day's plan, after a block and some reviews
            await pilot.pause()
            app.save_screenshot("today.svg", str(OUT))
            await pilot.press("c", "b")  # the card browser, on the cards with math in them
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("slash", *"gradient", "enter")
            await pilot.pause()
            app.save_screenshot("browser.svg", str(OUT))
        store.close()


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    asyncio.run(capture())
    print("\n".join(str(path) for path in sorted(OUT.glob("*.svg"))), file=sys.stderr)
