"""Review at scale: 50,000 cards and 500,000 logged reviews. Prints one JSON object.

Figures: start-up to the first card shown (and a trivial Textual app's start-up, measured the
same way in the same run), answer-to-next-card latency through the pilot (median, p99), peak
RSS, bytes written per answer, and start-up once a card with history has left its deck (the
first such start reads the whole log once; later ones do not), and the card browser's search
(`browser_search_ms`: the slowest of several Anki-style searches over every card).
Run: python benchmarks/review.py [--cards N] [--reviews N]
"""

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from companion.config import Settings
from companion.content.deck import card_id
from companion.paths import ensure_data_dir
from companion.srs.ledger import Ledger
from companion.srs.prior_state import was
from companion.srs.scheduling import make_scheduler
from companion.store.ledger_snapshot import save_snapshot
from companion.store.store import REVIEW_LOG_NAME, SNAPSHOT_NAME

START = datetime(2025, 6, 1, 8, tzinfo=UTC)
NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)
CARDS_PER_DECK = 1000

TRIVIAL_APP = """
import sys, time
from textual.app import App
from textual.widgets import Static
class Trivial(App):
    def compose(self):
        yield Static("ready")
    def on_mount(self):
        self.call_after_refresh(self.ready)
    def ready(self):
        print("shown", flush=True)
        self.exit()
Trivial().run(headless=True)
"""

# The steps of `companion` (cli.main.main, then cli.open_app.run_app), with the app's clock
# fixed to the collection's date and a subclass that reports the first card on screen.
COMPANION_APP = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from companion.services.content_sources import load_content
from companion.config import load_settings
from companion.ui.startup import pause_collection
from companion.store import open_store
pause_collection()
from companion.ui.app import CompanionApp
from companion.ui.panes.review import ReviewPane
data_dir = Path(sys.argv[1])
now = datetime.fromisoformat(sys.argv[2])
settings = load_settings(data_dir)
store = open_store(data_dir, settings=settings)
from companion.services.sync import catch_up
catch_up(store, lambda line: print(line, file=sys.stderr))
class Probe(CompanionApp):
    def on_mount(self):  # after CompanionApp's own (Textual calls each class's handler)
        self.call_after_refresh(self.ready)
    def ready(self):
        assert self.screen.query_one(ReviewPane).session.current is not None
        print("shown", flush=True)
        self.exit()
app = Probe(store, load_content(data_dir), settings, pane="review",
            clock=lambda: now)
