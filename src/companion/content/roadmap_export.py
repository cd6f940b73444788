"""The roadmap file with the learner's progress written into it as task boxes.

A learner who keeps a fork of a checklist on GitHub wants the fork to show their progress:
each item line gets `[x]` (done), `[ ]` (to do or doing) and, where the file already uses it,
`[-]` (skipped). The file is parsed as it is now and each item's own line is rewritten;
front matter companion added on import is left out.
"""

import re

from companion.content.progress import item_state
from companion.content.roadmap_parser import FRONT_MATTER, parse_roadmap

_ITEM_LINE = re.compile(r"^(?P<lead>\s*(?:[-*+]|\d{1,9}[.)])\s+)(?P<box>\[[ xX-]\]\s+)?")
OUR_FIELDS = {"id", "origin", "base", "imported", "include_sections", "exclude_sections", "items"}


def export_with_progress(text: str, roadmap_id: str, states: dict[str, str]) -> tuple[str, int]:
    """The text with a box on every list item showing its state; and how many are ticked."""
    roadmap = parse_roadmap(text, roadmap_id)
    lines = text.split("\n")
    uses_skip_box = re.search(r"(?m)^\s*(?:[-*+]|\d+[.)])\s+\[-\]", text) is not None
    ticked = 0
    for item in roadmap.items:
        index = item.line - 1
        if not 0 <= index < len(lines):
            continue
        match = _ITEM_LINE.match(lines[index])
        if match is None:
            continue  # a table row: no box to write
        state = item_state(item, states)
        box = "[x]" if state == "done" else "[-]" if state == "skipped" and uses_skip_box else "[ ]"
        ticked += state == "done"
        lines[index] = match["lead"] + box + " " + lines[index][match.end() :]
    return _without_our_front_matter("\n".join(lines)), ticked


def _without_our_front_matter(text: str) -> str:
    match = FRONT_MATTER.match(text)
    if not match:
        return text
    kept = [
        line
        for line in match.group(1).splitlines()
        if line.partition(":")[0].strip().lower() not in OUR_FIELDS
    ]
    body = text[match.end() :]
    return f"---\n{chr(10).join(kept)}\n---\n{body}" if kept else body
