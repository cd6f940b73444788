"""A saved copy of the ledger, so start-up replays only the log's tail; rebuilt if unusable.

orjson reads and writes it: with 50,000 cards the standard json module alone took a fifth of
the start-up.
"""

from dataclasses import dataclass
from pathlib import Path

import orjson

from companion.srs.ledger import CardRecord, Ledger
from companion.store.atomic_file import write_atomically

SNAPSHOT_VERSION = 1


@dataclass
class Snapshot:
    """Where in the log the saved ledger stops."""

    offset: int


def save_snapshot(path: Path, ledger: Ledger, offset: int) -> None:
    """Write the ledger as it stands after the log's first `offset` bytes."""
    payload = {
        "version": SNAPSHOT_VERSION,
        "seq": ledger.seq,
        "offset": offset,
        "records": [record.to_row() for record in ledger.records.values()],
        "days": ledger.days,
        "undo": ledger.undo_stack,
    }
    write_atomically(path, orjson.dumps(payload))


def load_snapshot(path: Path, ledger: Ledger, log_size: int) -> Snapshot:
    """Fill `ledger` from the snapshot; offset 0 (replay everything) when it is missing or stale.

    The snapshot is derived data: a damaged or foreign one is ignored, never an error.
    """
    try:
        data = orjson.loads(path.read_bytes())
        if data.get("version") != SNAPSHOT_VERSION or not 0 <= data["offset"] <= log_size:
            return Snapshot(0)
        records = {row[0]: CardRecord.from_row(row) for row in data["records"]}
        days = {day: list(counts) for day, counts in data["days"].items()}
        undo = list(data["undo"])
        seq, offset = int(data["seq"]), int(data["offset"])
    except (OSError, orjson.JSONDecodeError, ValueError, KeyError, TypeError, IndexError):
        return Snapshot(0)
    ledger.records, ledger.days, ledger.undo_stack, ledger.seq = records, days, undo, seq
    return Snapshot(offset)
