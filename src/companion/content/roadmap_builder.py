"""Collects phases, items and notes while the parser walks a roadmap's tokens."""

import re
from dataclasses import dataclass

from markdown_it.token import Token

from companion.content.estimates import Estimate, find_estimate
from companion.content.roadmap import Item, Phase, Resource, Roadmap, stable_id
from companion.content.sections import is_study_section
from companion.text import normalise

_WORDED = re.compile(r"\w")


@dataclass
class ListFrame:
    """An open list item while walking tokens."""

    details: str
    checked: bool | None
    item: Item | None = None
    seen_paragraph: bool = False


class RoadmapBuilder:
    """Phases from headings, items from list items and linked table rows, notes from paragraphs."""

    def __init__(self, roadmap: Roadmap, lines: list[str], offset: int = 0) -> None:
        """`lines` are the body's; `offset` is how many front-matter lines precede it."""
        self.roadmap = roadmap
        self.lines = lines
        self.offset = offset
        self.phase: Phase | None = None
        self.heading_path: list[tuple[int, str]] = []
        self.stack: list[ListFrame] = []
        self.seen_ids: dict[str, int] = {}
        self.title_fixed = False
        self.include: set[str] = set()
        self.exclude: set[str] = set()
        self.skipping_below: int | None = None  # heading level of a section left out
        self.rows: set[str] = set()  # the ids of the items made from table rows

    @property
    def skipping(self) -> bool:
        """Inside a section that is not study content."""
        return self.skipping_below is not None

    def source(self, token: Token) -> str:
        if not token.map:
            return ""
        start, end = token.map
        return "\n".join(self.lines[start:end]).strip()

    def current_phase(self, line: int) -> Phase:
        if self.phase is None:
            phase_id = stable_id(self.roadmap.id, "overview")
            self.phase = Phase(phase_id, "Overview", 2, line=line)
            self.roadmap.phases.append(self.phase)
        return self.phase

    def open_heading(self, level: int, title_text: str, line: int, is_title: bool) -> None:
        estimate, title = find_estimate(title_text)
        if is_title:
            if not self.title_fixed:
                self.roadmap.title = title or self.roadmap.title
            self.roadmap.estimate = self.roadmap.estimate or estimate
            return
        if self.skipping_below is not None and level > self.skipping_below:
            return
        self.skipping_below = None
        if not is_study_section(title, self.include, self.exclude):
            self.skipping_below = level
            self.roadmap.skipped_sections.append(title)
            return
        while self.heading_path and self.heading_path[-1][0] >= level:
            self.heading_path.pop()
        self.heading_path.append((level, normalise(title)))
        phase_id = self.unique(stable_id(self.roadmap.id, *(p for _, p in self.heading_path)))
        self.phase = Phase(phase_id, title or "Untitled", level, estimate, line=line)
        self.roadmap.phases.append(self.phase)

    def unique(self, candidate: str) -> str:
        count = self.seen_ids.get(candidate, 0)
        self.seen_ids[candidate] = count + 1
        return candidate if count == 0 else f"{candidate}-{count + 1}"

    def add_note(self, text: str, line: int) -> None:
        if not text or self.skipping:
            return
        if self.phase is None and not self.roadmap.phases:
            self.roadmap.notes = f"{self.roadmap.notes}\n\n{text}".strip()
        else:
            phase = self.current_phase(line)
            phase.notes = f"{phase.notes}\n\n{text}".strip()

    def add_phase_links(self, links: list[Resource]) -> None:
        """Links that belong to the section itself (its course, its materials)."""
        if self.skipping or self.phase is None:
            return
        self.phase.resources.extend(r for r in links if r not in self.phase.resources)

    def add_item(
        self,
        text: str,
        links: list[Resource],
        line: int,
        checked: bool | None,
        details: str = "",
        estimate: Estimate | None = None,
    ) -> Item | None:
        if (not links and not _WORDED.search(text)) or self.skipping:
            return None  # "..." for "and more" is nothing to study
        if estimate is None:
            estimate, _ = find_estimate(text, marked_only=True)
        phase = self.current_phase(line)
        parent = next((f.item for f in reversed(self.stack[:-1]) if f.item), None)
        key = normalise(text) or normalise(links[0].url)
        parent_key = normalise(parent.text) if parent else ""
        item_id = self.unique(stable_id(phase.id, parent_key, key))
        item = Item(
            item_id,
            text or links[0].title,
            phase.id,
            parent.depth + 1 if parent else 0,
            parent.id if parent else None,
            links,
            details,
            checked,
            line,
            estimate,
        )
        phase.items.append(item)
        return item
