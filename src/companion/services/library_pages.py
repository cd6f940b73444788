"""The Library: every saved page with the roadmap items that link to it."""

from dataclasses import dataclass
from pathlib import Path

from companion.content.loader import Library
from companion.store.saved_pages import saved_pages


@dataclass(frozen=True)
class LibraryEntry:
    """One saved page, for the Library view."""

    url: str
    title: str
    saved: str
    """When it was saved, ISO 8601 ("" when its header lacks it)."""
    size: int
    items: tuple[str, ...]
    """The roadmap items linking to it (or it was saved for), by their text."""


def library_entries(data_dir: Path, library: Library) -> list[LibraryEntry]:
    """Every saved page, newest first, `companion save` ones included though nothing links them."""
    linking: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for roadmap in library.roadmaps:
        for phase in roadmap.phases:
            for resource in phase.resources:
                linking.setdefault(resource.url, []).append(phase.title)
        for item in roadmap.items:
            texts[item.id] = item.text
            for resource in item.resources:
                linking.setdefault(resource.url, []).append(item.text)
    entries = []
    for page in saved_pages(data_dir):
        items = list(dict.fromkeys(linking.get(page.url, [])))
        saved_for = texts.get(page.item_id)
        if saved_for and saved_for not in items:
            items.append(saved_for)
        entries.append(LibraryEntry(page.url, page.title, page.saved, page.size, tuple(items)))
    return entries
