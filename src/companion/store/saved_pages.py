"""Pages saved for offline reading, as Markdown files in the data directory's library/."""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from companion.files import MB, read_text_file
from companion.store.atomic_file import write_atomically

MAX_SAVED_PAGE_BYTES = 50 * MB

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


@dataclass(frozen=True)
class StoredPage:
    """A saved page as read back: where it came from, when, and its text."""

    url: str
    title: str
    saved: str
    item_id: str
    markdown: str
    path: Path


def page_path(data_dir: Path, url: str) -> Path:
    """Where a URL's saved copy lives (named by a hash of the URL)."""
    return data_dir / "library" / f"{hashlib.sha1(url.encode()).hexdigest()[:16]}.md"


def store_page(
    data_dir: Path, url: str, title: str, markdown: str, item_id: str, now: datetime
) -> Path:
    """Write a saved page atomically, with its title, URL, date and roadmap item."""
    path = page_path(data_dir, url)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_title = title.replace("\n", " ")
    header = (
        f"---\ntitle: {safe_title}\nurl: {url}\nsaved: {now.isoformat(timespec='seconds')}\n"
        f"item: {item_id}\n---\n"
    )
    write_atomically(path, (header + markdown).encode("utf-8"))
    return path


def load_page(data_dir: Path, url: str) -> StoredPage | None:
    """The saved copy of a URL, if there is one."""
    path = page_path(data_dir, url)
    try:
        text = read_text_file(path, MAX_SAVED_PAGE_BYTES)
    except (OSError, UnicodeDecodeError):
        return None
    match = _FRONT.match(text)
    fields: dict[str, str] = {}
    if match:
        for line in match.group(1).splitlines():
            key, _, value = line.partition(": ")
            fields[key] = value
    body = text[match.end() :] if match else text
    return StoredPage(
        fields.get("url", url),
        fields.get("title", url),
        fields.get("saved", ""),
        fields.get("item", ""),
        body,
        path,
    )
