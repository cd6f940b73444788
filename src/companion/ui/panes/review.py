"""The Review pane: one card at a time; space reveals, 1-4 grade, as in Anki."""

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from companion.config import Settings
from companion.content.loader import Library
from companion.report import daily_limits
from companion.srs.review_session import ReviewSession
from companion.srs.scheduling import Grade, format_interval, make_scheduler
from companion.store import Store
from companion.ui.messages import StudyChanged
from companion.ui.safe_text import plain

GRADE_STYLES = {Grade.AGAIN: "red", Grade.HARD: "yellow", Grade.GOOD: "green", Grade.EASY: "cyan"}


class ReviewPane(Vertical, can_focus=True):
    """Reviews the due cards of every deck with FSRS, each answer saved before the next card."""

    BINDINGS = [
        Binding("space,enter", "reveal_or_good", "Reveal / Good"),
        Binding("1", "grade(1)", "Again", show=False),
        Binding("2", "grade(2)", "Hard", show=False),
        Binding("3", "grade(3)", "Good", show=False),
        Binding("4", "grade(4)", "Easy", show=False),
    ]

    def __init__(self, library: Library, store: Store, settings: Settings, **kwargs) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.store = store
        self.settings = settings
        self.revealed = False
        self.shown_at: datetime | None = None
        self.session: ReviewSession | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="review-counts")
        with Vertical(id="review-card"):
            yield Static(id="review-front")
            yield Static(id="review-back")
        yield Static(id="review-keys")

    def on_mount(self) -> None:
        now = self._now()
        self.session = ReviewSession(
            make_scheduler(self.settings),
            list(self.library.cards),
            self.store.card_states(),
            daily_limits(self.store, self.settings, now),
        )
        self.session.next_card(now)
        self.shown_at = now
        self._show()

    def _now(self) -> datetime:
        return self.app.now()  # type: ignore[attr-defined]

    def _show(self) -> None:
        assert self.session is not None
        now = self._now()
        counts = self.session.counts(now)
        self.query_one("#review-counts", Static).update(
            Text.assemble(
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
        if card is None:
            front.update(self._empty_message(now))
            back.update("")
            back.display = False
            keys.update("")
            return
        front.update(plain(card.front))
        back.update(plain(card.back))
        back.display = self.revealed
        keys.update(self._grade_bar(now) if self.revealed else Text("space  show answer", "dim"))

    def _empty_message(self, now: datetime) -> Text:
        assert self.session is not None
        next_due = self.session.next_due()
        message = Text("Nothing to review right now.", "bold")
        if next_due is not None and next_due > now:
            message.append(f"\nNext card due in {format_interval(next_due - now)}.", "dim")
        elif not self.library.cards:
            message.append("\nAdd a deck to decks/ in the data directory.", "dim")
        else:
            message.append("\nToday's limits are reached; more tomorrow.", "dim")
        return message

    def _grade_bar(self, now: datetime) -> Text:
        assert self.session is not None
        bar = Text()
        for outcome in self.session.preview(now):
            style = GRADE_STYLES[outcome.grade]
            bar.append(f" {int(outcome.grade)} ", f"reverse {style}")
            bar.append(f" {outcome.grade.name.title()} {format_interval(outcome.interval)}   ")
        return bar

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
        """Grade the revealed card, save the answer, and show the next card."""
        if self.session is None or self.session.current is None or not self.revealed:
            return
        now = self._now()
        card_id = self.session.current
        duration = int((now - self.shown_at).total_seconds() * 1000) if self.shown_at else None
        outcome = self.session.answer(Grade(grade), now)
        self.store.record_review(card_id, grade, outcome.state, now, duration)
        self.revealed = False
        self.session.next_card(now)
        self.shown_at = now
        self._show()
        self.post_message(StudyChanged())

    def due_now(self) -> int:
        """Cards waiting now, for the status line."""
        return self.session.counts(self._now()).total if self.session else 0
