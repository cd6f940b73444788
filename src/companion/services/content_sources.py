"""Where the learner's roadmaps and decks come from, loaded with their parse caches."""

import contextlib
from pathlib import Path

from companion.content.loader import Library, load_library
from companion.content.roadmap import Roadmap
from companion.paths import content_dirs, local_dir
from companion.store.content_cache import DeckCache, RoadmapCache
from companion.sync_copies import copy_told, original_of


def load_content(data_dir: Path) -> Library:
    """Every roadmap and deck, with parsed decks cached in the data directory."""
    caches = local_dir(data_dir) / "cache"  # this machine's own, never synced
    decks = DeckCache(caches / "decks.packed")
    roadmaps = RoadmapCache(caches / "roadmaps.packed")
    library = load_library(content_dirs(data_dir), decks, roadmaps)
    for copy in sorted(data_dir.glob("*.toml")):  # the settings, as a sync engine may copy them
        original = original_of(copy.name)
        if original is not None:
            library.problems.append(copy_told(str(copy), original))
    for cache in (decks, roadmaps):
        with contextlib.suppress(OSError):  # only a cache: the next start parses again
            cache.save()
    return library


def load_roadmaps(data_dir: Path) -> Library:
    """The roadmaps alone (no decks), parsed ones from their cache: for the commands that
    set or update progress (`roadmap set` parsed every roadmap at each call)."""
    roadmaps = RoadmapCache(local_dir(data_dir) / "cache" / "roadmaps.packed")
    library = load_library(content_dirs(data_dir), roadmap_cache=roadmaps, decks=False)
    with contextlib.suppress(OSError):
        roadmaps.save()
    return library


def remember_parsed(data_dir: Path, path: Path, roadmap: Roadmap) -> None:
    """Keep a roadmap just written and parsed in the cache, so the next load (the progress
    sync that follows an update) need not parse it again."""
    roadmaps = RoadmapCache(local_dir(data_dir) / "cache" / "roadmaps.packed")
    roadmaps.put(path, roadmap)
    with contextlib.suppress(OSError):
        roadmaps.save(drop_unused=False)
