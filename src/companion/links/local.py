"""Relative links checked on disk: the file must exist, and a #fragment must be a heading."""

import time
from pathlib import Path
from urllib.parse import unquote

from companion.files import MB, read_file
from companion.links.fragments import has_fragment, html_anchors, markdown_anchors
from companion.links.verdicts import BROKEN, OK, LinkResult


def check_local(url: str, target: Path, fragment: str) -> LinkResult:
    """The verdict for a link to a file on disk (and to a heading inside it)."""
    now = time.time()
    if not target.exists():
        return LinkResult(url, BROKEN, error=f"no such file: {target}", checked_at=now)
    if not fragment:
        return LinkResult(url, OK, checked_at=now)
    try:
        text = read_file(target, 2 * MB, cut=True).decode("utf-8", errors="replace")
    except OSError:
        return LinkResult(url, OK, checked_at=now)
    anchors = (
        markdown_anchors(text)
        if target.suffix.lower() in (".md", ".markdown")
        else (html_anchors(text))
    )
    if has_fragment(fragment, anchors):
        return LinkResult(url, OK, checked_at=now, fragment_checked=True)
    return LinkResult(
        url,
        BROKEN,
        error=f"missing fragment #{unquote(fragment)}",
        checked_at=now,
        fragment_checked=True,
    )
