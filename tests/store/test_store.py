import json
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.config import Settings
from companion.srs.scheduling import make_scheduler
from companion.store import DataFileError, StoreLockedError, open_store
from companion.store.store import (
    DB_NAME,
    OLD_SNAPSHOT_NAME,
    REVIEW_LOG_NAME,
    SNAPSHOT_NAME,
    check_data_file,
)
from tests.memory_log import MemoryLog

NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)
WRITER = Path(__file__).with_name("kill_writer.py")


def test_state_round_trips_through_a_reopen(data_dir: Path):
    store = open_store(data_dir)
    store.set_item_state("rm", "item-a", "done", NOW)
    store.set_item_state("rm", "item-b", "doing", NOW)
    store.set_item_state("rm", "item-b", "todo", NOW)
    store.save_timer({"phase": "focus", "status": "running"})
    store.remember("pane", "review")
    store.close()
    again = open_store(data_dir)
    assert again.item_states() == {"item-a": "done", "item-b": "todo"}
    assert again.load_timer()["status"] == "running"
    assert again.remembered("pane") == "review"
    meta = json.loads((data_dir / DB_NAME).read_text())["meta"]
    assert next(iter(meta.values()))["schema"] == 1
    again.close()


def test_a_second_store_on_the_same_directory_is_refused(data_dir: Path):
    first = open_store(data_dir)
    with pytest.raises(StoreLockedError, match="already in use"):
        open_store(data_dir)
    first.close()
    open_store(data_dir).close()


def test_a_second_companion_process_exits_with_a_clear_message(data_dir: Path):
    holder = open_store(data_dir)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "companion", "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
    finally:
        holder.close()
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "already in use by companion" in result.stderr


@pytest.mark.parametrize(
    "content",
    [
        b'{"_default": {"1": {"name": "someone else"}}}',
        b'{"meta": {"1": {"app": "other"}}}',
        b"[1, 2, 3]",
        b'{"meta": {"1": {"app": "comp',
        b"\x89PNG\r\n\x1a\n\x00\x00",
    ],
)
def test_foreign_or_corrupt_data_file_is_refused_and_left_untouched(data_dir: Path, content):
    path = data_dir / DB_NAME
    path.write_bytes(content)
    with pytest.raises(DataFileError) as raised:
        open_store(data_dir)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)
    assert path.read_bytes() == content
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("companion: error: ") and result.stderr.count("\n") == 1
    assert path.read_bytes() == content


def test_data_from_a_newer_schema_is_refused(data_dir: Path):
    path = data_dir / DB_NAME
    path.write_text('{"meta": {"1": {"app": "companion", "schema": 99}}}')
    with pytest.raises(DataFileError, match="newer companion"):
        check_data_file(path)


def review(card: str, grade: int = 3) -> dict:
    return {
        "kind": "review",
        "card": card,
        "grade": grade,
        "ts": NOW.timestamp(),
        "due": NOW.isoformat(),
        "first": True,
        "before": [card, None, 0, 0, False, False, None, False],
    }


def test_review_log_survives_a_torn_last_line(data_dir: Path):
    store = open_store(data_dir)
    store.commit(review("c1"))
    store.close()
    (data_dir / SNAPSHOT_NAME).unlink()
    with (data_dir / REVIEW_LOG_NAME).open("ab") as log:
        log.write(b'{"seq": 2, "kind": "review", "card": "c2", "gra')  # a crash mid-append
    store = open_store(data_dir)
    assert [event["card"] for event in store.review_events()] == ["c1"]
    store.commit(review("c3"))
    store.close()
    reopened = open_store(data_dir, read_only=True)
    assert [event["card"] for event in reopened.review_events()] == ["c1", "c3"]
    assert set(reopened.ledger.records) == {"c1", "c3"}


def test_a_damaged_snapshot_is_rebuilt_from_the_log(data_dir: Path):
    store = open_store(data_dir)
    store.commit(review("c1"))
    store.close()
    (data_dir / SNAPSHOT_NAME).write_text("{not json")
    store = open_store(data_dir)
    assert store.ledger.records["c1"].reps == 1
    store.close()


