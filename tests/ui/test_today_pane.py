"""The Today pane as a learner meets it: the app opens on it once they have studied, `r`
goes to the reviews, `f` starts a focus block on the next item; and on the Roadmap, the
memory of each item's cards, with `F` to see only those fading."""

from datetime import timedelta
from pathlib import Path

from textual.widgets import TabbedContent

from companion.srs.scheduling import Grade
from companion.ui.panes.roadmap import RoadmapTree

from ..services.test_today import answer_all, learner
from .helpers import screen_text

SIZE = (120, 36)


async def test_a_learner_who_has_studied_opens_on_today_and_starts_from_it(
    make_app, data_dir: Path, clock
):
    roadmap, items = learner(data_dir)
    extra = data_dir.parent / "extra.md"
    extra.write_text("# Extra\n\n## Part\n\n- [ ] Something\n")
    from companion.cli.main import main

    assert main(["--data-dir", str(data_dir), "roadmap", "add", str(extra)]) == 0  # logged
    first = make_app(bundled=False)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert first.screen.query_one(TabbedContent).active == "roadmap"  # a first time
    first.store.close()
    assert main(["--data-dir", str(data_dir), "roadmap", "remove", "extra"]) == 0
    answer_all(data_dir, clock() - timedelta(days=60), Grade.GOOD, 5000)

    app = make_app(bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "today"
        text = screen_text(app)
        assert "Reviews  10 cards due now" in text and "about 1 min" in text
        assert "Linear algebra [10 hours]" in text  # the next item
        assert "0 of 3 blocks" in text
        assert "Basics" in text and "due of 10 cards" not in text  # fading: its 6 cards
        assert "6 due of 6 cards" in text
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "review"
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "today"
        await pilot.press("f")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "timer"
        assert app.timer.state.status.value == "running"
        assert app.timer.state.item_id == items["Linear algebra"].id


async def test_the_roadmap_shows_each_item_s_memory_and_filters_to_the_fading(
    make_app, data_dir: Path, clock
):
    roadmap, items = learner(data_dir)
    answer_all(data_dir, clock() - timedelta(days=60), Grade.GOOD, 5000)
    app = make_app(pane="roadmap", bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        line = next(row for row in text.splitlines() if "Linear algebra" in row)
        assert "%!" in line and "6 due" in line  # below the desired retention
        basics = next(row for row in text.splitlines() if "Basics" in row)
        assert "memory" in basics and "%!" in basics
        assert "memory" not in next(r for r in text.splitlines() if "Deep learning" in r)
        await pilot.press("F")
        await pilot.pause()
        tree = app.screen.query_one(RoadmapTree)
        shown = [line.node.data.key for line in tree._tree_lines if line.node.data.kind == "item"]
        assert shown == [items["Linear algebra"].id]
        phases = [line.node.data.key for line in tree._tree_lines if line.node.data.kind == "phase"]
        assert phases == [roadmap.phases[0].id]  # nothing fades under Deep learning
        await pilot.press("F")
        await pilot.pause()
        shown = [line.node.data.key for line in tree._tree_lines if line.node.data.kind == "item"]
        assert len(shown) == 5


async def test_b_spreads_a_backlog_from_today_and_B_puts_it_back(make_app, data_dir: Path, clock):
    from ..services.test_backlog import answer_everything

    answer_everything(data_dir, clock() - timedelta(days=80))  # 120 cards, all due after a break
    app = make_app(bundled=False)
    told: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
        today = app.main.pane("today")
        assert today.plan.due_now == 120
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert today.plan.due_now == 18  # 120 over 7 days: at most 18 a day
        assert any("102 of 120 reviews moved over the next 7 days" in line for line in told)
        await pilot.press("c")
        await pilot.pause()
        review = app.main.pane("review")
        assert review.session.counts(clock()).review == 18
        await pilot.press("d", "B")
        await pilot.pause()
        assert today.plan.due_now == 120
        assert "102 cards put back." in told


def _app_on(data_dir: Path, clock):  # noqa: ANN001, ANN202
    """The app as `companion` opens it: the settings and content from the files, stamped
    before they are read."""
    from companion.config import load_settings
    from companion.services.content_sources import load_content
    from companion.services.today_cache import sources_stamp
    from companion.store import open_store
    from companion.ui.app import CompanionApp

    settings = load_settings(data_dir)
    store = open_store(data_dir, settings=settings)
    sources = sources_stamp(data_dir)
    library = load_content(data_dir)
    return CompanionApp(store=store, library=library, settings=settings, clock=clock,
                        sources=sources)  # fmt: skip


def _worked_out(data_dir: Path, now):  # noqa: ANN001, ANN202
    """The plan `companion today` works out from the files, keeping nothing."""
    from companion.config import load_settings
    from companion.services.content_sources import load_content
    from companion.services.today import plan_today
    from companion.store import open_store

    settings = load_settings(data_dir)
    store = open_store(data_dir, read_only=True, settings=settings)
    try:
        return plan_today(load_content(data_dir), store, settings, now)
    finally:
        store.close()


async def test_the_app_keeps_the_plan_today_prints_after_a_session(data_dir: Path, clock):
    """#25 point 6: after studying in the app, `companion today` prints the plan the app kept
    (as if worked out from the files at that moment) instead of reading every card again; and
    keeps nothing when a deck was edited outside the app meanwhile, which it did not read."""
    from companion.services.today_cache import inputs_stamp, kept_plan

    learner(data_dir)
    answer_all(data_dir, clock() - timedelta(days=60), Grade.GOOD, 5000)
    (data_dir / "config.toml").write_text("enable_fuzzing = false\ncheck_links_on_start = false\n")
    app = _app_on(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        for _ in range(3):  # three cards answered Good
            await pilot.press("space")
            await pilot.press("3")
        await pilot.pause()
        assert len(app.store.ledger.records) >= 3
    app.store.close()
    now = clock()
    kept = kept_plan(data_dir, inputs_stamp(data_dir), now)
    assert kept is not None
    fresh = _worked_out(data_dir, now)
    assert kept.as_dict() == fresh.as_dict()
    assert fresh.due_now == 7  # ten were due: three answered in the app

    app = _app_on(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        (data_dir / "decks" / "more.md").write_text("Q: New fact?\nA: Yes.\n")  # an editor
        await pilot.press("r", "space", "3")
        await pilot.pause()
    app.store.close()
    assert kept_plan(data_dir, inputs_stamp(data_dir), clock()) is None


async def test_during_a_custom_study_today_counts_every_deck_and_r_reviews_them(
    make_app, data_dir: Path, clock
):
    """The Review pane in a custom study of four cards: Today still shows the ten due over
    every deck, and `r` leaves the custom study for every deck, saying so."""
    from companion.services.study_session import EVERY_DECK, StudyScope, load_scope, save_scope
    from companion.store import open_store

    learner(data_dir)
    answer_all(data_dir, clock() - timedelta(days=60), Grade.GOOD, 5000)
    store = open_store(data_dir)
    save_scope(store, StudyScope("search", "Other"))
    store.close()
    app = make_app(bundled=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")  # the Review pane, in its custom study
        await pilot.pause()
        assert "Custom study: Other" in screen_text(app)
        assert app.main.pane("review").session.counts(app.now()).total == 4
        await pilot.press("d")
        await pilot.pause()
        assert "Reviews  10 cards due now" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "review"
        text = screen_text(app)
        assert "All decks now (was Custom study: Other)" in text
        assert "Custom study" not in text.replace("(was Custom study: Other)", "")
        assert load_scope(app.store) == EVERY_DECK
        assert app.main.pane("review").session.counts(app.now()).total == 10
        await pilot.press("d")
        await pilot.pause()
        assert "Reviews  10 cards due now" in screen_text(app)
