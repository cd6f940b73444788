"""`companion sync init` on data directories as learners have them: one made by this release
(an Anki collection imported, cards answered), and one from the release before event ids.
Each moves into the folder with nothing lost, and a second machine joining sees every card as
the first has it."""

import json
import shutil
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.cli.main import main
from companion.config import Settings
from companion.store import open_store
from companion.store.device_identity import MACHINE_ID_ENV

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY = Path(__file__).parents[1] / "store" / "fixtures" / "legacy-e8c354f"
SETTINGS = Settings(enable_fuzzing=False)


def records(data_dir: Path) -> tuple[dict, dict, list]:
    """Every card's record, every item's state, and the focus blocks as logged."""
    store = open_store(data_dir, read_only=True, settings=SETTINGS)
    try:
        blocks = [
            {k: v for k, v in b.items() if k not in ("origin", "at")} for b in store.study_blocks()
        ]
        cards = {cid: r.to_row() for cid, r in store.ledger.records.items()}
        return cards, store.item_states(), blocks
    finally:
        store.close()


def files_under(root: Path, *names: str) -> dict[str, bytes]:
    found = {}
    for name in names:
        for path in sorted((root / name).rglob("*")) if (root / name).is_dir() else []:
            if path.is_file():
                found[str(path.relative_to(root))] = path.read_bytes()
    return found


