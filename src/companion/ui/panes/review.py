"""The Review pane: one card at a time with Anki's keys; each answer is on disk before the next."""

import asyncio
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from companion.config import Settings
from companion.content.deck import Card
from companion.content.loader import Library
from companion.services.review import reconcile, review_overview
from companion.services.study_session import (
    EVERY_DECK,
    StudyScope,
    decks_off,
    load_scope,
    refresh_queue,
    save_scope,
    start_review,
)
from companion.srs.review_session import ReviewSession
from companion.srs.review_stats import Retention, retention_of_days
from companion.srs.scheduling import Grade, format_interval
from companion.srs.study_days import study_day
from companion.store import Store
from companion.store.errors import not_saved
from companion.text import plural
from companion.ui import image_protocol
from companion.ui.card_markdown import answer_side, card_images, card_side
from companion.ui.messages import StudyChanged
from companion.ui.panes.card_facts import card_summary, history_text
from companion.ui.panes.card_writing import CardWriting
from companion.ui.panes.review_dialogs import OtherCardsDialogs
from companion.ui.panes.review_stats_view import retention_text, stats_text, workload_text
from companion.ui.panes.review_typing import TypedAnswers
from companion.ui.safe_text import plain
from companion.ui.widgets.pictures import Pictures

if TYPE_CHECKING:
    from companion.ui.dialogs.card_info import CardInfo

T = TypeVar("T")
GRADE_STYLES = {Grade.AGAIN: "red", Grade.HARD: "yellow", Grade.GOOD: "green", Grade.EASY: "cyan"}


