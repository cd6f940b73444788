"""Named reads and writes of the learner's state; screens never see TinyDB."""

import math
import re
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from companion.config import LEGACY_SUFFIX, SETTING_FILES, Settings, load_settings
from companion.files import is_regular_or_missing
from companion.paths import local_dir, synced_folder
from companion.srs.event_order import cards_named, event_id, new_event_id, undone_ids
from companion.srs.ledger import Ledger, study_day
from companion.srs.linking import CardText
from companion.srs.log_events import event_problem
from companion.srs.record_table import RecordTable
from companion.srs.scheduling import DeckSchedulers, make_scheduler
from companion.store.anki_answers import (
    ANSWER_PATTERN,
    ORIGIN_NEEDLE,
    LoggedAnswers,
    read_logged_answers,
)
from companion.store.atomic_file import remove_stale_temp_files
from companion.store.atomic_storage import AtomicJSONStorage, read_json_file
from companion.store.card_events import CardEventIndex
from companion.store.card_texts import CardTextIndex
from companion.store.data_rows import first_row_problem
from companion.store.device_logs import DeviceLogs, MirroredLog
from companion.store.errors import DataFileError, StoreLockedError
from companion.store.import_journal import cut_off_import, import_cut_off
from companion.store.ledger_snapshot import load_snapshot, order_mark, save_snapshot
from companion.store.lock import DataDirLock
from companion.store.pending_events import PendingEvents
from companion.store.progress_store import ItemProgressMixin
from companion.store.review_log import ReviewLog, parse_line
from companion.store.setting_events import SettingEventsMixin
from companion.store.study_log import StudyLogMixin
from companion.store.sync_folder import configured_logs

APP_MARK = "companion"
SCHEMA_VERSION = 1
DB_NAME = "companion.json"
REVIEW_LOG_NAME = "reviews.jsonl"
SNAPSHOT_NAME = "scheduling.snapshot"
OLD_SNAPSHOT_NAME = "scheduling.json"  # the JSON snapshot written by earlier builds
CARD_TEXTS_NAME = "card-texts.packed"
REBUILD_SNAPSHOT_AFTER = 2000
_REVLOG_ID = re.compile(rb'"anki":(\d+)[,}]')
TAIL_BYTES_PER_ANSWER = 400  # an answer's line is 200-400 bytes: enough tail for `wanted`
LONG_REPLAY_MB = 5  # about 15,000 answers: a replay long enough to say so
TABLES = {"meta", "progress", "sessions", "timer", "moved", "purged", "roadmaps", "settings"}


def check_data_file(path: Path) -> None:
    """Raise DataFileError unless `path` is missing or companion data we can read."""
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
    if problem := first_row_problem(data):
        raise DataFileError(f"{path}: {problem} (left untouched; fix or remove that row)")


