"""Edits the learner makes to decks, in the app and by hand, never lose a card or its history."""

import json
from pathlib import Path

from textual.widgets import TextArea

from companion.cli.main import main
from companion.content.deck import parse_deck
from companion.ui.dialogs.card_editor import CardEditor
from companion.ui.panes.review import ReviewPane

from .helpers import screen_text

SIZE = (120, 36)


def pane(app) -> ReviewPane:
    return app.screen.query_one(ReviewPane)


def current_card(app):
    return app.library.cards[pane(app).session.current]


async def edit_on_show(pilot, front: str | None = None, back: str | None = None) -> None:
    await pilot.press("e")
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, CardEditor)
    if front is not None:
        editor.query_one("#editor-front", TextArea).text = front
    if back is not None:
        editor.query_one("#editor-back", TextArea).text = back
    await pilot.press("ctrl+s")
    await pilot.pause()


def stats(data_dir: Path, capsys) -> dict:
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "stats", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


async def test_an_edit_finds_its_card_by_text_after_a_card_was_added_by_hand_above_it(
    make_app, data_dir: Path
):
    deck = data_dir / "decks" / "ml.md"
    deck.write_text(
        "# ML\n\nQ: What is a tensor?\nA: A multi-dimensional array.\n\n"
        "Q: What is an epoch?\nA: One pass over the training set.\n"
    )
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        assert current_card(app).front == "What is a tensor?"
        # While the app runs, the learner writes a card at the top of the deck.
        text = deck.read_text()
        deck.write_text(text.replace("# ML\n\n", "# ML\n\nQ: What is a gradient?\nA: A slope.\n\n"))
        await edit_on_show(pilot, back="An n-dimensional array of numbers.")
        assert "no longer holds" not in " ".join(n.message for n in app._notifications)
    cards = parse_deck(deck.read_text()).cards
    assert [(c.front, c.back) for c in cards] == [
        ("What is a gradient?", "A slope."),
        ("What is a tensor?", "An n-dimensional array of numbers."),
        ("What is an epoch?", "One pass over the training set."),
    ]
    assert parse_deck(deck.read_text()).problems == []


async def test_an_edit_of_a_card_changed_by_hand_meanwhile_writes_nothing_and_keeps_the_text(
    make_app, data_dir: Path
):
    deck = data_dir / "decks" / "ml.md"
    deck.write_text("Q: What is a tensor?\nA: An array.\n")
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        deck.write_text("Q: What is a tensor, exactly?\nA: An array.\n")
        await edit_on_show(pilot, back="My better answer.")
        assert deck.read_text() == "Q: What is a tensor, exactly?\nA: An array.\n"
        notices = " ".join(n.message for n in app._notifications)
        assert "Not saved: " in notices and "no longer holds this card" in notices
        assert "Card saved" not in notices + screen_text(app)
        editor = app.screen
        assert isinstance(editor, CardEditor)  # the learner's text is back, to add or drop
        assert editor.query_one("#editor-back", TextArea).text == "My better answer."


async def test_a_card_edited_in_the_app_then_reverted_by_hand_comes_back_with_its_history(
    make_app, data_dir: Path, clock, capsys
):
    deck = data_dir / "decks" / "geo.md"
    deck.write_text("Q: Capital of France?\nA: Paris\n")
    bundled_new = stats(data_dir, capsys)["review"]["totals"]["new"] - 1  # stats sees them too
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "1")  # Again: due again in a minute
        await edit_on_show(pilot, front="Capital city of France?")
    assert "Capital city of France?" in deck.read_text()
    deck.write_text("Q: Capital of France?\nA: Paris\n")  # the learner changes it back
    figures = stats(data_dir, capsys)["review"]["totals"]
    assert (figures["new"], figures["learning"], figures["orphaned"]) == (bundled_new, 1, 0)
    clock.advance(minutes=5)
    again = make_app(pane="review", bundled=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        card = current_card(again)
        assert card.front == "Capital of France?"
        assert again.store.ledger.record(card.id).reps == 1
        assert "limits are reached" not in screen_text(again)
        assert [e["grade"] for e in again.store.card_history(card.id) if "grade" in e] == [1]
    figures = stats(data_dir, capsys)["review"]["totals"]
    assert (figures["new"], figures["orphaned"]) == (bundled_new, 0)


async def test_an_edit_reverted_to_text_far_from_the_edit_still_finds_its_history(
    make_app, data_dir: Path, capsys
):
    deck = data_dir / "decks" / "geo.md"
    deck.write_text("Q: Capital of France?\nA: Paris\n")
    bundled_new = stats(data_dir, capsys)["review"]["totals"]["new"] - 1
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "3")
        await edit_on_show(pilot, front="Which city hosts the French government?", back="Paris.")
    deck.write_text("Q: Capital of France?\nA: Paris\n")
    figures = stats(data_dir, capsys)["review"]["totals"]
    assert (figures["new"], figures["learning"], figures["orphaned"]) == (bundled_new, 1, 0)


