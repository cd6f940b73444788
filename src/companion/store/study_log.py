"""The store's study log: the focus and break blocks, logged, corrected, deleted and put back
here or on another machine (an event each, folded by store/block_events.py), and the timer."""

import contextlib
import math
from collections.abc import Iterable

from tinydb.table import Document

from companion.store import block_events
from companion.store.review_log import parse_line
from companion.store.roadmap_events import followed_block_item
from companion.store.store_part import StorePart


class BlockGone(Exception):
    """A study block to change is no longer in the log; the message is one line."""


class StudyLogMixin(StorePart):
    """Mixed into `Store`: the sessions and timer tables, and the events that make them."""

    def log_block(self, block: dict) -> int:
        """Add a finished focus or break block to the study log; return its id."""
        self._writable()
        event = self.commit(block_events.logged(block))
        row = {**block, "origin": event["id"], "at": event["ts"]}
        return self.db.table("sessions").insert(row)

    def _block_event(self, doc: Document, event: dict) -> dict:
        """Commit a change of a logged block, stamped after the block's last event (even with
        the clock gone back, or behind the machine that logged it)."""
        after = math.nextafter(float(doc.get("at", 0.0)), math.inf)
        return self.commit({**event, "ts": max(self.clock(), after)})

    def log_again(self, block: dict) -> None:
        """Log a block kept from before blocks were events, as the event it would have been."""
        self._writable()
        doc = self._block(block)
        event = self.commit({**block_events.logged(block), "ts": float(block["ended_at"])})
        mark = {"origin": event["id"], "at": event["ts"]}
        self.db.table("sessions").update(mark, doc_ids=[doc.doc_id])

    def study_blocks(self) -> list[dict]:
        """Every logged block, oldest first."""
        return sorted(self.db.table("sessions").all(), key=lambda doc: doc["started_at"])

    def _block(self, block: dict) -> Document:
        """The logged block that is `block`, found by what it holds (its phase and start),
        never by a remembered place; BlockGone when the log no longer has it."""
        phase, start, origin = block_events.block_key(block)
        for doc in self.db.table("sessions").all():
            found = doc.get("phase") == phase and doc.get("started_at") == start
            if found and (origin is None or doc.get("origin") == origin):
                return doc
        raise BlockGone("that block is no longer in the study log (changed meanwhile?)")

    def change_block(self, block: dict, changes: dict) -> dict:
        """Change a logged block (its item, minutes or note); returns it as it was before."""
        self._writable()
        doc = self._block(block)
        before = dict(doc)
        event = self._block_event(doc, block_events.changed(doc, changes))
        self.db.table("sessions").update({**changes, "at": event["ts"]}, doc_ids=[doc.doc_id])
        return before

    def delete_block(self, block: dict) -> dict:
        """Delete a logged block; returns it, so it can be put back."""
        self._writable()
        doc = self._block(block)
        self._block_event(doc, block_events.deleted(doc))
        self.db.table("sessions").remove(doc_ids=[doc.doc_id])
        return dict(doc)

    def put_back_block(self, block: dict, before: dict | None = None) -> None:
        """Undo: the block as it was (`before`), replacing it, or added again if deleted."""
        self._writable()
        table = self.db.table("sessions")
        as_it_was = before if before is not None else block
        try:
            doc = self._block(block)
        except BlockGone:  # deleted: nothing to replace, stamped after the deletion
            doc = Document({**block, "at": block.get("at", 0.0)}, doc_id=0)
        event = self._block_event(doc, block_events.put_back(doc, as_it_was))
        with contextlib.suppress(BlockGone):
            table.remove(doc_ids=[self._block(block).doc_id])
        table.insert({**as_it_was, "at": event["ts"]})

    def apply_block_events(self, events: Iterable[dict]) -> int:
        """Blocks logged or changed on other machines: each block they name is folded again
        from every event of it in the log; how many blocks that changed."""
        keys = {
            tuple(block_events.named(e)) for e in events if e["kind"] in block_events.BLOCK_KINDS
        }
        if not keys:
            return 0
        self._writable()
        lines = self.review_log.lines_with(b'"kind":"block')
        found = (parse_line(raw, None)[0] for raw in lines)
        folded = block_events.fold(
            e for e in found if e is not None and tuple(block_events.named(e)) in keys
        )
        table, moved = self.db.table("sessions"), self.db.table("moved")
        for doc in table.all():
            if tuple(block_events.block_key(doc)) in keys:
                table.remove(doc_ids=[doc.doc_id])
        blocks = [block for key, block in folded.items() if block and key in keys]
        for block in blocks:  # credited to the item as this machine's roadmap file has it now
            if isinstance(block.get("item_id"), str):
                block["item_id"] = followed_block_item(moved, block["item_id"], block["at"])
        table.insert_multiple(blocks)
        return len(keys)

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
