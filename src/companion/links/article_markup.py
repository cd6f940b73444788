"""What the article extractor would lose, marked before it runs and restored after.

trafilatura writes good Markdown, but drops a code block's language, a blockquote's quoting,
a figure's caption and MathJax 2's `<script type="math/tex">`, keeps comment sections unless
told, and resolves `#footnote` links against the site instead of the page. So the page is
prepared first (links made absolute against the page's own address, math as TeX text, the rest
marked with words no page contains), and the marks are turned into Markdown afterwards.
"""

import re

import lxml.html
from lxml import etree

LANGUAGE = "CMPNXLANG"
QUOTE = "CMPNXQUOTE"
CAPTION = "CMPNXCAPTION"
_LANGUAGE_CLASS = re.compile(r"(?:language|lang|highlight-source)-([\w+#.-]+)")
_SCRIPT_TAG = re.compile(r"</?su[pb]>")
_FENCE_WITH_LANGUAGE = re.compile(rf"^(\s*```)\s*\n\s*{LANGUAGE}([\w+#.-]+){LANGUAGE}\s*\n", re.M)


def _language(element: etree._Element) -> str | None:
    for holder in (element, element.getparent()):
        if holder is None:
            continue
        found = _LANGUAGE_CLASS.search(holder.get("class") or "")
        if found:
            return found.group(1)
    return None


def _replace(old: etree._Element, new: etree._Element) -> None:
    new.tail = old.tail
    old.getparent().replace(old, new)


def prepare_html(html: str, url: str) -> str:
    """The page with its links absolute and what the extractor drops marked to survive it."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    tree.make_links_absolute(url, resolve_base_href=True, handle_failures="ignore")
    for script in tree.xpath('//script[starts-with(@type, "math/tex")]'):
        display = "mode=display" in (script.get("type") or "")
        tex = (script.text or "").strip()
        math = etree.Element("p" if display else "span")
        math.text = f"\\[{tex}\\]" if display else f"\\({tex}\\)"
        _replace(script, math)
    for code in tree.xpath("//pre/code | //pre[not(code)]"):
        language = _language(code)
        if language:
            code.text = f"{LANGUAGE}{language}{LANGUAGE}\n" + (code.text or "")
    for quote in tree.xpath("//blockquote"):
        for paragraph in quote.xpath(".//p") or [quote]:
            paragraph.text = QUOTE + (paragraph.text or "")
    for caption in tree.xpath("//figcaption"):
        text = " ".join(caption.text_content().split())
        paragraph = etree.Element("p")
        paragraph.text = CAPTION + text if text else ""
        _replace(caption, paragraph)
    return lxml.html.tostring(tree, encoding="unicode")


def restore_markup(markdown: str) -> str:
    """The marks of `prepare_html` as Markdown: fenced code's language, quotes, captions (and
    the <sup>/<sub> tags the extractor leaves around footnote numbers, dropped)."""
    markdown = _FENCE_WITH_LANGUAGE.sub(lambda m: f"{m.group(1)}{m.group(2)}\n", markdown)
    markdown = _SCRIPT_TAG.sub("", markdown)
    lines = []
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(QUOTE):
            line = "> " + stripped.removeprefix(QUOTE).lstrip()
        elif stripped.startswith(CAPTION):
            line = f"*{stripped.removeprefix(CAPTION).strip()}*"
        lines.append(line.replace(LANGUAGE, "").replace(QUOTE, "").replace(CAPTION, ""))
    return "\n".join(lines)
