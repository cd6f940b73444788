"""Keep roadmap progress through edits to the roadmap file, as review history is kept for cards.

An item whose id vanished (its text or its parent's changed) gets its state moved to the
most similar item of the same phase title without progress, when at least 80% alike; the same
rule as cards. Progress on items removed upstream is kept, only hidden.
"""

from dataclasses import dataclass

from companion.content.loader import Library
from companion.srs.linking import CardText, plan_relinks
from companion.store import Store
from companion.text import normalise


@dataclass(frozen=True)
class ProgressSync:
    """What re-reading the roadmaps did to the learner's progress."""

    relinked: list[tuple[str, str]]
    orphaned: list[str]


def _group(roadmap_id: str, phase: str) -> str:
    return f"{roadmap_id}:{normalise(phase)}".replace("/", " ").replace("\\", " ")


def sync_progress(library: Library, store: Store) -> ProgressSync:
    """Move progress of edited items to their new ids; report progress that has no item."""
    known = {item.id: (roadmap, item) for roadmap in library.roadmaps for item in roadmap.items}
    records = store.progress_records()
    missing = {
        r["item_id"]: CardText(
            "item", _group(r["roadmap_id"], r.get("phase", "")), r.get("text", "")
        )
        for r in records
        if r["item_id"] not in known and r.get("text")
    }
    if not missing:
        return ProgressSync([], [r["item_id"] for r in records if r["item_id"] not in known])
    with_progress = {r["item_id"] for r in records}
    fresh = {
        item_id: CardText("item", _group(roadmap.id, roadmap.phase_of(item).title), item.text)
        for item_id, (roadmap, item) in known.items()
        if item_id not in with_progress
    }
    pairs = plan_relinks(missing, fresh)
    store.move_progress(
        [
            (old, new, known[new][1].text, known[new][0].phase_of(known[new][1]).title)
            for old, new in pairs
        ]
    )
    moved = {old for old, _ in pairs}
    orphaned = [
        r["item_id"] for r in records if r["item_id"] not in known and r["item_id"] not in moved
    ]
    return ProgressSync(pairs, orphaned)
