"""The roadmap model: phases of items, each with resources (links) and notes."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from companion.content.estimates import Estimate


@dataclass(frozen=True)
class Resource:
    """A link from a roadmap item to something to study."""

    title: str
    url: str
    kind: str = "link"


@dataclass
class Item:
    """One thing to study or do; `id` is stable across reordering and whitespace edits."""

    id: str
    text: str
    phase_id: str
    depth: int = 0
    parent_id: str | None = None
    resources: list[Resource] = field(default_factory=list)
    details: str = ""
    checked: bool | None = None
    line: int = 0
    estimate: Estimate | None = None


@dataclass
class Phase:
    """A heading of the roadmap with the items and notes below it."""

    id: str
    title: str
    level: int
    estimate: Estimate | None = None
    notes: str = ""
    items: list[Item] = field(default_factory=list)
    line: int = 0
    resources: list[Resource] = field(default_factory=list)
    """Links of the section itself ("🔗 Link to Course" under a course's heading)."""

    def keep_as_notes(self, items: list[Item], links: Sequence[Resource] = ()) -> None:
        """Keep bullets that are not items (and links), to read: each top-level bullet whole,
        after the notes."""
        lines = [item.details or item.text for item in items if item.parent_id is None]
        lines += [f"[{r.title}]({r.url})" for r in links]
        if lines:
            self.notes = "\n\n".join([self.notes, "\n".join(lines)]).strip()


@dataclass
class Roadmap:
    """A whole roadmap file: title, phases, and the targets its author gives."""

    id: str
    title: str
    phases: list[Phase] = field(default_factory=list)
    notes: str = ""
    estimate: Estimate | None = None
    weekly_target_hours: float | None = None
    source: str = ""
    origin: str = ""
    skipped_sections: list[str] = field(default_factory=list)
    counting: str = ""
    """"boxes" when only task boxes are items (a checklist), "rows" when only table rows are
    (a course table), "all" when every bullet is."""
    problems: list[str] = field(default_factory=list)
    """What the learner should hear about the file (one line each): depth flattened, say."""

    @property
    def items(self) -> list[Item]:
        """Every item in file order."""
        return [item for phase in self.phases for item in phase.items]

    def resources(self) -> list[Resource]:
        """Every link of its items and sections, in file order (once each)."""
        found: dict[str, Resource] = {}
        for phase in self.phases:
            for resource in phase.resources:
                found.setdefault(resource.url, resource)
            for item in phase.items:
                for resource in item.resources:
                    found.setdefault(resource.url, resource)
        return list(found.values())

    def find_item(self, item_id: str) -> Item | None:
        """The item with this id, if the roadmap has it."""
        return next((item for item in self.items if item.id == item_id), None)

    def find_phase(self, phase_id: str) -> Phase | None:
        """The phase with this id, if the roadmap has it."""
        return next((phase for phase in self.phases if phase.id == phase_id), None)

    def phase_of(self, item: Item) -> Phase:
        """The phase holding `item`."""
        return next(phase for phase in self.phases if phase.id == item.phase_id)


def stable_id(*parts: str) -> str:
    """A short hash of already-normalised parts."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:12]
