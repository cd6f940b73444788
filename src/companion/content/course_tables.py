"""Course-table roadmaps (OSSU): the rows of its tables are the courses to take, and its
bullets are criteria, prerequisites and advice ("Be open for enrollment"). There the rows alone
are items, and the bullets are kept as their section's notes, to read."""

from companion.content.roadmap import Roadmap

ROWS = "rows"
MIN_ROWS = 10


def rows_are_the_items(roadmap: Roadmap, rows: set[str]) -> bool:
    """Whether the table rows (their item ids) are what the learner works through: ten or
    more, and at least two thirds of all items."""
    items = roadmap.items
    held = sum(1 for item in items if item.id in rows)
    return held >= MIN_ROWS and 3 * held >= 2 * len(items)


def keep_rows_only(roadmap: Roadmap, rows: set[str]) -> int:
    """Drop the items that are not table rows, each list's text joining its section's notes.
    Returns how many were dropped."""
    dropped = 0
    for phase in roadmap.phases:
        bullets = [item for item in phase.items if item.id not in rows]
        if not bullets:
            continue
        dropped += len(bullets)
        phase.keep_as_notes(bullets)
        phase.items = [item for item in phase.items if item.id in rows]
    return dropped
