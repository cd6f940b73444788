"""The store's roadmap progress: each item's state, set here or on another machine (an event
each, folded by store/item_progress.py), and progress that follows items edited in their
roadmap file."""

import math
from collections.abc import Iterable
from datetime import UTC, datetime

from tinydb import Query

from companion.content.item_identity import Fingerprint, score
from companion.store.deck_files import relink_item_marks
from companion.store.item_progress import (
    HISTORY_KEPT,
    apply_item_event,
    item_event,
    latest_change,
)
from companion.store.notes import move_notes
from companion.store.roadmap_events import (
    RoadmapVersion,
    apply_purge,
    fold_version,
    followed_item,
    purged_at,
    remember_moves,
    roadmap_event,
    version_of,
)
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
        replaces: dict | None = None,
    ) -> None:
        """Record an item as todo, doing, done or skipped, with its text and fingerprint (what
        identifies it after the file is edited): an event in the log, so every machine that
        syncs has it, folded into the progress table. `replaces`: the fingerprint of progress
        kept aside that the learner attached to this item (the other machines drop theirs)."""
        self._writable()
        event = item_event(roadmap_id, item_id, state, text, phase, fingerprint)
        if replaces is not None:
            event["replaces"] = replaces
        table = self.db.table("progress")
        # never before the item's latest change, even with the clock gone back: what the
        # learner does now is what they want now
        latest = max(latest_change(table, item_id), purged_at(self.db.table("purged"), roadmap_id))
        ts = max(now.timestamp(), math.nextafter(latest, math.inf))
        committed = self.commit({**event, "ts": ts})
        apply_item_event(table, committed, now.isoformat())

    def apply_progress_events(self, events: Iterable[dict]) -> int:
        """Fold items set and roadmaps purged on other machines into the progress table, in
        (time, id) order; how many changed it. A tick made on an older version of a roadmap
        follows its item to where its progress moved here; one from before a purge of its
        roadmap stays in the log only."""
        mine = sorted(
            (e for e in events if e["kind"] in ("item", "roadmap")),
            key=lambda e: (e["ts"], e["id"]),
        )
        if not mine:
            return 0
        self._writable()
        table, purged = self.db.table("progress"), self.db.table("purged")
        changed = 0
        for event in mine:
            if event["kind"] == "roadmap":
                fold_version(self.db.table("roadmaps"), event)
                if event.get("purge"):
                    changed += apply_purge(table, purged, event["roadmap"], event["ts"])
                continue
            if event["ts"] < purged_at(purged, event["roadmap"]):
                continue
            followed = self._followed(event)
            changed += apply_item_event(
                table, followed, datetime.fromtimestamp(event["ts"], UTC).isoformat()
            )
            if isinstance(event.get("replaces"), dict):  # attached there: no longer kept aside
                aside = [
                    d.doc_id
                    for d in table.all()
                    if d.get("roadmap_id") == event["roadmap"]
                    and d["item_id"] != followed["item"]
                    and d.get("fingerprint") == event["replaces"]
                ]
                changed += len(table.remove(doc_ids=aside)) if aside else 0
        return changed

    def _followed(self, event: dict) -> dict:
        """The item event as it applies here: on the item its progress moved to; or, when the
        id names another item here now (the file edited on one machine and not yet on the
        other), under an id of its own, which the next sync places by its fingerprint."""
        moved = self.db.table("moved")
        made_on = event.get("fingerprint")
        target = followed_item(moved, event["item"], made_on)
        doc = self.db.table("progress").get(Query().item_id == target)
        held = doc.get("fingerprint") if doc is not None else None
        if made_on is None or held is None or held == made_on:
            return {**event, "item": target}
        if target == event["item"] and not same_item(made_on, held):
            aside = f"{event['item']}~{event['id']}"
            remember_moves(moved, [(event["item"], aside, made_on, made_on)], event["ts"])
            return {**event, "item": aside}
        # the item as this machine's file has it now: its row keeps its text and fingerprint
        kept = {k: v for k, v in event.items() if k != "fingerprint"}
        return {**kept, "item": target, "text": doc.get("text", ""), "phase": doc.get("phase", "")}

    def log_roadmap(
        self,
        action: str,
        roadmap_id: str,
        title: str,
        digest: str,
        purge: bool = False,
        ts: float | None = None,
    ) -> int:
        """Log a roadmap added, updated or removed (with `purge`, its progress deleted on every
        machine), now or at `ts`; how many items' progress the purge deleted."""
        self._writable()
        event = roadmap_event(action, roadmap_id, title, digest, purge)
        event = self.commit(event if ts is None else {**event, "ts": ts})
        fold_version(self.db.table("roadmaps"), event)
        if not purge:
            return 0
        return apply_purge(self.db.table("progress"), self.db.table("purged"), roadmap_id,
                           event["ts"])  # fmt: skip

    def roadmap_versions(self) -> dict[str, RoadmapVersion]:
        """Per roadmap, its file's version as every machine's roadmap events give it."""
        return {doc["roadmap_id"]: version_of(doc) for doc in self.db.table("roadmaps").all()}

    def rows_behind(self, roadmap_id: str) -> bool:
        """Whether the roadmap's progress last followed a file that was behind another
        machine's (its notes and marks were left where the newer file has them)."""
        doc = self.db.table("roadmaps").get(Query().roadmap_id == roadmap_id)
        return bool(doc and doc.get("rows_behind"))

    def mark_rows_behind(self, roadmap_id: str, behind: bool) -> None:
        self._writable()
        table = self.db.table("roadmaps")
        if self.rows_behind(roadmap_id) != behind:
            table.update({"rows_behind": behind}, Query().roadmap_id == roadmap_id)

    def tracks(self, item_id: str) -> bool:
        """Whether the item has a progress row (a state, or an identity kept for its note)."""
        return self.db.table("progress").contains(Query().item_id == item_id)

    def progress_records(self) -> list[dict]:
        """Every item state the learner has set, with the item's text when it was set."""
        return [dict(doc) for doc in self.db.table("progress").all()]

    def move_progress(
        self, moves: list[tuple[str, str, str, str, dict]], files: bool = True
    ) -> None:
        """Make progress follow edited items: (old id, new id, text, phase, fingerprint) each.

        Ids may swap (an earlier duplicate deleted), so rows are found by their old ids first.
        Time logged follows its rows; notes and deck marks too, unless `files` is false (this
        machine's roadmap file is behind another's, which places those shared files).
        """
        self._writable()
        changes = {old_id: (new_id, text, phase, fp) for old_id, new_id, text, phase, fp in moves}

        def follow(doc: dict) -> None:  # each row once, by its old id: swaps are safe
            new_id, text, phase, fingerprint = changes[doc["item_id"]]
            doc.update(item_id=new_id, text=text, phase=phase, fingerprint=fingerprint)

        progress = self.db.table("progress")
        docs = [doc for doc in progress.all() if doc["item_id"] in changes]
        remember_moves(
            self.db.table("moved"),
            [
                (
                    d["item_id"],
                    changes[d["item_id"]][0],
                    d.get("fingerprint"),
                    changes[d["item_id"]][3],
                )
                for d in docs
            ],  # fmt: skip
            self.clock(),
        )
        progress.update(follow, doc_ids=[doc.doc_id for doc in docs])
        renamed = {old_id: new_id for old_id, (new_id, *_) in changes.items() if old_id != new_id}
        self._follow_items(renamed, files)

    def merge_progress(self, from_id: str, into_id: str, files: bool = True) -> None:
        """Progress set on one item under two ids (ticked on an old version of its file on
        one machine, on the new one on another) becomes one: the later change is its state,
        the other goes to its history; the note, time and marks of `from_id` follow."""
        self._writable()
        table = self.db.table("progress")
        source = table.get(Query().item_id == from_id)
        target = table.get(Query().item_id == into_id)
        if source is None or target is None:
            return
        theirs = source.get("changed") or [0.0, "", source["state"]]
        ours = target.get("changed") or [0.0, "", target["state"]]
        later, earlier = (theirs, ours) if theirs[:2] > ours[:2] else (ours, theirs)
        changes = (*target.get("history", []), *source.get("history", []), earlier)
        history = sorted({tuple(c[:2]): c for c in changes}.values(), key=lambda c: c[:2])
        row = {"state": later[2], "changed": later, "history": history[-HISTORY_KEPT:]}
        if later is theirs:
            row["updated"] = source.get("updated", target.get("updated", ""))
        table.update(row, Query().item_id == into_id)
        table.remove(Query().item_id == from_id)
        remember_moves(
            self.db.table("moved"),
            [(from_id, into_id, source.get("fingerprint"), target.get("fingerprint"))],
            self.clock(),
        )
        self._follow_items({from_id: into_id}, files)

    def _follow_items(self, renamed: dict[str, str], files: bool) -> None:
        """Logged time follows items to their new ids; with `files`, notes and deck marks."""
        if not renamed:
            return
        sessions = self.db.table("sessions")
        blocks = [doc.doc_id for doc in sessions.all() if doc.get("item_id") in renamed]
        if blocks:
            sessions.update(lambda doc: doc.update(item_id=renamed[doc["item_id"]]), doc_ids=blocks)
        if files:
            move_notes(self.data_dir, list(renamed.items()))
            relink_item_marks(self.data_dir, renamed)

    def forget_item(self, item_id: str) -> None:
        """Delete one item's progress row (before kept progress is attached in its place)."""
        self._writable()
        self.db.table("progress").remove(Query().item_id == item_id)


def same_item(one: dict, other: dict) -> bool:
    """Whether two fingerprints are of one item, as a roadmap update would match them."""
    return score(Fingerprint.from_dict(one), Fingerprint.from_dict(other)) is not None
