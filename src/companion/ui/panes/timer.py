"""The Timer pane: the block in large digits, what it is credited to, and the study log."""

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Digits, Static

from companion.text import shorten
from companion.timer.focus_timer import FocusTimer, Phase, Status, clock_face
from companion.timer.study_log import today_minutes, week_minutes
from companion.ui.safe_text import plain


class TimerPane(VerticalScroll, can_focus=True):
    """Focus blocks and breaks; the keys act on the block on the clock."""

    BINDINGS = [
        Binding("space", "app.toggle_timer", "Start/pause", show=False),
        Binding("s", "timer('skip')", "Skip"),
        Binding("r", "timer('reset')", "Reset", show=False),
        Binding("plus", "timer('extend')", "+5 min"),
        Binding("i", "timer('interrupt_internal')", "Interrupted", show=False),
        Binding("I", "timer('interrupt_external')", "External interruption", show=False),
        Binding("l", "timer('credit_selected')", "Credit selected item", show=False),
        Binding("h", "app.study_history", "History"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="timer-phase")
        yield Digits("25:00", id="timer-digits")
        yield Static(id="timer-item")
        yield Static(id="timer-totals")
        yield Static(id="timer-log")
        yield Static(id="timer-study")

    def action_timer(self, command: str) -> None:
        """Run a timer command through the app's controller."""
        control = self.app.timer_control  # type: ignore[attr-defined]
        if command.startswith("interrupt_"):
            control.interrupt(external=command.endswith("external"))
        else:
            getattr(control, command)()

    def show_clock(self, timer: FocusTimer, item_title: str | None) -> None:
        """Redraw the parts that change every second."""
        state = timer.state
        status = {Status.IDLE: "ready", Status.RUNNING: "running", Status.PAUSED: "paused"}
        phase = Text.assemble(
            (state.phase.label, "bold"),
            f"  ·  {status[state.status]}",
            (f"  ·  block {state.focus_done + 1}", "dim"),
        )
        if state.interruptions_internal or state.interruptions_external:
            phase.append(
                f"  ·  interruptions {state.interruptions_internal} internal, "
                f"{state.interruptions_external} external",
                "yellow",
            )
        self.query_one("#timer-phase", Static).update(phase)
        self.query_one("#timer-digits", Digits).update(clock_face(timer.remaining()))
        self.set_class(state.status is Status.RUNNING, "-running")
        self.set_class(state.status is Status.PAUSED, "-paused")
        credit = Text("Credited to: ", "dim")
        credit.append_text(
            plain(shorten(item_title, 80)) if item_title else Text("no item selected", "italic")
        )
        hint = "space/p pause" if state.status is Status.RUNNING else "space/p start"
        hint += (
            "  ·  s skip  ·  r reset  ·  + 5 min  ·  i/I interruption  ·  l credit selected item"
        )
        if state.phase is not Phase.FOCUS:
            hint += "\nOn a break: c opens your review cards."
        credit.append(f"\n{hint}", "dim")
        self.query_one("#timer-item", Static).update(credit)

    def show_log(
        self, blocks: list[dict], target_minutes: float, now: datetime, study: Text
    ) -> None:
        """Redraw the totals, the study statistics and the recent blocks."""
        week = week_minutes(blocks, now)
        totals = Text.assemble(
            ("Today ", "dim"),
            (f"{today_minutes(blocks, now):.0f} min", "bold"),
            ("   This week ", "dim"),
            (f"{week:.0f}", "bold"),
            f" / {target_minutes:.0f} min target",
        )
        self.query_one("#timer-totals", Static).update(totals)
        self.query_one("#timer-study", Static).update(study)
        self.query_one("#timer-log", Static).update(self._recent(blocks))

    def _recent(self, blocks: list[dict]) -> Text:
        focus = [b for b in blocks if b.get("phase") == "focus"][-5:]
        text = Text("Recent focus blocks\n", "bold", no_wrap=True, overflow="ellipsis")
        if not focus:
            text.append("none yet", "dim")
        marks = {"completed": "✓", "skipped": "» skipped", "abandoned": "× abandoned"}
        for block in reversed(focus):
            when = datetime.fromtimestamp(block["ended_at"]).astimezone().strftime("%a %H:%M")
            mark = marks.get(block.get("outcome"), "")
            # Columns, so the lines read as a table: day and time, length, outcome, item.
            text.append(f"{when}  {block['minutes']:>4.0f} min  {mark:<11}  ")
            text.append_text(plain(shorten(block.get("item_title") or "—", 40), "dim"))
            if block.get("note"):
                text.append_text(plain(f"  “{shorten(block['note'], 36)}”", "italic"))
            text.append("\n")
        return text
