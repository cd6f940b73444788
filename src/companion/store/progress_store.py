"""The store's roadmap progress: each item's state, set here or on another machine (an event
each, folded by store/item_progress.py), and progress that follows items edited in their
roadmap file."""

import math
from collections.abc import Iterable
from datetime import UTC, datetime

from tinydb import Query

from companion.store.deck_files import relink_item_marks
from companion.store.item_progress import apply_item_event, item_event, latest_change
from companion.store.notes import move_notes
from companion.store.store_part import StorePart


class ItemProgressMixin(StorePart):
    """Mixed into `Store`: the progress table, and the events that make it."""

    def item_states(self) -> dict[str, str]:
        """Every item's state the learner has set."""
        return {doc["item_id"]: doc["state"] for doc in self.db.table("progress").all()}

    def set_item_state(
        self,
        roadmap_id: str,
        item_id: str,
        state: str,
        now: datetime,
        text: str = "",
        phase: str = "",
        fingerprint: dict | None = None,
    ) -> None:
        """Record an item as todo, doing, done or skipped, with its text and fingerprint (what
        identifies it after the file is edited): an event in the log, so every machine that
        syncs has it, folded into the progress table."""
        self._writable()
        event = item_event(roadmap_id, item_id, state, text, phase, fingerprint)
        table = self.db.table("progress")
        # never before the item's latest change, even with the clock gone back: what the
        # learner does now is what they want now
        ts = max(now.timestamp(), math.nextafter(latest_change(table, item_id), math.inf))
        committed = self.commit({**event, "ts": ts})
        apply_item_event(table, committed, now.isoformat())

    def apply_item_events(self, events: Iterable[dict]) -> int:
        """Fold items set on other machines into the progress table; how many changed one."""
        self._writable()
        table = self.db.table("progress")
        return sum(
            apply_item_event(table, e, datetime.fromtimestamp(e["ts"], UTC).isoformat())
            for e in events
            if e["kind"] == "item"
        )

    def tracks(self, item_id: str) -> bool:
        """Whether the item has a progress row (a state, or an identity kept for its note)."""
        return self.db.table("progress").contains(Query().item_id == item_id)

    def progress_records(self) -> list[dict]:
        """Every item state the learner has set, with the item's text when it was set."""
        return [dict(doc) for doc in self.db.table("progress").all()]

    def move_progress(self, moves: list[tuple[str, str, str, str, dict]]) -> None:
        """Make progress follow edited items: (old id, new id, text, phase, fingerprint) each.

        Ids may swap (an earlier duplicate deleted), so rows are found by their old ids first.
        Time logged and notes follow their rows.
        """
        self._writable()
        changes = {old_id: (new_id, text, phase, fp) for old_id, new_id, text, phase, fp in moves}

        def follow(doc: dict) -> None:  # each row once, by its old id: swaps are safe
            new_id, text, phase, fingerprint = changes[doc["item_id"]]
            doc.update(item_id=new_id, text=text, phase=phase, fingerprint=fingerprint)

        progress = self.db.table("progress")
        rows = [doc.doc_id for doc in progress.all() if doc["item_id"] in changes]
        progress.update(follow, doc_ids=rows)
        renamed = {old_id: new_id for old_id, (new_id, *_) in changes.items() if old_id != new_id}
        if not renamed:
            return
        sessions = self.db.table("sessions")
        blocks = [doc.doc_id for doc in sessions.all() if doc.get("item_id") in renamed]
        if blocks:
            sessions.update(lambda doc: doc.update(item_id=renamed[doc["item_id"]]), doc_ids=blocks)
        move_notes(self.data_dir, list(renamed.items()))
        relink_item_marks(self.data_dir, renamed)

    def forget_item(self, item_id: str) -> None:
        """Delete one item's progress row (before kept progress is attached in its place)."""
        self._writable()
        self.db.table("progress").remove(Query().item_id == item_id)

    def forget_progress(self, roadmap_id: str) -> int:
        """Delete a roadmap's progress (only on an explicit purge); return how many items."""
        self._writable()
        return len(self.db.table("progress").remove(Query().roadmap_id == roadmap_id))
