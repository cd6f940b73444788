"""Parse roadmap Markdown with markdown-it-py into a Roadmap; any roadmap or awesome-list works."""

import contextlib
import html
import re
from collections.abc import Iterator, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from companion.content.checklist import ALL, BOXES, boxes_are_the_items, keep_boxes_only
from companion.content.course_tables import ROWS, keep_rows_only, rows_are_the_items
from companion.content.empty_phases import fold_empty_phases
from companion.content.estimates import find_estimate
from companion.content.html_items import html_items
from companion.content.inline_links import kind_of, resolve, text_and_links
from companion.content.markdown_limits import flatten_deep_lists
from companion.content.markdown_shapes import (
    details_left_out,
    is_bold_heading,
    is_navigation,
    list_follows,
    summary_text,
)
from companion.content.roadmap import Resource, Roadmap
from companion.content.roadmap_builder import ListFrame, RoadmapBuilder
from companion.content.sections import names
from companion.content.table_columns import row_estimate, row_links, table_columns
from companion.text import slugify

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_HTML_HEADING = re.compile(r"<h([1-3])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]+>")
_TASK_BOX = re.compile(r"^\s*\[( |x|X|-)\]\s+")  # "[-]": a box some checklists use for skipped


MAX_LIST_DEPTH = 16  # deeper items are moved up to this level (markdown-it would drop them)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"maxNesting": 4 * MAX_LIST_DEPTH})
    return parser.enable("table").use(front_matter_plugin).use(tasklists_plugin)


_shared_tokens: dict[str, tuple[Token, ...]] | None = None


@contextlib.contextmanager
def sharing_tokens() -> Iterator[None]:
    """Within this block, a body parsed twice is tokenised once (an import parses a file for
    its title, then again under its id); outside it nothing is kept in memory."""
    global _shared_tokens
    _shared_tokens = {}
    try:
        yield
    finally:
        _shared_tokens = None


def _tokens(body: str) -> tuple[Token, ...]:
    """markdown-it's tokens for a body (the builder never changes them, so they may be shared)."""
    if _shared_tokens is not None and body in _shared_tokens:
        return _shared_tokens[body]
    tokens = tuple(_parser().parse(body))
    if _shared_tokens is not None:
        _shared_tokens[body] = tokens
    return tokens


def parse_front_matter(raw: str) -> dict[str, str]:
    """Read simple `key: value` lines (all we need of YAML front matter)."""
    fields: dict[str, str] = {}
    for line in raw.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "#")):
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields


