"""The links of Markdown files, with the line each sits on, for checking."""

from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class FoundLink:
    """A link as written in a file."""

    url: str
    source: str
    line: int


def links_in_markdown(text: str, source: str) -> list[FoundLink]:
    """Every link and image target in the text, in order, with its line (1-based)."""
    found = []
    for token in _PARSER.parse(text):
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] + 1 if token.map else 0
        for child in token.children:
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if href:
                    found.append(FoundLink(href, source, line))
            elif child.type == "softbreak":
                line += 1
    return found


def is_remote(url: str) -> bool:
    """Checked over the network (everything else is local or skipped)."""
    return url.lower().startswith(("http://", "https://"))


def local_target(url: str, source: Path) -> tuple[Path, str] | None:
    """The file a relative link points to, and its fragment; None for other schemes."""
    if ":" in url.split("/", 1)[0] and not url.startswith("#"):
        return None
    path_part, _, fragment = url.partition("#")
    target = source if not path_part else (source.parent / path_part)
    return target, fragment
