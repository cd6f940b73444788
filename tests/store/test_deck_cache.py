from pathlib import Path

from companion.content.loader import load_library
from companion.store.deck_cache import DeckCache

DECK = "Q: One?\nA: 1\n\n<!-- tags: a b -->\nThe {{c1::cat::animal}} sat.\n\nbad ::\n"


def test_cached_decks_equal_parsed_decks_and_follow_edits(tmp_path: Path):
    (tmp_path / "decks").mkdir()
    deck = tmp_path / "decks" / "d.md"
    deck.write_text(DECK)
    cache_path = tmp_path / "cache.json"
    fresh = load_library([tmp_path])
    first = DeckCache(cache_path)
    assert load_library([tmp_path], first).cards == fresh.cards
    first.save()
    cached = DeckCache(cache_path)
    again = load_library([tmp_path], cached)
    assert again.cards == fresh.cards and again.problems == fresh.problems
    assert not cached.changed  # everything came from the cache
    deck.write_text(DECK + "two :: 2\n")
    edited = load_library([tmp_path], DeckCache(cache_path))
    assert len(edited.cards) == len(fresh.cards) + 1


def test_a_damaged_cache_is_ignored(tmp_path: Path):
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "d.md").write_text(DECK)
    cache_path = tmp_path / "cache.json"
    cache_path.write_text("{broken")
    assert load_library([tmp_path], DeckCache(cache_path)).cards == load_library([tmp_path]).cards