def history_by_hidden(app) -> dict[str, list[int]]:
    """For each cloze in the decks, the grades of its history, by what it hides."""
    return {
        card.hidden: [e["grade"] for e in app.store.card_history(card.id) if "grade" in e]
        for card in app.library.cards.values()
    }


async def test_removing_a_middle_cloze_keeps_each_history_with_the_text_it_hides(
    make_app, data_dir: Path
):
    deck = data_dir / "decks" / "bio.md"
    deck.write_text("The {{c1::mitochondria}} makes {{c2::ATP}} from {{c3::glucose}} and oxygen.\n")
    app = make_app(pane="review", bundled=False, bury_siblings=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4", "space", "3", "space", "2")  # c1 Easy, c2 Good, c3 Hard
        assert history_by_hidden(app) == {"mitochondria": [4], "ATP": [3], "glucose": [2]}
        pane(app).session.show(next(c.id for c in app.library.cards.values() if c.hidden == "ATP"))
        await edit_on_show(
            pilot, front="The {{c1::mitochondria}} makes energy from {{c2::glucose}}."
        )
        assert "c2::glucose" in deck.read_text()
        assert history_by_hidden(app) == {"mitochondria": [4], "glucose": [2]}
    again = make_app(pane="review", bundled=False)
    async with again.run_test(size=SIZE):
        assert history_by_hidden(again) == {"mitochondria": [4], "glucose": [2]}
        assert pane(again).orphans == set()  # removed in the app: deleted, its history in the log
        assert sum(1 for e in again.store.review_events() if e["kind"] == "review") == 3


async def test_editing_a_cloze_keeps_its_siblings_in_the_session(make_app, data_dir: Path):
    deck = data_dir / "decks" / "bio.md"
    deck.write_text("The {{c1::mitochondria}} is the {{c2::powerhouse}} of the cel.\n")
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await edit_on_show(
            pilot, front="The {{c1::mitochondria}} is the {{c2::powerhouse}} of the cell."
        )
        found = pane(app).session.counts(app.now())
        assert (found.new, found.learning, found.review) == (2, 0, 0)
        assert app.library.cards[pane(app).session.current].hidden == "mitochondria"
        await pilot.press("space", "3")
        assert "cell." in screen_text(app)  # the edited sibling is next, not a vanished card


async def test_card_text_is_markdown_and_a_cloze_answer_highlights_what_was_hidden(
    make_app, data_dir: Path
):
    deck = data_dir / "decks" / "md.md"
    deck.write_text(
        "Q: What does **this** print, *exactly*? [bold]not markup[/bold] \x1b[31mred\n"
        "A: It prints `42`:\n\n"
        "```python\nprint(6 * 7)\n```\n\n"
        "- first\n- second\n\n"
        "| x | y |\n|---|---|\n| 1 | 2 |\n"
        "\nThe {{c1::mitochondria}} is the powerhouse.\n"
    )
    app = make_app(pane="review", bundled=False, bury_siblings=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "What does this print, exactly?" in text  # ** and * are styling, not text
        assert "[bold]not markup[/bold]" in text and "\x1b" not in text
        assert "print(6 * 7)" in text and "```" not in text
        assert "• first" in text and "• second" in text
        assert "x  y" in text and "1  2" in text  # a table, drawn
        svg = app.export_screenshot()
        assert "font-weight: bold" in svg
        await pilot.press("3")
        await pilot.press("space")
        await pilot.pause()
        assert "The mitochondria is the powerhouse." in screen_text(app)
        hidden_style = app.export_screenshot()
        assert "mitochondria" in hidden_style
        from rich.console import Console

        from companion.ui.card_markdown import MARK_START, CardMarkdown

        console = Console(width=60, color_system="truecolor", record=True)
        console.print(CardMarkdown(f"The {MARK_START}mitochondria\u2063 is"))
        segments = [s for s in console.render(CardMarkdown(f"The {MARK_START}mito\u2063 is"))]
        highlighted = [s.text for s in segments if s.style and s.style.bgcolor]
        assert highlighted == ["mito"]


async def test_adding_a_card_while_the_deck_was_edited_by_hand_keeps_both(make_app, data_dir: Path):
    from companion.store.deck_files import MY_DECK

    mine = data_dir / "decks" / MY_DECK
    mine.write_text("# My cards\n\nQ: First?\nA: One.\n")
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        mine.write_text(mine.read_text() + "\nQ: Written in vim?\nA: Yes.\n")  # meanwhile
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        editor.query_one("#editor-front", TextArea).text = "Written in the app?"
        editor.query_one("#editor-back", TextArea).text = "Also yes."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Added 1 card to decks/my-cards.md." in " ".join(screen_text(app).split())
    fronts = [card.front for card in parse_deck(mine.read_text()).cards]
    assert fronts == ["First?", "Written in vim?", "Written in the app?"]


def _image_deck(data_dir: Path) -> None:
    from PIL import Image

    (data_dir / "media").mkdir(exist_ok=True)
    picture = Image.new("RGB", (8, 8), (200, 30, 30))
    for x in range(4):
        for y in range(8):
            picture.putpixel((x, y), (30, 30, 200))
    picture.save(data_dir / "media" / "flag.png")
    (data_dir / "decks" / "img.md").write_text(
        "Q: Which flag is this?\n![a blue and red flag](../media/flag.png)\nA: A made-up one.\n"
    )


async def test_an_image_on_a_card_is_drawn_in_half_blocks_with_its_alt_text(
    make_app, data_dir: Path
):
    _image_deck(data_dir)
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "▀" in text  # drawn, two pixels a cell
        assert "a blue and red flag" in text and "o opens" not in text
        import re

        colours = {
            tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))
            for h in re.findall(r"#([0-9a-fA-F]{6})", app.export_screenshot())
        }
        assert any(r > 150 and g < 80 and b < 80 for r, g, b in colours)  # its red half
        assert any(b > 150 and r < 80 and g < 80 for r, g, b in colours)  # and its blue one


