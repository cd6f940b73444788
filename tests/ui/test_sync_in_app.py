"""The running app takes in what another machine logged in the synced folder (answers, an
item ticked), within two seconds, and says so in one line naming that machine."""

import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from companion.config import Settings
from companion.content.loader import load_library
from companion.paths import content_dirs, ensure_data_dir
from companion.services.sync_setup import join
from companion.srs.prior_state import was
from companion.store import open_store
from companion.store.device_identity import MACHINE_ID_ENV
from companion.ui.app import CompanionApp
from companion.ui.panes.review import ReviewPane

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)


def listening_app(store, library, settings, pane: str):  # noqa: ANN001, ANN201
    """The app on `pane` at NOW, and the list of what it tells the learner."""
    app = CompanionApp(store=store, library=library, settings=settings, pane=pane,
                       clock=lambda: NOW)  # fmt: skip
    told: list[str] = []
    app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
    return app, told


DECK = "".join(f"Question {n}? :: Answer {n}.\n" for n in range(6))


async def test_answers_from_another_machine_reach_the_running_app(tmp_path: Path, monkeypatch):
    folder = tmp_path / "Sync"
    laptop, desktop = ensure_data_dir(tmp_path / "laptop"), ensure_data_dir(tmp_path / "desktop")
    (laptop / "decks" / "words.md").write_text(DECK)
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    join(laptop, folder, "laptop")
    monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
    join(desktop, folder, "desktop")  # the deck came with the folder

    settings = replace(Settings(), enable_fuzzing=False, check_links_on_start=False, idle_minutes=0)
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    store = open_store(laptop, settings=settings)  # the files in the folder, the state here
    assert store.data_dir == folder.resolve() and store.device_logs is not None
    library = load_library(content_dirs(folder))
    words = library.cards.ids_in(str(folder.resolve() / "decks" / "words.md"))
    assert len(words) == 6
    app, told = listening_app(store, library, settings, "review")
    async with app.run_test() as pilot:
        await pilot.pause()
        review = app.screen.query_one(ReviewPane)
        assert review.session.queue.counts(NOW).new == 6  # six new cards
        shown = review.session.current
        assert shown in words

        monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
        other = open_store(desktop, settings=settings)  # desktop studies meanwhile
        for card_id in [shown, *[w for w in words if w != shown][:2]]:
            before = other.ledger.record(card_id)
            other.commit({"kind": "review", "card": card_id, "grade": 3, "ms": 2000,
                          "due": datetime(2026, 3, 5, tzinfo=UTC).isoformat(),
                          "first": True, "was": was(before)})  # fmt: skip
        item = library.roadmaps[0].items[0]
        other.set_item_state(library.roadmaps[0].id, item.id, "done", NOW, item.text)
        other.close()

        started = time.monotonic()
        while not told and time.monotonic() - started < 2.0:
            await pilot.pause(0.05)
        assert told == ["3 answers and 1 tick from desktop."]
        assert store.item_states()[item.id] == "done"
        assert store.ledger.undo_stack == []  # u here never takes back desktop's answers
        assert time.monotonic() - started <= 2.0
        assert sum(not store.ledger.record(card_id).is_new for card_id in words) == 3
        assert review.session.queue.counts(NOW).new == 3  # the three answered there are not new
        assert review.session.current not in (None, shown)  # answered there: not asked again
    store.close()


LECTURES = "# Zero to hero\n\n## Lectures\n\n" + "".join(
    f"- [YouTube video lecture](https://youtube.example/{n})\n" for n in range(1, 6)
)


async def test_a_roadmap_updated_on_another_machine_is_not_undone_by_the_running_app(
    tmp_path: Path, monkeypatch
):
    from companion.services.progress_sync import record_state, sync_progress
    from companion.services.roadmap_versions import log_version
    from companion.services.sync import pull_others
    from companion.store.notes import read_note, write_note

    folder = tmp_path / "Sync"
    laptop, desktop = ensure_data_dir(tmp_path / "laptop"), ensure_data_dir(tmp_path / "desktop")
    (laptop / "roadmaps").mkdir(exist_ok=True)
    plan = laptop / "roadmaps" / "plan.md"
    plan.write_text(LECTURES)
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    join(laptop, folder, "laptop")
    monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
    join(desktop, folder, "desktop")
    plan = folder / "roadmaps" / "plan.md"

    settings = replace(Settings(), check_links_on_start=False, idle_minutes=0)
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    store = open_store(laptop, settings=settings)
    library = load_library(content_dirs(folder))
    roadmap = next(r for r in library.roadmaps if r.id == "plan")
    second = roadmap.items[1]
    record_state(store, roadmap, second, "doing", NOW)
    write_note(folder, second.id, "lecture 2: backprop by hand")
    app = CompanionApp(store=store, library=library, settings=settings, pane="roadmap",
                       clock=lambda: NOW)  # fmt: skip
    told: list[str] = []
    app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        await pilot.pause()
        monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
        other = open_store(desktop, settings=settings)  # desktop: `roadmap update`, a tick
        pull_others(other)  # the laptop's tick
        plan.write_text(
            LECTURES.replace("## Lectures\n\n", "## Lectures\n\n- [Intro](https://x.example/0)\n")
        )
        updated = next(r for r in load_library(content_dirs(folder)).roadmaps if r.id == "plan")
        log_version(other, "updated", updated, plan)
        sync_progress(load_library(content_dirs(folder)), other)
        third = updated.items[3]
        record_state(other, updated, third, "done", NOW)
        other.close()
        moved_to = updated.items[2].id
        assert read_note(folder, moved_to) == "lecture 2: backprop by hand\n"

        started = time.monotonic()
        while len(told) < 2 and time.monotonic() - started < 2.0:
            await pilot.pause(0.05)
        assert any("restart companion to see it" in line for line in told), told
        assert "1 roadmap change and 1 tick from desktop." in told
        # the tree on screen is the old file's: nothing was moved back by it
        assert read_note(folder, moved_to) == "lecture 2: backprop by hand\n"
    store.close()
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    store = open_store(laptop, settings=settings)  # the next start: the new file
    sync_progress(load_library(content_dirs(folder)), store)
    states = store.item_states()
    assert (states.get(moved_to), states.get(third.id)) == ("doing", "done")
    assert read_note(folder, moved_to) == "lecture 2: backprop by hand\n"
    store.close()


