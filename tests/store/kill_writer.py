"""Writes to a store in a loop, printing each step once it is durable; killed by the test."""

import sys
from datetime import UTC, datetime
from pathlib import Path

from companion.srs.scheduling import new_card_state
from companion.store import open_store

STATES = ("todo", "doing", "done", "skipped")


def main() -> None:
    store = open_store(Path(sys.argv[1]))
    start = int(sys.argv[2])
    now = datetime(2026, 3, 4, 9, tzinfo=UTC)
    for step in range(start, start + 1_000_000):
        store.set_item_state("r", f"item-{step % 50}", STATES[step % 4], now)
        card = f"{step % 30:016x}"
        store.record_review(card, 1 + step % 4, new_card_state(card, now), now, step)
        print(step, flush=True)


if __name__ == "__main__":
    main()
