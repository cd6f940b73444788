"""Messages that carry news between panes."""

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ItemHighlighted(Message):
    """The learner moved to a roadmap item (or away from items, when `item_id` is None)."""

    item_id: str | None
    roadmap_id: str | None


@dataclass
class OpenItem(Message):
    """The learner asked to read the item."""

    item_id: str


class StudyChanged(Message):
    """Progress, reviews or the study log changed; status lines should refresh."""
