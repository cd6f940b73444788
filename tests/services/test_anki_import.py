"""Importing real Anki packages, current and legacy: notes, cards, states, due dates, history,
media, math and tags as the package held them; twice is once; a damaged file writes nothing."""

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.cli.main import main
from companion.content.loader import load_library
from companion.services.content_sources import content_dirs
from companion.srs.ledger import REVIEW_STATE, study_day
from companion.store import open_store

from .anki_packages import PackageBuilder

DAY = 86400
NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)
CREATED = int(datetime(2025, 1, 1, 4, tzinfo=UTC).timestamp())
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def anki_day(moment: datetime) -> int:
    """Anki's review due: days since the collection was created."""
    return int((moment.timestamp() - CREATED) // DAY)


def build(modern: bool) -> PackageBuilder:
    """Five notes of four note types, with history, flags, media and math."""
    package = PackageBuilder(modern=modern, created=CREATED)
    package.decks.update({2: "ML::Math", 3: "Bio"})
    basic = package.notetype(10, "Basic", ["Front", "Back"])
    reversed_ = package.notetype(11, "Basic (and reversed card)", ["Front", "Back"], templates=2)
    cloze = package.notetype(12, "Cloze", ["Text", "Back Extra"], cloze=True)
    vocab = package.notetype(13, "Vocabulary", ["Word", "Meaning", "Part of speech"])
    package.media["cell.png"] = PNG

    gradient = ["What is <b>the gradient</b>?", r"The vector of partial derivatives \(\nabla f\)"]
    package.note(1, "guidGradient", basic, gradient, tags="math calculus")
    due_day = anki_day(datetime(2026, 3, 10, 12, tzinfo=UTC))
    package.card(101, 1, 2, type=2, queue=2, due=due_day, ivl=5, reps=4, lapses=1,
                 data='{"s": 5.5, "d": 6.25}')  # fmt: skip
    start = int(datetime(2026, 2, 1, 10, tzinfo=UTC).timestamp() * 1000)
    package.review(start, 101, 3, -600, type=0)
    package.review(start + 3600_000, 101, 3, 1, type=0)
    package.review(start + 2 * DAY * 1000, 101, 1, -600, type=1)
    package.review(start + 3 * DAY * 1000, 101, 3, 5, type=2)

    package.note(2, "guidDog", reversed_, ["der Hund", "the dog"], tags="german")
    package.card(201, 2, 1, 0)
    package.card(202, 2, 1, 1, queue=-1)  # the reverse card, suspended

    package.note(3, "guidCell", cloze,
                 ["The {{c1::mitochondria}} is the {{c2::powerhouse}} of the cell.",
                  "<i>Biology 101</i>"])  # fmt: skip
    learning_due = int(datetime(2026, 3, 4, 9, 5, tzinfo=UTC).timestamp())
    package.card(301, 3, 3, 0, type=1, queue=1, due=learning_due, reps=1)
    package.review(
        int(datetime(2026, 3, 4, 8, 55, tzinfo=UTC).timestamp() * 1000), 301, 1, -600, type=0
    )
    package.card(302, 3, 3, 1, queue=-3)  # buried by hand

    package.note(4, "guidHaus", vocab, ["Haus", "house", "noun"])
    package.card(401, 4, 1, 0)

    package.note(
        5, "guidImage", basic, ['<img src="cell.png">', "a cell<br>seen under a microscope"]
    )
    package.card(501, 5, 3, 0)
    return package


def run_import(data_dir: Path, package_path: Path, capsys) -> str:
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "cards", "import", str(package_path)]) == 0
    return capsys.readouterr().out


def cards_by_front(data_dir: Path) -> dict:
    library = load_library([data_dir])
    return {card.front: card for card in library.cards.values()}


