"""Find and load the bundled content and the learner's own roadmaps and decks."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from companion.content.card_catalog import CardCatalog
from companion.content.deck import Card, Deck, parse_deck
from companion.content.errors import ContentError
from companion.content.roadmap import Item, Roadmap
from companion.content.textfile import read_markdown
from companion.sync_copies import copy_told, original_of
from companion.text import slugify


def load_roadmap(path: Path) -> Roadmap:
    """Read and parse one roadmap file; raise ContentError when it is unusable."""
    # markdown-it takes a tenth of a second to import: with every roadmap in the cache,
    # start-up does without it.
    from companion.content.roadmap_parser import parse_roadmap

    text = read_markdown(path)
    if not text.strip():
        raise ContentError(f"{path}: file is empty")
    roadmap = parse_roadmap(text, slugify(path.stem), str(path))
    if not roadmap.items:
        raise ContentError(f"{path}: no list items or linked table rows to study")
    return roadmap


@dataclass
class Library:
    """Everything the learner studies from: roadmaps and cards, plus what could not be read."""

    roadmaps: list[Roadmap] = field(default_factory=list)
    cards: CardCatalog = field(default_factory=CardCatalog)
    problems: list[str] = field(default_factory=list)

    def find_item(self, item_id: str) -> tuple[Roadmap, Item] | None:
        """The roadmap and item with this id, if any roadmap has it."""
        for roadmap in self.roadmaps:
            item = roadmap.find_item(item_id)
            if item is not None:
                return roadmap, item
        return None


def _markdown_files(
    folder: Path, nested: bool = False, told: list[str] | None = None
) -> list[Path]:
    """The Markdown files of a folder; with `nested`, of its subfolders too (subdecks). A sync
    engine's conflict copy is left out, and told of in `told`."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*.md") if nested else folder.glob("*.md")):
        original = original_of(path.name)
        if original is None:
            found.append(path)
        elif told is not None:
            told.append(copy_told(str(path), original))
    return found


@dataclass
class CachedDeck:
    """A deck as parsed before: its card ids and problems now, its cards when asked for, in
    parts (showing one card of a large deck decodes only its part)."""

    problems: list[str]
    parts: list[tuple[list[str], Callable[[], list[Card]], list[str], dict[str, str]]]
    """Each part's card ids, in deck order, how to build its cards, which of them are
    clozes (the only cards with siblings: start-up buries those of today's answers), and the
    roadmap item each card linked to one is of."""


class DeckCache(Protocol):
    """Parsed decks kept between runs, keyed by file and its size and modification time."""

    def get(self, path: Path) -> CachedDeck | None:
        """The deck as parsed before, if the file has not changed since."""

    def put(self, path: Path, deck: Deck) -> None:
        """Remember a freshly parsed deck."""


class RoadmapCache(Protocol):
    """Parsed roadmaps kept between runs, keyed by file and its size and modification time."""

    def get(self, path: Path) -> Roadmap | None:
        """The roadmap as parsed before, if the file has not changed since."""

    def put(self, path: Path, roadmap: Roadmap) -> None:
        """Remember a freshly parsed roadmap."""


def _cached_roadmap(path: Path, cache: RoadmapCache | None) -> Roadmap:
    cached = cache.get(path) if cache is not None else None
    if cached is not None:
        return cached
    roadmap = load_roadmap(path)
    if cache is not None:
        cache.put(path, roadmap)
    return roadmap


def load_deck(path: Path) -> Deck:
    """Read and parse one deck file."""
    return parse_deck(read_markdown(path), path.stem, str(path))


def _add_deck(library: Library, path: Path, cache: DeckCache | None) -> None:
    cached = cache.get(path) if cache is not None else None
    if cached is not None:
        library.problems.extend(cached.problems)
        for ids, load_cards, clozes, links in cached.parts:
            library.cards.add_deck_lazily(str(path), ids, load_cards, clozes, links)
        return
    deck = load_deck(path)
    if cache is not None:
        cache.put(path, deck)
    library.problems.extend(deck.problems)
    for card in deck.cards:
        library.cards.setdefault(card.id, card)


def load_library(
    content_dirs: list[Path],
    deck_cache: DeckCache | None = None,
    roadmap_cache: RoadmapCache | None = None,
    decks: bool = True,
) -> Library:
    """Load every roadmap in `roadmaps/` and every deck in `decks/` of each folder given
    (without `decks`, the roadmaps only)."""
    library = Library()
    seen_roadmaps: set[str] = set()
    for folder in content_dirs:
        for path in _markdown_files(folder / "roadmaps", told=library.problems):
            try:
                roadmap = _cached_roadmap(path, roadmap_cache)
            except ContentError as error:
                library.problems.append(str(error))
                continue
            if roadmap.id in seen_roadmaps:
                library.problems.append(f"{path}: roadmap id '{roadmap.id}' is used twice")
                continue
            seen_roadmaps.add(roadmap.id)
            library.roadmaps.append(roadmap)
            library.problems.extend(roadmap.problems)
        for path in _markdown_files(folder / "decks", nested=True, told=library.problems)[
            : None if decks else 0
        ]:
            try:
                _add_deck(library, path, deck_cache)
            except ContentError as error:
                library.problems.append(str(error))
    return library
