"""A data directory written by the release before event ids (e8c354f, see
scripts/make_legacy_data_dir.py) opens with every card as that release had it: its events get
ids and times in the order they were written, nothing is lost or moved.

Only FSRS's stability and difficulty may differ: that release counted the time between answers
in 24-hour periods, this one in study days as Anki does (tests/srs/test_study_days.py)."""

import json
import shutil
from pathlib import Path

from companion.config import Settings
from companion.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "legacy-e8c354f"
SETTINGS = Settings(new_cards_per_day=8, enable_fuzzing=False)


def without_memory(row: list) -> list:
    fsrs = row[1] and {k: v for k, v in row[1].items() if k not in ("stability", "difficulty")}
    return [row[0], fsrs, *row[2:]]


def test_an_old_release_data_directory_opens_with_every_card_as_it_was(tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE, data_dir)
    log_before = (data_dir / "reviews.jsonl").read_bytes()
    expected = json.loads((FIXTURE / "expected.json").read_text())
    for _ in range(2):  # rebuilt from the log, then from the snapshot it saved
        store = open_store(data_dir, settings=SETTINGS)
        ledger = store.ledger
        assert {cid: without_memory(r.to_row()) for cid, r in ledger.records.items()} == {
            cid: without_memory(row) for cid, row in expected["records"].items()
        }
        assert ledger.days == {d: c for d, c in expected["days"].items() if c != [0, 0, 0]}
        assert ledger.came_from == expected["came_from"]
        assert store.problems == []
        store.close()
    assert (data_dir / "reviews.jsonl").read_bytes() == log_before  # read, never rewritten


def test_an_old_release_log_takes_new_events_after_its_own(tmp_path: Path):
    """An undo written by the new release cancels an answer the old one logged."""
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE, data_dir)
    store = open_store(data_dir, settings=SETTINGS)
    lines = (data_dir / "reviews.jsonl").read_text().splitlines()
    last = json.loads(next(line for line in reversed(lines) if '"kind":"review"' in line))
    before = store.ledger.records[last["card"]].to_row()
    assert before[2] >= 1
    store.commit({"kind": "undo", "target": f"~{last['seq']:012d}", "card": last["card"]})
    after = store.ledger.records[last["card"]].to_row()
    assert after[2] == before[2] - 1
    store.close()
    again = open_store(data_dir, settings=SETTINGS)
    assert again.ledger.records[last["card"]].to_row() == after
    again.close()