@pytest.mark.parametrize("modern", [True, False], ids=["anki21b", "legacy-anki21"])
def test_a_package_arrives_with_its_decks_history_states_media_math_and_tags(
    data_dir: Path, tmp_path: Path, capsys, modern: bool
):
    package = build(modern).write(tmp_path / ("deck.apkg" if modern else "old.colpkg"))
    out = run_import(data_dir, package, capsys)
    assert "Imported 5 new notes" in out and "7 cards in 3 decks" in out
    assert "5 answers of history added" in out and "1 image copied" in out
    assert "Approximated: Vocabulary: fields after the second (1 note)." in out

    math = (data_dir / "decks" / "ML" / "Math.md").read_text()
    assert "<!-- anki: guidGradient -->" in math and "<!-- tags: math calculus -->" in math
    assert "Q: What is **the gradient**?" in math and r"$\nabla f$" in math
    bio = (data_dir / "decks" / "Bio.md").read_text()
    assert "The {{c1::mitochondria}} is the {{c2::powerhouse}} of the cell." in bio
    assert "Extra: *Biology 101*" in bio
    assert "![cell.png](../media/cell.png)" in bio
    assert (data_dir / "media" / "cell.png").read_bytes() == PNG

    # every deck already read into the parse cache: the first start parses nothing
    from companion.content.loader import load_library
    from companion.paths import content_dirs
    from companion.store.content_cache import DeckCache

    cache = DeckCache(data_dir / "cache" / "decks.packed")
    load_library(content_dirs(data_dir), cache)
    assert not cache.changed

    cards = cards_by_front(data_dir)
    assert {"der Hund", "the dog", "Haus"} <= set(cards)  # both directions; first two fields
    store = open_store(data_dir)
    try:
        records = store.ledger.records
        gradient = records[cards["What is **the gradient**?"].id]
        assert (gradient.reps, gradient.lapses) == (4, 1)
        assert gradient.fsrs["state"] == REVIEW_STATE and not gradient.in_learning
        assert study_day(gradient.due_ts) == "2026-03-10"  # the day Anki has it due
        assert (gradient.fsrs["stability"], gradient.fsrs["difficulty"]) == (5.5, 6.25)
        assert records[cards["the dog"].id].suspended
        assert cards["der Hund"].id not in records  # new, as in Anki
        c1 = next(c for c in cards.values() if c.cloze_number == "1")
        c2 = next(c for c in cards.values() if c.cloze_number == "2")
        assert records[c1.id].in_learning
        assert records[c1.id].due_ts == datetime(2026, 3, 4, 9, 5, tzinfo=UTC).timestamp()
        assert records[c2.id].buried_until is not None and records[c2.id].is_new
        events = store.review_events()
        assert sum(1 for e in events if "anki" in e and e["kind"] != "origin") == 5
        assert [
            e["ms"] for e in events if e.get("card") == gradient.card_id and e["kind"] == "review"
        ][:1] == [5000]
    finally:
        store.close()
    assert "Biology 101" in cards[c1.front].back  # Back Extra under the answer


def test_importing_twice_changes_nothing_and_a_changed_note_is_updated_with_its_history(
    data_dir: Path, tmp_path: Path, capsys
):
    builder = build(modern=True)
    package = builder.write(tmp_path / "deck.apkg")
    run_import(data_dir, package, capsys)
    before = {p: p.read_text() for p in (data_dir / "decks").rglob("*.md")}
    log_size = (data_dir / "reviews.jsonl").stat().st_size
    out = run_import(data_dir, package, capsys)
    assert "Imported 0 new notes, updated 0 notes (5 unchanged)" in out
    assert "0 answers of history added (5 already there)" in out
    assert {p: p.read_text() for p in (data_dir / "decks").rglob("*.md")} == before
    assert (data_dir / "reviews.jsonl").stat().st_size == log_size

    builder.notes[0] = (1, "guidGradient", 10, 0, -1, " math ",
                        "What is <b>a gradient</b>?\x1fThe vector of partial derivatives",
                        "", 0, 0, "")  # fmt: skip
    out = run_import(data_dir, builder.write(tmp_path / "deck2.apkg"), capsys)
    assert "updated 1 note" in out
    math = (data_dir / "decks" / "ML" / "Math.md").read_text()
    assert "What is **a gradient**?" in math and "the gradient" not in math
    assert math.count("<!-- anki: guidGradient -->") == 1
    card = cards_by_front(data_dir)["What is **a gradient**?"]
    store = open_store(data_dir)
    try:
        assert store.ledger.record(card.id).reps == 4  # the history followed the update
    finally:
        store.close()


