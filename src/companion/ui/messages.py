"""Messages that carry news between panes."""

from dataclasses import dataclass

from textual.message import Message


@dataclass
class RoadmapNodeHighlighted(Message):
    """The learner moved the roadmap cursor to a roadmap, a phase or an item."""

    kind: str
    roadmap_id: str
    key: str


@dataclass
class OpenItem(Message):
    """The learner asked to read the item."""

    item_id: str


class StudyChanged(Message):
    """Progress, reviews or the study log changed; status lines should refresh."""
