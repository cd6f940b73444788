"""A fetched document's text: its charset honoured, and what kind of document it is."""

import codecs
import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(body: bytes, content_type: str) -> str:
    """The text of a page: the charset the server declares, else the one the page declares in
    a <meta> near its top, else UTF-8, else Windows-1252 (what browsers read Latin-1 as)."""
    declared = _HEADER_CHARSET.search(content_type)
    meta = _META_CHARSET.search(body[:4096])
    for name in (declared and declared.group(1), meta and meta.group(1).decode("ascii")):
        encoding = _known(name)
        if encoding is not None:
            if encoding == "iso8859-1":
                encoding = "cp1252"  # as browsers do: the same, plus the printable 0x80-0x9f
            return body.decode(encoding, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def document_kind(content_type: str, url: str, body: bytes) -> str:
    """ "html", "markdown", "text" or "pdf": the declared type first, then the file name."""
    media = content_type.split(";", 1)[0].strip().lower()
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    if media == "application/pdf" or body.startswith(b"%PDF-"):
        return "pdf"
    if media in ("text/markdown", "text/x-markdown") or (
        media in ("text/plain", "") and suffix in (".md", ".markdown")
    ):
        return "markdown"
    if media == "text/plain":
        return "text"
    return "html"
