from pathlib import Path

from companion.content.loader import load_library
from companion.store.deck_cache import DeckCache

DECK = "Q: One?\nA: 1\n\n<!-- tags: a b -->\nThe {{c1::cat::animal}} sat.\n\nbad ::\n"


def test_cached_decks_equal_parsed_decks_and_follow_edits(tmp_path: Path):
    (tmp_path / "decks").mkdir()
    deck = tmp_path / "decks" / "d.md"
    deck.write_text(DECK)
    cache_path = tmp_path / "cache" / "decks.packed"
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


def test_cards_from_the_cache_keep_every_field(tmp_path: Path):
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "d.md").write_text(DECK)
    cache_path = tmp_path / "decks.packed"
    cache = DeckCache(cache_path)
    load_library([tmp_path], cache)
    cache.save()
    cached = load_library([tmp_path], DeckCache(cache_path)).cards
    for card in load_library([tmp_path]).cards.values():
        assert tuple(cached[card.id]) == tuple(card)
        assert cached[card.id].text_for_matching == card.text_for_matching
    cloze = next(card for card in cached.values() if card.kind == "cloze")
    assert cloze.tags == ("a", "b")


def test_a_damaged_or_earlier_cache_is_ignored_and_replaced(tmp_path: Path):
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "d.md").write_text(DECK)
    cache_path = tmp_path / "cache" / "decks.packed"
    cache_path.parent.mkdir()
    cache_path.write_text("{broken")
    old_json = cache_path.with_name("decks.json")
    old_json.write_text('{"version": 1, "decks": {}}')
    cache = DeckCache(cache_path)
    assert load_library([tmp_path], cache).cards == load_library([tmp_path]).cards
    cache.save()
    assert not old_json.exists()
    assert DeckCache(cache_path).get(tmp_path / "decks" / "d.md") is not None
