"""The links of Markdown files, with the line each sits on, for checking.

What lychee finds in Markdown, found the same way: links and images, autolinks, bare URLs in
the text (trailing punctuation left out, as linkify does; not inside code, as lychee without
--include-verbatim), and the URLs of HTML tags written in the Markdown (`<a href>`,
`<img src>` and the like).
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "linkify"])
_PARSER.linkify.set({"fuzzy_link": False, "fuzzy_email": False})  # a scheme, as lychee needs
# The attributes of HTML tags that name a resource, as lychee's HTML extractor reads them.
URL_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
_SRCSET_ITEM = re.compile(r"\s*([^\s,]+)(?:\s+[^,]*)?(?:,|$)")


@dataclass(frozen=True)
class FoundLink:
    """A link as written in a file."""

    url: str
    source: str
    line: int


class _TagUrls(HTMLParser):
    """The URLs in the attributes of HTML tags, with the line (1-based) each is on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = URL_ATTRIBUTES.get(tag, ())
        line = self.getpos()[0]
        for name, value in attrs:
            if name not in wanted or not value or not value.strip():
                continue
            if name == "srcset":
                self.found.extend((url, line) for url in _SRCSET_ITEM.findall(value) if url)
            else:
                self.found.append((value.strip(), line))


def urls_in_html(html: str) -> list[tuple[str, int]]:
    """The URLs of `html`'s tags, each with its line within `html` (1-based)."""
    parser = _TagUrls()
    parser.feed(html)
    parser.close()
    return parser.found


def links_in_markdown(text: str, source: str) -> list[FoundLink]:
    """Every link, image and HTML tag target in the text, in order, with its line (1-based)."""
    found = []
    for token in _PARSER.parse(text):
        first = token.map[0] + 1 if token.map else 0
        if token.type == "html_block":
            tags = urls_in_html(token.content)
            found.extend(FoundLink(url, source, first + n - 1) for url, n in tags)
            continue
        if token.type != "inline" or not token.children:
            continue
        line = first
        for child in token.children:
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if child.markup == "linkify":  # a bare URL: a colon ends a sentence, not it
                    href = href.rstrip(":")
                if href:
                    found.append(FoundLink(href, source, line))
            elif child.type == "image":
                src = str(child.attrGet("src") or "")
                if src:
                    found.append(FoundLink(src, source, line))
            elif child.type == "html_inline":
                found.extend(FoundLink(url, source, line) for url, _ in urls_in_html(child.content))
            elif child.type in ("softbreak", "hardbreak"):
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
