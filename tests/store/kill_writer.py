"""Answers cards and marks items in a loop, printing each step once durable; killed by the test."""

import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.config import Settings
from companion.content.loader import load_library
from companion.paths import bundled_content_dir
from companion.services.study_session import start_review
from companion.srs.scheduling import Grade
from companion.store import open_store

STATES = ("todo", "doing", "done", "skipped")


def main() -> None:
    data_dir, start = Path(sys.argv[1]), int(sys.argv[2])
    settings = replace(Settings(), new_cards_per_day=10_000, reviews_per_day=10_000)
    store = open_store(data_dir, settings=settings)
    library = load_library([bundled_content_dir()])
    now = datetime(2026, 3, 4, 9, tzinfo=UTC) + timedelta(hours=start)
    session = start_review(library, store, settings, now)
    for step in range(start, start + 1_000_000):
        store.set_item_state("r", f"item-{step % 50}", STATES[step % 4], now)
        if session.next_card(now) is None:
            now += timedelta(days=1)
            session = start_review(library, store, settings, now)
        else:
            session.answer(Grade(1 + step % 4), now, step)
            now += timedelta(minutes=3)
        print(step, store.ledger.seq, flush=True)


if __name__ == "__main__":
    main()
