"""An Anki field's HTML as Markdown: bold, italics, code, lists, line breaks, links, images and
MathJax (`\\(x\\)` -> `$x$`, `\\[x\\]` -> `$$x$$`); other tags are dropped, their text kept."""

import base64
import hashlib
import html
import re
from html.parser import HTMLParser

_INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
_BLOCK_MATH = re.compile(r"\\\[(.+?)\\\]", re.DOTALL)
_BLANK_RUNS = re.compile(r"\n{3,}")
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
_BLOCKS = {"div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "tr"}


class _Markdown(HTMLParser):
    """Walks the HTML once, writing Markdown."""

    def __init__(self, media: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.media = media
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [is ordered, items so far]
        self.link: str | None = None
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in _MARKS and not self.pre:
            self.out.append(_MARKS[tag])
        elif tag == "br":
            self.out.append("\n")
        elif tag in _BLOCKS:
            self._break()
        elif tag == "pre":
            self._break()
            self.out.append("```\n")
            self.pre += 1
        elif tag in ("ul", "ol"):
            self._break()
            self.lists.append([tag == "ol", 0])
        elif tag == "li" and self.lists:
            current = self.lists[-1]
            current[1] += 1
            indent = "  " * (len(self.lists) - 1)
            self._line_start()
            self.out.append(f"{indent}{current[1]}. " if current[0] else f"{indent}- ")
        elif tag == "img":
            source = found.get("src") or ""
            target = self.media.get(source, source)
            self.out.append(f"![{found.get('alt') or source}]({target})")
        elif tag == "a":
            self.link = found.get("href")
            self.out.append("[" if self.link else "")
        elif tag in ("td", "th"):
            self.out.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _MARKS and not self.pre:
            self.out.append(_MARKS[tag])
        elif tag in _BLOCKS:
            self._break()
        elif tag == "pre" and self.pre:
            self._line_start()
            self.out.append("```\n")
            self.pre -= 1
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._break()
        elif tag == "a" and self.link:
            self.out.append(f"]({self.link})")
            self.link = None

    def handle_data(self, data: str) -> None:
        self.out.append(data if self.pre else re.sub(r"\s+", " ", data))

    def _line_start(self) -> None:
        if self.out and not "".join(self.out[-2:]).endswith("\n"):
            self.out.append("\n")

    def _break(self) -> None:
        self._line_start()
        if self.out and not "".join(self.out[-2:]).endswith("\n\n"):
            self.out.append("\n")


_SOURCE = re.compile(r"<!--md:(?P<source>[A-Za-z0-9+/=]*):(?P<check>[0-9a-f]{10})-->$")


def source_note(markdown: str, rendered: str) -> str:
    """A comment carrying a field's Markdown beside its HTML, so a round trip through Anki
    gives the Markdown back exactly while the field is not edited there."""
    source = base64.b64encode(markdown.encode()).decode()
    return f"<!--md:{source}:{hashlib.sha1(rendered.encode()).hexdigest()[:10]}-->"


def html_to_markdown(value: str, media: dict[str, str] | None = None) -> str:
    """A field as Markdown; `media` maps an image's file name to where it is now. A field
    companion exported and nobody edited since gives back its Markdown exactly."""
    kept = _SOURCE.search(value)
    if kept is not None:
        shown = value[: kept.start()]
        if hashlib.sha1(shown.encode()).hexdigest()[:10] == kept["check"]:
            try:
                return base64.b64decode(kept["source"]).decode()
            except (ValueError, UnicodeDecodeError):
                pass
        value = shown
    value = _BLOCK_MATH.sub(lambda m: f"$${m.group(1).strip()}$$", value)
    value = _INLINE_MATH.sub(lambda m: f"${m.group(1).strip()}$", value)
    parser = _Markdown(media or {})
    parser.feed(value)
    parser.close()
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
    return text.replace("****", "").replace("``", "") if text else ""


def markdown_to_html(text: str) -> str:
    """A card side back to an Anki field: math as MathJax, line breaks as <br>."""
    text = re.sub(r"\$\$(.+?)\$\$", lambda m: f"\\[{m.group(1)}\\]", text, flags=re.DOTALL)
    text = re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", lambda m: f"\\({m.group(1)}\\)", text)
    return html.escape(text, quote=False).replace("\n", "<br>")
