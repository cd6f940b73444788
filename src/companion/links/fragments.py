"""Does a page have the `#fragment` a link points to? HTML ids and names, Markdown headings."""

import re
import unicodedata

_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_EXPLICIT_ANCHOR = re.compile(r"""<a\s+(?:name|id)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def html_anchors(html: str) -> set[str]:
    """Every id= and name= value in an HTML page."""
    return set(_ID.findall(html))


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    text = re.sub(r"`|\*|_{2,}|\[|\]\([^)]*\)|<[^>]+>", "", heading).strip().lower()
    text = "".join(c for c in text if c.isalnum() or c in " -_" or unicodedata.category(c) == "Mn")
    return text.replace(" ", "-")


def markdown_anchors(text: str) -> set[str]:
    """The heading anchors of a Markdown file (duplicates numbered as on GitHub)."""
    anchors: set[str] = set(_EXPLICIT_ANCHOR.findall(text))
    seen: dict[str, int] = {}
    for heading in _HEADING.findall(text):
        slug = github_slug(heading)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors
