"""Data files damaged between sessions are refused in one line and never overwritten."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.store import DataFileError, open_store
from companion.store.store import DB_NAME


@pytest.mark.parametrize("content", [b"", b"   \n\t \n"])
def test_an_empty_data_file_is_refused_not_treated_as_new(tmp_path: Path, content: bytes):
    path = tmp_path / DB_NAME
    path.write_bytes(content)
    with pytest.raises(DataFileError, match="empty"):
        open_store(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(tmp_path), "stats"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("companion: error: ") and result.stderr.count("\n") == 1
    assert "empty" in result.stderr
    assert path.read_bytes() == content


def _stats(data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "stats"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def _write_valid_data(data_dir: Path) -> None:
    store = open_store(data_dir)
    now = datetime(2026, 11, 2, 10, tzinfo=UTC)
    store.set_item_state("dl", "dl/linear-algebra", "done", now, "Linear algebra", "Maths")
    store.log_block(
        {
            "phase": "focus",
            "item_id": "dl/linear-algebra",
            "started_at": now.timestamp() - 1500,
            "ended_at": now.timestamp(),
            "planned_minutes": 25.0,
            "minutes": 25.0,
            "outcome": "completed",
            "interruptions_internal": 0,
            "interruptions_external": 0,
        }
    )
    store.save_timer({"phase": "focus", "status": "idle", "duration_s": 1500.0})
    store.close()


@pytest.mark.parametrize(
    ("table", "field", "value", "words"),
    [
        ("progress", "state", "finished", "'state' should be one of todo, doing, done, skipped"),
        ("progress", "item_id", 42, "'item_id' should be text"),
        ("sessions", "minutes", "25", "'minutes' should be a number of minutes"),
        ("sessions", "ended_at", 1e300, "'ended_at' should be a time in seconds"),
        ("sessions", "phase", None, "'phase' should be one of focus"),
        ("timer", "status", "jogging", "'status' should be one of idle"),
        ("timer", "resumed_at", "yesterday", "'resumed_at' should be a time in seconds"),
    ],
)
def test_a_wrongly_typed_row_is_one_line_naming_table_row_and_field(
    tmp_path: Path, table, field, value, words
):
    _write_valid_data(tmp_path)
    path = tmp_path / DB_NAME
    data = json.loads(path.read_text())
    row_id = next(iter(data[table]))
    data[table][row_id][field] = value
    path.write_text(json.dumps(data))
    before = path.read_bytes()

    result = _stats(tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"table '{table}' row {row_id}: {words}" in result.stderr
    with pytest.raises(DataFileError):
        open_store(tmp_path)
    assert path.read_bytes() == before


def test_rows_the_app_writes_are_accepted(tmp_path: Path):
    _write_valid_data(tmp_path)
    assert _stats(tmp_path).returncode == 0
