from pathlib import Path

from companion.content.loader import load_library
from companion.store.content_cache import CARDS_PER_PART, DeckCache, RoadmapCache

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


def test_a_large_deck_is_cached_in_parts_that_unpack_alone(tmp_path: Path):
    (tmp_path / "decks").mkdir()
    count = CARDS_PER_PART * 2 + 7
    (tmp_path / "decks" / "big.md").write_text("".join(f"Q{n} :: A{n}\n\n" for n in range(count)))
    cache_path = tmp_path / "decks.packed"
    cache = DeckCache(cache_path)
    fresh = load_library([tmp_path], cache)
    cache.save()
    cached = load_library([tmp_path], DeckCache(cache_path)).cards
    assert list(cached) == list(fresh.cards)  # deck order kept across the parts
    last = list(fresh.cards)[-1]
    assert cached[last] == fresh.cards[last]
    assert cached.unpack_one() and cached.unpack_one()  # the two other parts were still packed
    assert not cached.unpack_one()
    assert dict(cached) == dict(fresh.cards)


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


def test_a_part_damaged_after_start_up_is_read_from_its_deck_and_the_rest_keeps(tmp_path: Path):
    """Parts are read from the file when one of their cards is shown, each behind a checksum
    of its own: one that no longer matches is parsed from the deck, and the next save keeps
    the parts that were sound."""
    (tmp_path / "decks").mkdir()
    count = CARDS_PER_PART * 2 + 7
    deck = tmp_path / "decks" / "big.md"
    deck.write_text("".join(f"Q{n} :: A{n}\n\n" for n in range(count)))
    cache_path = tmp_path / "decks.packed"
    cache = DeckCache(cache_path)
    fresh = load_library([tmp_path], cache).cards
    cache.save()
    reopened = DeckCache(cache_path)
    cached = load_library([tmp_path], reopened).cards
    data = bytearray(cache_path.read_bytes())
    data[-10] ^= 0xFF  # within the last part's cards, after the file was opened
    with cache_path.open("r+b") as handle:  # in place, as no writer of ours ever does
        handle.write(data)
    assert dict(cached) == dict(fresh)  # every part, the damaged one from the deck itself
    reopened.changed = True
    reopened.save()
    again = DeckCache(cache_path)
    assert again.get(deck) is None  # the damaged part's deck is parsed anew next time
    assert dict(load_library([tmp_path], again).cards) == dict(fresh)


def test_a_cache_with_blobs_is_not_read_as_a_plain_packed_file(tmp_path: Path):
    from companion.store.packed_file import read_packed, read_packed_with_blobs, write_packed

    path = tmp_path / "x.packed"
    write_packed(path, "decks", 1, {"a": 1}, [b"first", b"second"])
    assert read_packed(path, "decks", 1) is None
    value, blobs = read_packed_with_blobs(path, "decks", 1)
    assert value == {"a": 1} and [blob.read() for blob in blobs] == [b"first", b"second"]
    path.write_bytes(path.read_bytes()[:-1])  # a blob cut short
    assert read_packed_with_blobs(path, "decks", 1) is None
    write_packed(path, "decks", 1, {"a": 1})
    assert read_packed(path, "decks", 1) == {"a": 1}


ROADMAP = """---
weekly_hours: 6
---
# Learn things [2 months]

## Phase 1: Basics (~40 hours)

- [ ] Read [the book](https://example.org/book) [3 weeks]
  - [x] Chapter 1
- Watch [a lecture](https://example.org/lecture#part-2)

## Phase 2: Practice

1. Build a project
"""


def test_cached_roadmaps_equal_parsed_ones_and_follow_edits(tmp_path: Path):
    (tmp_path / "roadmaps").mkdir()
    path = tmp_path / "roadmaps" / "learn.md"
    path.write_text(ROADMAP)
    cache_path = tmp_path / "cache" / "roadmaps.packed"
    fresh = load_library([tmp_path]).roadmaps
    first = RoadmapCache(cache_path)
    assert load_library([tmp_path], roadmap_cache=first).roadmaps == fresh
    first.save()
    cached = RoadmapCache(cache_path)
    again = load_library([tmp_path], roadmap_cache=cached).roadmaps
    assert again == fresh and not cached.changed
    assert again[0].items[0].resources[0].url == "https://example.org/book"
    assert again[0].phases[0].estimate == fresh[0].phases[0].estimate is not None
    path.write_text(ROADMAP + "2. Write about it\n")
    edited = load_library([tmp_path], roadmap_cache=RoadmapCache(cache_path)).roadmaps
    assert len(edited[0].items) == len(fresh[0].items) + 1


def test_a_roadmap_cached_under_another_schema_is_parsed_anew(tmp_path: Path):
    (tmp_path / "roadmaps").mkdir()
    path = tmp_path / "roadmaps" / "learn.md"
    path.write_text(ROADMAP)
    cache_path = tmp_path / "roadmaps.packed"
    cache = RoadmapCache(cache_path)
    cache.put(path, load_library([tmp_path]).roadmaps[0])
    stamp, (_, plain) = cache._entries[str(path)]
    cache._entries[str(path)] = (stamp, ((("Roadmap", ("id",)),), plain))
    cache.save()
    reloaded = RoadmapCache(cache_path)
    assert reloaded.get(path) is None
    assert (
        load_library([tmp_path], roadmap_cache=reloaded).roadmaps
        == load_library([tmp_path]).roadmaps
    )


def test_the_app_starts_without_the_markdown_parser_when_every_roadmap_is_cached(tmp_path):
    """markdown-it costs a tenth of a second to import; a warm start must not need it."""
    import subprocess
    import sys

    from companion.services.content_sources import load_content

    data_dir = tmp_path / "data"
    (data_dir / "roadmaps").mkdir(parents=True)
    (data_dir / "roadmaps" / "learn.md").write_text(ROADMAP)
    load_content(data_dir)  # fills the caches
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from companion.services.content_sources import load_content\n"
        "library = load_content(Path(sys.argv[1]))\n"
        "assert any(r.id == 'learn' for r in library.roadmaps), library.roadmaps\n"
        "print(sorted(m for m in sys.modules if m.startswith('markdown_it')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(data_dir)], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_entries_of_files_no_longer_loaded_are_dropped(tmp_path: Path):
    (tmp_path / "decks").mkdir()
    for name in ("a", "b"):
        (tmp_path / "decks" / f"{name}.md").write_text(f"{name} :: 1\n")
    cache_path = tmp_path / "decks.packed"
    cache = DeckCache(cache_path)
    load_library([tmp_path], cache)
    cache.save()
    (tmp_path / "decks" / "b.md").unlink()
    cache = DeckCache(cache_path)
    load_library([tmp_path], cache)
    cache.save()
    reopened = DeckCache(cache_path)
    assert reopened.get(tmp_path / "decks" / "a.md") is not None
    assert set(reopened._entries) == {str(tmp_path / "decks" / "a.md")}


def test_a_deck_cached_before_the_card_fields_changed_is_parsed_anew(tmp_path: Path):
    (tmp_path / "decks").mkdir()
    path = tmp_path / "decks" / "d.md"
    path.write_text(DECK)
    cache_path = tmp_path / "decks.packed"
    cache = DeckCache(cache_path)
    load_library([tmp_path], cache)
    stamp, (_, problems, parts) = cache._entries[str(path)]
    cache._entries[str(path)] = (stamp, (("id", "front"), problems, parts))
    cache.save()
    assert DeckCache(cache_path).get(path) is None
    library = load_library([tmp_path], DeckCache(cache_path))
    assert library.cards == load_library([tmp_path]).cards
