"""Three machines syncing through a folder, each with 300,000 events in its log. Prints one
JSON object.

Machine A has a collection of its own (benchmarks/review.py's), starts syncing with
`sync init`, and machines B and C, which answered the same cards over the same months, have
their logs in the folder. Figures, on A: the first start that reads B's and C's logs whole
(once), the start-up after it (with the trivial Textual app's, measured the same way), the
time to merge 100 events another machine appended while the app runs (what the app does each
second), the answer latency with sync on, and the bytes each answer adds to A's log in the
folder (the log every machine receives).
Run: python benchmarks/sync.py [--cards N] [--events N]
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).parent))
from review import (  # noqa: E402
    COMPANION_APP,
    NOW,
    START,
    answer_latencies,
    build_collection,
    startup_times,
    time_to_shown,
)

from companion.config import Settings  # noqa: E402
from companion.paths import ensure_data_dir  # noqa: E402
from companion.srs.event_order import new_event_id  # noqa: E402
from companion.srs.ledger import Ledger  # noqa: E402
from companion.srs.prior_state import was  # noqa: E402
from companion.srs.scheduling import make_scheduler  # noqa: E402


def other_machine_log(path: Path, card_ids: list[str], events: int, seed: int) -> None:
    """A machine's log of `events` answers to these cards over the same months, as its store
    writes them (ids and times of their own)."""
    rng = random.Random(seed)
    ledger = Ledger(make_scheduler(Settings(), fuzz=False))
    span = (NOW - START).total_seconds()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as log:
        for seq in range(1, events + 1):
            card = card_ids[rng.randrange(len(card_ids))]
            ts = START.timestamp() + span * seq / (events + 1) + rng.random()
            before = ledger.record(card)
            due = datetime.fromtimestamp(ts + rng.choice([1, 3, 10, 30]) * 86400, UTC)
            event = {
                "seq": seq, "id": new_event_id(ts), "kind": "review", "card": card,
                "grade": rng.choice([1, 3, 3, 3, 4]), "ts": ts, "due": due.isoformat(),
                "ms": 4000, "first": before.is_new, "was": was(before),
            }  # fmt: skip
            ledger.apply(event)
            log.write(orjson.dumps(event) + b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=30_000)
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--answers", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # this run's own user folders: the list of synced folders is written there
        os.environ["XDG_STATE_HOME"] = str(root / "state")
        os.environ["XDG_CONFIG_HOME"] = str(root / "config")
        from companion.cli.main import main as companion
        from companion.services.sync import pull_others
        from companion.store import open_store

        local, folder = ensure_data_dir(root / "a"), root / "Sync"
        build_collection(local, args.cards, args.events)
        assert companion(["--data-dir", str(local), "sync", "init", str(folder)]) == 0
        store = open_store(local)
        cards = sorted(store.ledger.records)
        store.close()
        for number, name in enumerate(("b" * 16, "c" * 16), start=1):
            other_machine_log(
                folder / "devices" / name / "events.jsonl", cards, args.events, number
            )
        # opened as `companion` opens it: on the folder, this machine's state found for it
        first_pull = time_to_shown(COMPANION_APP, str(folder), NOW.isoformat())
        floor, startup, _ = startup_times(folder)

        store = open_store(folder)  # the app's store: what it does each second, timed
        extra = folder / "devices" / ("b" * 16) / "events.jsonl"
        when = (NOW + timedelta(minutes=1)).timestamp()
        lines = b"".join(
            orjson.dumps({"seq": args.events + n, "id": new_event_id(when + n), "kind": "suspend",
                          "card": cards[n], "on": True, "ts": when + n}) + b"\n"
            for n in range(100)
        )  # fmt: skip
        with extra.open("ab") as handle:
            handle.write(lines)
        started = time.perf_counter()
        merged = pull_others(store)
        merge_ms = (time.perf_counter() - started) * 1000
        idle_started = time.perf_counter()
        pull_others(store)  # a second with nothing new
        idle_ms = (time.perf_counter() - idle_started) * 1000
        store.close()

        own_log = next(p for p in (folder / "devices").glob("*/events.jsonl")
                       if p.parent.name not in ("b" * 16, "c" * 16))  # fmt: skip
        before = own_log.stat().st_size
        latencies, _, _ = asyncio.run(answer_latencies(folder, args.answers))
        per_answer = (own_log.stat().st_size - before) / args.answers
    ms = sorted(value * 1000 for value in latencies)
    print(json.dumps({
        "machines": 3, "events_per_machine": args.events, "cards": args.cards,
        "first_startup_s": round(first_pull, 3),
        "startup_s": round(startup, 3), "floor_startup_s": round(floor, 3),
        "startup_ratio": round(startup / floor, 2),
        "merge_100_events_ms": round(merge_ms, 1), "events_merged": len(merged.events),
        "idle_check_ms": round(idle_ms, 2),
        "answer_median_ms": round(statistics.median(ms), 2),
        "answer_p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2),
        "synced_bytes_per_answer": round(per_answer), "cpu_count": os.cpu_count(),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
