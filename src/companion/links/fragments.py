"""Does a page have the `#fragment` a link points to? HTML ids and names, Markdown headings."""

import html
import re
import unicodedata
from urllib.parse import unquote

GITHUB_PREFIX = "user-content-"  # GitHub renders a heading's id as this plus its slug

_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_EXPLICIT_ANCHOR = re.compile(r"""<a\s+(?:name|id)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def html_anchors(page: str) -> set[str]:
    """Every id= and name= value in an HTML page (entities decoded)."""
    return {html.unescape(value) for value in _ID.findall(page)}


def has_fragment(fragment: str, anchors: set[str]) -> bool:
    """Whether `fragment`, as written in a link, names one of `anchors`: compared after
    percent-decoding, as lychee and browsers do; `#x` also finds GitHub's `user-content-x`
    and `#user-content-x` finds `x`, as GitHub's pages do."""
    for name in {fragment, unquote(fragment)}:
        bare = name.removeprefix(GITHUB_PREFIX)
        if {name, bare, GITHUB_PREFIX + bare} & anchors:
            return True
    return False


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
