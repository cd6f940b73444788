"""The main screen: the four panes as tabs, the status line and the footer."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, TabbedContent, TabPane

from companion.timer.study_log import week_minutes
from companion.ui.panes.timer_stats_view import study_text
from companion.ui.widgets.deferred import Deferred
from companion.ui.widgets.status_line import StatusLine, status_text

if TYPE_CHECKING:
    from companion.ui.panes.reader import ReaderPane
    from companion.ui.panes.review import ReviewPane
    from companion.ui.panes.roadmap import RoadmapPane
    from companion.ui.panes.timer import TimerPane

PANE_TITLES = {
    "today": "Today", "roadmap": "Roadmap", "reader": "Reader", "review": "Review", "timer": "Timer"
}  # fmt: skip
PANE_KEYS = {"today": "d", "roadmap": "m", "reader": "v", "review": "c", "timer": "t"}
PANE_ORDER = list(PANE_TITLES)


def _today_pane(app) -> Widget:  # noqa: ANN001 (the CompanionApp)
    from companion.ui.panes.today import TodayPane

    return TodayPane(app.library, app.store, app.settings, id="today-pane")


def _roadmap_pane(app) -> Widget:  # noqa: ANN001
    from companion.ui.panes.roadmap import RoadmapPane

    return RoadmapPane(app.library, app.store, app.settings, id="roadmap-pane")


def _reader_pane(app) -> Widget:  # noqa: ANN001
    from companion.ui.panes.reader import ReaderPane

    return ReaderPane(app.library, app.store.data_dir, id="reader-pane")


def _review_pane(app) -> Widget:  # noqa: ANN001
    from companion.ui.panes.review import ReviewPane

    return ReviewPane(app.library, app.store, app.settings, id="review-pane")


def _timer_pane(app) -> Widget:  # noqa: ANN001
    from companion.ui.panes.timer import TimerPane

    return TimerPane(id="timer-pane")


PANE_BUILDERS: dict[str, Callable[..., Widget]] = {
    "today": _today_pane,
    "roadmap": _roadmap_pane,
    "reader": _reader_pane,
    "review": _review_pane,
    "timer": _timer_pane,
}


class MainScreen(Screen[None]):
    """Holds the panes; tab and the pane keys move between them."""

    BINDINGS = [
        # The tabs show these keys ("Review [c]"): the footer keeps its room for the pane's own.
        Binding("d", "show_pane('today')", "Today", show=False),
        Binding("m", "show_pane('roadmap')", "Roadmap", show=False),
        Binding("v", "show_pane('reader')", "Reader", show=False),
        Binding("c", "show_pane('review')", "Review", show=False),
        Binding("t", "show_pane('timer')", "Timer", show=False),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False),
    ]

    def __init__(self, start_pane: str) -> None:
        super().__init__()
        self._log_key: tuple | None = None
        self.start_pane = start_pane if start_pane in PANE_TITLES else "roadmap"

    def compose(self) -> ComposeResult:
        # The pane on show is built now; the others after the first frame, so a learner who
        # opens on Review sees a card without waiting for the roadmap tree or the Reader.
        app = self.app
        with TabbedContent(initial=self.start_pane, id="panes"):
            for pane, title in PANE_TITLES.items():
                build = PANE_BUILDERS[pane]
                with TabPane(Content(f"{title} [{PANE_KEYS[pane]}]"), id=pane):
                    if pane == self.start_pane:
                        yield build(app)
                    else:
                        yield Deferred(lambda build=build: build(app))
        yield StatusLine(id="status-line")
        yield Footer()

    def on_mount(self) -> None:
        self.show_pane(self.start_pane)

    def pane(self, pane: str) -> Widget | None:
        """A pane's widget, or None while it is still being built."""
        found = self.query(f"#{pane}-pane")
        return found.first() if found else None

    def on_deferred_built(self, message: Deferred.Built) -> None:
        """A pane built after the first frame: focus it if it is on show, redraw what it feeds."""
        pane = (message.widget.id or "").removesuffix("-pane")
        if pane == self.current_pane:
            self._focus_pane(pane)
        else:
            self.refresh_status()

    @property
    def current_pane(self) -> str:
        """The id of the pane on screen."""
        return self.query_one(TabbedContent).active or "roadmap"

    def show_pane(self, pane: str) -> None:
        """Bring a pane forward and focus its main widget."""
        self.query_one(TabbedContent).active = pane
        self._focus_pane(pane)

    def _focus_pane(self, pane: str) -> None:
        widget = self.pane(pane)
        if widget is not None:
            focus = widget.query_one("#roadmap-tree") if pane == "roadmap" else widget
            focus.focus()
        self.app.current_pane = pane
        if pane == "reader":
            self.refresh_reader_if_visible()
        if pane == "today" and widget is not None and widget.is_mounted:
            widget.refresh_plan(force=False)  # type: ignore[attr-defined]
        self.refresh_status()

    def action_show_pane(self, pane: str) -> None:
        """Key handler for the pane keys."""
        self.show_pane(pane)

    def action_cycle_pane(self, step: int) -> None:
        """Move to the next or previous pane."""
        index = PANE_ORDER.index(self.current_pane)
        self.show_pane(PANE_ORDER[(index + step) % len(PANE_ORDER)])

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id and event.pane.id != self.current_pane:
            return
        if event.pane.id:
            self._focus_pane(event.pane.id)

    def refresh_reader_if_visible(self, asked: bool = False) -> None:
        """Show the selected item in the Reader when the Reader is on screen (`asked`: the
        learner opened it, so it is shown even over another page they were reading)."""
        reader: ReaderPane | None = self.pane("reader")  # type: ignore[assignment]
        if self.current_pane == "reader" and reader is not None:
            reader.show(self.app.reading, self.item_states(), asked=asked)

    def item_states(self) -> dict[str, str]:
        """Every item's state, as the Roadmap pane holds them (or as stored, before it is built)."""
        roadmap: RoadmapPane | None = self.pane("roadmap")  # type: ignore[assignment]
        return roadmap.states if roadmap is not None else self.app.store.item_states()

    def links_changed(self) -> None:
        """Redraw link badges and the Reader's verdicts."""
        roadmap: RoadmapPane | None = self.pane("roadmap")  # type: ignore[assignment]
        if roadmap is not None:
            roadmap.refresh_labels()
        reader: ReaderPane | None = self.pane("reader")  # type: ignore[assignment]
        if reader is not None:
            reader.refresh_marks(self.item_states())

    def refresh_status(self) -> None:
        """Redraw the status line, and the Timer pane when it is on screen."""
        if not self.query(StatusLine):
            return  # shutting down: the widgets are already gone
        app = self.app
        now = app.now()
        blocks = app.store.study_blocks()
        target = app.settings.weekly_target_hours * 60
        review: ReviewPane | None = self.pane("review")  # type: ignore[assignment]
        due = review.due_now() if review is not None else None
        self.query_one(StatusLine).update(
            status_text(due, app.timer, week_minutes(blocks, now), target)
        )
        timer_pane: TimerPane | None = self.pane("timer")  # type: ignore[assignment]
        if self.current_pane != "timer" or timer_pane is None:
            return
        credited = app.timer.state.item_id or app.selected_item_id
        timer_pane.show_clock(app.timer, app.item_title(credited))
        log_key = (len(blocks), blocks[-1].get("note") if blocks else None, now.date())
        if log_key != self._log_key:
            self._log_key = log_key
            study = study_text(
                app.library, self.item_states(), blocks, now, app.settings.weekly_target_hours
            )
            timer_pane.show_log(blocks, target, now, study)