async def test_a_folder_watcher_brings_another_machine_s_answers_at_once_and_polling_after_it(
    tmp_path: Path, monkeypatch
):
    folder = tmp_path / "Sync"
    laptop, desktop = ensure_data_dir(tmp_path / "laptop"), ensure_data_dir(tmp_path / "desktop")
    (laptop / "decks" / "words.md").write_text(DECK)
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    join(laptop, folder, "laptop")
    monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
    join(desktop, folder, "desktop")
    settings = replace(Settings(), enable_fuzzing=False, check_links_on_start=False, idle_minutes=0)
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    store = open_store(laptop, settings=settings)
    library = load_library(content_dirs(folder))
    words = library.cards.ids_in(str(folder.resolve() / "decks" / "words.md"))
    app, told = listening_app(store, library, settings, "review")

    def desktop_answers(cards: list[str]) -> None:
        monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
        other = open_store(desktop, settings=settings)
        for card_id in cards:
            other.commit({"kind": "review", "card": card_id, "grade": 3, "ms": 2000,
                          "due": datetime(2026, 3, 5, tzinfo=UTC).isoformat(),
                          "first": True, "was": was(other.ledger.record(card_id))})  # fmt: skip
        other.close()

    async def told_within(seconds: float) -> float:
        started = time.monotonic()
        while not told and time.monotonic() - started < seconds:
            await pilot.pause(0.02)
        return time.monotonic() - started

    async with app.run_test() as pilot:
        await pilot.pause(1.5)  # the app's first ticks have looked already
        assert app.folder_watch is not None and app.folder_watch.running
        desktop_answers(words[:2])
        waited = await told_within(3.0)
        # the tick looks only every 10 s while a watcher runs: this came from the watcher
        assert told == ["2 answers from desktop."] and waited < 1.0, waited
        app.folder_watch.stop()  # a watcher that ends (a share that stops sending events)
        while app.folder_watch.running:
            await pilot.pause(0.05)
        told.clear()
        desktop_answers(words[2:3])
        assert await told_within(3.0) <= 2.0 and told == ["1 answer from desktop."]  # polled
    store.close()


async def test_a_setting_changed_on_another_machine_reaches_the_running_app(
    tmp_path: Path, monkeypatch
):
    import os
    import tomllib

    from companion.services.sync import pull_others

    folder = tmp_path / "Sync"
    laptop, desktop = ensure_data_dir(tmp_path / "laptop"), ensure_data_dir(tmp_path / "desktop")
    (laptop / "config.toml").write_text("# mine\nweekly_target_hours = 6\n")
    for name, data in (("laptop", laptop), ("desktop", desktop)):
        monkeypatch.setenv(MACHINE_ID_ENV, name)
        join(data, folder, name)
    settings = replace(Settings(), check_links_on_start=False, idle_minutes=0)
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    store = open_store(laptop, settings=settings)
    library = load_library(content_dirs(folder))
    app, told = listening_app(store, library, settings, "timer")
    async with app.run_test() as pilot:
        await pilot.pause()
        mine = desktop / "config.toml"  # the laptop's settings came with the join: one added
        mine.write_text(mine.read_text() + "desired_retention = 0.8\n")
        monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
        other = open_store(desktop, settings=settings)
        pull_others(other)  # the desktop's app looks at its folder: the change is sent
        other.close()
        started = time.monotonic()
        while not told and time.monotonic() - started < 2.0:
            await pilot.pause(0.05)
        assert told == [
            "1 setting from desktop; settings now: desired_retention (in full from the next start)."
        ]
        assert time.monotonic() - started <= 2.0
        assert tomllib.loads((laptop / "config.toml").read_text()) == {
            "weekly_target_hours": 6,
            "desired_retention": 0.8,
        }
        assert (laptop / "config.toml").read_text().startswith("# mine\n")
        assert store.settings.desired_retention == 0.8  # answers are scheduled with it now

        # and one the learner makes here, with the app open, goes the other way
        path = laptop / "config.toml"
        path.write_text(path.read_text().replace("= 6", "= 9"))
        os.utime(path, (time.time() + 1,) * 2)
        started = time.monotonic()
        while time.monotonic() - started < 2.0:
            await pilot.pause(0.1)
            if any(r["key"] == "weekly_target_hours" and r["value"] == 9
                   for r in store.setting_values()):  # fmt: skip
                break
        assert time.monotonic() - started <= 2.0
    store.close()
    monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
    other = open_store(desktop, settings=settings)
    pull_others(other)
    other.close()
    assert tomllib.loads((desktop / "config.toml").read_text())["weekly_target_hours"] == 9
