"""One snapshot per pane on the bundled content with a fixed clock."""

SIZE = (120, 36)


class TestPaneSnapshots:
    def test_roadmap(self, snap_compare, make_app):
        assert snap_compare(make_app(), press=["down", "x", "down", "w"], terminal_size=SIZE)

    def test_reader(self, snap_compare, make_app):
        assert snap_compare(make_app(), press=["down", "enter"], terminal_size=SIZE)

    def test_today(self, snap_compare, make_app):
        async def run_before(pilot) -> None:
            await pilot.pause()  # the plan is worked out after the first frame
            await pilot.pause()

        assert snap_compare(make_app(pane="today"), run_before=run_before, terminal_size=SIZE)

    def test_review(self, snap_compare, make_app):
        assert snap_compare(make_app(pane="review"), press=["space"], terminal_size=SIZE)

    def test_timer(self, snap_compare, make_app, clock):
        async def run_before(pilot) -> None:
            await pilot.press("p")
            clock.advance(minutes=7, seconds=30)
            pilot.app.tick()

        assert snap_compare(make_app(pane="timer"), run_before=run_before, terminal_size=SIZE)

    def test_review_card_with_an_image_in_half_blocks(self, snap_compare, make_app, data_dir):
        from .test_review_edits import _image_deck

        _image_deck(data_dir)
        app = make_app(pane="review", bundled=False)
        assert snap_compare(app, terminal_size=SIZE)
