"""Link health in the app: a background check (L) badges items and the Reader shows verdicts."""

from pathlib import Path

from companion.ui.panes.roadmap import RoadmapPane

from .helpers import screen_text


async def test_checking_links_in_the_background_marks_items_and_the_reader(
    make_app, data_dir: Path, server
):
    (data_dir / "roadmaps" / "local.md").write_text(
        f"# Local plan\n\n## Reading\n\n- Read [the good page]({server.base}/ok)\n"
        f"- Read [a dead page]({server.base}/missing)\n"
        f"- Read [a walled page]({server.base}/forbidden)\n"
    )
    app = make_app(bundled=False)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("L")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Links: 1 ok, 1 broken, 1 blocked (1 newly broken)" in text
        assert "○ ✗ Read a dead page  ↗1" in text
        assert "○ ⊘ Read a walled page  ↗1" in text
        assert "○ Read the good page  ↗1" in text
        pane = app.screen.query_one(RoadmapPane)
        dead = app.library.roadmaps[0].items[1]
        pane.select_item(dead.id)
        await pilot.press("enter")
        await pilot.pause()
        assert "✗ broken (HTTP 404)" in screen_text(app)
    assert (data_dir / "link-cache.json").exists()


async def test_stale_links_are_checked_on_start_without_a_key(make_app, data_dir: Path, server):
    (data_dir / "roadmaps" / "local.md").write_text(
        f"# Local plan\n\n## Reading\n\n- Read [the page]({server.base}/ok)\n"
    )
    app = make_app(bundled=False, check_links_on_start=True)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause(2.5)  # the check starts after the first paint
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Links: 1 ok" in screen_text(app)
    assert server.hits["/ok"] == 1
    again = make_app(bundled=False, check_links_on_start=True)
    async with again.run_test(size=(120, 36)) as pilot:
        await pilot.pause(2.5)
        await again.workers.wait_for_complete()
    assert server.hits["/ok"] == 1  # fresh for a day: not checked again
