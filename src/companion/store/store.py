"""Named reads and writes of the learner's state; screens never see TinyDB."""

from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from companion.store.atomic_storage import AtomicJSONStorage, read_json_file
from companion.store.errors import DataFileError
from companion.store.lock import DataDirLock
from companion.store.review_log import ReviewLog

APP_MARK = "companion"
SCHEMA_VERSION = 1
DB_NAME = "companion.json"
REVIEW_LOG_NAME = "reviews.jsonl"
TABLES = {"meta", "progress", "cards", "sessions", "timer"}
ITEM_STATES = ("todo", "doing", "done", "skipped")


def check_data_file(path: Path) -> None:
    """Raise DataFileError unless `path` is missing, empty, or companion data we can read."""
    data = read_json_file(path)
    if data is None:
        return
    meta = next(iter(data.get("meta", {}).values()), None)
    if not isinstance(meta, dict) or meta.get("app") != APP_MARK or set(data) - TABLES:
        raise DataFileError(f"{path}: not a companion data file (left untouched)")
    schema = meta.get("schema")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise DataFileError(
            f"{path}: written by a newer companion (schema {schema}, this one reads "
            f"{SCHEMA_VERSION}); upgrade companion"
        )


def _local_day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).astimezone().date().isoformat()


class Store:
    """The learner's progress, card states, review history, study log and timer."""

    def __init__(self, data_dir: Path, lock: DataDirLock | None) -> None:
        self.data_dir = data_dir
        self._lock = lock
        self.db = TinyDB(data_dir / DB_NAME, storage=AtomicJSONStorage)
        self.review_log = ReviewLog(data_dir / REVIEW_LOG_NAME)
        self._reviews = self.review_log.entries()
        if lock is not None and not self.db.table("meta").all():
            self.db.table("meta").insert({"app": APP_MARK, "schema": SCHEMA_VERSION})

    @property
    def read_only(self) -> bool:
        """A store opened without the lock (for `stats`) must not write."""
        return self._lock is None

    def close(self) -> None:
        """Release the data directory."""
        self.db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _writable(self) -> None:
        if self.read_only:
            raise RuntimeError("this store was opened read-only")

    # -- roadmap progress -------------------------------------------------
    def item_states(self) -> dict[str, str]:
        """Every item's state the learner has set."""
        return {doc["item_id"]: doc["state"] for doc in self.db.table("progress").all()}

    def set_item_state(self, roadmap_id: str, item_id: str, state: str, now: datetime) -> None:
        """Record an item as todo, doing, done or skipped."""
        self._writable()
        if state not in ITEM_STATES:
            raise ValueError(f"unknown item state {state!r}")
        table = self.db.table("progress")
        doc = {
            "roadmap_id": roadmap_id,
            "item_id": item_id,
            "state": state,
            "updated": now.isoformat(),
        }
        table.upsert(doc, Query().item_id == item_id)

    # -- cards and reviews ------------------------------------------------
    def card_states(self) -> dict[str, dict]:
        """The scheduling state of every card answered at least once."""
        return {doc["card_id"]: doc["state"] for doc in self.db.table("cards").all()}

    def record_review(
        self, card_id: str, grade: int, state: dict, now: datetime, duration_ms: int | None = None
    ) -> int:
        """Log an answer durably, then save the card's new state; return the bytes logged."""
        self._writable()
        entry = {
            "card_id": card_id,
            "grade": grade,
            "at": now.isoformat(),
            "ts": now.timestamp(),
            "duration_ms": duration_ms,
            "due": state["due"],
            "new": self.db.table("cards").get(Query().card_id == card_id) is None,
        }
        written = self.review_log.append(entry)
        self._reviews.append(entry)
        self.db.table("cards").upsert(
            {"card_id": card_id, "state": state}, Query().card_id == card_id
        )
        return written

    def reviews(self) -> list[dict]:
        """Every answer in the review log, oldest first."""
        return list(self._reviews)

    def reviews_today(self, now: datetime) -> tuple[int, int]:
        """(answers today, new cards first seen today), by the learner's local day."""
        today = _local_day(now.timestamp())
        todays = [entry for entry in self._reviews if _local_day(entry["ts"]) == today]
        return len(todays), sum(1 for entry in todays if entry.get("new"))

    # -- study sessions and timer ----------------------------------------
    def log_block(self, block: dict) -> None:
        """Add a finished focus or break block to the study log."""
        self._writable()
        self.db.table("sessions").insert(block)

    def study_blocks(self) -> list[dict]:
        """Every logged block, oldest first."""
        return sorted(self.db.table("sessions").all(), key=lambda doc: doc["started_at"])

    def save_timer(self, state: dict) -> None:
        """Persist the timer on every transition so a restart resumes it."""
        self._writable()
        table = self.db.table("timer")
        table.truncate()
        table.insert(state)

    def load_timer(self) -> dict | None:
        """The timer as last saved, if any."""
        docs = self.db.table("timer").all()
        return dict(docs[0]) if docs else None

    # -- small interface memory -------------------------------------------
    def remembered(self, key: str, default: Any = None) -> Any:
        """A value remembered between runs (last selected item, last pane)."""
        meta = self.db.table("meta").all()
        return meta[0].get("ui", {}).get(key, default) if meta else default

    def remember(self, key: str, value: Any) -> None:
        """Remember a small value between runs; nothing is written when it has not changed."""
        self._writable()
        meta_table = self.db.table("meta")
        ui = dict(meta_table.all()[0].get("ui", {}))
        if ui.get(key) == value:
            return
        ui[key] = value
        meta_table.update({"ui": ui})


def open_store(data_dir: Path, read_only: bool = False) -> Store:
    """Open the data directory: check the data file, then take the lock unless read-only."""
    data_dir.mkdir(parents=True, exist_ok=True)
    check_data_file(data_dir / DB_NAME)
    lock = None
    if not read_only:
        lock = DataDirLock(data_dir)
        lock.acquire()
    try:
        return Store(data_dir, lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
