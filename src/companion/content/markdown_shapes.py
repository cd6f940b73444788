"""Shapes of README Markdown that are not what they look like to markdown-it: a contents list
(links to the file's own headings), a bold paragraph that is really a heading, a <details>
block of translations."""

import re
from collections.abc import Sequence

from markdown_it.token import Token

from companion.content.sections import is_study_section

_HTML_TAG = re.compile(r"<[^>]+>")
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.IGNORECASE | re.DOTALL)


def summary_text(html_text: str) -> str:
    match = _SUMMARY.search(html_text)
    return " ".join(_HTML_TAG.sub("", match.group(1)).split()) if match else ""


def details_left_out(
    tokens: Sequence[Token], index: int, include: set[str], exclude: set[str]
) -> int:
    """Past the end of a <details> block whose summary names no study content
    ("Translations", "Contributors"), or 0 when this is not one."""
    content = tokens[index].content
    if "<details" not in content.lower():
        return 0
    summary = summary_text(content)
    if not summary or is_study_section(summary, include, exclude):
        return 0
    for end in range(index, len(tokens)):
        if tokens[end].type == "html_block" and "</details>" in tokens[end].content.lower():
            return end + 1
    return 0


def is_navigation(inline: Token) -> bool:
    """A list entry that only links to headings of the same file (a table of contents)."""
    children = inline.children or []
    hrefs = [str(c.attrGet("href") or "") for c in children if c.type == "link_open"]
    if not hrefs or not all(href.startswith(("#", "./#")) for href in hrefs):
        return False
    outside, depth = [], 0
    for child in children:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        elif depth == 0 and child.type == "text":
            outside.append(child.content)
    return not re.sub(r"[\W_]+", "", "".join(outside))


def is_bold_heading(inline: Token) -> bool:
    """A short paragraph that is bold from end to end."""
    children = [c for c in inline.children or [] if c.type != "text" or c.content.strip()]
    return (
        len(children) >= 3
        and children[0].type == "strong_open"
        and children[-1].type == "strong_close"
        and sum(1 for child in children if child.type == "strong_open") == 1
        and len(inline.content) <= 150
    )


def list_follows(tokens: Sequence[Token], index: int) -> bool:
    """Whether a list comes next, past any plain paragraphs or rules (not another heading)."""
    while index < len(tokens):
        kind = tokens[index].type
        if kind in ("bullet_list_open", "ordered_list_open"):
            return True
        if kind == "paragraph_open":
            if is_bold_heading(tokens[index + 1]):
                return False
            index += 3
            continue
        if kind != "hr":
            return False
        index += 1
    return False
