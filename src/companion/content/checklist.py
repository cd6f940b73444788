"""Checklist roadmaps (a fork of an interview checklist): only the task boxes are items.

In such files the bullets without a box are notes, sub-points and link lists; counting them
makes progress read 40% when every box is ticked. The boxes alone are the items, and links in
the bullets dropped go to the box above them.
"""

from companion.content.roadmap import Item, Phase, Roadmap

BOXES = "boxes"
ALL = "all"
MIN_BOXES = 100  # a long checklist: boxes are what its author asks the learner to tick
SPARSE = 5  # a section with boxes on fewer than one bullet in 5 is read as one without


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
    tree, else in the phase). Returns how many bullets were dropped.

    A section with bullets and no box, or hardly any, after the checklist has begun keeps its
    bullets as items (upstream removing a section's boxes does not make it prose: in
    coding-interview-university fb4c887 one section kept 6 boxes of 70 bullets), but for its
    label bullets ("Videos:" over their links), which group their children."""
    by_id = {item.id: item for item in roadmap.items}
    dropped = 0
    begun = False
    for phase in roadmap.phases:
        boxes = sum(1 for item in phase.items if item.checked is not None)
        boxless = not boxes
        if begun and phase.items and SPARSE * boxes < len(phase.items):
            dropped += _drop_labels(phase, by_id)
            continue
        if boxless:  # an introduction's lists and links: kept to read, not to tick
            phase.keep_as_notes(phase.items, phase.resources)
            phase.resources = []
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
        begun = begun or bool(kept)
    return dropped


LABEL_WORDS = 4  # "Videos:", "Course layout:"; "2012: AddressSanitizer: A Fast...:" is a title
_GENERIC_LINKS = {"paper", "pdf", "video", "videos", "slides", "article", "link", "code", "notes"}


def is_label(item: Item, items: list[Item]) -> bool:
    """A bullet that only names what its children are ("Videos:", "Implement:"): a few words
    ending with a colon, linking nowhere, with bullets under it."""
    text = item.text.rstrip()
    return (
        text.endswith(":")
        and len(text.split()) <= LABEL_WORDS
        and not item.resources
        and any(other.parent_id == item.id for other in items)
    )


def _is_bare_link(item: Item, items: list[Item]) -> bool:
    """A child that is only a link named for its kind ("[paper](...)" under the paper's title):
    its parent's resource, not an item of its own."""
    return (
        item.parent_id is not None
        and bool(item.resources)
        and item.text.strip(" .:()[]").casefold() in _GENERIC_LINKS
        and not any(other.parent_id == item.id for other in items)
    )


def _drop_labels(phase: Phase, by_id: dict[str, Item]) -> int:
    """Take the label bullets out of a phase, their children moved up to the label's place,
    and give each bare link ("paper") to the bullet above it."""
    labels = {item.id for item in phase.items if is_label(item, phase.items)}
    bare = [
        item
        for item in phase.items
        if _is_bare_link(item, phase.items) and item.parent_id not in labels
    ]
    for item in bare:
        owner = by_id[item.parent_id or ""]
        owner.resources.extend(r for r in item.resources if r not in owner.resources)
    gone = labels | {item.id for item in bare}
    if not gone:
        return 0
    kept = []
    for item in phase.items:
        if item.id in gone:
            continue
        parent = by_id.get(item.parent_id or "")
        while parent is not None and parent.id in labels:
            parent = by_id.get(parent.parent_id or "")
        item.parent_id = parent.id if parent is not None else None
        kept.append(item)
    depth = {}
    for item in kept:  # in file order: a parent comes before its children
        depth[item.id] = depth.get(item.parent_id or "", -1) + 1 if item.parent_id else 0
        item.depth = depth[item.id]
    phase.items = kept
    return len(gone)


def _box_above(item: Item, by_id: dict[str, Item]) -> tuple[str | None, int]:
    """The nearest ancestor with a box, and the depth the item has under boxes only."""
    parent = by_id.get(item.parent_id or "")
    while parent is not None and parent.checked is None:
        parent = by_id.get(parent.parent_id or "")
    if parent is None:
        return None, 0
    _, depth = _box_above(parent, by_id)
    return parent.id, depth + 1