async def test_where_images_cannot_be_drawn_the_alt_text_and_a_key_to_open_it(
    make_app, data_dir: Path
):
    _image_deck(data_dir)
    app = make_app(pane="review", bundled=False, card_images=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "🖼 a blue and red flag (o opens flag.png)" in text and "▀" not in text
    (data_dir / "media" / "flag.png").write_bytes(b"not an image at all")
    broken = make_app(pane="review", bundled=False)
    async with broken.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "cannot draw flag.png" in " ".join(screen_text(broken).split())


def _png_header(width: int, height: int) -> bytes:
    """A PNG that says it is width x height (Pillow reads the size before any pixel)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # RGBA, 8 bits
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


async def test_an_image_a_card_may_not_show_is_named_and_never_opened(
    make_app, data_dir: Path, tmp_path: Path
):
    """A card's image must be a regular file beside its deck or in media/ (#28): /dev/tty and
    a FIFO hung the app at every start, and paths outside were read and drawn; a 13,370²
    picture is refused before it is decoded."""
    import os

    secret = tmp_path / "secret.png"
    _image_deck(data_dir)
    (data_dir / "media" / "flag.png").replace(secret)  # a real image, outside the data
    os.mkfifo(data_dir / "decks" / "pipe.png")
    (data_dir / "decks" / "huge.png").write_bytes(_png_header(13_370, 13_370))
    (data_dir / "decks" / "img.md").write_text(
        "Q: What is shown?\n"
        "![the terminal](/dev/tty)\n![a pipe](pipe.png)\n"
        f"![outside](../../{os.path.relpath(secret, data_dir.parent)})\n![absolute]({secret})\n"
        "![huge](huge.png)\nA: Nothing.\n"
    )
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "the terminal: tty outside its deck's folder and media/: not shown" in text
        assert "a pipe: pipe.png not a regular file: not shown" in text
        assert "outside: secret.png outside its deck's folder and media/: not shown" in text
        assert "absolute: secret.png outside its deck's folder and media/: not shown" in text
        assert "huge: cannot draw huge.png (13370x13370 pixels, over 40,000,000 to draw)" in text
        assert "▀" not in text  # nothing drawn from any of them
        await pilot.press("o")  # the open key finds nothing it may open
        await pilot.pause()
        await pilot.press("q")
