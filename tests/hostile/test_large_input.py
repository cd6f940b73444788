"""Inputs too large or too deep to show whole: a 10 MB single-line card, a 20,000-row table and a
1,000-level nested list are shown in part or flattened, with a word, never frozen or dropped."""

import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import Static
from textual.widgets._markdown import MarkdownBlock, MarkdownTableCellContents

from companion.content.loader import load_roadmap
from companion.store.notes import write_note
from companion.ui.panes.reader import ReaderPane

from ..ui.helpers import screen_text
from .test_network import toasts

HUGE_LINE = "gradient " * (10 * 1024 * 1024 // 9)  # 10 MB on one line
TABLE = "| Paper | Weeks | Notes |\n|---|---|---|\n" + "\n".join(
    f"| [Paper {i}](https://example.org/p/{i}) | {i % 7 + 1} | read twice, then **summarise** |"
    for i in range(20_000)
)
NESTED = "".join("  " * depth + f"- step {depth}\n" for depth in range(1000)) + "- last step\n"


async def shown_soon(pilot, condition, seconds: float = 5.0) -> bool:
    """Whether `condition` holds within `seconds`: a long page is laid out in batches."""
    for _ in range(int(seconds / 0.1)):
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


async def test_a_10_mb_card_is_revealed_in_part_with_a_word_and_is_not_edited_in_app(
    make_app, data_dir: Path
):
    (data_dir / "decks" / "huge.md").write_text(f"Q: What follows?\nA: {HUGE_LINE}\n")
    app = make_app(pane="review", bundled=False)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("space")
        await pilot.pause()
        revealed = time.perf_counter() - started
        back = app.screen.query_one("#review-back", Static)
        assert len(str(back.render())) < 11_000  # what is laid out is bounded
        text = toasts(app)
        assert "gradient gradient" in text
        assert "Shown in part: this side is 10.5 MB; shorten it in its deck." in text
        await pilot.press("e")
        await pilot.pause()
        assert "too large to edit here" in toasts(app)
        assert app.is_running
    print(f"10 MB card revealed in {revealed * 1000:.0f} ms")


async def test_a_20000_row_table_in_the_reader_is_one_block_with_every_row(
    make_app, data_dir: Path
):
    (data_dir / "roadmaps" / "plan.md").write_text("# Plan\n\n## Papers\n\n- Read the papers\n")
    app = make_app(bundled=False)
    item = app.library.roadmaps[0].items[0]
    write_note(data_dir, item.id, "My reading list:\n\n" + TABLE + "\n")
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        opened = time.perf_counter() - started
        reader = app.screen.query_one(ReaderPane)
        assert not list(reader.query(MarkdownTableCellContents))  # no widget per cell
        # A page this long is drawn a part at a time: every row is in what it draws.
        assert reader.long_page
        page = reader.page_view
        assert page.search("Paper 0 ") == 1 and page.search("Paper 19999 ") == 1
        notice = "1 table of more than 200 rows is shown as plain text."
        assert await shown_soon(pilot, lambda: notice in screen_text(app))
    print(f"20,000-row table opened in the Reader in {opened:.1f} s")


async def test_a_small_table_stays_a_table(make_app, data_dir: Path):
    (data_dir / "roadmaps" / "plan.md").write_text("# Plan\n\n## Papers\n\n- Read the papers\n")
    app = make_app(bundled=False)
    write_note(data_dir, app.library.roadmaps[0].items[0].id, "| a | b |\n|---|---|\n| 1 | 2 |\n")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.screen.query_one(ReaderPane).query(MarkdownTableCellContents)) == 4


def test_a_1000_level_nested_roadmap_keeps_every_item_and_says_so(tmp_path: Path):
    path = tmp_path / "deep.md"
    path.write_text("# Deep\n\n## Steps\n\n" + NESTED + "\n## After\n\n- Review it all\n")
    roadmap = load_roadmap(path)
    texts = [item.text for item in roadmap.items]
    assert len(texts) == 1002 and texts[:3] == ["step 0", "step 1", "step 2"]
    assert texts[-3:] == ["step 999", "last step", "Review it all"]
    assert roadmap.problems == [
        f"{path}: 984 list items nested deeper than 16 levels are shown at level 16"
    ]
    data_dir = tmp_path / "data"
    (data_dir / "roadmaps").mkdir(parents=True)
    (data_dir / "roadmaps" / "deep.md").write_text(path.read_text())
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "stats"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert "984 list items nested deeper than 16 levels" in result.stderr
    assert "Deep: 0% (0/1002)" in result.stdout


async def test_a_1000_level_nested_note_shows_every_step_in_the_reader(make_app, data_dir: Path):
    (data_dir / "roadmaps" / "plan.md").write_text("# Plan\n\n## Steps\n\n- Follow the steps\n")
    app = make_app(bundled=False)
    write_note(data_dir, app.library.roadmaps[0].items[0].id, NESTED)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.screen.query_one(ReaderPane)
        sources = "\n".join(block.source or "" for block in reader.query(MarkdownBlock))
        assert all(f"step {depth}\n" in sources for depth in (0, 8, 9, 500, 999))
        assert "last step" in sources
        notice = "992 list items nested deeper than 8 levels are shown at level 8."
        assert await shown_soon(pilot, lambda: notice in screen_text(app))