class ReviewPane(OtherCardsDialogs, TypedAnswers, VerticalScroll, can_focus=True):
    """Reviews the due cards of every deck with FSRS."""

    BINDINGS = [
        Binding("space,enter", "reveal_or_good", "Show/Good"),
        Binding("1", "grade(1)", "Again", show=False),
        Binding("2", "grade(2)", "Hard", show=False),
        Binding("3", "grade(3)", "Good", show=False),
        Binding("4", "grade(4)", "Easy", show=False),
        Binding("u", "undo", "Undo"),
        Binding("minus", "bury", "Bury", show=False),
        Binding("exclamation_mark", "suspend", "Suspend", show=False),
        Binding("e", "edit", "Edit"),
        Binding("i", "info", "Info"),
        Binding("a", "add", "Add"),
        Binding("s", "toggle_stats", "Stats"),
        Binding("W", "workload", "Workload by retention", show=False),
        Binding("b", "browse", "Browse"),
        Binding("D", "decks", "Decks"),
        Binding("o", "open_image", "Open image", show=False),
    ]

    def __init__(self, library: Library, store: Store, settings: Settings, **kwargs) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.store = store
        self.settings = settings
        self.revealed = False
        self.shown_at: datetime | None = None
        self.session: ReviewSession | None = None
        self.scope: StudyScope = EVERY_DECK
        self.orphans: set[str] = set()
        self.last_leech: str | None = None
        self.scope_words = ""
        self._notice_timer: Timer | None = None
        self._stats_parts = Text()
        self._workload = Text()  # the workload table, once W has asked for it

    def compose(self) -> ComposeResult:
        yield Static(id="review-counts")
        yield Static(id="review-timer")
        with Vertical(id="review-card"):
            yield Static(id="review-front")
            yield Pictures(id="review-front-pictures")
            yield self.typing_box()
            yield Static(id="review-back")
            yield Static(id="review-compare")
            yield Pictures(id="review-back-pictures")
        yield Static(id="review-keys")
        yield Static(id="review-notice")
        yield Static(id="review-stats")

    def on_mount(self) -> None:
        self.writing = CardWriting(
            self.app,
            self.library,
            self.store,
            selected_item=lambda: self.app.selected_item_id,  # type: ignore[attr-defined]
            item_title=self.app.item_title,  # type: ignore[attr-defined]
            on_added=self._added,
            on_edited=self._edited,
        )
        result = reconcile(self.library, self.store)
        self.orphans = set(result.orphans)
        if result.relinked:
            self.say(f"{plural(len(result.relinked), 'edited card')} kept their review history.")
        if result.orphans:
            self.say(
                f"{plural(len(result.orphans), 'card')} with history "
                f"{'is' if len(result.orphans) == 1 else 'are'} no longer in any deck; "
                "their history is kept (b, then is:orphan, lists them).",
                "yellow",
            )
        now = self._now()
        self._read_scope()
        self.session = start_review(self.library, self.store, self.settings, now)
        self._next(now)
        timer = self.query_one("#review-timer", Static)
        timer.display = self.settings.show_answer_timer
        if self.settings.show_answer_timer:
            self.set_interval(1, self._show_answer_time)

    def say(self, message: str, style: str = "", timeout: float = 4) -> None:
        """A notice on one line under the card: each replaces the last, none covers the card
        (a toast would, and several would stack). Errors still go to toasts."""
        line = self.query_one("#review-notice", Static)
        line.update(plain(message, style))
        if self._notice_timer is not None:
            self._notice_timer.stop()
        self._notice_timer = self.set_timer(timeout, lambda: line.update(""))

    def _answer_ms(self, now: datetime) -> int | None:
        """Time on this card so far, capped at `max_answer_seconds` as Anki caps it (a card
        left on screen during a break does not count as an hour of thinking)."""
        if self.shown_at is None:
            return None
        elapsed = int((now - self.shown_at).total_seconds() * 1000)
        return max(0, min(elapsed, self.settings.max_answer_seconds * 1000))

    def _show_answer_time(self) -> None:
        """The answer timer on the card (setting `show_answer_timer`), red once capped."""
        timer = self.query_one("#review-timer", Static)
        if self.session is None or self.session.current is None or self.shown_at is None:
            timer.update("")
            return
        ms = self._answer_ms(self._now()) or 0
        capped = ms >= self.settings.max_answer_seconds * 1000
        seconds = ms // 1000
        timer.update(Text(f"⏱ {seconds // 60}:{seconds % 60:02d}", "red" if capped else "dim"))

    def _now(self) -> datetime:
        return self.app.now()  # type: ignore[attr-defined]

    def _next(self, now: datetime) -> None:
        assert self.session is not None
        self.session.next_card(now)
        self.revealed = False
        self.typed_answer = None
        self.shown_at = now
        self._show()

    def _show(self) -> None:
        assert self.session is not None
        now = self._now()
        counts = self.session.counts(now)
        self.query_one("#review-counts", Static).update(
            Text.assemble(
                (self.scope_words + "    ", "bold cyan"),
                ("New ", "dim"),
                (str(counts.new), "bold blue"),
                ("  Learning ", "dim"),
                (str(counts.learning), "bold red"),
                ("  Review ", "dim"),
                (str(counts.review), "bold green"),
            )
        )
        front = self.query_one("#review-front", Static)
        back = self.query_one("#review-back", Static)
        keys = self.query_one("#review-keys", Static)
        card = self.library.cards.get(self.session.current or "")
        self.show_typing(card)
        if card is None:
            front.update(self._empty_message(now))
            back.display = False
            keys.update(Text("a  write a card    u  undo", "dim"))
            return
        folder, draw = Path(card.source).parent, self.settings.card_images
        front.update(card_side(card.front, folder, draw))
        back.update(card_side(answer_side(card), folder, draw))
        back.display = self.revealed
        self._show_pictures(card, folder, draw)
        hint = (
            Text("type, then enter", "dim")
            if card.typed
            else Text.assemble(
                ("space  ", "dim"), (" show answer ", Style(reverse=True, meta={"reveal": True}))
            )  # fmt: skip
        )
        keys.update(self._grade_bar(now) if self.revealed else hint)

    def _show_pictures(self, card: Card, folder: Path, draw: bool) -> None:
        """With Sixel, each side's images as widgets under its text (empty otherwise)."""
        if image_protocol.chosen() != image_protocol.SIXEL:
            return
        front = self.query_one("#review-front-pictures", Pictures)
        back = self.query_one("#review-back-pictures", Pictures)
        front.show(card_images(card.front, folder) if draw else [])
        back.show(card_images(answer_side(card), folder) if draw and self.revealed else [])

    def _read_scope(self) -> None:
        """What this session studies, and how many decks are off (read once, not per card)."""
        off = len(decks_off(self.store, self.library))
        self.scope = load_scope(self.store)
        self.scope_words = self.scope.describe() + (f" ({off} off)" if off else "")

    def study_every_deck(self) -> None:
        """Leave a custom study or one deck for every deck (Today's reviews are theirs)."""
        if self.session is None or self.scope == EVERY_DECK:
            return
        was = self.scope.describe()
        save_scope(self.store, EVERY_DECK)
        self._decks_closed(True)
        self.say(f"All decks now (was {was}): the reviews Today counts.")

    def _empty_message(self, now: datetime) -> Text:
        assert self.session is not None
        next_due = self.session.next_due(now)
        message = Text("Nothing to review right now.", "bold")
        if not self.library.cards:
            message.append("\nAdd a deck to decks/ in the data directory, or press a.", "dim")
        elif next_due is not None and next_due > now:
            when = next_due.strftime("%a %d %b %H:%M")
            message.append(f"\nNext card due in {format_interval(next_due - now)} ({when}).", "dim")
        else:
            message.append("\nToday's limits are reached; more tomorrow.", "dim")
        return message

    def _grade_bar(self, now: datetime) -> Text:
        assert self.session is not None
        bar = Text()
        for outcome in self.session.preview(now):
            style = GRADE_STYLES[outcome.grade]
            clicked = Style(meta={"grade": int(outcome.grade)})  # a button, for mouse and touch
            bar.append(f" {int(outcome.grade)} ", Style.parse(f"reverse {style}") + clicked)
            label = f" {outcome.grade.name.title()} {format_interval(outcome.interval)}"
            bar.append(label, clicked)
            bar.append("   ")
        return bar

    def on_click(self, event: events.Click) -> None:
        """The grade buttons and "show answer", clicked or touched (in a browser, say)."""
        meta = event.style.meta if event.style else {}
        if "grade" in meta and self.revealed:
            self.action_grade(int(meta["grade"]))
        elif meta.get("reveal") and not self.revealed:
            self.action_reveal_or_good()

    def _changed(self) -> None:
        self._show()
        self.post_message(StudyChanged())
        if self.query_one("#review-stats", Static).display:
            self.refresh_stats()

    # -- answering ----------------------------------------------------------
    def action_reveal_or_good(self) -> None:
        """Reveal the answer; once revealed, the same key means Good."""
        if self.session is None or self.session.current is None:
            return
        if not self.revealed:
            self.revealed = True
            self._show()
        else:
            self.action_grade(int(Grade.GOOD))

    def action_grade(self, grade: int) -> None:
        """Grade the revealed card; the answer is fsynced before the next card is drawn."""
        if self.session is None or self.session.current is None or not self.revealed:
            return
        now = self._now()
        duration = self._answer_ms(now)
        card_id = self.session.current
        answered = self._saved(lambda: self.session.answer(Grade(grade), now, duration))
        if answered is None:  # not acknowledged: the card stays, to be answered again
            return
        if answered.leech:
            self.last_leech = card_id
            self.say(
                f"Leech: this card was forgotten {plural(self.settings.leech_threshold, 'time')}; "
                "it is suspended. b opens it in the browser to rewrite or unsuspend it.",
                "bold yellow",
                timeout=20,
            )
            self.app.bell()
        self._next(now)
        self.post_message(StudyChanged())

    def action_undo(self) -> None:
        """Undo the last answer, bury or suspend; the card comes back unrevealed."""
        try:
            undone = self.session.undo() if self.session is not None else None
        except OSError as error:
            self.notify(not_saved(error), severity="error", timeout=10)
            return
        if undone is None:
            self.say("Nothing to undo.")
            return
        self.revealed = False
        self.shown_at = self._now()
        self._changed()

    def action_bury(self) -> None:
        """Hide this card until tomorrow."""
        if self.session is not None and self._saved(lambda: self.session.bury(self._now())):
            self.say("Buried until tomorrow (u to undo).")
            self._next(self._now())
            self.post_message(StudyChanged())

    def action_suspend(self) -> None:
        """Take this card out of review (u to undo)."""
        if self.session is not None and self._saved(self.session.suspend):
            self.say("Suspended (u to undo).")
            self._next(self._now())
            self.post_message(StudyChanged())

    def _saved(self, write: Callable[[], T]) -> T | None:
        """The result of `write`, or None after telling the learner it could not be saved."""
        try:
            return write()
        except OSError as error:
            self.notify(not_saved(error), severity="error", timeout=10)
            return None

    # -- writing cards ------------------------------------------------------
    def action_add(self) -> None:
        """Write a new card, linked to the roadmap item selected."""
        if self.session is not None:
            self.writing.add()

    def _added(self, cards: list[Card]) -> None:
        assert self.session is not None
        refresh_queue(self.session, self.library, self.store, self.settings, self._now())
        self.say(f"Added {plural(len(cards), 'card')} to decks/my-cards.md.")
        if self.session.current is None:
            self._next(self._now())
        self._changed()

    def others_studied(self, cards: set[str]) -> None:
        """Another machine's work on `cards` came in: the queue is built again around it, and
        the card on show moves on if it was answered there."""
        self.queue_changed(cards)

    def queue_changed(self, cards: set[str]) -> None:
        """Cards were rescheduled elsewhere (another machine, a spread backlog): the queue is
        built again, and the card on show moves on if it is one of them."""
        if self.session is None:
            return
        refresh_queue(self.session, self.library, self.store, self.settings, self._now())
        if self.session.current is None or self.session.current in cards:
            self._next(self._now())
        self._changed()

    def action_edit(self) -> None:
        """Edit the card on show; its review history stays with it."""
        card = self.library.cards.get(self.session.current or "") if self.session else None
        if card is not None:
            self.writing.edit(card)

    def _edited(self, new_cards: list[Card]) -> None:
        assert self.session is not None
        refresh_queue(self.session, self.library, self.store, self.settings, self._now())
        if new_cards:
            self.session.show(new_cards[0].id)
        self.say("Card saved; its history is kept.")
        self._changed()

    def action_info(self) -> None:
        """Show the card's state and history."""
        if self.session is not None and self.session.current is not None:
            self.show_info(self.session.current)

    def show_info(self, card_id: str) -> None:
        """The info dialog for any card, the orphaned ones included."""
        from companion.ui.dialogs.card_info import CardInfo

        assert self.session is not None
        record = self.store.ledger.record(card_id)
        summary = card_summary(
            self.library.cards.get(card_id),
            record,
            self.session.preview_scheduler,
            self._now(),
            card_id in self.orphans,
        )
        dialog = CardInfo(summary)
        self.app.push_screen(dialog)
        self._load_history(dialog, card_id)

    @work(thread=True, exclusive=True, group="card-history")
    def _load_history(self, dialog: "CardInfo", card_id: str) -> None:
        history = history_text(self.store.card_history(card_id))
        self.app.call_from_thread(dialog.show_history, history)

    def action_open_image(self) -> None:
        """Open the card's first image (of the side on show) in the system's viewer."""
        card = self.library.cards.get(self.session.current or "") if self.session else None
        if card is None:
            return
        text = card.front + ("\n" + card.back if self.revealed else "")
        images = [path for _, path in card_images(text, Path(card.source).parent)]
        existing = [path for path in images if path.is_file()]
        if not existing:
            self.say("This card shows no image file." if not images else "Its image is missing.")
            return
        from companion.ui.link_opener import open_elsewhere

        open_elsewhere(self.app, existing[0].resolve().as_uri())

    # -- statistics ---------------------------------------------------------
    def action_toggle_stats(self) -> None:
        """Show or hide the statistics under the card."""
        stats = self.query_one("#review-stats", Static)
        stats.display = not stats.display
        if stats.display:
            self.refresh_stats()

    def refresh_stats(self) -> None:
        """Draw the cheap figures now; true retention follows from a background read of the log."""
        now = self._now()
        overview = review_overview(self.library, self.store, now, self.orphans)
        self._stats_parts = stats_text(overview)
        self.query_one("#review-stats", Static).update(
            self._stats_parts
            + Text("\nTrue retention: reading the review log…", "dim")
            + self._workload
        )
        self._load_retention(now)

    @work(thread=True, exclusive=True, group="review-stats")
    def _load_retention(self, now: datetime) -> None:
        today = date.fromisoformat(study_day(now.timestamp()))
        retention = retention_of_days(self.store.ledger.retention, today)
        self.app.call_from_thread(self._show_retention, retention)

    def _show_retention(self, retention: Retention) -> None:
        self._stats_parts = self._stats_parts + retention_text(retention)
        self.query_one("#review-stats", Static).update(self._stats_parts + self._workload)

    def action_workload(self) -> None:
        """The workload of each desired retention, under the statistics (W): simulated in a
        process of its own, as `companion cards simulate` does, so the screen never waits."""
        stats = self.query_one("#review-stats", Static)
        if not stats.display:
            stats.display = True
            self.refresh_stats()
        self._workload = Text("\n\nWorkload by desired retention: simulating a year…", "dim")
        stats.update(self._stats_parts + self._workload)
        self._simulate()

    @work(exclusive=True, group="workload")
    async def _simulate(self) -> None:
        command = [sys.executable, "-m", "companion", "--data-dir", str(self.store.data_dir),
                   "cards", "simulate", "--json"]  # fmt: skip
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        out, err = await process.communicate()
        try:
            table = json.loads(out)
        except ValueError:
            why = err.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            self._workload = Text(f"\n\nWorkload: the simulation failed ({why[0]})", "red")
        else:
            self._workload = workload_text(table)
        self.query_one("#review-stats", Static).update(self._stats_parts + self._workload)
        self.call_after_refresh(self.scroll_end, animate=False)  # the table is at the end

    def due_now(self) -> int:
        """Cards waiting now, for the status line; an empty pane picks up a card that fell due."""
        if self.session is None:
            return 0
        now = self._now()
        total = self.session.counts(now).total
        if self.session.current is None and total and self.app.screen is self.screen:
            self._next(now)
        return total
