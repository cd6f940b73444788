"""The main screen: the four panes as tabs, the status line and the footer."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, TabbedContent, TabPane

from companion.timer.study_log import week_minutes
from companion.ui.panes.reader import ReaderPane
from companion.ui.panes.review import ReviewPane
from companion.ui.panes.roadmap import RoadmapPane, RoadmapTree
from companion.ui.panes.timer import TimerPane
from companion.ui.panes.timer_stats_view import study_text
from companion.ui.widgets.status_line import StatusLine, status_text

PANE_TITLES = {"roadmap": "Roadmap", "reader": "Reader", "review": "Review", "timer": "Timer"}
PANE_ORDER = list(PANE_TITLES)


class MainScreen(Screen[None]):
    """Holds the panes; tab and the pane keys move between them."""

    BINDINGS = [
        Binding("m", "show_pane('roadmap')", "Roadmap"),
        Binding("v", "show_pane('reader')", "Reader"),
        Binding("c", "show_pane('review')", "Review"),
        Binding("t", "show_pane('timer')", "Timer"),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False),
    ]

    def __init__(self, start_pane: str) -> None:
        super().__init__()
        self._log_key: tuple | None = None
        self.start_pane = start_pane if start_pane in PANE_TITLES else "roadmap"

    def compose(self) -> ComposeResult:
        app = self.app
        with TabbedContent(initial=self.start_pane, id="panes"):
            with TabPane(Content("Roadmap [m]"), id="roadmap"):
                yield RoadmapPane(app.library, app.store, id="roadmap-pane")
            with TabPane(Content("Reader [v]"), id="reader"):
                yield ReaderPane(app.library, app.store.data_dir, id="reader-pane")
            with TabPane(Content("Review [c]"), id="review"):
                yield ReviewPane(app.library, app.store, app.settings, id="review-pane")
            with TabPane(Content("Timer [t]"), id="timer"):
                yield TimerPane(id="timer-pane")
        yield StatusLine(id="status-line")
        yield Footer()

    def on_mount(self) -> None:
        roadmap = self.query_one(RoadmapPane)
        self.call_after_refresh(roadmap.select_item, self.app.selected_item_id)
        self.show_pane(self.start_pane)

    @property
    def current_pane(self) -> str:
        """The id of the pane on screen."""
        return self.query_one(TabbedContent).active or "roadmap"

    def show_pane(self, pane: str) -> None:
        """Bring a pane forward and focus its main widget."""
        self.query_one(TabbedContent).active = pane
        self._focus_pane(pane)

    def _focus_pane(self, pane: str) -> None:
        target = {
            "roadmap": RoadmapTree,
            "reader": ReaderPane,
            "review": ReviewPane,
            "timer": TimerPane,
        }[pane]
        self.query_one(target).focus()
        self.app.current_pane = pane
        if pane == "reader":
            self.refresh_reader_if_visible()
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

    def refresh_reader_if_visible(self) -> None:
        """Show the selected item in the Reader when the Reader is on screen."""
        if self.current_pane == "reader":
            app = self.app
            states = self.query_one(RoadmapPane).states
            self.query_one(ReaderPane).show(app.reading, states)

    def links_changed(self) -> None:
        """Redraw link badges and the Reader's verdicts."""
        if self.query(RoadmapPane):
            self.query_one(RoadmapPane).refresh_labels()
            self.refresh_reader_if_visible()

    def refresh_status(self) -> None:
        """Redraw the status line, and the Timer pane when it is on screen."""
        if not self.query(StatusLine):
            return  # shutting down: the widgets are already gone
        app = self.app
        now = app.now()
        blocks = app.store.study_blocks()
        target = app.settings.weekly_target_hours * 60
        due = self.query_one(ReviewPane).due_now()
        self.query_one(StatusLine).update(
            status_text(due, app.timer, week_minutes(blocks, now), target)
        )
        if self.current_pane != "timer":
            return
        timer_pane = self.query_one(TimerPane)
        credited = app.timer.state.item_id or app.selected_item_id
        timer_pane.show_clock(app.timer, app.item_title(credited))
        log_key = (len(blocks), blocks[-1].get("note") if blocks else None, now.date())
        if log_key != self._log_key:
            self._log_key = log_key
            states = self.query_one(RoadmapPane).states
            study = study_text(app.library, states, blocks, now, app.settings.weekly_target_hours)
            timer_pane.show_log(blocks, target, now, study)