app.run(headless=True)
store.close()
"""


def build_collection(data_dir: Path, cards: int, reviews: int) -> None:
    """Decks of `front :: back` cards and a review log with a matching snapshot."""
    rng = random.Random(7)
    ids = []
    for deck in range(cards // CARDS_PER_DECK):
        lines = [f"# Synthetic deck {deck}\n"]
        for number in range(CARDS_PER_DECK):
            front = f"Deck {deck} question {number}: what is term {rng.randrange(10**6)}?"
            back = f"Answer {number} of deck {deck}, definition {rng.randrange(10**6)}."
            lines.append(f"{front} :: {back}")
            ids.append(card_id("basic", front, back))
        (data_dir / "decks" / f"synthetic-{deck:03d}.md").write_text("\n".join(lines) + "\n")
    ledger = Ledger(make_scheduler(Settings(), fuzz=False))
    span = (NOW - START).total_seconds()
    with (data_dir / REVIEW_LOG_NAME).open("w") as log:
        for seq in range(1, reviews + 1):
            card = ids[(seq * 7919) % len(ids)]
            ts = START.timestamp() + span * seq / (reviews + 1)
            before = ledger.record(card)
            days = rng.choice([1, 3, 10, 30, 90]) if seq < reviews * 0.98 else 0.0007
            event = {
                "seq": seq, "kind": "review", "card": card, "grade": rng.choice([1, 3, 3, 3, 4]),
                "ts": ts, "due": datetime.fromtimestamp(ts + days * 86400, UTC).isoformat(),
                "ms": 4000, "first": before.is_new, "was": was(before),
            }  # fmt: skip
            ledger.apply(event)
            log.write(json.dumps(event, separators=(",", ":")) + "\n")
    save_snapshot(data_dir / SNAPSHOT_NAME, ledger, (data_dir / REVIEW_LOG_NAME).stat().st_size)
    (data_dir / "config.toml").write_text(
        "reviews_per_day = 100000\nnew_cards_per_day = 100\ncheck_links_on_start = false\n"
    )


def time_to_shown(script: str, *args: str) -> float:
    """Seconds from launching a Python process until it prints `shown`."""
    started = time.perf_counter()
    # As an installed companion starts: with its compiled modules (pip writes them at install;
    # a PYTHONDONTWRITEBYTECODE in the environment would make every start compile the source)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    process = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    _, err = process.communicate(timeout=120)
    if line.strip() != "shown":
        raise RuntimeError(f"start-up probe failed: {err[-2000:]}")
    return elapsed


def startup_times(data_dir: Path, rounds: int = 5) -> tuple[float, float, float]:
    """The best of `rounds` start-ups of the trivial app and of companion, run in turns so a
    noisy moment of the machine falls on both alike, and the very first companion start
    (which fills the parse caches: not in the best of), as `(floor, best, first)`."""
    first = time_to_shown(COMPANION_APP, str(data_dir), NOW.isoformat())
    floors, starts = [], []
    for _ in range(rounds):
        floors.append(time_to_shown(TRIVIAL_APP))
        starts.append(time_to_shown(COMPANION_APP, str(data_dir), NOW.isoformat()))
    return min(floors), min(starts), first


def startup_with_an_orphan(data_dir: Path) -> tuple[float, float]:
    """Start-up after a card with history is deleted from its deck: the first start looks its
    text up in the whole log (to re-link an edit); later ones only read what the log gained."""
    deck = data_dir / "decks" / "synthetic-000.md"
    lines = deck.read_text().splitlines(keepends=True)
    deck.write_text("".join(lines[:5] + lines[6:]))
    first = time_to_shown(COMPANION_APP, str(data_dir), NOW.isoformat())
    warm = min(time_to_shown(COMPANION_APP, str(data_dir), NOW.isoformat()) for _ in range(3))
    return first, warm


def written_bytes() -> int:
    """Bytes this process has asked the kernel to write so far (wchar)."""
    with open("/proc/self/io") as io:
        return next(int(line.split()[1]) for line in io if line.startswith("wchar"))


async def answer_latencies(data_dir: Path, answers: int) -> tuple[list[float], float, float]:
    """Answer cards through the pilot.

    Latency runs from the grade key reaching the app to the first frame composed with the next
    card on show (the app's `_display` is wrapped to see frames, since the headless driver
    draws nothing). Also returns bytes written per answer and the pilot's own cost of a key
    press that does nothing, for context.
    """
    from textual import events

    from companion.config import load_settings
    from companion.services.content_sources import load_content
    from companion.store import open_store
    from companion.ui.app import CompanionApp
    from companion.ui.panes.review import ReviewPane
    from companion.ui.startup import pause_collection

    # Loaded as `companion` loads it (cli.open_app.run_app): collector paused until the first
    # paint, decks and roadmaps from the caches, so cards are unpacked as the queue reaches them.
    pause_collection()
    settings = load_settings(data_dir)
    store = open_store(data_dir, settings=settings)
    app = CompanionApp(store, load_content(data_dir), settings, pane="review",
                       clock=lambda: NOW)  # fmt: skip
    probe = {"key_at": None, "card": None, "latency": None}

    def on_message(message: object) -> None:
        if isinstance(message, events.Key) and message.key in "1234" and probe["key_at"] is None:
            probe["key_at"] = time.perf_counter()

    latencies = []
    async with app.run_test(size=(120, 36), message_hook=on_message) as pilot:
        review = app.screen.query_one(ReviewPane)
        display = app._display

        def timed_display(screen, renderable):  # noqa: ANN001
            display(screen, renderable)
            shown = review.session.current
            if probe["key_at"] is not None and probe["latency"] is None and shown != probe["card"]:
                probe["latency"] = time.perf_counter() - probe["key_at"]

        app._display = timed_display
        await pilot.pause()
        started = time.perf_counter()
        for _ in range(20):
            await pilot.press("z")
        noop_press = (time.perf_counter() - started) / 20
        before = written_bytes()
        for number in range(answers):
            await pilot.press("space")
            probe.update(key_at=None, card=review.session.current, latency=None)
            await pilot.press("1234"[number % 4])
            while probe["latency"] is None:
                await pilot.pause(0.001)
            latencies.append(probe["latency"])
        per_answer = (written_bytes() - before) / answers
    store.close()
    return latencies, per_answer, noop_press


SEARCHES = [
    "term 4242",
    "deck:synthetic-007",
    "is:due",
    "is:review -deck:synthetic-00*",
    "prop:lapses>3",
    "tag:none or definition 77*",
    "is:new prop:reps=0",
]


async def browser_search(data_dir: Path) -> dict:
    """The card browser at this size: building its rows (every deck decoded), each search of
    SEARCHES alone, and search plus drawing the table in the real app through the pilot."""
    from companion.config import load_settings
    from companion.services.card_browser import browser_rows, query_context
    from companion.services.content_sources import load_content
    from companion.srs.card_query import search
    from companion.store import open_store
    from companion.ui.app import CompanionApp
    from companion.ui.dialogs.card_browser import CardBrowser
    from companion.ui.panes.review import ReviewPane

    settings = load_settings(data_dir)
    store = open_store(data_dir, settings=settings)
    library = load_content(data_dir)
    started = time.perf_counter()
    rows = browser_rows(library, store, NOW, set())
    rows_s = time.perf_counter() - started
    context = query_context(library, store, NOW)
    search_ms = []
    for query in SEARCHES:
        started = time.perf_counter()
        search(rows, query, context)
        search_ms.append((time.perf_counter() - started) * 1000)
    app = CompanionApp(store, library, settings, pane="review", clock=lambda: NOW)
    shown_ms = []
    async with app.run_test(size=(140, 40)) as pilot:
        app.screen.query_one(ReviewPane).action_browse()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, CardBrowser)  # it opened on every card: a first search ran
        for query in SEARCHES:
            browser.query_one("#browser-search").value = query
            started = time.perf_counter()
            browser._run_search()  # what a keystroke runs once typing pauses
            shown_ms.append((time.perf_counter() - started) * 1000)
    store.close()
    return {
        "browser_rows_s": round(rows_s, 2),
        "browser_search_ms": round(max(search_ms), 1),
        "browser_search_median_ms": round(statistics.median(search_ms), 1),
        "browser_search_and_table_ms": round(max(shown_ms), 1),
        "browser_search_and_table_median_ms": round(statistics.median(shown_ms), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=50_000)
    parser.add_argument("--reviews", type=int, default=500_000)
    parser.add_argument("--answers", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = ensure_data_dir(Path(tmp) / "data")
        build_started = time.perf_counter()
        build_collection(data_dir, args.cards, args.reviews)
        build_s = time.perf_counter() - build_started
        floor, startup, first_startup = startup_times(data_dir)
        orphan_first, orphan_warm = startup_with_an_orphan(data_dir)
        latencies, per_answer, noop_press = asyncio.run(answer_latencies(data_dir, args.answers))
        browser = asyncio.run(browser_search(data_dir))
        log_mb = (data_dir / REVIEW_LOG_NAME).stat().st_size / 1e6
    ms = sorted(value * 1000 for value in latencies)
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024  # fmt: skip
    print(json.dumps({
        "cards": args.cards, "review_log_entries": args.reviews, "answers_timed": len(ms),
        "startup_s": round(startup, 3), "floor_startup_s": round(floor, 3),
        "startup_ratio": round(startup / floor, 2), "first_startup_s": round(first_startup, 3),
        "answer_median_ms": round(statistics.median(ms), 2),
        "answer_p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2),
        "pilot_noop_press_ms": round(noop_press * 1000, 1),
        "orphan_first_startup_s": round(orphan_first, 3),
        "orphan_startup_s": round(orphan_warm, 3),
        "peak_rss_mb": round(peak, 1), "bytes_per_answer": round(per_answer),
        "review_log_mb": round(log_mb, 1), "build_s": round(build_s, 1), **browser,
        "cpu_count": os.cpu_count(),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