def test_a_snapshot_is_saved_in_deck_order_once_the_order_changes(data_dir: Path):
    store = open_store(data_dir)
    for card_id in ("b", "a", "c"):
        store.commit(review(card_id))
    store.close()
    store = open_store(data_dir)
    assert list(store.ledger.records) == ["b", "a", "c"]  # as answered
    store.card_order = ["c", "new", "a", "b"]
    store.close()  # nothing answered, but the order changed: saved again
    store = open_store(data_dir)
    assert list(store.ledger.records) == ["c", "a", "b"]
    store.card_order = ["c", "new", "a", "b"]
    mtime = (data_dir / SNAPSHOT_NAME).stat().st_mtime_ns
    store.close()  # the same order: not saved again
    assert (data_dir / SNAPSHOT_NAME).stat().st_mtime_ns == mtime
    assert_replay_matches(data_dir)


def test_a_read_only_opener_that_rebuilt_the_states_keeps_them_unless_the_data_is_in_use(
    data_dir: Path,
):
    from companion.store.store import REBUILD_SNAPSHOT_AFTER

    store = open_store(data_dir)
    store.commit_many(lambda n=n: review(f"c{n}") for n in range(REBUILD_SNAPSHOT_AFTER))
    store.close()
    (data_dir / SNAPSHOT_NAME).unlink()  # as after an upgrade that changed its format
    holder = open_store(data_dir)
    (data_dir / SNAPSHOT_NAME).unlink()  # the writer's own start saved one
    reader = open_store(data_dir, read_only=True)
    assert len(reader.ledger.records) == REBUILD_SNAPSHOT_AFTER
    reader.close()
    assert not (data_dir / SNAPSHOT_NAME).exists()  # another process holds the data
    holder.db.close()
    holder._lock.release()  # gone without saving
    reader = open_store(data_dir, read_only=True)
    reader.close()
    assert (data_dir / SNAPSHOT_NAME).exists()  # kept for the next command
    again = open_store(data_dir, read_only=True)
    assert again.ledger.records == reader.ledger.records
    again.close()
    assert_replay_matches(data_dir)


def test_a_json_snapshot_of_an_earlier_build_is_replaced(data_dir: Path):
    store = open_store(data_dir)
    store.commit(review("c1"))
    store.close()
    (data_dir / SNAPSHOT_NAME).unlink()
    (data_dir / OLD_SNAPSHOT_NAME).write_text('{"version": 1, "records": []}')
    store = open_store(data_dir)
    assert store.ledger.records["c1"].reps == 1  # from the log
    store.commit(review("c2"))
    store.close()
    assert not (data_dir / OLD_SNAPSHOT_NAME).exists()
    assert_replay_matches(data_dir)