def test_an_import_never_touches_reviews_already_in_companion(data_dir, tmp_path, capsys):
    from companion.config import Settings
    from companion.services.study_session import start_review
    from companion.srs.scheduling import Grade

    (data_dir / "decks" / "mine.md").write_text("Q: Mine?\nA: Yes.\n")
    store = open_store(data_dir)
    session = start_review(load_library([data_dir]), store, Settings(), NOW)
    session.next_card(NOW)
    session.answer(Grade.GOOD, NOW)
    mine = store.review_events()
    store.close()
    run_import(data_dir, build(modern=True).write(tmp_path / "deck.apkg"), capsys)
    store = open_store(data_dir)
    try:
        assert store.review_events()[: len(mine)] == mine
    finally:
        store.close()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"PK\x03\x04 this is not really a zip", "not an Anki package (damaged zip"),
        (None, "not an Anki package (no collection inside)"),
    ],
)
def test_a_damaged_or_foreign_file_is_one_line_and_writes_nothing(
    data_dir: Path, tmp_path: Path, capsys, content, words
):
    path = tmp_path / "broken.apkg"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("photo.jpg", b"not a collection")
    else:
        path.write_bytes(content)
    decks_before = sorted((data_dir / "decks").rglob("*"))
    assert main(["--data-dir", str(data_dir), "cards", "import", str(path)]) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("companion: error:")]
    assert len(errors) == 1 and words in errors[0]
    assert sorted((data_dir / "decks").rglob("*")) == decks_before
    assert not (data_dir / "reviews.jsonl").exists()


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name", ["anki-latest.apkg", "anki-legacy.apkg"])
def test_packages_written_by_anki_itself_arrive_as_anki_has_them(data_dir: Path, capsys, name: str):
    """Made by scripts/make_anki_fixtures.py with Anki's own library (answers through its
    scheduler, a suspended and a buried card): every card's state, due date and counts."""
    import json

    from companion.content.anki_html import html_to_markdown

    expected = json.loads((FIXTURES / "anki-expected.json").read_text())
    out = run_import(data_dir, FIXTURES / name, capsys)
    assert f"{expected['revlog']} answers of history added" in out
    library = load_library([data_dir])
    store = open_store(data_dir)
    try:
        assert (
            sum(1 for e in store.review_events() if "anki" in e and e["kind"] != "origin")
            == expected["revlog"]
        )
        for want in expected["cards"]:
            if want["notetype"] == "Cloze":
                card = next(
                    c for c in library.cards.values() if c.cloze_number == str(want["ord"] + 1)
                )
            else:
                media = {"cell.png": "../media/cell.png"}
                fields = [html_to_markdown(f, media) for f in want["fields"]]
                front = fields[want["ord"]] if want["ord"] < 2 else fields[0]
                card = next(
                    c for c in library.cards.values() if c.front.replace("  \n", "\n") == front
                )
            record = store.ledger.record(card.id)
            label = f"{want['notetype']} {want['ord']} {want['fields'][0][:20]}"
            assert (record.reps, record.lapses) == (want["reps"], want["lapses"]), label
            assert record.suspended == (want["queue"] == -1), label
            assert (record.buried_until is not None) == (want["queue"] in (-2, -3)), label
            if want["due"] is None:
                assert record.is_new, label
            elif want["due"][0] == "date":
                assert study_day(record.due_ts) == want["due"][1], label
                assert not record.in_learning, label
            else:
                assert record.due_ts == want["due"][1], label
                assert record.in_learning, label
    finally:
        store.close()
    assert (data_dir / "media" / "cell.png").read_bytes() == PNG