class Store(ItemProgressMixin, StudyLogMixin, SettingEventsMixin):
    """The learner's progress, card states, review history, study log and timer."""

    def __init__(
        self,
        data_dir: Path,
        lock: DataDirLock | None,
        settings: Settings,
        notice: Callable[[str], None] | None = None,
        device_logs: DeviceLogs | None = None,
        local: Path | None = None,
    ) -> None:
        """`data_dir`: where the learner's files are; `local`: where this machine keeps its
        own state for them (the data directory itself, unless it is a synced folder: then the
        machine's own data directory). `device_logs`: the logs of the folder's machines."""
        self.data_dir = data_dir
        self.local_dir = local or data_dir
        self._lock = lock
        self.db = TinyDB(self.local_dir / DB_NAME, storage=AtomicJSONStorage)
        log_path = self.local_dir / REVIEW_LOG_NAME
        self.review_log = (
            ReviewLog(log_path) if device_logs is None else MirroredLog(log_path, device_logs)
        )
        self.device_logs = device_logs
        self.clock: Callable[[], float] = time.time
        """The time new events are stamped with (the app gives its own clock)."""
        self._card_events = CardEventIndex(self.review_log.path)
        self._anki_ids_known: tuple[array | None, int, set[int]] = (None, 0, set())
        self._pending = PendingEvents()
        """Events applied to the ledger but not yet in the log (a batch being written, or
        what a read-only store works out for itself)."""
        self.settings = settings
        self.ledger = self._new_ledger(make_scheduler(settings, fuzz=False))
        self._card_texts = CardTextIndex(
            self.local_dir / "cache" / CARD_TEXTS_NAME, self.review_log, writable=lock is not None
        )
        self.last_commit_bytes = 0
        self._log_offset = 0
        self.card_order: Iterable[str] = ()
        self._answer_seconds: tuple[tuple, list[float]] | None = None  # the log's stat then
        """The cards in the order the decks list them: the snapshot keeps their records in it."""
        self._snapshot_order: int | None = None
        self.problems: list[str] = []
        """Review-log lines passed over at start-up, one line each, to tell the learner."""
        self._load_ledger(notice)
        if lock is not None and not self.db.table("meta").all():
            self.db.table("meta").insert({"app": APP_MARK, "schema": SCHEMA_VERSION})

    def _new_ledger(self, scheduler) -> Ledger:  # type: ignore[no-untyped-def]
        schedulers = DeckSchedulers(self.settings, fuzz=False)
        return Ledger(scheduler, history=self._events_naming, schedulers=schedulers.for_options)

    def use_settings(self, settings: Settings) -> None:
        """Schedule with these settings from now on (deck options saved by an import)."""
        self.settings = settings
        self.ledger.scheduler = make_scheduler(settings, fuzz=False)
        self.ledger.schedulers = DeckSchedulers(settings, fuzz=False).for_options

    def _events_naming(self, card_ids: set[str]) -> Iterator[dict]:
        """The events already applied that name these cards: the log up to where the ledger
        has read it, then those not written yet."""
        self._card_events.extend(self._log_offset)
        for raw in self._card_events.lines_naming(card_ids):
            event, _ = parse_line(raw, event_problem)
            if event is not None:
                yield event
        yield from self._pending.naming(card_ids)

    def _stamped(self, event: dict, causal: bool = True) -> dict:
        """A new event with its place in the log, its id and a time: its own or now, and
        (`causal`: something the learner does here) never before the newest event of its
        cards, even when the clock went back, for it follows what the learner saw. Events
        that happened elsewhere (an import) keep the time they carry."""
        stamp = {"seq": self.ledger.seq + 1, "id": new_event_id()}
        ts = event.get("ts")
        if ts is None or causal:
            seen = [self.ledger.touched.get(card) for card in cards_named(event)]
            newest = max((key[0] for key in seen if key is not None), default=0.0)
            ts = max(self.clock() if ts is None else ts, math.nextafter(newest, math.inf))
        return {**stamp, **event, "ts": ts}

    @property
    def read_only(self) -> bool:
        """A store opened without the lock (for `stats`) must not write."""
        return self._lock is None

    def close(self) -> None:
        """Save the ledger snapshot (when anything changed) and release the data directory."""
        if self._lock is not None and (
            self.ledger.seq != self._snapshot_seq or self._snapshot_order != self._order_mark()
        ):
            self.save_snapshot()
        self.db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _order_mark(self) -> int | None:
        """The mark of the order the snapshot should be in; None when none was given."""
        order = list(self.card_order)
        return order_mark(order) if order else self._snapshot_order

    def _writable(self) -> None:
        if self.read_only:
            raise RuntimeError("this store was opened read-only")

    # -- cards and reviews ------------------------------------------------
    def _load_ledger(self, notice: Callable[[str], None] | None) -> None:
        """Saved snapshot plus the log's tail; the snapshot is refreshed when the tail was long."""
        log_size = self.review_log.size()
        snapshot = load_snapshot(self.local_dir / SNAPSHOT_NAME, self.ledger, log_size)
        tail_mb = (log_size - snapshot.offset) / 1_000_000
        if notice is not None and tail_mb >= LONG_REPLAY_MB:
            notice(
                f"companion: rebuilding card states from {tail_mb:.0f} MB of review log "
                "(once; the snapshot was missing or from an older version)…"
            )
        self._snapshot_seq = self.ledger.seq if snapshot.offset else -1
        self._snapshot_order = snapshot.order
        replayed = 0
        self._log_offset = snapshot.offset
        skipped: dict[int, str] = {}
        # Every event past the snapshot, in file order: its place in the log, not its `seq`,
        # says what comes after what (one `seq` changed by a sync tool hid every later answer).
        for event, offset in self.review_log.read_from(
            snapshot.offset, check=event_problem, skipped=skipped
        ):
            self.ledger.apply(event)
            replayed += 1
            self._log_offset = offset
        self.problems = self.review_log.describe(skipped)
        for problem in self.problems if notice is not None else ():
            notice(f"companion: {problem}")
        if replayed >= REBUILD_SNAPSHOT_AFTER:
            self.save_snapshot() if not self.read_only else self._save_snapshot_if_free()

    def _save_snapshot_if_free(self) -> None:
        """A read-only opener (`today`, `stats`) that had to rebuild the card states keeps them
        too, when no other process holds the data directory: the snapshot is derived data, and
        without it each such command rebuilt them again (10 s at 500,000 answers) until the app
        next ran."""
        lock = DataDirLock(self.local_dir)
        try:
            lock.acquire()
        except (StoreLockedError, OSError):
            return
        try:
            self.save_snapshot()
        except OSError:
            pass  # a read-only disk: the next writable start saves it
        finally:
            lock.release()

    def commit(self, event: dict) -> dict:
        """Make an event durable in the review log, then apply it to the ledger."""
        self._writable()
        event = self._stamped(event)
        self.last_commit_bytes = self.review_log.append(event)
        self.ledger.apply(event)  # its card's history, if needed, is read up to before it
        self._log_offset += self.last_commit_bytes
        return event

    def commit_many(self, make_events: Iterable[Callable[[], dict | None]]) -> int:
        """Commit events that happened elsewhere (an import), at the times they carry, built
        one after another against the ledger as it stands (each sees the ones before it; a
        maker may return None to skip), written with one fsync at the end: all of them or
        none, the ledger rebuilt from the log if the write fails. Returns how many."""
        self._writable()
        count = 0
        start = self._log_offset

        def applied() -> Iterator[dict]:
            nonlocal count
            for make in make_events:
                made = make()
                if made is not None:
                    event = self._stamped(made, causal=False)
                    self.ledger.apply(event)
                    self._pending.append(event)
                    count += 1
                    yield event

        def written(end: int) -> None:  # every event applied so far is in the file now
            self._log_offset = end
            self._pending.clear()

        try:
            size = self.review_log.append_many(applied(), written=written)
        except BaseException:
            self.reload()  # as the log is: without them
            raise
        self.last_commit_bytes = size
        self._log_offset = start + size
        return count

    def reload(self) -> None:
        """Read the card states from the log again (it was cut back: an import undone)."""
        self._pending.clear()
        self._card_events.reset()
        self.ledger = self._new_ledger(self.ledger.scheduler)
        self._load_ledger(None)

    def log_paths(self) -> list[Path]:
        """The logs this machine appends to: its own, and its copy in a synced folder."""
        own = [] if self.device_logs is None else [self.device_logs.own.path]
        return [self.review_log.path, *own]

    def derived_paths(self) -> list[Path]:
        """Files made from the logs, to be made again when a log is cut back."""
        offsets = [] if self.device_logs is None else [self.device_logs.offsets_path]
        return [self.local_dir / SNAPSHOT_NAME, self._card_texts.cache_path, *offsets]

    def settings_paths(self) -> list[Path]:
        """What sending and taking in settings may write: this machine's settings files and
        data file, and the settings files a synced folder shared once (moved aside)."""
        paths = [self.local_dir / DB_NAME, *(self.local_dir / name for name in SETTING_FILES)]
        if self.data_dir != self.local_dir:
            for name in SETTING_FILES:
                paths += [self.data_dir / name, self.data_dir / (name + LEGACY_SUFFIX)]
        return paths

    def apply_unsaved(self, event: dict) -> dict:
        """Apply an event to the ledger in memory only: what a read-only reader (`stats`) works
        out for itself, such as re-links the app will write when it next opens."""
        event = self._stamped(event)
        self.ledger.apply(event)
        self._pending.append(event)
        return event

    def finish_loading(self) -> None:
        """What start-up left for later: the map of every card's record (made now, between
        other work, rather than at the first answer)."""
        records = self.ledger.records
        if isinstance(records, RecordTable):
            records.index_all()

    def save_snapshot(self) -> None:
        """Save the ledger so the next start replays only what comes after this point.

        Not when the log is no longer the size this store made it: it was edited meanwhile
        (by hand, a sync tool), so the place the snapshot would name is not where this
        ledger stops, and answers would be replayed twice or skipped. The next start then
        replays the whole log, as it is, and saves a new one."""
        if self.review_log.size() != self._log_offset:
            (self.local_dir / SNAPSHOT_NAME).unlink(missing_ok=True)
            return
        order = list(self.card_order)
        save_snapshot(self.local_dir / SNAPSHOT_NAME, self.ledger, self._log_offset, order)
        self._snapshot_seq = self.ledger.seq
        self._snapshot_order = order_mark(order)
        (self.local_dir / OLD_SNAPSHOT_NAME).unlink(missing_ok=True)

    def events_containing(self, needle: bytes) -> list[dict]:
        """The events of the log whose line holds `needle` (a cheap byte filter: the caller
        still checks what it gets), oldest first."""
        return [e for e, _ in self.review_log.read_from(0, [needle], check=event_problem)]

    def review_events(self) -> list[dict]:
        """Every event in the review log, oldest first (reads the whole log)."""
        return self.review_log.events(check=event_problem)

    def card_texts(self, card_ids: set[str]) -> dict[str, CardText]:
        """The latest logged text of each card asked for (the whole log is read only for cards
        never looked up before)."""
        return self._card_texts.lookup(card_ids)

    def searched_everywhere(self) -> set[str]:
        """Missing cards already looked for in every deck, and found in none."""
        return self._card_texts.searched_everywhere()

    def mark_searched_everywhere(self, card_ids: set[str]) -> None:
        """Remember missing cards looked for in every deck (a cache: nothing if read-only)."""
        self._card_texts.mark_searched_everywhere(card_ids)

    def card_history(self, card_id: str) -> list[dict]:
        """Every event of a card, its earlier identities (before edits) included, oldest first.

        Two passes over the raw log, each parsing only the lines that can matter (the
        re-links, then the lines naming one of the card's ids): at 500,000 entries, parsing
        every line took seconds.
        """
        log = self.review_log
        relinks = [e for e, _ in log.read_from(0, [b'"relink"'], check=event_problem)]
        ids = {card_id}
        for event in reversed(relinks):
            if event["kind"] == "relink" and event["to"] in ids:
                ids.add(event["from"])
        needles = [b'"undo"', *(cid.encode() for cid in ids)]
        events = [e for e, _ in log.read_from(0, needles, check=event_problem)]
        undone = undone_ids(events)
        return [
            e
            for e in events
            if e.get("card") in ids and e["kind"] != "undo" and event_id(e) not in undone
        ]

    def anki_revlog_ids(self) -> set[int]:
        """The Anki revlog id of every imported entry in the log (a second import adds only
        the others). Kept by the ledger; read off the raw lines when its snapshot was saved
        without them (a JSON parse of a million answers took seconds). One set, brought up
        to date at each call: read it, do not change it."""
        if self.ledger.anki_ids is None:
            found = self.review_log.matches(_REVLOG_ID)
            self.ledger.anki_ids = array("q", (int(revlog_id) for revlog_id in found))
        ids = self.ledger.anki_ids
        kept, counted, known = self._anki_ids_known
        if kept is not ids or counted > len(ids):
            counted, known = 0, set()
        known.update(ids[counted:])  # the ledger only appends to them
        self._anki_ids_known = (ids, len(ids), known)
        return known

    def logged_answers(self) -> LoggedAnswers:
        """The Anki answers in the log, by (note GUID, ordinal, revlog id): what an import
        leaves out as already there."""
        return read_logged_answers(
            self.anki_revlog_ids(),
            self.review_log.match_groups(ANSWER_PATTERN),  # type: ignore[arg-type]
            self.review_log.lines_with(ORIGIN_NEEDLE),
            self.card_origins(),
        )

    def card_origins(self) -> dict[str, dict]:
        """Which Anki card each imported card is (`origin` events, the latest for each card),
        followed through later edits to the card that holds its history now."""
        origins: dict[str, dict] = {}
        for line in self.review_log.lines_with(b'"kind":"origin"'):
            event, _ = parse_line(line, None)
            if (
                event is not None
                and event["kind"] == "origin"
                and isinstance(event.get("anki"), dict)
            ):
                origins[event.get("card")] = event["anki"]
        followed = {}
        for card_id, origin in origins.items():
            followed.setdefault(self.ledger.holder(card_id), origin)
        return {**origins, **followed}

    def reviews_today(self, now: datetime) -> tuple[int, int, int]:
        """(answers today, new cards first answered today, answers that used the review
        allowance), by the learner's study day."""
        answers, new, reviews = self.ledger.days.get(study_day(now.timestamp()), [0, 0, 0])
        return answers, new, reviews

    def recent_answer_seconds(self, wanted: int = 1000) -> list[float]:
        """How long the learner's latest answers took (up to `wanted`, read from the end of
        the log only), each capped at a minute as Anki caps answer times."""
        size = self.review_log.size()
        try:
            moment = (size, self.review_log.path.stat().st_mtime_ns, wanted)
        except OSError:
            moment = None
        kept = self._answer_seconds
        if kept is not None and moment is not None and kept[0] == moment:
            return list(kept[1])  # the log as it was read: the plans ahead ask again
        start = max(0, size - wanted * TAIL_BYTES_PER_ANSWER)
        seconds = []
        for event, _ in self.review_log.read_from(start, [b'"review"'], skipped={}):
            ms = event.get("ms")
            if event.get("kind") == "review" and isinstance(ms, (int, float)) and ms > 0:
                seconds.append(min(float(ms) / 1000, 60.0))
        self._answer_seconds = None if moment is None else (moment, seconds[-wanted:])
        return seconds[-wanted:]

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


