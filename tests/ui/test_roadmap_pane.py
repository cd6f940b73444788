"""The Roadmap pane: filter, notes in the app and in $EDITOR, pace beside estimates."""

import os
import stat
from pathlib import Path

from textual.widgets import TextArea

from companion.store.notes import note_path
from companion.ui.dialogs.note_editor import NoteEditor
from companion.ui.panes.roadmap import RoadmapPane, RoadmapTree

from .helpers import screen_text

SIZE = (140, 50)


def cursor_item(app) -> str:
    return app.screen.query_one(RoadmapTree).cursor_node.data.key


async def test_h_hides_done_and_skipped_items_and_shows_them_again(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = cursor_item(app)
        await pilot.press("x", "down", "s")
        second_text = "If practical skills are the goal"
        await pilot.press("h")
        text = screen_text(app)
        assert "Write down in two sentences" not in text and second_text not in text
        assert "h show all" in text and "3% (2/72)" in text
        await pilot.press("h")
        assert "Write down in two sentences" in screen_text(app)
        assert app.store.item_states()[first] == "done"


async def test_n_writes_notes_that_the_reader_shows(make_app, data_dir: Path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        item_id = cursor_item(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).text = "My goal: read papers on **transformers**."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (
            note_path(data_dir, item_id).read_text()
            == "My goal: read papers on **transformers**.\n"
        )
        assert "✎" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Your notes" in text and "My goal: read papers on transformers." in text


async def test_capital_e_opens_the_notes_in_the_editor(
    make_app, data_dir: Path, tmp_path: Path, monkeypatch
):
    editor = tmp_path / "fake-editor"
    editor.write_text('#!/bin/sh\nprintf "Edited outside.\\n" >> "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        item_id = cursor_item(app)
        await pilot.press("E")
        await pilot.pause()
        text = note_path(data_dir, item_id).read_text()
        assert text.startswith("# Write down in two sentences") and "Edited outside." in text
    assert os.environ["EDITOR"] == str(editor)


async def test_phases_show_time_logged_beside_the_estimate_and_roadmaps_a_forecast(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.screen.query_one(RoadmapPane)
        top_down = next(r for r in app.library.roadmaps if r.id == "top-down")
        item = top_down.phases[0].items[0]
        await pilot.pause()  # the pane first restores the last position
        pane.select_item(item.id)
        await pilot.pause()
        assert app.selected_item_id == item.id, (app.selected_item_id, app.timer.state.item_id)
        await pilot.press("p")
        assert app.timer.state.item_id == item.id
        clock.advance(minutes=25)
        app.tick()
        await pilot.press("escape")  # no note
        pane.refresh_labels()
        await pilot.pause()
        phase_line = str(pane.phase_nodes[top_down.phases[0].id].label)
        assert phase_line.startswith("Getting started  [2 months]  0.4 h logged")
        roadmap_line = str(pane.roadmap_nodes["top-down"].label)
        # 25 minutes in four weeks against ~620 hours: over a century, said as such.
        assert "more than 10 years at this pace" in roadmap_line
        ended = clock().timestamp()
        for day in range(20):  # three hours a day for 20 days: a finish date within a year
            start = ended - (day + 1) * 86400
            app.store.log_block(
                {"phase": "focus", "item_id": item.id, "started_at": start,
                 "ended_at": start + 10800, "planned_minutes": 180.0, "minutes": 180.0,
                 "outcome": "completed"}
            )  # fmt: skip
        pane.refresh_labels()
        roadmap_line = str(pane.roadmap_nodes["top-down"].label)
        assert "done by" in roadmap_line and "at your pace" in roadmap_line


async def test_brackets_jump_between_roadmaps(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")
        tree = app.screen.query_one(RoadmapTree)
        assert tree.cursor_node.data.key == "top-down"
        await pilot.press("right_square_bracket")
        assert tree.cursor_node.data.key == "study-method"
        await pilot.press("left_square_bracket")
        assert tree.cursor_node.data.key == "top-down"


async def test_a_roadmap_built_behind_another_pane_opens_scrolled_to_its_top(make_app):
    app = make_app(pane="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        text = screen_text(app)
        assert "▼ How to study deep learning" in text
        assert "├─ ▼ Decide what you want from it" in text
        tree = app.screen.query_one(RoadmapTree)
        assert tree.cursor_node.data.kind == "item"  # still on the first unfinished item


async def test_left_and_right_fold_and_unfold_and_h_keeps_the_cursor(make_app, data_dir):
    (data_dir / "roadmaps" / "plan.md").write_text(
        "# Plan\n\n## Part one\n\n- Alpha\n  - Alpha detail\n- Beta\n- Gamma\n\n"
        "## Part two\n\n- Delta\n"
    )
    app = make_app(bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(RoadmapPane)
        tree = pane.query_one("#roadmap-tree")
        items = {i.text: i for i in app.library.roadmaps[0].items}
        pane.select_item(items["Alpha"].id)
        await pilot.pause()
        alpha = pane.item_nodes[items["Alpha"].id]
        await pilot.press("left")  # fold Alpha
        assert not alpha.is_expanded and tree.cursor_node is alpha
        await pilot.press("left")  # then up to its phase
        assert tree.cursor_node is pane.phase_nodes[items["Alpha"].phase_id]
        await pilot.press("right")  # into the phase's first item
        assert tree.cursor_node is alpha
        await pilot.press("right")  # unfold it
        assert alpha.is_expanded
        await pilot.press("right")  # and into its child
        assert tree.cursor_node is pane.item_nodes[items["Alpha detail"].id]
        # h with the cursor on an item that stays shown keeps it there ...
        pane.select_item(items["Gamma"].id)
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert tree.cursor_node is pane.item_nodes[items["Gamma"].id]
        await pilot.press("h")
        await pilot.pause()
        # ... and on an item it hides, moves to the next one still shown, not to the top.
        pane.select_item(items["Beta"].id)
        await pilot.pause()
        await pilot.press("x", "h")
        await pilot.pause()
        assert items["Beta"].id not in pane.item_nodes
        assert tree.cursor_node is pane.item_nodes[items["Gamma"].id]


async def test_a_long_item_never_hides_its_estimate_or_its_note_mark(make_app, data_dir):
    long_text = "Read " + "and reread the chapter on gradient descent " * 6
    (data_dir / "roadmaps" / "plan.md").write_text(
        f"# Plan\n\n## Part\n\n- {long_text} [3 weeks]\n"
    )
    app = make_app(bundled=False)
    item = app.library.roadmaps[0].items[0]
    from companion.store.notes import write_note

    write_note(data_dir, item.id, "mine")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        line = next(row for row in screen_text(app).splitlines() if "Read and reread" in row)
        assert "✎ [3 weeks] Read and reread" in line  # on screen, whatever the width


async def test_a_note_changed_in_its_file_while_edited_in_the_app_keeps_both_versions(
    make_app, data_dir: Path
):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        item_id = cursor_item(app)
        note_path(data_dir, item_id).parent.mkdir(parents=True, exist_ok=True)
        note_path(data_dir, item_id).write_text("First thoughts.\n")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "First thoughts, rewritten in the app."
        # Meanwhile the learner adds a line in their own editor.
        note_path(data_dir, item_id).write_text("First thoughts.\nA line from vim.\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = note_path(data_dir, item_id).read_text()
        assert saved.startswith("First thoughts, rewritten in the app.\n")
        assert saved.endswith("First thoughts.\nA line from vim.\n")
        notices = " ".join(n.message for n in app._notifications)
        assert "both versions are kept" in notices


async def test_the_tree_never_scrolls_sideways_so_its_first_column_stays(make_app):
    """#15.20: long items are cut at the edge; folding, keys and a sideways scroll leave the
    tree's first column (folds, progress marks) on screen."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(RoadmapTree)
        await pilot.press("end", "left", "home", "down", "left")  # fold the first phase
        tree.scroll_to(x=40, animate=False)  # as the mouse's sideways wheel asks
        await pilot.pause()
        assert not tree.show_horizontal_scrollbar and tree.scroll_x == 0
        rows = screen_text(app).splitlines()[4 : 4 + tree.size.height]
        odd = [row for row in rows if row[:2] not in (" │", " ├", " └", " ▼", " ▶", "  ", "")]
        assert rows and not odd, odd
        assert any(row[:5] in (" ├─ ▶", " └─ ▶") for row in rows), rows  # a folded phase