def parse_roadmap(
    text: str, roadmap_id: str = "roadmap", source: str = "", base: str = ""
) -> Roadmap:
    """Parse Markdown text into a Roadmap; never raises on odd Markdown.

    `base` is where the file came from (a URL or a folder): relative links resolve against it.
    Front matter may set title, id, weekly_target_hours, estimate, origin (for updates),
    include_sections and exclude_sections (override the rule for sections left out).
    """
    # The body is tokenised apart from the front matter, so an import can tokenise it once for
    # its two parses (see sharing_tokens): markdown-it is most of the cost on a large file.
    front = FRONT_MATTER.match(text)
    offset = text[: front.end()].count("\n") if front else 0
    body, moved = flatten_deep_lists(text[front.end() :] if front else text, MAX_LIST_DEPTH)
    tokens = _tokens(body)
    roadmap = Roadmap(roadmap_id, roadmap_id.replace("-", " ").title(), source=source)
    if moved:
        roadmap.problems.append(
            f"{source or roadmap_id}: {moved} list items nested deeper than {MAX_LIST_DEPTH} "
            f"levels are shown at level {MAX_LIST_DEPTH}"
        )
    builder = RoadmapBuilder(roadmap, body.splitlines(), offset)
    if front:
        base = _apply_front_matter(roadmap, builder, parse_front_matter(front.group(1))) or base
    headings = [t for t in tokens if t.type == "heading_open"]
    top = min((t.tag for t in headings), default="h1")
    # The title: a lone h1, or (README style) a first heading alone at the top level.
    first_list = next(
        (i for i, t in enumerate(tokens) if t.type in ("bullet_list_open", "table_open")), None
    )
    lone_top = sum(1 for t in headings if t.tag == top) == 1 and (
        top == "h1"
        or (
            headings[0].tag == top
            and (first_list is None or tokens.index(headings[0]) < first_list)
        )
    )
    bold_level = 2  # a bold paragraph heading sits one below the heading above it
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = (token.map[0] + 1 + offset) if token.map else 0
        if token.type == "front_matter":
            base = _apply_front_matter(roadmap, builder, parse_front_matter(token.content)) or base
        elif token.type == "heading_open":
            title, _ = text_and_links(tokens[index + 1], base)
            builder.open_heading(int(token.tag[1]), title, line, lone_top and token.tag == top)
            bold_level = int(token.tag[1]) + 1
            index += 2
        elif token.type == "list_item_open":
            is_task = "task-list-item" in str(token.attrGet("class") or "")
            builder.stack.append(ListFrame(builder.source(token), False if is_task else None))
        elif token.type == "list_item_close":
            builder.stack.pop()
        elif token.type == "inline" and builder.stack and not builder.stack[-1].seen_paragraph:
            frame = builder.stack[-1]
            frame.seen_paragraph = True
            if is_navigation(token):
                index += 1
                continue  # a contents entry: "[Summary](#summary)" is not something to study
            item_text, links = text_and_links(token, base)
            checked = _task_state(token, frame.checked)
            item_text = _TASK_BOX.sub("", item_text)
            item_text = titled(token, item_text)  # the whole bullet stays as its details
            frame.item = builder.add_item(item_text, links, line, checked, frame.details)
        elif (
            token.type == "paragraph_open"
            and not builder.stack
            and is_bold_heading(tokens[index + 1])
            and list_follows(tokens, index + 3)
        ):
            # "**Lecture 1: micrograd**" over its list of links: a heading in all but name.
            title, _ = text_and_links(tokens[index + 1], base)
            builder.open_heading(bold_level, title, line, False)
            index += 3
            continue
        elif token.type == "paragraph_open" and not builder.stack:
            text, links = text_and_links(tokens[index + 1], base)
            if links and builder.phase is not None and is_link_line(text, links):
                # "🔗 [Link to Course](...)" under a course's heading: the heading's resources
                builder.add_phase_links(links)
            elif text:  # a line of badges is not a note
                builder.add_note(builder.source(token), line)
            index += 3
            continue
        elif token.type == "html_block" and (
            skip_to := details_left_out(tokens, index, builder.include, builder.exclude)
        ):
            roadmap.skipped_sections.append(summary_text(token.content))
            index = skip_to
            continue
        elif token.type == "html_block" and ("<li" in token.content or "<tr" in token.content):
            for found in html_items(token.content):
                links = [Resource(t, resolve(h, base), kind_of(resolve(h, base), None))
                         for t, h in found.links]  # fmt: skip
                durations = (find_estimate(cell)[0] for cell in found.cells[1:])
                estimate = next((e for e in durations if e is not None), None)
                row = builder.add_item(found.text, links, line, None, estimate=estimate)
                if row is not None and found.cells:
                    builder.rows.add(row.id)
        elif token.type == "html_block" and not roadmap.phases and not lone_top:
            # <h1 align="center">Title</h1> (or h2, h3) above the first Markdown heading.
            match = _HTML_HEADING.search(token.content)
            if match and (title := " ".join(_HTML_TAG.sub("", match.group(2)).split())):
                builder.open_heading(1, html.unescape(title), line, True)
        elif token.type == "thead_open":
            index = _table(builder, tokens, index, base)
        index += 1
    chosen = roadmap.counting
    if chosen == BOXES or (chosen not in (ALL, ROWS) and boxes_are_the_items(roadmap)):
        roadmap.counting = BOXES
        keep_boxes_only(roadmap)
    elif chosen == ROWS or (chosen != ALL and rows_are_the_items(roadmap, builder.rows)):
        roadmap.counting = ROWS
        keep_rows_only(roadmap, builder.rows)
    else:
        roadmap.counting = ALL
    fold_empty_phases(roadmap)
    return roadmap


