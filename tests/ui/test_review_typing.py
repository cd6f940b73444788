"""Typed answers, as Anki's type-in cards: the question offers a box, enter shows the answer
with what was typed marked against it, and the grade keys work as ever."""

from pathlib import Path

from textual.widgets import Input

from companion.content.deck import parse_deck
from companion.content.typed_answer import answer_text, compare, is_right
from companion.ui.panes.review import ReviewPane

from .helpers import screen_text

SIZE = (120, 36)
DECK = "<!-- type the answer -->\nQ: Spell 'the door' in German\nA: **Tür**\n\nQ: Plain?\nA: yes\n"


def test_a_marked_card_asks_for_a_typed_answer():
    typed, plain = parse_deck(DECK).cards
    assert typed.typed and not plain.typed
    assert typed.id == parse_deck(DECK.split("\n", 1)[1]).cards[0].id  # same card, marked


def test_the_comparison_marks_what_was_right_wrong_and_missed():
    expected = answer_text("**Tür**")
    assert expected == "Tür"
    assert compare("Tur", expected) == [("good", "T"), ("bad", "u"), ("missed", "ü"), ("good", "r")]
    assert compare("Tü", expected) == [("good", "Tü"), ("missed", "r")]
    assert is_right("  Tür ", expected) and not is_right("tür", expected)  # case counts


async def test_type_enter_compare_then_grade(make_app, data_dir: Path):
    (data_dir / "decks" / "typed.md").write_text(DECK)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        review = app.screen.query_one(ReviewPane)
        card = app.library.cards[review.session.current]
        if not card.typed:  # the deck's order: answer the plain one first
            await pilot.press("space", "3")
            card = app.library.cards[review.session.current]
        assert card.typed
        box = app.screen.query_one("#review-typed", Input)
        assert box.display and box.has_focus
        assert "type, then enter" in screen_text(app)
        await pilot.press("T", "u", "r", "e")  # 'e' is Edit on the pane: here it is a letter
        await pilot.press("enter")
        await pilot.pause()
        assert review.revealed and not box.display and review.has_focus
        text = screen_text(app)
        # T right, u wrong (struck out), ü missed (underlined), r right, e wrong
        assert "You typed  Tuüre" in text and "Tür" in text and "Again" in text
        await pilot.press("3")
        await pilot.pause()
        assert not app.store.ledger.records[card.id].is_new


async def test_coming_back_to_the_pane_gives_the_box_the_keys(make_app, data_dir: Path):
    (data_dir / "decks" / "typed.md").write_text(DECK.split("\n\nQ: Plain")[0] + "\n")
    app = make_app(pane="roadmap", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")  # to the Review pane
        await pilot.pause()
        box = app.screen.query_one("#review-typed", Input)
        assert box.has_focus
        await pilot.press("T", "ü", "r", "enter")
        await pilot.pause()
        assert "✓ exactly" in screen_text(app)