def test_an_apkg_export_read_back_by_the_importer_gives_the_same_cards(
    data_dir: Path, tmp_path: Path, capsys
):
    run_import(data_dir, build(modern=True).write(tmp_path / "deck.apkg"), capsys)
    (data_dir / "decks" / "mine.md").write_text(
        "<!-- tags: mine -->\nQ: What is **$x^2$** at $x=3$?\n"
        "A: 9, see:\n\n```python\nprint(3**2)\n```\n"
    )
    exported = tmp_path / "export.apkg"
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "cards", "export", "--format", "apkg",
                 "-o", str(exported)]) == 0  # fmt: skip
    assert "1 media file" in capsys.readouterr().out
    second = tmp_path / "second"
    run_import(second, exported, capsys)

    def cards(folders: list[Path]) -> set:
        library = load_library(folders)
        return {
            (c.front, c.back, tuple(sorted(c.tags)), c.cloze_number.replace("auto", ""))
            for c in library.cards.values()
        }

    assert cards([second]) == cards(content_dirs(data_dir))  # the bundled deck's too
    assert (second / "media" / "cell.png").read_bytes() == PNG
    for guid in ("guidGradient", "guidDog", "guidCell"):  # Anki's GUIDs kept
        assert any(guid in p.read_text() for p in (second / "decks").rglob("*.md"))
    assert (second / "decks" / "ML" / "Math.md").exists()  # the deck hierarchy kept


@pytest.mark.parametrize("snapshot", ["as saved", "saved by an earlier version", "missing"])
def test_a_second_import_knows_the_first_ones_answers_whatever_the_snapshot(
    data_dir: Path, tmp_path: Path, capsys, snapshot: str
):
    import json

    from companion.store.ledger_snapshot import SNAPSHOT_KIND, SNAPSHOT_VERSION
    from companion.store.packed_file import read_packed, write_packed
    from companion.store.store import SNAPSHOT_NAME

    package = build(modern=True).write(tmp_path / "deck.apkg")
    run_import(data_dir, package, capsys)
    log = data_dir / "reviews.jsonl"
    logged = {e["anki"] for e in map(json.loads, log.read_text().splitlines())
              if isinstance(e.get("anki"), int)}  # fmt: skip
    path = data_dir / SNAPSHOT_NAME
    store = open_store(data_dir)
    store.close()  # saves a snapshot
    if snapshot == "saved by an earlier version":
        payload = read_packed(path, SNAPSHOT_KIND, SNAPSHOT_VERSION)
        del payload["anki_ids"]
        write_packed(path, SNAPSHOT_KIND, SNAPSHOT_VERSION, payload)
    elif snapshot == "missing":
        path.unlink()
    store = open_store(data_dir)
    try:
        assert store.anki_revlog_ids() == logged and len(logged) == 5
    finally:
        store.close()
    size = log.stat().st_size
    out = run_import(data_dir, package, capsys)
    assert "0 answers of history added (5 already there)" in out
    assert log.stat().st_size == size


def _without_newest_answers(package: Path, out: Path, share: float) -> Path:
    """A copy of an Anki package as it was before its newest revlog entries."""
    import sqlite3

    import zstandard

    with zipfile.ZipFile(package) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    collection = out.with_suffix(".sqlite")
    collection.write_bytes(zstandard.ZstdDecompressor().decompress(
        members["collection.anki21b"], max_output_size=1 << 30))  # fmt: skip
    db = sqlite3.connect(collection)
    count = db.execute("select count(*) from revlog").fetchone()[0]
    db.execute("delete from revlog where id in (select id from revlog order by id desc limit ?)",
               (int(count * share),))  # fmt: skip
    db.commit()
    db.close()
    members["collection.anki21b"] = zstandard.ZstdCompressor().compress(collection.read_bytes())
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def test_an_import_over_an_earlier_one_reads_only_the_new_answers_whole_and_ends_the_same(
    tmp_path: Path, capsys
):
    """A package imported again after more study: its answers already logged are only
    counted; the result is what reading every entry whole gives."""
    import shutil

    from companion.services.anki_import import import_package
    from companion.store.anki_package import read_package

    package = FIXTURES / "anki-history-fsrs.apkg"
    earlier = _without_newest_answers(package, tmp_path / "earlier.apkg", 0.05)
    first = tmp_path / "first"
    run_import(first, earlier, capsys)
    outcomes = []
    for way in ("counted", "read whole"):
        data_dir = tmp_path / way
        shutil.copytree(first, data_dir)
        store = open_store(data_dir)
        try:
            logged = store.logged_answers()
            read = read_package(package, logged if way == "counted" else None)
            assert (read.reviews.totals is not None) == (way == "counted")
            report = import_package(store, read, NOW)
            records = {c: r.to_row() for c, r in store.ledger.records.items()}
        finally:
            store.close()
        outcomes.append(((report.reviews_added, report.reviews_known), records))
    assert outcomes[0] == outcomes[1]
    (added, known), _ = outcomes[0]
    assert added > 400 and known > 9000  # the newest 5% of some 10,400 answers are new


