"""The Timer pane through the pilot: keys, the note after a block, the study log."""

from textual.widgets import Input

from companion.ui.dialogs.block_note import BlockNote
from companion.ui.dialogs.confirm import Confirm

from .helpers import screen_text

SIZE = (120, 60)
DAYS = {"Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "}


async def test_a_focus_block_ends_with_a_note_and_shows_in_the_log(make_app, clock):
    app = make_app(pane="timer")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("p")
        clock.advance(minutes=12)
        await pilot.press("i", "I", "I")
        app.tick()
        assert "interruptions 1 internal, 2 external" in screen_text(app)
        clock.advance(minutes=13)
        app.tick()
        await pilot.pause()
        assert isinstance(app.screen, BlockNote)
        app.screen.query_one(Input).value = "Read the Nielsen essay"
        await pilot.press("enter")
        await pilot.pause()
        block = app.store.study_blocks()[-1]
        assert (block["outcome"], block["minutes"], block["note"]) == (
            "completed",
            25,
            "Read the Nielsen essay",
        )
        assert (block["interruptions_internal"], block["interruptions_external"]) == (1, 2)
        text = screen_text(app)
        assert "Short break" in text and "c opens your review cards" in text
        assert "Read the Nielsen essay" in text
        assert "Minutes per day, last 12 weeks" in text and "Weeks against target" in text
        assert "25 minutes on 1 day" in text


async def test_skip_extend_and_reset_with_confirmation(make_app, clock):
    app = make_app(pane="timer")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        clock.advance(minutes=5)
        await pilot.press("plus")
        assert round(app.timer.remaining()) == 25 * 60
        await pilot.press("r")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert app.timer.state.status.value == "running"
        await pilot.press("r", "y")
        assert app.timer.state.status.value == "idle" and app.timer.remaining() == 25 * 60
        await pilot.press("p")
        clock.advance(minutes=8)
        await pilot.press("s")
        blocks = app.store.study_blocks()
        assert [(b["outcome"], b["minutes"]) for b in blocks] == [("skipped", 8)]
        assert app.timer.state.phase.value == "short_break"


async def test_credit_can_move_to_another_item_and_the_timer_runs_across_panes(make_app, clock):
    app = make_app(pane="timer")
    async with app.run_test(size=SIZE) as pilot:
        first = app.selected_item_id
        await pilot.press("p", "m", "down")
        await pilot.pause()
        second = app.selected_item_id
        assert second != first and app.timer.state.item_id == first
        clock.advance(minutes=3)
        app.tick()
        assert "▶ Focus 22:00" in screen_text(app)  # the status line, from the Roadmap pane
        await pilot.press("t", "l")
        assert app.timer.state.item_id == second