LONG_TITLE = 100  # characters: a bullet this long is a paragraph, not a title
_LABEL_END = re.compile(r"^\s*(?::|[-–—]\s)\s*")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)]\.)\s+(?=[A-Z])")  # a question opens, not titles


_LINK_LINE_REST = re.compile(r"^[\W_]*$")  # emoji, arrows, separators: no words of its own


def is_link_line(text: str, links: list[Resource]) -> bool:
    """A paragraph that is only links (an emoji or "|" between them)."""
    rest = text
    for link in links:
        rest = rest.replace(link.title, "", 1)
    return bool(_LINK_LINE_REST.match(rest))


def titled(inline: Token, text: str) -> str:
    """A bullet's title when the bullet is a paragraph: a bold label that opens it
    ("**Python Basics**: Python programming requires...", as llm-course writes its topics),
    else its first sentence. Short bullets are their own title."""
    if len(text) <= LONG_TITLE:
        return text
    children = [c for c in inline.children or [] if c.type != "text" or c.content]
    if len(children) > 3 and children[0].type == "strong_open":
        close = next((i for i, c in enumerate(children) if c.type == "strong_close"), None)
        if close is not None and close + 1 < len(children):
            label = " ".join("".join(c.content for c in children[1:close]).split())
            after = children[close + 1]
            ending = _LABEL_END.match(after.content) if after.type == "text" else None
            if label and ending and text.startswith(label):
                return label
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    return first if 20 <= len(first) <= LONG_TITLE else text


def _task_state(inline: Token, checked: bool | None) -> bool | None:
    """Whether a task-list item is ticked; None when it is not a task item."""
    for child in inline.children or []:
        if child.type == "html_inline" and "task-list-item-checkbox" in child.content:
            return "checked" in child.content
    match = _TASK_BOX.match(inline.content)
    if match:
        return match.group(1).lower() == "x"
    return checked


def _row(
    tokens: Sequence[Token], index: int, base: str
) -> tuple[list[tuple[str, list[Resource]]], int]:
    cells = []
    while tokens[index].type != "tr_close":
        if tokens[index].type == "inline":
            cells.append(text_and_links(tokens[index], base))
        index += 1
    return cells, index


def _table(builder: RoadmapBuilder, tokens: Sequence[Token], index: int, base: str) -> int:
    """Rows with a link become items named by their first cell; the duration and effort
    columns give its estimate (see content/table_columns.py)."""
    while tokens[index].type != "tr_open":
        index += 1
    header, index = _row(tokens, index, base)
    columns = table_columns(header)
    while index < len(tokens) and tokens[index].type != "table_close":
        if tokens[index].type == "tr_open":
            line = (tokens[index].map[0] + 1 + builder.offset) if tokens[index].map else 0
            cells, index = _row(tokens, index, base)
            links = row_links(cells, columns)
            if links and not builder.stack:
                first = next((text for text, _ in cells if text), "")
                row = builder.add_item(first, links, line, None, " | ".join(t for t, _ in cells),
                                       row_estimate(cells, columns))  # fmt: skip
                if row is not None:
                    builder.rows.add(row.id)
        index += 1
    return index


def _apply_front_matter(roadmap: Roadmap, builder: RoadmapBuilder, fields: dict[str, str]) -> str:
    """Apply the front matter; return the base for relative links it names, if any."""
    if fields.get("title"):
        roadmap.title = fields["title"]
        builder.title_fixed = True  # the front matter's title wins over a "#" heading
    if fields.get("id"):
        roadmap.id = slugify(fields["id"])
    if fields.get("weekly_target_hours"):
        with contextlib.suppress(ValueError):
            hours = float(fields["weekly_target_hours"])
            if 0 < hours <= 168:  # also refuses nan and inf
                roadmap.weekly_target_hours = hours
    if fields.get("estimate"):
        roadmap.estimate, _ = find_estimate(fields["estimate"])
    roadmap.origin = fields.get("origin", "")
    if fields.get("items") in (BOXES, ROWS, ALL):  # only task boxes, table rows, or all
        roadmap.counting = fields["items"]
    builder.include = names(fields.get("include_sections", ""))
    builder.exclude = names(fields.get("exclude_sections", ""))
    return fields.get("base", "")