IMPORT_UNDONE = (
    "an Anki import that did not finish (its process was stopped) was undone: the decks, "
    "images and history are as they were before it; run it again"
)


def _undo_cut_off_import(local: Path) -> bool:
    """A read-only opener (`stats`) puts back a cut-off import too, unless one is running."""
    lock = DataDirLock(local)
    try:
        lock.acquire()
    except StoreLockedError:
        return False  # an import under way: it finishes or is undone by the next opener
    try:
        return cut_off_import(local)
    finally:
        lock.release()


def open_store(
    data_dir: Path,
    read_only: bool = False,
    settings: Settings | None = None,
    notice: Callable[[str], None] | None = None,
    clock: Callable[[], float] | None = None,
) -> Store:
    """Open the data directory: check the data file, then take the lock unless read-only.

    `settings` default to the data directory's config.toml: the store applies answers with
    the learner's scheduler (their learning steps), whoever opens it. `notice` hears of slow
    work before it starts (rebuilding card states from a long log). `clock` stamps the
    events that carry no time of their own (the system's by default).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    local = local_dir(data_dir)  # given a machine's own data directory that syncs, or the
    data_dir = synced_folder(data_dir) or data_dir  # folder: the learner's files are there
    check_data_file(local / DB_NAME)
    if not is_regular_or_missing(local / REVIEW_LOG_NAME):
        raise DataFileError(f"{local / REVIEW_LOG_NAME}: not a regular file (left untouched)")
    lock = None
    undone = False
    if not read_only:
        lock = DataDirLock(local)
        lock.acquire()
        remove_stale_temp_files(local)
        undone = cut_off_import(local)
    elif import_cut_off(local):
        undone = _undo_cut_off_import(local)
    try:
        device_logs = configured_logs(local)
        settings = settings or load_settings(data_dir)
        store = Store(data_dir, lock, settings, notice, device_logs, local)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if undone:
        store.problems.insert(0, IMPORT_UNDONE)
        if notice is not None:
            notice(f"companion: {IMPORT_UNDONE}")
    if clock is not None:
        store.clock = clock
    return store
