from pathlib import Path

from companion.cli.main import main
from companion.content.anki import html_to_text, parse_anki_export
from companion.content.anki_export import numbered_cloze
from companion.content.deck import parse_deck
from companion.content.loader import load_library
from companion.paths import bundled_content_dir

ANKI_EXPORT = """\
#separator:tab
#html:true
#tags column:3
#deck:Deep Learning::Basics
What is <b>SGD</b>?\tGradient descent on<br>mini-batches.\tml optim
"Has a ""quote""\tand a\ttab?"\tyes&nbsp;&amp; more\t
The {{c1::gradient}} points {{c2::uphill::direction}}.\tExtra text\tcalculus
\tan answer without a front\t
"""


def test_anki_export_with_headers_html_and_quotes():
    imported = parse_anki_export(ANKI_EXPORT, "notes.txt")
    assert imported.deck == "Deep Learning::Basics"
    assert [(n.front, n.back, n.tags) for n in imported.notes] == [
        ("What is **SGD**?", "Gradient descent on\nmini-batches.", ["ml", "optim"]),
        ('Has a "quote" and a tab?', "yes & more", []),  # HTML: a tab shows as a space
        ("The {{c1::gradient}} points {{c2::uphill::direction}}.", "", ["calculus"]),
    ]
    assert imported.problems == ["notes.txt:8: row has no front field"]


def test_comma_and_semicolon_exports_with_column_names():
    comma = "#separator:comma\n#html:false\n#columns:Front,Back\nfront one,back one\n"
    semi = "#separator:Semicolon\n#tags:imported\nfront two;back two\n"
    assert [(n.front, n.back) for n in parse_anki_export(comma, "c.txt").notes] == [
        ("front one", "back one")
    ]
    notes = parse_anki_export(semi, "s.txt").notes
    assert [(n.front, n.back, n.tags) for n in notes] == [("front two", "back two", ["imported"])]


def test_html_is_reduced_to_text():
    assert html_to_text("<div>a</div><div>b &lt;c&gt;</div>") == "a\nb <c>"
    assert html_to_text("x<br/>y\x1b[31m") == "x\ny"


def test_unnumbered_clozes_get_numbers_for_anki():
    assert numbered_cloze("A {{one}} and {{c1::two}} and {{three}}") == (
        "A {{c2::one}} and {{c1::two}} and {{c3::three}}"
    )


def test_import_then_export_then_import_round_trips(tmp_path: Path, capsys):
    first, second = tmp_path / "first", tmp_path / "second"
    source = tmp_path / "anki.txt"
    source.write_text(ANKI_EXPORT, encoding="utf-8")
    assert main(["--data-dir", str(first), "cards", "import", str(source)]) == 0
    assert "Imported 3 notes" in capsys.readouterr().out
    deck_file = first / "decks" / "basics.md"
    deck = parse_deck(deck_file.read_text(), "basics", str(deck_file))
    assert deck.problems == []
    assert len(deck.cards) == 4  # two basic cards and a two-cloze sentence
    assert deck.cards[0].tags == ("ml", "optim")

    exported = tmp_path / "export.txt"
    assert main(["--data-dir", str(first), "cards", "export", "--format", "anki",
                 "-o", str(exported)]) == 0  # fmt: skip
    text = exported.read_text()
    assert text.startswith("#separator:tab\n#html:true\n")
    assert "#columns:Notetype\tGUID\tDeck\tFront\tBack\tTags" in text  # Anki reads both

    assert main(["--data-dir", str(second), "cards", "import", str(exported)]) == 0
    again = load_library([second])
    original = load_library([bundled_content_dir(), first])
    pairs = {(c.front, c.back, c.tags) for c in again.cards.values()}
    assert pairs == {(c.front, c.back, c.tags) for c in original.cards.values()}
    assert len(again.cards) == len(original.cards)


def test_unreadable_import_is_a_clear_error(tmp_path: Path, capsys):
    binary = tmp_path / "deck.txt"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    assert main(["--data-dir", str(tmp_path / "d"), "cards", "import", str(binary)]) == 2
    err = capsys.readouterr().err
    assert "binary" in err and err.count("\n") == 1
