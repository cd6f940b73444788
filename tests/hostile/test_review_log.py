"""A review log touched by a sync tool or a hand edit: no valid answer is ever dropped."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from companion.store import open_store
from companion.store.store import REVIEW_LOG_NAME, SNAPSHOT_NAME

NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)


def review(card: str) -> dict:
    return {
        "kind": "review",
        "card": card,
        "grade": 3,
        "ts": NOW.timestamp(),
        "due": NOW.isoformat(),
        "first": True,
        "before": [card, None, 0, 0, False, False, None, False],
    }


def write_answers(data_dir: Path, count: int) -> list[str]:
    store = open_store(data_dir)
    for n in range(count):
        store.commit(review(f"card{n}"))
    store.close()
    (data_dir / SNAPSHOT_NAME).unlink()  # the next start rebuilds from the log
    return (data_dir / REVIEW_LOG_NAME).read_text().splitlines()


def rewrite(data_dir: Path, lines: list[str]) -> None:
    (data_dir / REVIEW_LOG_NAME).write_text("\n".join(lines) + "\n")


def test_a_seq_that_jumps_hides_no_later_answer(data_dir: Path):
    lines = write_answers(data_dir, 200)
    lines[49] = lines[49].replace('"seq":50,', '"seq":90,')  # one digit changed by hand
    rewrite(data_dir, lines)
    store = open_store(data_dir)
    assert sorted(store.ledger.records) == sorted(f"card{n}" for n in range(200))
    assert all(record.reps == 1 for record in store.ledger.records.values())
    later = store.commit(review("after"))
    store.close()
    assert later["seq"] > 200
    reopened = open_store(data_dir, read_only=True)
    assert len(reopened.ledger.records) == 201


def test_entries_with_missing_fields_or_absurd_values_are_skipped_and_reported(
    data_dir: Path,
):
    lines = write_answers(data_dir, 30)
    absurd = json.loads(lines[9])
    absurd["ts"] = 1e300
    lines[9] = json.dumps(absurd)
    missing = json.loads(lines[19])
    del missing["grade"]
    lines[19] = json.dumps(missing)
    lines.insert(25, "this is not JSON")
    rewrite(data_dir, lines)
    notices: list[str] = []
    store = open_store(data_dir, notice=notices.append)
    answered = set(store.ledger.records)
    assert answered == {f"card{n}" for n in range(30)} - {"card9", "card19"}
    assert len(store.problems) == 3
    assert "line 10:" in store.problems[0] and "'ts'" in store.problems[0]
    assert "line 20:" in store.problems[1] and "'grade'" in store.problems[1]
    assert "line 26:" in store.problems[2]
    assert all("\n" not in problem for problem in store.problems)
    assert len(notices) == 3
    assert len(store.review_events()) == 28
    store.close()
    assert (data_dir / REVIEW_LOG_NAME).read_text().count("\n") == 31  # nothing removed

    (data_dir / SNAPSHOT_NAME).unlink()
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "stats", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("line 10:") == 1
    json.loads(result.stdout)