def test_sigkill_while_answering_never_loses_an_answer_or_corrupts_a_file(data_dir: Path):
    rng = random.Random(20260304)
    acknowledged_step, acknowledged_seq = -1, 0
    kills = 0
    while kills < 60:
        process = subprocess.Popen(
            [sys.executable, str(WRITER), str(data_dir), str(acknowledged_step + 1)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first = process.stdout.readline()
        assert first, process.stderr.read()
        time.sleep(rng.uniform(0.0, 0.15))
        process.send_signal(signal.SIGKILL)
        output, _ = process.communicate()
        acknowledged_step, acknowledged_seq = map(int, (first + output).split("\n")[-2].split())
        kills += 1

        check_data_file(data_dir / DB_NAME)  # raises if unreadable
        store = open_store(data_dir)
        events = store.review_events()
        assert {e["seq"] for e in events} >= set(range(1, acknowledged_seq + 1))
        states = ("todo", "doing", "done", "skipped")
        assert (
            store.item_states()[f"item-{acknowledged_step % 50}"] == states[acknowledged_step % 4]
        )
        store.close()
    assert acknowledged_seq > kills
    assert_replay_matches(data_dir)


def assert_replay_matches(data_dir: Path) -> None:
    """The ledger loaded from snapshot + log equals one rebuilt by replaying the log from zero."""
    store = open_store(data_dir)
    log = MemoryLog(make_scheduler(Settings(), fuzz=False))
    for event in store.review_events():
        log.apply(event)
    replayed = log.ledger
    assert replayed.records == store.ledger.records
    derived = {cid: (r.due_ts, r.in_learning) for cid, r in replayed.records.items()}
    assert derived == {cid: (r.due_ts, r.in_learning) for cid, r in store.ledger.records.items()}
    assert replayed.days == store.ledger.days
    assert replayed.seq == store.ledger.seq
    store.close()


def test_card_history_follows_relinks_and_leaves_out_undone_answers(data_dir: Path):
    store = open_store(data_dir)
    first = store.commit(review("old"))
    store.commit(review("other"))
    undone = store.commit(review("old", grade=1))
    store.commit({"kind": "undo", "target": undone["id"], "card": "old"})
    store.commit({"kind": "relink", "from": "old", "to": "new", "text": "t", "src": "d.md"})
    last = store.commit(review("new", grade=4))
    history = store.card_history("new")
    assert [e["seq"] for e in history] == [first["seq"], last["seq"]]
    assert [e["seq"] for e in store.card_history("other")] == [2]
    store.close()


def test_a_study_day_starts_at_4_am_for_limits_and_the_daily_counts(data_dir: Path):
    """As in Anki: answers after midnight count toward the evening's day (TZ is UTC here)."""
    store = open_store(data_dir)
    for card, moment, first in [
        ("late", datetime(2026, 3, 4, 23, 0, tzinfo=UTC), True),
        ("later", datetime(2026, 3, 5, 1, 30, tzinfo=UTC), False),
        ("morning", datetime(2026, 3, 5, 4, 0, tzinfo=UTC), True),
    ]:
        store.commit({**review(card), "ts": moment.timestamp(), "first": first})
    # (answers, new cards, answers using the review allowance: none, as none was in review)
    assert store.reviews_today(datetime(2026, 3, 5, 3, 59, tzinfo=UTC)) == (2, 1, 0)
    assert store.reviews_today(datetime(2026, 3, 5, 4, 0, tzinfo=UTC)) == (1, 1, 0)
    assert store.ledger.days == {"2026-03-04": [2, 1, 0], "2026-03-05": [1, 1, 0]}
    store.close()
    assert_replay_matches(data_dir)


def test_a_store_opened_without_settings_takes_the_learners_config(data_dir: Path):
    (data_dir / "config.toml").write_text("relearning_steps_minutes = [5, 30]\n")
    store = open_store(data_dir, read_only=True)
    steps = [step.total_seconds() / 60 for step in store.ledger.scheduler.relearning_steps]
    assert steps == [5, 30]
    store.close()


def test_card_origins_are_read_from_lines_written_in_any_key_order(data_dir: Path):
    """The store reads origin lines as an import writes them without parsing their text,
    and another writer's (keys in another order) in full; escapes in ids hold; the latest
    line of a card wins."""

    def origins() -> dict:
        store = open_store(data_dir)
        try:
            return store.card_origins()
        finally:
            store.close()

    store = open_store(data_dir)
    try:
        for card, ord_ in (("a1", 0), ('b"2', 1), ("a1", 2)):
            anki = {"card_id": 7, "note_guid": "g h", "ord": ord_}  # keys as an import has them
            store.commit({"kind": "origin", "card": card, "anki": anki, "ts": 0.0, "text": "Q"})
    finally:
        store.close()
    expected = {
        "a1": {"card_id": 7, "note_guid": "g h", "ord": 2},
        'b"2': {"card_id": 7, "note_guid": "g h", "ord": 1},
    }
    assert origins() == expected
    other = {"seq": 99, "id": "f" * 32, "kind": "origin", "ts": 0.0,
             "anki": {"card_id": 8, "note_guid": "z", "ord": 0}, "card": "a1"}  # fmt: skip
    with (data_dir / "reviews.jsonl").open("a") as handle:
        handle.write(json.dumps(other, separators=(",", ":")) + "\n")
    assert origins() == {**expected, "a1": other["anki"]}