def test_a_card_with_escape_and_control_characters_keeps_its_history(tmp_path: Path, capsys):
    """ESC, \\x08 and \\x7f in a field: the deck is read back without them, and the card's id
    (and so its history) is the one the import logged (#28: it became an orphan)."""
    from companion.services.content_sources import load_content
    from companion.services.review import reconcile
    from companion.store import open_store

    package = PackageBuilder(modern=True, created=CREATED)
    basic = package.notetype(10, "Basic", ["Front", "Back"])
    package.note(1, "guidEsc", basic, ["\x1b[31mRed\x1b[0m term\x08 here\x7f?", "An answer."])
    package.card(101, 1, 1, type=2, queue=2, due=anki_day(datetime(2026, 3, 10, tzinfo=UTC)),
                 ivl=5, reps=2, data='{"s": 5.5, "d": 6.25}')  # fmt: skip
    start = int(datetime(2026, 2, 1, 10, tzinfo=UTC).timestamp() * 1000)
    package.review(start, 101, 3, -600, type=0)
    package.review(start + 3600_000, 101, 3, 5, type=0)
    data_dir = tmp_path / "data"
    run_import(data_dir, package.write(tmp_path / "esc.apkg"), capsys)
    library = load_content(data_dir)
    store = open_store(data_dir, read_only=True)
    try:
        [card] = [library.cards[c] for c in library.cards.ids() if "Red" in library.cards[c].front]
        assert "\x1b" not in card.front and "\x08" not in card.front and "\x7f" not in card.front
        assert store.ledger.record(card.id).reps == 2  # its history, on the card as loaded
        assert reconcile(library, store).orphans == []
    finally:
        store.close()


@pytest.mark.parametrize(
    "guid", ["two words", "", "a-->b", "tab\there", "ünï", "=starts", "line\nbreak"]
)
def test_a_note_whose_guid_is_odd_is_found_again_on_every_import(tmp_path: Path, capsys, guid):
    """A GUID with a space, none at all, "-->" or letters outside ASCII: importing the package
    again finds the note and adds nothing (#28: each import added it again)."""
    from companion.store import open_store

    package = PackageBuilder(modern=True, created=CREATED)
    basic = package.notetype(10, "Basic", ["Front", "Back"])
    package.note(1, guid, basic, ["Odd guid question?", "Its answer."])
    package.note(2, "plainGuid", basic, ["Plain question?", "Plain answer."])
    package.card(101, 1, 1, type=2, queue=2, due=anki_day(datetime(2026, 3, 10, tzinfo=UTC)),
                 ivl=5, reps=1, data='{"s": 5.5, "d": 6.25}')  # fmt: skip
    package.card(102, 2, 1)
    package.review(int(datetime(2026, 2, 1, 10, tzinfo=UTC).timestamp() * 1000), 101, 3, 5)
    path = package.write(tmp_path / "odd.apkg")
    data_dir = tmp_path / "data"
    run_import(data_dir, path, capsys)
    first = (data_dir / "decks" / "Default.md").read_text()
    said = run_import(data_dir, path, capsys)
    assert (data_dir / "decks" / "Default.md").read_text() == first  # nothing added
    assert said.startswith("Imported 0 new notes, updated 0 notes (2 unchanged)"), said
    assert "0 answers of history added (1 already there)" in said
    cards = [c for c in load_library([data_dir]).cards.values() if "question" in c.front]
    assert sorted(c.front for c in cards) == ["Odd guid question?", "Plain question?"]
    odd = next(c for c in cards if c.front.startswith("Odd"))
    assert odd.anki_guid == (guid or "nid:1")  # the GUID it goes back to Anki with
    assert "\n" not in first.split("<!-- anki: ")[1].split(" -->")[0]  # one line, one comment
    store = open_store(data_dir, read_only=True)
    try:
        assert store.ledger.record(odd.id).reps == 1  # its answer, once
    finally:
        store.close()


