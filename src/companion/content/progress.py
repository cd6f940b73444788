"""Progress through a roadmap: done and skipped items count as finished, as on roadmap.sh."""

from dataclasses import dataclass

from companion.content.roadmap import Item, Phase, Roadmap

ITEM_STATES = ("todo", "doing", "done", "skipped")
FINISHED = ("done", "skipped")
STARTED = ("done", "doing", "skipped")
"""The states of progress worth telling the learner about when it moves or is kept aside."""
ROADMAP_ACTIONS = ("added", "updated", "removed")
"""What can happen to a roadmap file, as its events say."""


@dataclass(frozen=True)
class Progress:
    """How much of a set of items is finished."""

    finished: int
    total: int

    @property
    def percent(self) -> int:
        """Whole percent finished (0 for an empty set)."""
        return round(100 * self.finished / self.total) if self.total else 0

    @property
    def left(self) -> int:
        """Items still to do."""
        return self.total - self.finished


def item_state(item: Item, states: dict[str, str]) -> str:
    """An item's state: what the learner set, else ticked in the file means done, else todo."""
    if item.id in states:
        return states[item.id]
    return "done" if item.checked else "todo"


def progress_of(items: list[Item], states: dict[str, str]) -> Progress:
    """Finished and total counts over `items`."""
    finished = sum(1 for item in items if item_state(item, states) in FINISHED)
    return Progress(finished, len(items))


def phase_progress(phase: Phase, states: dict[str, str]) -> Progress:
    """Progress within one phase."""
    return progress_of(phase.items, states)


def roadmap_progress(roadmap: Roadmap, states: dict[str, str]) -> Progress:
    """Progress over the whole roadmap."""
    return progress_of(roadmap.items, states)


def first_unfinished(roadmaps: list[Roadmap], states: dict[str, str]) -> Item | None:
    """Where the learner most likely is: the first item neither done nor skipped."""
    return next(
        (
            item
            for roadmap in roadmaps
            for item in roadmap.items
            if item_state(item, states) not in FINISHED
        ),
        None,
    )
