"""Every pane at 40 columns, as on a phone in the browser: the roadmap's lines are cut to the
width, the review card and its grades wrap, nothing of the card or its buttons is cut off."""

from .helpers import screen_text

NARROW = (40, 30)


async def test_every_pane_is_readable_at_40_columns(make_app):
    app = make_app(pane="roadmap")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        roadmap = screen_text(app)
        assert "How to study deep learning" in roadmap
        assert all(len(line) <= 40 for line in roadmap.splitlines())
        await pilot.press("c")
        await pilot.pause()
        review = app.screen.query_one("#review-pane")
        front = app.library.cards[review.session.current].front
        await pilot.press("space")
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert " ".join(front.split()) in shown  # the question, wrapped, whole
        for words in ("New", "Learning", "Review", "Again", "Hard", "Good", "Easy"):
            assert words in shown, words
        for key, words in (("d", "Next on your roadmaps"), ("t", "Credited to"),
                           ("v", "Your notes")):  # fmt: skip
            await pilot.press(key)
            await pilot.pause()
            assert words in screen_text(app), key
