"""An Anki field's HTML as Markdown: bold, italics, code blocks, lists, line breaks, links,
images, sounds, superscripts and subscripts, MathJax (`\\(x\\)` -> `$x$`, `\\[x\\]` -> `$$x$$`)
and Anki's LaTeX (`[$]x[/$]`, `[$$]x[/$$]`, `[latex]x[/latex]`); other tags are dropped, their
text kept."""

import base64
import hashlib
import html
import re
from html.parser import HTMLParser

from companion.content.markdown_limits import READER_LIST_DEPTH

_INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
_BLOCK_MATH = re.compile(r"\\\[(.+?)\\\]", re.DOTALL)
_BLANK_RUNS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"\s+")
_ANKI_LATEX = re.compile(r"\[(\$\$|\$|latex)\](.+?)\[/\1\]", re.DOTALL)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_EMPTY_CODE = re.compile(r"(?<!`)``(?!`)")
_SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-=()aeox", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓ")
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
_BLOCKS = {"div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"}
_MARKUP_LOOKALIKE = re.compile(r"([<&])(?=[A-Za-z#/!?])")
"""Text that Markdown would read as a tag or an entity: `&lt;b&gt;` in a field is text."""


class _Markdown(HTMLParser):
    """Walks the HTML once, writing Markdown."""

    def __init__(self, media: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.media = media
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [is ordered, items so far]
        self.link: str | None = None
        self.pre = 0
        self.script: list[tuple[str, int]] = []  # open <sup>/<sub>: the tag and where it began
        self.rows = self.cells = 0  # in the table being written

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
            # deeper lists are written at READER_LIST_DEPTH, where the Reader would show them:
            # each level indenting its items made a 160 KB field of nested lists 400 MB
            indent = "  " * (min(len(self.lists), READER_LIST_DEPTH) - 1)
            self._line_start()
            self.out.append(f"{indent}{current[1]}. " if current[0] else f"{indent}- ")
        elif tag == "img":
            source = found.get("src") or ""
            target = self.media.get(source, source)
            self.out.append(f"![{found.get('alt') or source}]({link_target(target)})")
        elif tag in ("sup", "sub"):
            self.script.append((tag, len(self.out)))
        elif tag == "a":
            self.link = found.get("href")
            self.out.append("[" if self.link else "")
        elif tag == "tr":
            self._line_start()
            self.cells = 0
            self.out.append("|")
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.out.append(" |")
            self.cells += 1
            return
        if tag == "tr":
            self.rows += 1
            if self.rows == 1:  # a Markdown table's header ends with its rule
                self.out.append("\n|" + " --- |" * max(self.cells, 1))
            self.out.append("\n")
            return
        if tag == "table":
            self.rows = 0
        if tag in ("sup", "sub") and self.script and self.script[-1][0] == tag:
            _, start = self.script.pop()
            inner = "".join(self.out[start:])
            table = _SUPERSCRIPT if tag == "sup" else _SUBSCRIPT
            shown = inner.translate(table)
            if any(ord(char) not in table for char in inner):  # no Unicode form for one
                shown = ("^" if tag == "sup" else "_") + f"({inner})"
            self.out[start:] = [shown]
        elif tag in _MARKS and not self.pre:
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
        if self.pre:
            self.out.append(data)
        else:
            self.out.append(_MARKUP_LOOKALIKE.sub(r"\\\1", _SPACES.sub(" ", data)))

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
    value = _ANKI_LATEX.sub(_latex, value)
    value = _SOUND.sub(lambda m: _sound(m.group(1), media or {}), value)
    value = _BLOCK_MATH.sub(lambda m: f"$${m.group(1).strip()}$$", value)
    value = _INLINE_MATH.sub(lambda m: f"${m.group(1).strip()}$", value)
    text = _simple_markdown(value)
    if text is None:
        text = _parsed_markdown(value, media or {})
    text = text.replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
    return _EMPTY_CODE.sub("", text.replace("****", "")) if text else ""


def _parsed_markdown(value: str, media: dict[str, str]) -> str:
    parser = _Markdown(media)
    parser.feed(value)
    parser.close()
    return "".join(parser.out)


_SIMPLE_TAG = re.compile(r"<(/?)(b|strong|i|em|code|br)\s*(/?)>", re.IGNORECASE)


def _simple_markdown(value: str) -> str | None:
    """What `_Markdown` writes for a field of text, bold, italics, code and line breaks
    alone (most fields: the HTML parser took 70 µs a note at an import of 100,000); None
    for anything else (other tags, attributes, entities, a bare `<`)."""
    out = []
    position = 0
    for tag in _SIMPLE_TAG.finditer(value):
        out.append(value[position : tag.start()])
        position = tag.end()
        closing, name, empty = tag[1], tag[2].lower(), tag[3]
        if closing and empty:
            return None
        if name == "br":
            out.append("" if closing else "\n")
        else:  # an empty <b/> opens and closes
            out.append(_MARKS[name] * (2 if empty else 1))
    out.append(value[position:])
    texts = out[::2]
    if any("<" in text or "&" in text for text in texts):
        return None
    for index in range(0, len(out), 2):
        if out[index]:
            out[index] = _MARKUP_LOOKALIKE.sub(r"\\\1", _SPACES.sub(" ", out[index]))
    return "".join(piece for piece in out if piece)


def link_target(path: str) -> str:
    """A file name as a Markdown link's target: spaces and brackets escaped, the name kept."""
    return path.replace("%", "%25").replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _latex(match: re.Match) -> str:
    """Anki's LaTeX as MathJax-style Markdown math: [$]x[/$] inline, [$$]x[/$$] on its own;
    [latex] holds whole LaTeX, often with its own dollars."""
    kind, body = match.group(1), match.group(2).strip()
    if kind == "latex":
        inner = re.fullmatch(r"\$\$(.+)\$\$|\$(.+)\$", body, re.DOTALL)
        if inner:
            return f"$${inner.group(1).strip()}$$" if inner.group(1) else f"${inner.group(2)}$"
        return f"$${body}$$"
    return f"$${body}$$" if kind == "$$" else f"${body}$"


def _sound(name: str, media: dict[str, str]) -> str:
    """A sound as a link to its copied file (companion does not play sound)."""
    target = media.get(name)
    if target is None:
        return f"(sound: {html.escape(name)})"
    return f'<a href="{html.escape(link_target(target))}">🔊 {html.escape(name)}</a>'


def markdown_to_html(text: str) -> str:
    """A card side back to an Anki field: math as MathJax, line breaks as <br>."""
    text = re.sub(r"\$\$(.+?)\$\$", lambda m: f"\\[{m.group(1)}\\]", text, flags=re.DOTALL)
    text = re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", lambda m: f"\\({m.group(1)}\\)", text)
    return html.escape(text, quote=False).replace("\n", "<br>")
