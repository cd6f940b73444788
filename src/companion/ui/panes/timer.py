"""The Timer pane: the focus block in large digits, what it is credited to, and study totals."""

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Digits, Static

from companion.timer.focus_timer import FocusTimer, Status
from companion.timer.study_log import today_minutes, week_minutes
from companion.ui.safe_text import plain


def shorten(text: str, width: int) -> str:
    """One line of at most `width` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def clock_face(seconds: float) -> str:
    """MM:SS, rounding up so a block never shows 00:00 while still running."""
    whole = int(seconds + 0.999)
    return f"{whole // 60:02d}:{whole % 60:02d}"


class TimerPane(Vertical, can_focus=True):
    """Start and pause focus blocks; see today's and this week's study time."""

    BINDINGS = [Binding("space", "app.toggle_timer", "Start/pause", show=False)]

    def compose(self) -> ComposeResult:
        yield Static(id="timer-phase")
        yield Digits("25:00", id="timer-digits")
        yield Static(id="timer-item")
        yield Static(id="timer-totals")
        yield Static(id="timer-log")

    def show(
        self,
        timer: FocusTimer,
        item_title: str | None,
        blocks: list[dict],
        target_minutes: float,
        now: datetime,
    ) -> None:
        """Redraw from the timer and the study log."""
        state = timer.state
        status = {Status.IDLE: "ready", Status.RUNNING: "running", Status.PAUSED: "paused"}
        phase = Text.assemble(
            (state.phase.label, "bold"),
            f"  ·  {status[state.status]}",
            (f"  ·  block {state.focus_done + 1}", "dim"),
        )
        self.query_one("#timer-phase", Static).update(phase)
        self.query_one("#timer-digits", Digits).update(clock_face(timer.remaining()))
        self.set_class(state.status is Status.RUNNING, "-running")
        self.set_class(state.status is Status.PAUSED, "-paused")
        credit = Text("Credited to: ", "dim")
        credit.append_text(
            plain(shorten(item_title, 80)) if item_title else Text("no item selected", "italic")
        )
        hint = "space or p to pause" if state.status is Status.RUNNING else "space or p to start"
        credit.append(f"\n{hint}", "dim")
        self.query_one("#timer-item", Static).update(credit)
        week = week_minutes(blocks, now)
        totals = Text.assemble(
            ("Today ", "dim"),
            (f"{today_minutes(blocks, now):.0f} min", "bold"),
            ("   This week ", "dim"),
            (f"{week:.0f}", "bold"),
            f" / {target_minutes:.0f} min target",
        )
        self.query_one("#timer-totals", Static).update(totals)
        self.query_one("#timer-log", Static).update(self._recent(blocks))

    def _recent(self, blocks: list[dict]) -> Text:
        focus = [b for b in blocks if b.get("phase") == "focus"][-5:]
        text = Text("Recent focus blocks\n", "bold")
        if not focus:
            text.append("none yet", "dim")
        for block in reversed(focus):
            when = datetime.fromtimestamp(block["ended_at"]).astimezone().strftime("%a %H:%M")
            outcome = "✓" if block.get("completed") else "× abandoned"
            text.append(f"{when}  {block['minutes']:.0f} min {outcome}  ")
            text.append_text(plain(shorten(block.get("item_title") or "—", 60), "dim"))
            text.append("\n")
        return text
