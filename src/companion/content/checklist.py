"""Checklist roadmaps (a fork of an interview checklist): only the task boxes are items.

In such files the bullets without a box are notes, sub-points and link lists; counting them
makes progress read 40% when every box is ticked. The boxes alone are the items, and links in
the bullets dropped go to the box above them.
"""

from companion.content.roadmap import Item, Roadmap

BOXES = "boxes"
ALL = "all"
MIN_BOXES = 100  # a long checklist: boxes are what its author asks the learner to tick


def boxes_are_the_items(roadmap: Roadmap) -> bool:
    """Whether the task boxes, not every bullet, are what the learner works through: most
    top-level items are boxes, or a hundred boxes make at least a third of all items."""
    items = roadmap.items
    boxes = sum(1 for item in items if item.checked is not None)
    top = [item for item in items if item.depth == 0]
    top_boxes = sum(1 for item in top if item.checked is not None)
    most = top_boxes >= 3 and 2 * top_boxes > len(top)
    return bool(items) and (most or (boxes >= MIN_BOXES and 3 * boxes >= len(items)))


def keep_boxes_only(roadmap: Roadmap) -> int:
    """Drop the items without a box; their links go to the nearest box above them (in the
    tree, else in the phase). Returns how many bullets were dropped."""
    by_id = {item.id: item for item in roadmap.items}
    dropped = 0
    for phase in roadmap.phases:
        kept: list[Item] = []
        for item in phase.items:
            if item.checked is not None:
                item.parent_id, item.depth = _box_above(item, by_id)
                kept.append(item)
                continue
            dropped += 1
            parent_id, _ = _box_above(item, by_id)
            owner = by_id.get(parent_id or "") or (kept[-1] if kept else None)
            if owner is not None:
                owner.resources.extend(r for r in item.resources if r not in owner.resources)
        phase.items = kept
    return dropped


def _box_above(item: Item, by_id: dict[str, Item]) -> tuple[str | None, int]:
    """The nearest ancestor with a box, and the depth the item has under boxes only."""
    parent = by_id.get(item.parent_id or "")
    while parent is not None and parent.checked is None:
        parent = by_id.get(parent.parent_id or "")
    if parent is None:
        return None, 0
    _, depth = _box_above(parent, by_id)
    return parent.id, depth + 1
