"""Parse roadmap Markdown with markdown-it-py into a Roadmap."""

import contextlib
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from companion.content.estimates import find_estimate
from companion.content.roadmap import Item, Phase, Resource, Roadmap, stable_id
from companion.content.sanitize import normalise

_TASK_BOX = re.compile(r"^\s*\[( |x|X)\]\s+")
_SLUG = re.compile(r"[^a-z0-9]+")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(tasklists_plugin)


def slugify(text: str) -> str:
    """A lowercase, dash-separated id from free text."""
    return _SLUG.sub("-", text.casefold()).strip("-") or "roadmap"


def parse_front_matter(raw: str) -> dict[str, str]:
    """Read simple `key: value` lines (all we need of YAML front matter)."""
    fields: dict[str, str] = {}
    for line in raw.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "#")):
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields


def _inline_text_and_links(inline: Token) -> tuple[str, list[Resource]]:
    """Plain text of an inline token and the links in it (images are not resources)."""
    text_parts: list[str] = []
    links: list[Resource] = []
    href: str | None = None
    link_text: list[str] = []
    for child in inline.children or []:
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            link_text = []
        elif child.type == "link_close":
            if href and not href.startswith("#"):
                links.append(Resource(" ".join("".join(link_text).split()) or href, href))
            href = None
        elif child.type in ("text", "code_inline"):
            text_parts.append(child.content)
            if href is not None:
                link_text.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            text_parts.append(" ")
    return " ".join("".join(text_parts).split()), links


@dataclass
class _ListFrame:
    """An open list item while walking tokens."""

    details: str
    checked: bool | None
    item: Item | None = None
    seen_paragraph: bool = False


class _RoadmapBuilder:
    """Walks markdown-it tokens and collects phases, items and notes."""

    def __init__(self, roadmap: Roadmap, lines: list[str]) -> None:
        self.roadmap = roadmap
        self.lines = lines
        self.phase: Phase | None = None
        self.heading_path: list[tuple[int, str]] = []
        self.stack: list[_ListFrame] = []
        self.seen_ids: dict[str, int] = {}

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
            self.roadmap.title = title or self.roadmap.title
            self.roadmap.estimate = self.roadmap.estimate or estimate
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
        if not text:
            return
        if self.phase is None and not self.roadmap.phases:
            self.roadmap.notes = f"{self.roadmap.notes}\n\n{text}".strip()
        else:
            phase = self.current_phase(line)
            phase.notes = f"{phase.notes}\n\n{text}".strip()

    def add_item(
        self, text: str, links: list[Resource], line: int, checked: bool | None, details: str = ""
    ) -> Item | None:
        if not text and not links:
            return None
        phase = self.current_phase(line)
        parent = next((f.item for f in reversed(self.stack[:-1]) if f.item), None)
        key = normalise(text) or normalise(links[0].url)
        parent_key = normalise(parent.text) if parent else ""
        item_id = self.unique(stable_id(phase.id, parent_key, key))
        depth = parent.depth + 1 if parent else 0
        item = Item(
            item_id,
            text or links[0].title,
            phase.id,
            depth,
            parent.id if parent else None,
            links,
            details,
            checked,
            line,
        )
        phase.items.append(item)
        return item


def parse_roadmap(text: str, roadmap_id: str = "roadmap", source: str = "") -> Roadmap:
    """Parse Markdown text into a Roadmap; never raises on odd Markdown."""
    tokens = _parser().parse(text)
    lines = text.splitlines()
    roadmap = Roadmap(roadmap_id, roadmap_id.replace("-", " ").title(), source=source)
    builder = _RoadmapBuilder(roadmap, lines)
    headings = [t for t in tokens if t.type == "heading_open"]
    lone_h1 = sum(1 for t in headings if t.tag == "h1") == 1
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = (token.map[0] + 1) if token.map else 0
        if token.type == "front_matter":
            _apply_front_matter(roadmap, parse_front_matter(token.content))
        elif token.type == "heading_open":
            level = int(token.tag[1])
            title, _ = _inline_text_and_links(tokens[index + 1])
            builder.open_heading(level, title, line, is_title=lone_h1 and level == 1)
            index += 2
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            pass
        elif token.type == "list_item_open":
            is_task = "task-list-item" in str(token.attrGet("class") or "")
            builder.stack.append(_ListFrame(builder.source(token), False if is_task else None))
        elif token.type == "list_item_close":
            builder.stack.pop()
        elif token.type == "inline" and builder.stack and not builder.stack[-1].seen_paragraph:
            frame = builder.stack[-1]
            frame.seen_paragraph = True
            item_text, links = _inline_text_and_links(token)
            checked = _task_state(token, frame.checked)
            item_text = _TASK_BOX.sub("", item_text)
            frame.item = builder.add_item(item_text, links, line, checked, frame.details)
        elif token.type == "paragraph_open" and not builder.stack:
            builder.add_note(builder.source(token), line)
            index += 3
            continue
        elif token.type == "tr_open":
            index = _table_row(builder, tokens, index, line)
        index += 1
    return roadmap


def _task_state(inline: Token, checked: bool | None) -> bool | None:
    """Whether a task-list item is ticked; None when it is not a task item."""
    for child in inline.children or []:
        if child.type == "html_inline" and "task-list-item-checkbox" in child.content:
            return "checked" in child.content
    match = _TASK_BOX.match(inline.content)
    if match:
        return match.group(1).lower() == "x"
    return checked


def _table_row(builder: _RoadmapBuilder, tokens: list[Token], index: int, line: int) -> int:
    """A table row that holds a link becomes an item named by its first cell."""
    cells: list[tuple[str, list[Resource]]] = []
    while tokens[index].type != "tr_close":
        if tokens[index].type == "inline":
            cells.append(_inline_text_and_links(tokens[index]))
        index += 1
    links = [link for _, cell_links in cells for link in cell_links]
    if links and not builder.stack:
        first_text = next((text for text, _ in cells if text), "")
        builder.add_item(first_text, links, line, None, " | ".join(text for text, _ in cells))
    return index


def _apply_front_matter(roadmap: Roadmap, fields: dict[str, str]) -> None:
    if fields.get("title"):
        roadmap.title = fields["title"]
    if fields.get("id"):
        roadmap.id = slugify(fields["id"])
    if fields.get("weekly_target_hours"):
        with contextlib.suppress(ValueError):
            roadmap.weekly_target_hours = float(fields["weekly_target_hours"])
    if fields.get("estimate"):
        roadmap.estimate, _ = find_estimate(fields["estimate"])
