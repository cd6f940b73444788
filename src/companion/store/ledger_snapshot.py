"""A saved copy of the ledger, so start-up replays only the log's tail; rebuilt if unusable.

Kept as a packed (marshal) file, each record with its derived due time: with 50,000 cards,
reading JSON and parsing every due date took a sixth of the time to the first card. The records
are kept in columns (`RecordTable`), in the order the decks list the cards: start-up then reads
them front to back instead of all over memory (at 200,000 cards, a third of the queue's time).
"""

import marshal
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from companion.srs.ledger import Ledger
from companion.srs.record_columns import RecordColumns, columns_of
from companion.srs.record_table import RecordTable
from companion.store.packed_file import read_packed, write_packed

SNAPSHOT_KIND = "ledger"
SNAPSHOT_VERSION = 17  # 11: order-free; 12: retention; 13: packed; 14: columns; 15, 16: indexes;
# 17: memory columns


def order_mark(card_ids: Iterable[str]) -> int:
    """A checksum of an order of cards: the snapshot notes the order it was saved in."""
    return zlib.crc32("\n".join(card_ids).encode("utf-8", "surrogatepass"))


@dataclass
class Snapshot:
    """Where in the log the saved ledger stops."""

    offset: int
    order: int | None = None
    """`order_mark` of the order its records were saved in, if one was asked for."""


def save_snapshot(path: Path, ledger: Ledger, offset: int, order: list[str] | None = None) -> None:
    """Write the ledger as it stands after the log's first `offset` bytes; the records of the
    cards in `order` first, in that order."""
    records = ledger.records
    if isinstance(records, RecordTable):
        rows = records.snapshot_rows(order or ())
    else:
        ordered = {c: records[c] for c in order or () if c in records}
        ordered.update(records)
        rows = (record.snapshot_row() for record in ordered.values())
    payload = {
        "seq": ledger.seq,
        "offset": offset,
        "order": None if order is None else order_mark(order),
        "records": columns_of(rows).packed(),
        "days": ledger.days,
        "retention": ledger.retention,
        "cancelled": sorted(ledger.cancelled),
        "undo": ledger.undo_stack,
        "came_from": ledger.came_from,
        "answered_on": ledger.answered_on,
        "latest_answer_day": ledger.latest_answer_day,
        "kept_unburied": ledger.kept_unburied,
        "unburied_day": ledger.unburied_day,
        # packed apart: a start-up that applies no event never unpacks it
        "touched": ledger.packed_touched or marshal.dumps(ledger.touched),
        "clock": ledger.clock,
        "legacy_ts": ledger.legacy_ts,
        "anki_ids": None if ledger.anki_ids is None else ledger.anki_ids.tobytes(),
    }
    write_packed(path, SNAPSHOT_KIND, SNAPSHOT_VERSION, payload)


def load_snapshot(path: Path, ledger: Ledger, log_size: int) -> Snapshot:
    """Fill `ledger` from the snapshot; offset 0 (replay everything) when it is missing or stale.

    The snapshot is derived data: a damaged or foreign one is ignored, never an error.
    """
    data = read_packed(path, SNAPSHOT_KIND, SNAPSHOT_VERSION)
    try:
        if not isinstance(data, dict) or not 0 <= data["offset"] <= log_size:
            return Snapshot(0)
        records = RecordTable(RecordColumns.unpacked(data["records"]))
        order = data["order"]
        days = {day: list(counts) for day, counts in data["days"].items()}
        retention = {day: list(counts) for day, counts in data["retention"].items()}
        cancelled = {str(target) for target in data["cancelled"]}
        undo = list(data["undo"])
        came_from = {card: list(sources) for card, sources in data["came_from"].items()}
        answered_on = {
            day: [list(a) for a in answers] for day, answers in data["answered_on"].items()
        }
        kept_unburied = {str(card): list(ids) for card, ids in data["kept_unburied"].items()}
        # behind a checksum, written by this version: (time, id) tuples as they were saved
        touched, legacy_ts = data["touched"], dict(data["legacy_ts"])
        if not isinstance(touched, bytes):
            raise TypeError("touched")
        days_kept = str(data["latest_answer_day"]), str(data["unburied_day"])
        seq, offset, clock = int(data["seq"]), int(data["offset"]), float(data["clock"])
        anki_ids = _revlog_ids(data.get("anki_ids"))
    except (ValueError, KeyError, TypeError, IndexError):
        return Snapshot(0)
    if order is not None and order.__class__ is not int:
        return Snapshot(0)
    ledger.set_records(records)
    ledger.days, ledger.undo_stack, ledger.seq = days, undo, seq
    ledger.retention, ledger.cancelled = retention, cancelled
    ledger.came_from, ledger.answered_on = came_from, answered_on
    ledger.kept_unburied = kept_unburied
    ledger.latest_answer_day, ledger.unburied_day = days_kept
    ledger.packed_touched, ledger.legacy_ts, ledger.clock = touched, legacy_ts, clock
    ledger.anki_ids = anki_ids
    return Snapshot(offset, order)


def _revlog_ids(packed: object) -> array | None:
    """The imported revlog ids, None when this snapshot was written without them (by an
    earlier version): the store then finds them in the log."""
    if not isinstance(packed, bytes) or len(packed) % 8:
        return None
    ids = array("q")
    ids.frombytes(packed)
    return ids
