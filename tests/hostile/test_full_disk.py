"""A full disk: an answer is acknowledged only once it is wholly on disk; the app keeps going.

Runs on a real 2 MB tmpfs (skipped, with the reason, where this machine cannot mount one).
"""

import os
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from companion.config import Settings
from companion.content.loader import load_library
from companion.paths import ensure_data_dir
from companion.store import open_store
from companion.store.store import REVIEW_LOG_NAME
from companion.ui.app import CompanionApp
from companion.ui.panes.review import ReviewPane

from ..ui.helpers import screen_text

CARDS = 60


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or 'not permitted'}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path, leave_free: int) -> Path:
    """A file taking all but `leave_free` bytes of the disk."""
    filler = disk / "filler"
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(free - leave_free, 0))
    return filler


async def test_no_acknowledged_answer_is_lost_when_the_disk_fills(small_disk: Path, clock):
    data_dir = ensure_data_dir(small_disk / "data")
    deck = "\n\n".join(f"Q: Question number {n}?\nA: Answer {n}." for n in range(CARDS))
    (data_dir / "decks" / "many.md").write_text(deck + "\n")
    settings = replace(
        Settings(), enable_fuzzing=False, check_links_on_start=False, new_cards_per_day=CARDS
    )
    store = open_store(data_dir, settings=settings)
    library = load_library([data_dir])
    app = CompanionApp(store=store, library=library, settings=settings, pane="review", clock=clock)
    filler = fill(small_disk, 8 * 1024)
    acknowledged: list[str] = []
    refused = None
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        review = app.screen.query_one(ReviewPane)
        for _ in range(CARDS):
            card = review.session.current
            await pilot.press("space", "3")
            if review.session.current == card:  # not acknowledged: still on screen
                refused = card
                break
            acknowledged.append(card)
        assert refused is not None, "the disk never filled"
        assert "Not saved: disk full" in screen_text(app)
        assert review.revealed  # the card waits, its answer can be given again
        filler.unlink()
        await pilot.press("3")
        assert review.session.current != refused
        acknowledged.append(refused)
    store.close()
    reopened = open_store(data_dir, read_only=True, settings=settings)
    logged = [e["card"] for e in reopened.review_events() if e["kind"] == "review"]
    assert logged == acknowledged
    assert all(reopened.ledger.records[card].reps == 1 for card in acknowledged)
    assert reopened.problems == []  # no torn line left behind
    raw = (data_dir / REVIEW_LOG_NAME).read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == len(acknowledged)
    reopened.close()


async def test_a_card_written_on_a_full_disk_comes_back_in_the_editor(small_disk: Path, clock):
    from textual.widgets import TextArea

    from companion.ui.dialogs.card_editor import CardEditor

    data_dir = ensure_data_dir(small_disk / "data")
    (data_dir / "decks" / "one.md").write_text("Q: First?\nA: One.\n")
    settings = replace(Settings(), enable_fuzzing=False, check_links_on_start=False)
    store = open_store(data_dir, settings=settings)
    app = CompanionApp(
        store=store, library=load_library([data_dir]), settings=settings, pane="review", clock=clock
    )
    filler = fill(small_disk, 0)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        editor.query_one("#editor-front", TextArea).text = "What does a full disk do?"
        editor.query_one("#editor-back", TextArea).text = "It refuses writes."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved: disk full" in screen_text(app)
        reopened = app.screen
        assert isinstance(reopened, CardEditor) and reopened is not editor
        assert reopened.query_one("#editor-front", TextArea).text == "What does a full disk do?"
        filler.unlink()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CardEditor)
    store.close()
    assert "What does a full disk do?" in "".join(
        path.read_text() for path in (data_dir / "decks").glob("*.md")
    )


def timer_app(disk: Path, clock) -> tuple:  # noqa: ANN001 - the FakeClock fixture
    """The app on the Timer pane over a data directory on the small disk, and its store."""
    data_dir = ensure_data_dir(disk / "data")
    settings = replace(Settings(), check_links_on_start=False, idle_minutes=0)
    store = open_store(data_dir, settings=settings)
    app = CompanionApp(
        store=store, library=load_library([data_dir]), settings=settings, pane="timer", clock=clock
    )
    return store, app


async def test_a_block_note_written_on_a_full_disk_is_kept_and_saved_later(small_disk: Path, clock):
    from textual.widgets import Input

    from companion.ui.dialogs.block_note import BlockNote

    store, app = timer_app(small_disk, clock)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("p")
        clock.advance(minutes=25)
        app.tick()
        await pilot.pause()
        assert isinstance(app.screen, BlockNote)
        filler = fill(small_disk, 0)
        app.screen.query_one(Input).value = "Derived backprop by hand"
        await pilot.press("enter")
        await pilot.pause()
        assert "Not saved: disk full" in screen_text(app)
        assert app.timer_control.unsaved_notes  # kept in memory, not dropped
        filler.unlink()
        clock.advance(seconds=1)
        app.tick()
        await pilot.pause()
        assert app.store.study_blocks()[-1]["note"] == "Derived backprop by hand"
    store.close()


async def test_what_the_full_disk_kept_out_is_listed_when_the_app_closes(small_disk: Path, clock):
    from textual.widgets import Input

    store, app = timer_app(small_disk, clock)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("p")
        filler = fill(small_disk, 0)
        clock.advance(minutes=25)
        app.tick()  # the block cannot be logged: kept in memory
        await pilot.pause()
        app.screen.query_one(Input).value = "Softmax by hand"
        await pilot.press("enter")  # its note goes with it, still waiting
        await pilot.pause()
        assert "Not saved: disk full" in screen_text(app)
    lines = app.timer_control.left_unsaved()  # the disk is still full as the app closes
    assert len(lines) == 1
    assert (
        lines[0].startswith("focus block of 25 min from ") and "note: Softmax by hand" in lines[0]
    )
    filler.unlink()
    assert app.timer_control.left_unsaved() == []  # room again: written, nothing to list
    assert store.study_blocks()[-1]["note"] == "Softmax by hand"
    store.close()