@pytest.mark.parametrize("made_by", ["this release", "the release before ids"])
def test_a_data_directory_moves_into_the_folder_and_a_second_machine_sees_it_all(
    tmp_path: Path, monkeypatch, capsys, made_by: str
):
    laptop, desktop, folder = tmp_path / "laptop", tmp_path / "desktop", tmp_path / "Sync"
    if made_by == "this release":
        assert main(["--data-dir", str(laptop), "cards", "import",
                     str(FIXTURES / "anki-history-fsrs.apkg")]) == 0  # fmt: skip
    else:
        shutil.copytree(LEGACY, laptop)
    store = open_store(laptop, settings=SETTINGS)  # items ticked, as a release before did
    for number, state in enumerate(("done", "doing", "skipped")):
        row = {"item_id": f"item-{number}", "state": state, "roadmap_id": "plan",
               "updated": "2026-03-01T10:00:00+00:00"}  # fmt: skip
        store.db.table("progress").insert(row)
    for hour in (9, 10):  # focus blocks logged before blocks were events
        start = datetime(2026, 3, 1, hour, tzinfo=UTC).timestamp()
        store.db.table("sessions").insert({"phase": "focus", "started_at": start,
                                           "ended_at": start + 1500, "minutes": 25.0})  # fmt: skip
    store.close()
    before = records(laptop)
    assert len(before[1]) == 3 and len(before[2]) == 2
    learner_files = files_under(laptop, "decks", "media", "anki")
    # every event of the log, and one for each item ticked and block logged before those
    # were events
    events = len((laptop / "reviews.jsonl").read_text().splitlines()) + 3 + 2
    # and one for each deck option the import saved: settings go to the others as events
    options = (
        tomllib.loads((laptop / "deck-options.toml").read_text())
        if made_by == "this release"
        else {}
    )
    settings = sum(len(table) for table in options.get("decks", {}).values())
    capsys.readouterr()

    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    assert main(["--data-dir", str(laptop), "sync", "init", str(folder), "--device", "laptop"]) == 0
    said = capsys.readouterr().out
    assert "This machine syncs as laptop" in said and f"{events:,} events of history" in said
    assert files_under(folder, "decks", "media", "anki") == learner_files  # moved, byte for byte
    assert files_under(laptop, "decks", "media", "anki") == {}  # none left to be read twice
    assert records(laptop) == before  # the state, still this machine's own

    monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
    assert (
        main(["--data-dir", str(desktop), "sync", "init", str(folder), "--device", "desktop"]) == 0
    )
    said = capsys.readouterr().out
    assert f"{events + settings:,} events from laptop." in said
    assert records(desktop) == before
    if settings:  # the decks' options, in the desktop's own file now, the same tables
        there = tomllib.loads((desktop / "deck-options.toml").read_text())
        assert there == options and settings > 10

    assert main(["--data-dir", str(desktop), "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    by_name = {m["name"]: m for m in status["machines"]}
    assert by_name["laptop"]["events"] == events + settings
    assert by_name["desktop"]["events"] == 0
    assert by_name["desktop"]["this_machine"] and status["events_merged"] == events + settings
    assert status["problems"] == [] and status["conflict_copies"] == 0


def test_joining_a_folder_twice_or_another_one_is_refused_in_one_line(tmp_path, capsys):
    data_dir = tmp_path / "data"
    assert main(["--data-dir", str(data_dir), "sync", "init", str(tmp_path / "A")]) == 0
    assert main(["--data-dir", str(data_dir), "sync", "init", str(tmp_path / "B")]) == 2
    assert capsys.readouterr().err.strip().endswith("a data directory syncs through one")
    assert main(["--data-dir", str(data_dir), "sync", "status"]) == 0
    assert main(["--data-dir", str(tmp_path / "other"), "sync", "status"]) == 2
    assert "not syncing" in capsys.readouterr().err


def test_a_machine_whose_clock_is_days_ahead_is_told_of_and_its_events_kept(tmp_path, monkeypatch):
    import time

    from companion.services.sync import pull_others

    folder = tmp_path / "Sync"
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    assert main(["--data-dir", str(tmp_path / "laptop"), "sync", "init", str(folder)]) == 0
    monkeypatch.setenv(MACHINE_ID_ENV, "server")
    assert main(["--data-dir", str(tmp_path / "server"), "sync", "init", str(folder),
                 "--device", "server"]) == 0  # fmt: skip
    ahead = time.time() + 3 * 86400
    server = open_store(tmp_path / "server", settings=SETTINGS, clock=lambda: ahead)
    event = server.commit({"kind": "suspend", "card": "c1", "on": True})
    server.close()

    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    laptop = open_store(tmp_path / "laptop", settings=SETTINGS)
    try:
        pulled = pull_others(laptop)
        assert pulled.problems == [
            "the clock of server is 3 days ahead of this one's: its events are kept, "
            "at the times it gave them"
        ]
        assert event["id"] in {e["id"] for e in laptop.review_events()}
        assert laptop.ledger.record("c1").suspended
        assert pull_others(laptop).problems == []  # told once: nothing new the next time
    finally:
        laptop.close()


def test_the_day_s_limits_count_every_machine_s_answers(tmp_path, monkeypatch):
    import time

    from companion.services.study_session import daily_limits
    from companion.services.sync import pull_others
    from companion.srs.prior_state import was

    folder, settings = tmp_path / "Sync", Settings(new_cards_per_day=5, reviews_per_day=50)
    for name in ("laptop", "desktop"):
        monkeypatch.setenv(MACHINE_ID_ENV, name)
        assert main(["--data-dir", str(tmp_path / name), "sync", "init", str(folder)]) == 0
    now = time.time()
    desktop = open_store(tmp_path / "desktop", settings=settings, clock=lambda: now)
    for card in ("c1", "c2", "c3"):  # three new cards seen there today
        before = desktop.ledger.record(card)
        desktop.commit({"kind": "review", "card": card, "grade": 3, "ms": 1000, "first": True,
                        "due": "2030-01-01T00:00:00+00:00", "was": was(before)})  # fmt: skip
    desktop.close()
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    laptop = open_store(tmp_path / "laptop", settings=settings)
    try:
        assert daily_limits(laptop, settings, datetime.now(UTC)).new_left == 5
        pull_others(laptop)
        assert daily_limits(laptop, settings, datetime.now(UTC)).new_left == 2
    finally:
        laptop.close()


def test_a_synced_folder_that_is_not_there_is_told_in_one_line_and_nothing_made(
    tmp_path, monkeypatch, capsys
):
    laptop, folder = tmp_path / "laptop", tmp_path / "usb" / "Sync"
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    assert main(["--data-dir", str(laptop), "sync", "init", str(folder)]) == 0
    shutil.rmtree(tmp_path / "usb")  # the stick unplugged
    capsys.readouterr()
    assert main(["--data-dir", str(laptop), "stats"]) == 2
    assert "is not there (not mounted?)" in capsys.readouterr().err
    assert not folder.exists()  # no empty decks folder made in its place