async def test_open_review_on_break_option(make_app, clock):
    app = make_app(pane="timer", open_review_on_break=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        clock.advance(minutes=25)
        app.tick()
        await pilot.press("escape")  # no note
        assert app.main.current_pane == "review"


async def test_the_next_block_counts_for_the_item_selected_now(make_app, clock):
    """#15.7: an item chosen while a block ran is the one the next block credits, whether
    the learner starts it with p or it starts by itself after the break."""
    app = make_app(pane="timer", auto_start_focus=True)
    async with app.run_test(size=SIZE) as pilot:
        first = app.selected_item_id
        await pilot.press("p", "m", "down")
        await pilot.pause()
        second = app.selected_item_id
        assert second != first and app.timer.state.item_id == first
        clock.advance(minutes=25)
        app.tick()
        await pilot.pause()
        await pilot.press("escape")  # no note for this block
        assert app.store.study_blocks()[-1]["item_id"] == first
        await pilot.press("p")  # the break, then focus starts by itself
        clock.advance(minutes=5, seconds=1)
        app.tick()
        assert app.timer.state.phase.value == "focus" and app.timer.state.status.value == "running"
        assert app.timer.state.item_id == second
        await pilot.press("down")  # chosen while focus runs: no change until the next block
        await pilot.pause()
        assert app.timer.state.item_id == second
        clock.advance(minutes=25)
        app.tick()
        await pilot.pause()
        await pilot.press("escape")
        assert app.timer.state.status.value == "idle"
        await pilot.press("p")
        assert app.timer.state.item_id == app.selected_item_id != second


async def test_one_minute_is_singular_and_recent_blocks_align_as_a_table(make_app, clock):
    app = make_app(pane="timer", focus_minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        for note in ["first", "second"]:
            await pilot.press("p")
            clock.advance(minutes=1)
            app.tick()
            await pilot.pause()
            assert "Focus block done: 1 minute. Well done." in screen_text(app)
            app.screen.query_one(Input).value = note
            await pilot.press("enter", "s")  # note saved; skip the break
            await pilot.pause()
        await pilot.press("p")
        clock.advance(seconds=30)
        await pilot.press("s")  # a skipped block of half a minute
        app.tick()
        await pilot.pause()
        lines = [line for line in screen_text(app).splitlines() if line.strip()[:4] in DAYS]
        assert len(lines) == 3, lines
        items = {line.index(app.item_title(app.selected_item_id)[:20]) for line in lines}
        assert len(items) == 1  # every item title starts in the same column


async def test_the_study_history_credits_corrects_notes_deletes_and_undoes(make_app, clock):
    """#15.17: every focus block listed with its day, time, length, item, note and
    interruptions; each change found by the block's content, and undone with u."""
    from textual.widgets import DataTable

    from companion.ui.dialogs.confirm import Confirm
    from companion.ui.dialogs.study_history import StudyHistory

    app = make_app(pane="timer")
    async with app.run_test(size=SIZE) as pilot:
        first = app.selected_item_id
        for _ in range(2):
            await pilot.press("p")
            clock.advance(minutes=10)
            await pilot.press("i", "I", "I")
            clock.advance(minutes=15)
            app.tick()
            await pilot.pause()
            await pilot.press("escape", "s")
            await pilot.pause()
        assert "Interruptions this week: 2 internal, 4 external in 2 focus blocks" in screen_text(
            app
        )
        await pilot.press("m", "down", "down")  # another item selected in the Roadmap
        await pilot.pause()
        second = app.selected_item_id
        assert second != first
        await pilot.press("t", "h")
        await pilot.pause()
        assert isinstance(app.screen, StudyHistory)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[2:5] == ["25 min", "completed", "1 / 2"]
        newest = app.store.study_blocks()[-1]
        await pilot.press("c")  # the newest block now counts for the selected item
        assert app.store.study_blocks()[-1]["item_id"] == second
        await pilot.press("e", "ctrl+u", *"20", "enter")
        assert app.store.study_blocks()[-1]["minutes"] == 20
        await pilot.press("n", *"reread the notes", "enter")
        assert app.store.study_blocks()[-1]["note"] == "reread the notes"
        await pilot.pause()
        assert "reread the notes" in screen_text(app)  # on screen, not scrolled off the right
        await pilot.press("e", "ctrl+u", *"-3", "enter")  # refused, one line
        assert app.store.study_blocks()[-1]["minutes"] == 20
        await pilot.press("u", "u", "u")  # note, length, credit taken back in turn
        restored = app.store.study_blocks()[-1]
        assert restored.pop("at") > newest.pop("at")  # the time of its last event: the undo
        assert restored == newest
        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert len(app.store.study_blocks()) == 1  # the other block (unstarted breaks: no log)
        await pilot.press("u")
        assert app.store.study_blocks()[-1]["started_at"] == newest["started_at"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StudyHistory)


async def test_time_away_during_focus_is_offered_for_correction_on_return(make_app, clock):
    """#15.18: away longer than idle_minutes during a block, the learner is asked on return;
    y leaves the time out of the block under way and of a block that ended meanwhile."""
    from companion.ui.dialogs.confirm import Confirm

    app = make_app(pane="timer", idle_minutes=10)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        clock.advance(minutes=5)
        await pilot.press("i")  # at the keyboard: not away
        clock.advance(minutes=12)
        app.tick()
        await pilot.press("t")  # back after 12 minutes
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        said = " ".join(screen_text(app).split())
        assert "away from 09:35 for 12 minutes, 12 minutes of it during" in said
        await pilot.press("y")
        assert round(app.timer.elapsed() / 60) == 5  # 17 minutes run, 12 of them away
        await pilot.press("p")  # paused; n keeps the time, as it may have been study
        await pilot.press("p")
        clock.advance(minutes=15)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert round(app.timer.elapsed() / 60) == 20
        clock.advance(minutes=30)  # the block ends while the learner is away
        app.tick()
        await pilot.pause()
        assert app.store.study_blocks()[-1]["minutes"] == 25
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        block = app.store.study_blocks()[-1]
        assert block["minutes"] == 20  # the 5 minutes of it that fell in the absence left out


async def test_no_question_when_away_outside_focus_or_with_idle_off(make_app, clock):
    from companion.ui.dialogs.confirm import Confirm

    app = make_app(pane="timer", idle_minutes=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        clock.advance(minutes=20)
        await pilot.press("t")
        assert not isinstance(app.screen, Confirm)
    on_break = make_app(pane="timer", idle_minutes=10)
    async with on_break.run_test(size=SIZE) as pilot:
        await pilot.press("s", "p")  # the focus block skipped at once: a break runs
        assert on_break.timer.state.phase.value == "short_break"
        clock.advance(minutes=20)  # away for the whole break: time off, nothing to ask
        await pilot.press("t")
        assert not isinstance(on_break.screen, Confirm)


async def test_a_note_goes_to_the_block_it_was_asked_for_even_after_another_ended(make_app, clock):
    app = make_app(pane="timer", auto_start_breaks=True, auto_start_focus=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        clock.advance(minutes=25)
        app.tick()
        await pilot.pause()
        assert isinstance(app.screen, BlockNote)
        asked_for = app.store.study_blocks()[-1]
        # The question stays open: the break and a whole second focus block end meanwhile.
        clock.advance(minutes=31)
        app.tick()
        await pilot.pause()
        focus = [b for b in app.store.study_blocks() if b["phase"] == "focus"]
        assert len(focus) == 2
        app.screen.query_one(Input).value = "Worked through chapter 2"
        await pilot.press("enter")
        await pilot.pause()
        notes = {b["started_at"]: b["note"] for b in app.store.study_blocks()}
        assert notes[asked_for["started_at"]] == "Worked through chapter 2"
        assert notes[focus[1]["started_at"]] == ""  # not the latest block's


async def test_a_note_for_a_block_deleted_meanwhile_is_shown_not_dropped(make_app, clock):
    app = make_app(pane="timer")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("p")
        clock.advance(minutes=25)
        app.tick()
        await pilot.pause()
        app.store.delete_block(app.store.study_blocks()[-1])
        app.screen.query_one(Input).value = "Notes on attention heads"
        await pilot.press("enter")
        await pilot.pause()
        assert app.store.study_blocks() == []
        assert "Notes on attention heads" in screen_text(app)
        assert "its block was deleted" in screen_text(app)
