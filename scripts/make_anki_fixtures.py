"""Build real Anki packages with Anki's own library, for the importer's tests.

Run in a separate virtual environment (anki is never a dependency of companion):
    python3 -m venv /tmp/ankienv && /tmp/ankienv/bin/pip install anki
    TZ=UTC /tmp/ankienv/bin/python scripts/make_anki_fixtures.py tests/services/fixtures

It writes `anki-latest.apkg` (current format) and `anki-legacy.apkg` (legacy format) from one
collection: Basic, reversed and Cloze notes, an image, MathJax and tags, cards answered through
Anki's scheduler (with one lapse), one suspended and one buried; and `anki-expected.json`, what
Anki says of every card, for the tests to compare with.
"""

import json
import sys
import tempfile
import time
from pathlib import Path

from anki.collection import Collection, ExportAnkiPackageOptions

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def build(folder: Path) -> Collection:
    col = Collection(str(folder / "collection.anki2"))
    math = col.decks.id("ML::Math")
    bio = col.decks.id("Bio")
    image = folder / "cell.png"
    image.write_bytes(PNG)
    image_name = col.media.add_file(str(image))

    def add(notetype: str, deck: int, fields: dict[str, str], tags: list[str]) -> None:
        note = col.new_note(col.models.by_name(notetype))
        for name, value in fields.items():
            note[name] = value
        note.tags = tags
        col.add_note(note, deck)

    add(
        "Basic",
        math,
        {
            "Front": "What is <b>the gradient</b>?",
            "Back": r"The vector of partial derivatives \(\nabla f\)",
        },
        ["math"],
    )
    add(
        "Basic",
        math,
        {"Front": "What is an <i>epoch</i>?", "Back": "One pass over<br>the training set"},
        ["ml"],
    )
    add(
        "Basic (and reversed card)",
        col.decks.id("German"),
        {"Front": "der Hund", "Back": "the dog"},
        ["german"],
    )
    add(
        "Cloze",
        bio,
        {
            "Text": "The {{c1::mitochondria}} is the {{c2::powerhouse}} of the cell.",
            "Back Extra": "<i>Biology 101</i>",
        },
        ["bio"],
    )
    add("Basic", bio, {"Front": f'<img src="{image_name}">', "Back": "a cell"}, [])
    return col


def answer_some(col: Collection) -> None:
    """Answer cards through Anki's scheduler: Good, Good; Again once (a lapse); then suspend
    and bury one card each."""
    for deck, grades in (("ML::Math", (3, 3, 4, 3, 1, 3, 3)), ("Bio", (3, 1))):
        col.decks.select(col.decks.id(deck))
        for grade in grades:
            card = col.sched.getCard()
            if card is None:
                break
            col.sched.answerCard(card, grade)
    new_ids = col.find_cards("is:new")
    col.sched.suspend_cards(new_ids[:1])
    col.sched.bury_cards(new_ids[1:2])


def expected(col: Collection) -> dict:
    today = col.sched.today
    cards = []
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        note = card.note()
        due = None
        if card.queue in (2, 3) or (card.type == 2 and card.queue < 0):
            start_of_day = col.sched.day_cutoff - 86400 + (card.due - today) * 86400
            due = ("date", time.strftime("%Y-%m-%d", time.gmtime(start_of_day)))
        elif card.queue == 1 or card.type in (1, 3):
            due = ("epoch", card.due)
        cards.append(
            {
                "guid": note.guid,
                "ord": card.ord,
                "type": card.type,
                "queue": card.queue,
                "due": due,
                "reps": card.reps,
                "lapses": card.lapses,
                "fields": list(note.fields),
                "notetype": note.note_type()["name"],
            }
        )
    revlog = col.db.scalar("select count() from revlog where ease > 0")
    return {"cards": cards, "revlog": revlog, "today_days_from_creation": today}


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        col = build(Path(tmp))
        answer_some(col)
        for name, legacy in (("anki-latest.apkg", False), ("anki-legacy.apkg", True)):
            col.export_anki_package(
                out_path=str(out / name),
                options=ExportAnkiPackageOptions(
                    with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
                ),
                limit=None,
            )
        (out / "anki-expected.json").write_text(json.dumps(expected(col), indent=1) + "\n")
        col.close()


if __name__ == "__main__":
    main()
