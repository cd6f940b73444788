from hypothesis import given, settings
from hypothesis import strategies as st

from companion.content.card_catalog import CardCatalog
from companion.content.deck import Card


def deck(source: str, *ids: str) -> list[Card]:
    return [Card(card_id, f"front {card_id}", "back", "basic", source) for card_id in ids]


class Loader:
    """Counts how often a cached deck is decoded."""

    def __init__(self, cards: list[Card]) -> None:
        self.cards, self.calls = cards, 0

    def __call__(self) -> list[Card]:
        self.calls += 1
        return self.cards


def test_ids_come_without_decoding_and_a_deck_decodes_once_when_read():
    catalog = CardCatalog()
    first, second = Loader(deck("a.md", "a1", "a2")), Loader(deck("b.md", "b1"))
    catalog.add_deck_lazily("a.md", ["a1", "a2"], first)
    catalog.add_deck_lazily("b.md", ["b1"], second)
    assert list(catalog) == ["a1", "a2", "b1"] and len(catalog) == 3
    assert "a2" in catalog and "zz" not in catalog
    assert catalog.ids_in("b.md") == ["b1"]
    assert (first.calls, second.calls) == (0, 0)
    assert catalog["a2"].front == "front a2"
    assert catalog.get("a1").front == "front a1"
    assert (first.calls, second.calls) == (1, 0)
    assert catalog.get("zz") is None
    assert [card.id for card in catalog.values()] == ["a1", "a2", "b1"]
    assert (first.calls, second.calls) == (1, 1)


def test_the_first_deck_holding_an_id_keeps_it_and_edits_work_as_on_a_dict():
    catalog = CardCatalog()
    catalog.add_deck_lazily("a.md", ["x", "a1"], Loader(deck("a.md", "x", "a1")))
    catalog.add_deck_lazily("b.md", ["x", "b1"], Loader(deck("b.md", "x", "b1")))
    assert catalog["x"].source == "a.md"
    catalog.setdefault("x", deck("c.md", "x")[0])
    assert catalog["x"].source == "a.md"
    del catalog["a1"]
    catalog["c1"] = deck("c.md", "c1")[0]
    assert catalog.pop("b1").source == "b.md"
    assert list(catalog) == ["x", "c1"]
    assert catalog == {"x": deck("a.md", "x")[0], "c1": deck("c.md", "c1")[0]}


def test_an_id_its_loader_does_not_deliver_is_dropped_not_left_pending():
    catalog = CardCatalog()
    catalog.add_deck_lazily("a.md", ["a1", "gone"], Loader(deck("a.md", "a1")))
    assert catalog["a1"].id == "a1"
    assert "gone" not in catalog
    assert list(catalog) == ["a1"]


def test_decks_can_be_unpacked_one_at_a_time_ahead_of_need():
    catalog = CardCatalog()
    loaders = [Loader(deck(f"{name}.md", f"{name}1")) for name in "abc"]
    for name, loader in zip("abc", loaders, strict=True):
        catalog.add_deck_lazily(f"{name}.md", [f"{name}1"], loader)
    assert catalog["b1"].source == "b.md"  # read first: unpacked on demand
    unpacked = 0
    while catalog.unpack_one():
        unpacked += 1
    assert unpacked == 2  # a and c; b was already
    assert [loader.calls for loader in loaders] == [1, 1, 1]
    assert [card.id for card in catalog.values()] == ["a1", "b1", "c1"]


def test_siblings_are_told_without_decoding_a_deck_of_no_clozes(data_dir):
    """Start-up buries the siblings of today's answers: a card that is no cloze has none,
    and saying so decodes nothing; a cloze's siblings come from its decoded deck."""
    from companion.services.content_sources import load_content
    from companion.services.review import NoteIndex

    deck = data_dir / "decks" / "cells.md"
    deck.write_text("Q: Plain?\nA: Yes.\n\nThe {{c1::cell}} has a {{c2::nucleus}}.\n")
    parsed = load_content(data_dir)  # parses, and fills the cache
    plain, first, second = parsed.cards.ids_in(str(deck))
    library = load_content(data_dir)  # from the cache: nothing decoded yet
    index = NoteIndex(library)

    def decoded() -> bool:
        from companion.content.card_catalog import _Pending

        return not isinstance(library.cards._cards[plain], _Pending)

    assert index.siblings(plain) == [] and not decoded()
    assert sorted(index.siblings(first)) == sorted([first, second]) and decoded()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["deck", "set", "delete", "read"]),
            st.sampled_from("abc"),
            st.lists(st.sampled_from(["x", "y", "z", "w"]), max_size=4),
        ),
        max_size=12,
    )
)
def test_the_files_with_cards_are_known_through_any_additions_edits_and_reads(steps):
    """`sources` is kept as cards come and go, and says what asking every card would say; a
    loader may deliver a card under another file than its deck's (a moved card)."""
    catalog = CardCatalog()
    for action, name, ids in steps:
        if action == "deck":
            moved = [Card(i, i, "b", "basic", f"{name}.md" if n else "moved.md")
                     for n, i in enumerate(ids)]  # fmt: skip
            catalog.add_deck_lazily(f"{name}.md", ids, Loader(moved[1:] + moved[:1]))
        elif action == "set" and ids:
            catalog[ids[0]] = deck(f"{name}.md", ids[0])[0]
        elif action == "delete" and ids and ids[0] in catalog:
            del catalog[ids[0]]
        elif action == "read" and ids:
            catalog.get(ids[0])
        asked = {value.source for value in catalog._cards.values()}  # decoding nothing
        assert catalog.sources() == asked
    list(catalog.values())  # every deck decoded
    assert catalog.sources() == {card.source for card in catalog.values()}
