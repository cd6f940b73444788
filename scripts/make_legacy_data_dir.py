"""Write a data directory the way release e8c354f (the last before event ids) wrote it, and
what that release's ledger made of it, for the migration test.

Run with that release's source first on the path, not this checkout's:
    git worktree add /tmp/oldrel e8c354f
    PYTHONPATH=/tmp/oldrel/src TZ=UTC .venv/bin/python scripts/make_legacy_data_dir.py \
        tests/store/fixtures/legacy-e8c354f

Three weeks of study at varied hours over a deck of 30 cards: answers, undo, bury, suspend,
unbury, Forget, an edit in the app (a relink) and a card deleted; then an Anki package
imported on top (its answers are older than the learner's), then more answers. The log is
written as that release wrote it (events with `seq`, no id; only answers have a time).
"""

import json
import shutil
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.config import Settings
from companion.content.loader import load_library
from companion.services import card_browser
from companion.services.anki_import import import_package
from companion.services.card_writing import edit_card
from companion.services.review import reconcile
from companion.services.study_session import start_review
from companion.srs.scheduling import Grade
from companion.store import open_store
from companion.store.anki_package import read_package

PACKAGE = Path(__file__).parent.parent / "tests" / "services" / "fixtures" / "anki-latest.apkg"
START = datetime(2026, 2, 2, 7, tzinfo=UTC)
SETTINGS = replace(Settings(), new_cards_per_day=8, enable_fuzzing=False)


def write_deck(data_dir: Path) -> None:
    lines = ["# Legacy deck", ""]
    for number in range(30):
        lines.append(f"What is fact {number} of the old release? :: Fact {number} answer.")
    (data_dir / "decks").mkdir(parents=True, exist_ok=True)
    (data_dir / "decks" / "legacy.md").write_text("\n".join(lines) + "\n")


def study(data_dir: Path, days: range, grades: list[int]) -> None:
    for day in days:
        now = START + timedelta(days=day, hours=(day * 5) % 14)
        store = open_store(data_dir, settings=SETTINGS)
        library = load_library([data_dir])
        reconcile(library, store)
        session = start_review(library, store, SETTINGS, now)
        for step in range(12):
            if session.next_card(now) is None:
                break
            if step == 3:
                session.bury(now)
            elif step == 5 and day % 4 == 0:
                session.suspend()
            else:
                session.answer(Grade(grades[(day + step) % len(grades)]), now, 3000)
            now += timedelta(minutes=4)
            if step == 7:
                session.undo()
        if day == 6:
            card_browser.reset_cards(store, sorted(store.ledger.records)[:2], clear_counts=False)
        if day == 9:
            cards = sorted(c for c, r in store.ledger.records.items() if r.suspended)
            card_browser.set_suspended(store, cards[:1], False)
        if day == 11:
            card = next(c for c in library.cards.values() if c.id in store.ledger.records)
            edit_card(library, store, card, card.front, card.back + " (edited)")
        if day == 13:
            gone = next(c for c in sorted(store.ledger.records) if c in library.cards)
            card_browser.delete_cards(library, store, [gone])
        store.close()


def main() -> None:
    out = Path(sys.argv[1])
    shutil.rmtree(out, ignore_errors=True)
    write_deck(out)
    study(out, range(0, 14), [3, 3, 1, 4, 2, 3])
    store = open_store(out, settings=SETTINGS)
    import_package(store, read_package(PACKAGE), START + timedelta(days=14))
    store.close()
    study(out, range(14, 21), [3, 4, 1, 3])
    store = open_store(out, settings=SETTINGS)
    ledger = store.ledger
    expected = {
        "records": {cid: r.to_row() for cid, r in sorted(ledger.records.items())},
        "days": ledger.days,
        "came_from": ledger.came_from,
    }
    store.close()
    for derived in ("scheduling.snapshot", "cache", "companion.json", "companion.lock"):
        path = out / derived
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    (out / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