@pytest.mark.parametrize("order", ["a then b", "b then a"])
def test_the_same_revlog_id_in_two_collections_keeps_both_cards_answers(
    tmp_path: Path, capsys, order: str
):
    """A revlog id is unique in one collection only: a second package whose answers share
    ids with the first's keeps them, matched by (note GUID, ordinal, revlog id) (#28: they
    were taken for logged and dropped); importing either again adds nothing."""
    from companion.store import open_store

    start = int(datetime(2026, 2, 1, 10, tzinfo=UTC).timestamp() * 1000)
    paths = []
    for name, guid, front in (("a", "guidFromA", "From collection A?"),
                              ("b", "guidFromB", "From collection B?")):  # fmt: skip
        package = PackageBuilder(modern=True, created=CREATED)
        basic = package.notetype(10, "Basic", ["Front", "Back"])
        package.note(1, guid, basic, [front, "Yes."])
        due = anki_day(datetime(2026, 3, 10, tzinfo=UTC))
        package.card(101, 1, 1, type=2, queue=2, ivl=5, reps=3, due=due, data='{"s": 5.5}')
        for n, (ease, ivl) in enumerate(((3, -600), (3, 1), (3, 5))):
            package.review(start + n * 86_400_000, 101, ease, ivl, type=0 if n == 0 else 1)
        paths.append(package.write(tmp_path / f"{name}.apkg"))
    data_dir = tmp_path / "data"
    paths = paths if order == "a then b" else paths[::-1]
    for path in paths:
        run_import(data_dir, path, capsys)
    said = [run_import(data_dir, path, capsys) for path in paths[::-1]]  # again, the other way
    assert all("0 answers of history added (3 already there)" in line for line in said), said
    cards = {c.front: c for c in load_library([data_dir]).cards.values()}
    store = open_store(data_dir, read_only=True)
    try:
        for front in ("From collection A?", "From collection B?"):
            assert store.ledger.record(cards[front].id).reps == 3, front
    finally:
        store.close()


