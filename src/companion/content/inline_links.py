"""Links inside a line of Markdown: what they point to, what kind of resource, and badges."""

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from markdown_it.token import Token

from companion.content.roadmap import Resource

KIND_TAGS = {
    "video": "video",
    "videos": "video",
    "lecture": "video",
    "lectures": "video",
    "course": "course",
    "book": "book",
    "paper": "paper",
    "article": "article",
    "blog": "article",
    "post": "article",
    "podcast": "podcast",
    "repo": "repo",
    "code": "repo",
    "notebook": "notebook",
    "tutorial": "tutorial",
    "interactive": "interactive",
}
_TAG = re.compile(r"[\[(](" + "|".join(KIND_TAGS) + r")[\])]", re.IGNORECASE)
_HOST_KINDS = {
    "youtube.com": "video",
    "youtu.be": "video",
    "vimeo.com": "video",
    "github.com": "repo",
    "gitlab.com": "repo",
    "arxiv.org": "paper",
    "coursera.org": "course",
    "edx.org": "course",
    "udemy.com": "course",
    "colab.research.google.com": "notebook",
    "kaggle.com": "notebook",
    "mybinder.org": "notebook",
}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def resolve(href: str, base: str) -> str:
    """An absolute link: relative ones are resolved against where the roadmap came from."""
    if not base or _SCHEME.match(href) or href.startswith("#"):
        return href
    if _SCHEME.match(base):
        return urljoin(base, href)
    return str((Path(base) / href).resolve())


def kind_of(url: str, tag: str | None) -> str:
    """The resource kind: an explicit "(video)"-style tag wins, else a guess from the host."""
    if tag:
        return KIND_TAGS[tag.lower()]
    host = urlsplit(url).netloc.lower().removeprefix("www.").removeprefix("m.")
    return _HOST_KINDS.get(host, "link")


_NOTEBOOK_HOSTS = re.compile(
    r"^(colab\.research\.google\.com|(www\.)?kaggle\.com|mybinder\.org|nbviewer\.(org|jupyter\.org)"
    r"|studiolab\.sagemaker\.aws|deepnote\.com)$",
    re.I,
)
_HTML_HREF = re.compile(r"""^<a\s[^>]*?href\s*=\s*["']([^"']+)["']""", re.I)
_HTML_ALT = re.compile(r"""^<img\s[^>]*?alt\s*=\s*["']([^"']*)["']""", re.I)


def is_notebook_link(url: str) -> bool:
    """An "Open in Colab" badge's kind of link: the notebook itself, not a badge."""
    parts = urlsplit(url)
    return bool(_NOTEBOOK_HOSTS.match(parts.netloc)) or parts.path.endswith(".ipynb")


def text_and_links(inline: Token, base: str = "") -> tuple[str, list[Resource]]:
    """Plain text of an inline token and its links; images, badges and #anchors are not
    links, but for a badge that opens a notebook (`<a href=colab...><img alt="Open In
    Colab"></a>`, as llm-course writes them), named by its image's text."""
    text_parts: list[str] = []
    links: list[tuple[str, str]] = []
    href: str | None = None
    link_text: list[str] = []
    image_text = ""

    def close() -> None:
        title = " ".join("".join(link_text).split())
        if href and not href.startswith("#"):
            if not title and is_notebook_link(href):
                title = image_text or "Notebook"
            if title:  # no text: an image or badge link
                links.append((title, resolve(href, base)))

    for child in inline.children or []:
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            link_text, image_text = [], ""
        elif child.type == "link_close":
            close()
            href = None
        elif child.type == "html_inline" and (opened := _HTML_HREF.match(child.content)):
            href = opened.group(1).replace("&amp;", "&")
            link_text, image_text = [], ""
        elif child.type == "html_inline" and child.content.lower().startswith("</a"):
            close()
            href = None
        elif child.type == "html_inline" and (alt := _HTML_ALT.match(child.content)):
            image_text = image_text or alt.group(1).strip()
        elif child.type == "image":
            image_text = image_text or child.content.strip()
        elif child.type in ("text", "code_inline"):
            text_parts.append(child.content)
            if href is not None:
                link_text.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            text_parts.append(" ")
    text = " ".join("".join(text_parts).split())
    tag = _TAG.search(text)
    resources = [
        Resource(title, url, kind_of(url, tag.group(1) if tag else None)) for title, url in links
    ]
    return text, resources
