"""The companion app: four panes over one store, a status line, and global keys."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from companion.config import Settings
from companion.content.loader import Library
from companion.content.progress import first_unfinished
from companion.paths import DEVICES
from companion.services.progress_sync import track_item
from companion.services.roadmap_memory import RoadmapMemory
from companion.services.study_session import deck_setting_problems
from companion.services.today_cache import sources_stamp
from companion.services.today_keeper import keep_app_plan
from companion.store import Store
from companion.store.store import IMPORT_UNDONE
from companion.text import clean_text
from companion.timer.focus_timer import FocusTimer, TimerState, steady_seconds
from companion.ui.away_watch import AwayWatch
from companion.ui.dialogs.keys import KeysScreen
from companion.ui.folder_watch import FolderWatch
from companion.ui.link_watch import LinkWatch, roadmap_urls
from companion.ui.main_screen import PANE_TITLES, MainScreen
from companion.ui.messages import OpenItem, RoadmapNodeHighlighted, StudyChanged
from companion.ui.startup import set_aside_late_loads, settle_after_first_paint
from companion.ui.sync_watch import SyncWatch
from companion.ui.timer_controller import TimerController

Clock = Callable[[], datetime]
START_CHECK_DELAY_S = 2.0


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def start_pane(store: Store) -> str:
    """The Timer while a block is on the clock; else Today once the learner has studied
    (answered, ticked or logged a block); else the Roadmap, where a first-time learner
    starts."""
    timer = store.load_timer() or {}
    if timer.get("status") in ("running", "paused"):
        return "timer"
    # (an answer, not any event: adding a roadmap logs one too, and a learner who has just
    # added theirs has studied nothing yet)
    answered = next(store.review_log.lines_with(b'"kind":"review"'), None) is not None
    studied = store.item_states() or store.study_blocks() or answered
    return "today" if studied else "roadmap"


class CompanionApp(App[None]):
    """Roadmap, Reader, Review and Timer in one keyboard-driven screen."""

    CSS_PATH = Path(__file__).with_name("companion.tcss")
    TITLE = "companion"
    BINDINGS = [
        Binding("p", "toggle_timer", "Start/pause"),
        Binding("question_mark", "show_keys", "Keys"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        library: Library,
        settings: Settings,
        pane: str | None = None,
        clock: Clock = system_clock,
        steady: Callable[[], float] | None = None,
        read: Path | None = None,
        sources: tuple | None = None,
    ) -> None:
        """`clock` is the wall clock; `steady` is time as it really passes (by default the
        system's when the clock is the system's, else the clock's own timestamps); `read`, a
        Markdown file to open the Reader on (`companion read FILE`); `sources`, the stamp of
        the settings, roadmaps and decks taken before they were read (now, by default)."""
        super().__init__()
        self.sources = sources if sources is not None else sources_stamp(store.data_dir)
        self.store = store
        store.clock = self.timestamp  # what the learner does is stamped with the app's time
        self.library = library
        self.settings = settings
        self.clock = clock
        self.current_pane: str = "reader" if read else pane or start_pane(store)
        self.main = MainScreen(self.current_pane)
        first = first_unfinished(library.roadmaps, store.item_states())
        self.selected_item_id: str | None = store.remembered("item") or (first and first.id)
        self.reading: tuple[str, str] | None = (
            ("item", self.selected_item_id) if self.selected_item_id else None
        )
        if read is not None:
            self.reading = ("file", str(read.resolve()))
        saved = store.load_timer()
        if steady is None:
            steady = steady_seconds if clock is system_clock else self.timestamp
        self.timer = FocusTimer(
            settings, self.timestamp, TimerState.from_dict(saved) if saved else None, steady
        )
        self.reading_positions: dict[str, float] = dict(store.remembered("positions", {}))
        self.timer_control = TimerController(
            self,
            self.timer,
            store,
            settings,
            selected_item=lambda: self.selected_item_id,
            item_title=self.item_title,
            on_change=self.refresh_status,
            show_pane=self.main.show_pane,
            track_item=lambda item_id: track_item(self.library, store, item_id, self.now()),
        )
        self.away_watch = AwayWatch(self, self.timer, store, settings)
        self.folder_watch: FolderWatch | None = None
        self.roadmap_memory = RoadmapMemory(library, store, settings)
        """The memory of roadmap items' cards, shared by Today and the Roadmap's labels."""
        self.sync_watch = SyncWatch(
            store,
            self._others_studied,
            lambda line: self.notify(line, title="Sync", severity="warning", timeout=10),
        )
        self.link_watch = LinkWatch(
            self,
            store.data_dir,
            settings.link_cache_hours,
            urls=lambda: roadmap_urls(self.library.roadmaps),
            on_results=self.links_changed,
            files=lambda: [roadmap.source for roadmap in self.library.roadmaps if roadmap.source],
        )

    def now(self) -> datetime:
        """The current time from the app's clock (fixed in tests)."""
        return self.clock()

    def timestamp(self) -> float:
        """The app clock as a POSIX timestamp, for the timer."""
        return self.clock().timestamp()

    def get_default_screen(self) -> Screen:
        return self.main

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.call_after_refresh(self._after_first_paint)
        for problem in self.library.problems[:5]:
            self.notify(problem, title="Content problem", severity="warning", timeout=8)
        if len(self.library.problems) > 5:
            more = len(self.library.problems) - 5
            self.notify(f"{more} more: 'companion stats' lists them all.", title="Content problem")
        for problem in self.store.problems[:5]:
            title = "Anki import" if problem == IMPORT_UNDONE else "Review log"
            self.notify(problem, title=title, severity="warning", timeout=8)
        for problem in deck_setting_problems(self.library, self.settings)[:5]:
            self.notify(problem, title="Settings", severity="warning", timeout=8)
        self.timer_control.tick()
        self.set_interval(1.0, self.tick)
        logs = self.store.device_logs
        if logs is not None:  # syncing: the logs' folder watched, the tick polls if it fails
            self.folder_watch = FolderWatch(self, logs.folder / DEVICES, self.sync_watch.check)
            self.folder_watch.start()
        if self.settings.check_links_on_start:
            # After the first paint: the learner sees their roadmap at once.
            self.set_timer(START_CHECK_DELAY_S, lambda: self.link_watch.start(force=False))
        self.refresh_status()

    def _after_first_paint(self) -> None:
        settle_after_first_paint()
        self.call_later(self._unpack_decks)  # after whatever the first frame set going

    def _unpack_decks(self) -> None:
        """Unpack the cached decks one at a time between other work, so no answer waits."""
        if self.library.cards.unpack_one():
            self.call_later(self._unpack_decks)
        else:
            self.store.finish_loading()
            set_aside_late_loads()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self.away_watch.noticed_input()
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """A key that reached the app unhandled while a text box has the focus was queued for
        the widget focused before (typed while the app was busy, right after the key that
        opened the box): it belongs to the box. Textual already keeps it from the app's
        shortcuts, but would drop it; it is typed into the box instead."""
        focused = self.focused
        if focused is None or not event.is_printable or not event.character:
            return
        if getattr(event, "redelivered", False) or not focused.check_consume_key(
            event.key, event.character
        ):
            return
        event.stop()
        again = events.Key(event.key, event.character)
        again.redelivered = True  # type: ignore[attr-defined]  # never handed on twice
        focused.post_message(again)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice is plain text: file names, card and web text in it are never read as
        markup (a '[x=y:z]' crashed the app, '[@click=app.quit]' quit it, '[optional]'
        vanished) and never carry escape sequences to the terminal."""
        super().notify(
            clean_text(message),
            title=clean_text(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # -- shared state -------------------------------------------------------
    def item_title(self, item_id: str | None) -> str | None:
        """The text of a roadmap item, if it exists."""
        found = self.library.find_item(item_id) if item_id else None
        return found[1].text if found else None

    def on_roadmap_node_highlighted(self, message: RoadmapNodeHighlighted) -> None:
        # What the Reader follows: the learner's moves in the Roadmap, not the cursor the tree
        # places when it is built behind another pane (that pulled the Reader off a file).
        if self.current_pane == "roadmap":
            self.reading = (message.kind, message.key)
        if message.kind == "item":
            self.selected_item_id = message.key
            if self.timer.state.status.value == "idle":
                self.timer.set_item(message.key)
        self.main.refresh_reader_if_visible()

    def start_focus_on(self, item_id: str) -> None:
        """Select an item and start a focus block on it (from Today); a block already
        running goes on, as it was credited."""
        from companion.ui.panes.roadmap import RoadmapPane

        self.selected_item_id = item_id
        self.reading = ("item", item_id)
        roadmap = self.main.pane("roadmap")
        if isinstance(roadmap, RoadmapPane):
            roadmap.select_item(item_id)
        if self.timer.state.status.value == "idle":
            self.timer_control.toggle()
        else:
            self.notify("A block is on the clock already: p pauses it, s skips to the next.")
        self.main.show_pane("timer")

    def on_open_item(self, message: OpenItem) -> None:
        self.selected_item_id = message.item_id
        self.reading = ("item", message.item_id)
        self.main.show_pane("reader")
        self.main.refresh_reader_if_visible(asked=True)

    async def action_quit(self) -> None:
        """Quit, noting first where the learner was reading."""
        reader = self.main.pane("reader")
        if reader is not None:
            reader.remember_position()  # type: ignore[attr-defined]
        if self.folder_watch is not None:
            self.folder_watch.stop()
        self.exit()

    def on_unmount(self) -> None:
        """Remember where the learner was (written once, at exit, so moving costs no I/O),
        and keep the day's plan."""
        if self.folder_watch is not None:
            self.folder_watch.stop()  # its thread ends within its 50 ms step
        recent = list(self.reading_positions.items())[-200:]
        try:
            self.store.remember("item", self.selected_item_id)
            self.store.remember("pane", self.current_pane)
            self.store.remember("positions", {key: round(y, 1) for key, y in recent if y})
        except OSError:
            pass  # a full disk at exit: only where the learner was is not kept, no work of theirs
        # Last, stamped with the data file as the app leaves it: `companion today` prints
        # this plan instead of reading every card again. Only at exit: at 50,000 cards
        # working it out takes 0.1-0.3 s, a pause the review keys would feel.
        keep_app_plan(self.library, self.store, self.settings, self.sources, self.now(),
                      memory=self.roadmap_memory)  # fmt: skip

    def on_study_changed(self, message: StudyChanged) -> None:
        self.refresh_status()

    # -- timer ---------------------------------------------------------------
    def action_toggle_timer(self) -> None:
        """Start, pause or resume the current block, credited to the selected item."""
        self.timer_control.toggle()

    def tick(self) -> None:
        """Once a second: finish blocks whose time is up, bring in what the other machines
        did (when the data syncs) and redraw the clock."""
        self.timer_control.tick()
        watch = self.folder_watch
        self.sync_watch.tick(watched=watch is not None and watch.running)
        self.refresh_status()

    def _others_studied(self, news: str, cards: set[str]) -> None:
        """Another machine's work came in: the review queue takes it in, the learner hears."""
        from companion.ui.panes.review import ReviewPane
        from companion.ui.panes.roadmap import RoadmapPane

        review, roadmap = self.main.pane("review"), self.main.pane("roadmap")
        if isinstance(review, ReviewPane):
            review.others_studied(cards)
        if isinstance(roadmap, RoadmapPane):
            roadmap.others_ticked()
        self.notify(news, title="Synced")

    def action_study_history(self) -> None:
        """Every focus block: credit, correct, note or delete it, with undo."""
        from companion.ui.dialogs.study_history import StudyHistory

        def selected() -> tuple[str | None, str | None]:
            return self.selected_item_id, self.item_title(self.selected_item_id)

        def closed(changed: bool | None) -> None:
            if changed:
                self.main._log_key = None  # the recent blocks and totals are drawn again
                self.refresh_status()

        self.push_screen(StudyHistory(self.store, selected), closed)

    def action_library(self) -> None:
        """The Library of saved pages, over the Reader."""
        self.main.show_pane("reader")
        reader = self.main.pane("reader")
        if reader is not None:
            reader.action_library()  # type: ignore[attr-defined]

    def action_check_links(self) -> None:
        """Check every roadmap link now, in the background."""
        self.link_watch.start(force=True)

    def links_changed(self) -> None:
        """New link results: redraw the badges and the page being read."""
        self.main.links_changed()

    # -- status ----------------------------------------------------------------
    def refresh_status(self) -> None:
        """Redraw the status line and the timer pane."""
        if self.main.is_mounted:
            self.main.refresh_status()

    # -- dialogs and commands ------------------------------------------------
    def action_choose_decks(self) -> None:
        """Open the Decks dialog (from the Review pane, which rebuilds its queue after it)."""
        from companion.ui.panes.review import ReviewPane

        self.main.show_pane("review")
        self.main.query_one(ReviewPane).action_decks()

    def action_browse_cards(self) -> None:
        """Open the card browser (from the Review pane, which refreshes after it)."""
        from companion.ui.panes.review import ReviewPane

        self.main.show_pane("review")
        self.main.query_one(ReviewPane).action_browse()

    def action_show_keys(self) -> None:
        """List every key."""
        if not isinstance(self.screen, KeysScreen):
            self.push_screen(KeysScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for pane, title in PANE_TITLES.items():
            yield SystemCommand(
                f"Go to {title}",
                f"Show the {title} pane",
                lambda pane=pane: self.main.show_pane(pane),
            )
        yield SystemCommand(
            "Start or pause the timer",
            "Focus block credited to the selected item",
            self.action_toggle_timer,
        )
        yield SystemCommand(
            "Browse cards",
            "Every card: search, suspend, bury, reset, delete (b in Review)",
            self.action_browse_cards,
        )
        yield SystemCommand(
            "Choose decks",
            "Decks on or off, one deck, custom study (d in Review)",
            self.action_choose_decks,
        )
        yield SystemCommand(
            "Study history", "Every focus block: credit, correct, note, delete (h in the Timer)",
            self.action_study_history,
        )  # fmt: skip
        yield SystemCommand(
            "Library", "Every saved page: open, save again, delete (l in the Reader)",
            self.action_library,
        )  # fmt: skip
        yield SystemCommand("Show keys", "Every key, pane by pane", self.action_show_keys)
        yield SystemCommand("Check links", "Check every roadmap link now", self.action_check_links)
