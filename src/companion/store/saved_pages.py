"""Pages saved for offline reading, as Markdown files in the data directory's library/."""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from companion.files import MB
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
    data_dir: Path,
    url: str,
    title: str,
    markdown: str,
    item_id: str,
    now: datetime,
    images: tuple[tuple[str, bytes, str], ...] = (),
) -> Path:
    """Write a saved page atomically, with its title, URL, date and roadmap item; its images
    go to library/media/ and the page points at them there."""
    path = page_path(data_dir, url)
    path.parent.mkdir(parents=True, exist_ok=True)
    for address, data, suffix in images:
        name = f"{hashlib.sha1(address.encode()).hexdigest()[:16]}{suffix}"
        media = path.parent / "media" / name
        media.parent.mkdir(exist_ok=True)
        write_atomically(media, data)
        markdown = markdown.replace(f"]({address})", f"](media/{name})")
    safe_title = title.replace("\n", " ")
    header = (
        f"---\ntitle: {safe_title}\nurl: {url}\nsaved: {now.isoformat(timespec='seconds')}\n"
        f"item: {item_id}\n---\n"
    )
    write_atomically(path, (header + markdown).encode("utf-8"))
    return path


def load_page(data_dir: Path, url: str) -> StoredPage | None:
    """The saved copy of a URL, if there is one."""
    return _read(page_path(data_dir, url), url)


def _read(path: Path, url: str = "", limit: int = MAX_SAVED_PAGE_BYTES) -> StoredPage | None:
    try:
        with path.open("rb") as file:
            text = file.read(limit).decode("utf-8", errors="replace")
    except OSError:
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


@dataclass(frozen=True)
class PageOnShelf:
    """A saved page as the Library lists it: its header and the file's size."""

    url: str
    title: str
    saved: str
    item_id: str
    size: int
    path: Path


def saved_pages(data_dir: Path) -> list[PageOnShelf]:
    """Every page in library/, newest first, read from its header alone (a file that is not
    one of ours, with no url in its header, is left out)."""
    shelf = []
    for path in sorted((data_dir / "library").glob("*.md")):
        page = _read(path, limit=4096)
        if page is None or not page.url.startswith(("http://", "https://")):
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue
        shelf.append(PageOnShelf(page.url, page.title, page.saved, page.item_id, size, path))
    return sorted(shelf, key=lambda page: page.saved, reverse=True)


def delete_page(data_dir: Path, url: str) -> bool:
    """Delete a URL's saved copy; False when there was none."""
    try:
        page_path(data_dir, url).unlink()
    except FileNotFoundError:
        return False
    return True
