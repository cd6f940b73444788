"""The Reader on a saved page of 200,000 words. Prints one JSON object.

Figures: `open_s`, from asking for the page to its first screen drawn; `search_key_ms`, for
each key of a search typed into the box (matches found and painted as you type; median and
max), with the pilot's own cost of a key that does nothing for context; `matches`; the
process's peak RSS (`peak_rss_mb`) and its RSS before the page opened.
Run: python benchmarks/reader.py [--words N]
"""

import argparse
import asyncio
import html
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

WORDS = (  # noqa: SIM905 - the words of the page, easier read as a sentence
    "gradient descent learning rate momentum batch norm layer attention token embedding loss "
    "function optimizer weight bias tensor shape matrix vector softmax logits entropy dropout "
    "residual convolution kernel stride padding pooling sequence decoder encoder transformer"
).split()
URL = "https://notes.dev/very-long-page"


def long_page(words: int, seed: int = 3) -> str:
    """Sections of paragraphs, lists and code, `words` words of prose in all."""
    rng = random.Random(seed)
    parts, count, section = ["# A very long page\n"], 0, 0
    while count < words:
        section += 1
        parts.append(f"## Section {section}: {' '.join(rng.choices(WORDS, k=3))}\n")
        for _ in range(6):
            paragraph = " ".join(rng.choices(WORDS, k=rng.randint(40, 90)))
            count += len(paragraph.split())
            parts.append(paragraph[0].upper() + paragraph[1:] + ".\n")
        items = [" ".join(rng.choices(WORDS, k=8)) for _ in range(2)]
        parts.append("".join(f"- {item}\n" for item in items))
        if section % 5 == 0:
            parts.append("```python\nfor step in range(10):\n    loss = model(x)\n```\n")
    return "\n".join(parts)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


async def measure(data_dir: Path, query: str) -> dict:
    from companion.config import Settings
    from companion.content.loader import load_library
    from companion.store import open_store
    from companion.ui.app import CompanionApp
    from companion.ui.panes.reader import ReaderPane

    settings = Settings(check_links_on_start=False)
    store = open_store(data_dir, settings=settings)
    app = CompanionApp(store, load_library([data_dir]), settings, pane="reader")
    figures: dict = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(ReaderPane)
        figures["rss_before_mb"] = round(rss_mb(), 1)
        started = time.perf_counter()
        reader._go(("saved", URL))
        while "A very long page" not in _screen(app):
            await asyncio.sleep(0.005)
        figures["open_s"] = round(time.perf_counter() - started, 3)
        while not reader.page_view.drawn:  # the rest of the page, drawn between frames
            await asyncio.sleep(0.01)
        figures["all_drawn_s"] = round(time.perf_counter() - started, 3)
        idle = []
        for _ in range(5):
            began = time.perf_counter()
            await pilot.press("f12")
            idle.append(time.perf_counter() - began)
        handled: list[float] = []
        on_changed = ReaderPane.on_input_changed

        def timed(pane, event):  # noqa: ANN001, ANN202 - the handler's own time, per key
            began = time.perf_counter()
            on_changed(pane, event)
            handled.append((time.perf_counter() - began) * 1000)

        ReaderPane.on_input_changed = timed
        await pilot.press("slash")
        keys = []
        for key in query:
            began = time.perf_counter()
            await pilot.press(key)
            keys.append((time.perf_counter() - began) * 1000)
        figures["search_handler_ms_max"] = round(max(handled), 1)
        figures["search_key_ms_median"] = round(statistics.median(keys), 1)
        figures["search_key_ms_max"] = round(max(keys), 1)
        figures["idle_key_ms"] = round(statistics.median(idle) * 1000, 1)
        figures["matches"] = (
            reader.page_view.match_count if reader.long_page else len(reader.matches)
        )
        figures["long_page_view"] = reader.long_page
    store.close()
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def _screen(app) -> str:
    """The screen as drawn (an SVG export, read as text: it costs a little)."""
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--query", default="momentum")
    args = parser.parse_args()
    from companion.paths import ensure_data_dir
    from companion.store.saved_pages import store_page

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = ensure_data_dir(Path(tmp) / "data")
        text = long_page(args.words)
        store_page(data_dir, URL, "A very long page", text, "", datetime.now(UTC))
        figures = asyncio.run(measure(data_dir, args.query))
    print(json.dumps({"words": args.words, "page_mb": round(len(text) / 1e6, 2), **figures}))


if __name__ == "__main__":
    sys.exit(main())