def test_an_import_too_large_for_one_deck_file_goes_on_in_parts(tmp_path: Path, capsys):
    """22 MB of notes into the learner's own deck: the deck file stays under what a deck may
    hold, the rest goes to Big.part-2.md (the same deck), the learner's own cards keep their
    history and importing again changes nothing (#28: the file went past the cap, the deck
    was refused whole, its cards became orphans and a second import was refused)."""
    from companion.config import Settings
    from companion.content.deck import deck_name
    from companion.content.textfile import MAX_BYTES
    from companion.services.study_session import start_review
    from companion.srs.scheduling import Grade

    data_dir = tmp_path / "data"
    (data_dir / "decks").mkdir(parents=True)
    (data_dir / "decks" / "Big.md").write_text("# Big\n\nQ: My own question?\nA: My own answer.\n")
    store = open_store(data_dir)
    session = start_review(load_library([data_dir]), store, Settings(), NOW)
    mine = session.next_card(NOW)
    session.answer(Grade.GOOD, NOW)
    store.close()

    package = PackageBuilder(modern=True, created=CREATED)
    package.decks[2] = "Big"
    basic = package.notetype(10, "Basic", ["Front", "Back"])
    filler = "lorem ipsum dolor sit amet " * 38  # about 1 KB a note
    for n in range(22_000):
        package.note(n + 1, f"guid{n}", basic, [f"Question {n}?", f"{filler}{n}"])
        package.card(100_000 + n, n + 1, 2)
    path = package.write(tmp_path / "big.apkg")
    run_import(data_dir, path, capsys)
    files = sorted((data_dir / "decks").glob("Big*.md"))
    assert [f.name for f in files] == ["Big.md", "Big.part-2.md"]
    assert all(f.stat().st_size <= MAX_BYTES for f in files)
    assert sum(f.stat().st_size for f in files) > 22_000_000
    library = load_library([data_dir])
    assert library.problems == []
    assert len(library.cards) == 22_001 and mine in library.cards
    assert {deck_name(library.cards[c].source) for c in library.cards.ids()} == {"Big"}
    store = open_store(data_dir, read_only=True)
    try:
        assert store.ledger.record(mine).reps == 1  # the learner's own card, with its answer
    finally:
        store.close()
    before = {f: f.read_bytes() for f in files}
    said = run_import(data_dir, path, capsys)
    assert said.startswith("Imported 0 new notes, updated 0 notes (22000 unchanged)"), said
    assert {f: f.read_bytes() for f in sorted((data_dir / "decks").glob("Big*.md"))} == before


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "link to /dev/urandom"])
def test_a_package_path_that_is_no_file_is_refused_in_one_line(tmp_path: Path, capsys, kind):
    """A FIFO blocked the import's open forever and a link to /dev/zero read without end (#28)."""
    import os
    import threading

    path = tmp_path / "deck.apkg"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(kind.removeprefix("link to "))
    data_dir = tmp_path / "data"
    done: list[int] = []
    worker = threading.Thread(
        target=lambda: done.append(
            main(["--data-dir", str(data_dir), "cards", "import", str(path)])
        ),
        daemon=True,
    )
    worker.start()
    worker.join(10)
    assert done == [2], "the import hung"
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == "Reading deck.apkg…" and len(err) == 2  # then one line that says why
    assert "not an Anki package (not a regular file but a" in err[1]
    assert not list((data_dir / "decks").glob("*.md"))  # nothing written


def test_a_failed_import_leaves_everything_as_it_was(tmp_path: Path, capsys):
    """A deck whose name no file system takes ("File name too long"): nothing of the import
    stays, the learner's own deck that it had updated is as it was, and the log is untouched
    (#28: deck files and media stayed, with no history)."""
    package = build(modern=True)
    data_dir = tmp_path / "data"
    first = package.write(tmp_path / "first.apkg")
    run_import(data_dir, first, capsys)
    decks = {p: p.read_bytes() for p in (data_dir / "decks").rglob("*.md")}
    media = sorted((data_dir / "media").iterdir())
    log = (data_dir / "reviews.jsonl").read_bytes()
    anki = {p: p.read_bytes() for p in (data_dir / "anki").iterdir()}

    package.notes[0] = (
        1,
        "guidGradient",
        10,
        0,
        -1,
        " math ",
        "What is <b>a gradient</b>?\x1fThe vector of partial derivatives",
        "",
        0,
        0,
        "",
    )  # fmt: skip  (an update in place, with a relink)
    package.decks[9] = "x" * 300  # sorts after the others: written last, and refused
    basic = package.notetype(20, "Basic too", ["Front", "Back"])
    package.note(50, "guidLong", basic, ['<img src="new.png"> In a long-named deck?', "Yes."])
    package.card(5000, 50, 9)
    package.media["new.png"] = b"\x89PNG not really"
    path = package.write(tmp_path / "second.apkg")
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "cards", "import", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "not imported, nothing changed: File name too long" in err[1], err
    assert {p: p.read_bytes() for p in (data_dir / "decks").rglob("*.md")} == decks
    assert sorted((data_dir / "media").iterdir()) == media
    assert (data_dir / "reviews.jsonl").read_bytes() == log
    assert {p: p.read_bytes() for p in (data_dir / "anki").iterdir()} == anki
