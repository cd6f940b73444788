"""The status line under every pane: cards due, the running timer, this week's hours."""

from rich.text import Text
from textual.widgets import Static

from companion.timer.focus_timer import FocusTimer, Status, clock_face


def status_text(
    due: int | None, timer: FocusTimer, week_minutes: float, target_minutes: float
) -> Text:
    """One line summarising the learner's day (`due` is None until the review queue is built)."""
    text = Text.assemble((" ◆ ", "cyan"), ("…" if due is None else f"{due}", "bold"), " due")
    text.append("   │   ", "dim")
    state = timer.state
    if state.status is Status.IDLE:
        text.append(f"○ {state.phase.label} ready", "dim")
    else:
        mark = "▶" if state.status is Status.RUNNING else "‖"
        style = "bold green" if state.status is Status.RUNNING else "yellow"
        text.append(f"{mark} {state.phase.label} {clock_face(timer.remaining())}", style)
    text.append("   │   ", "dim")
    text.append(f"Week {week_minutes / 60:.1f} / {target_minutes / 60:.0f} h")
    return text


class StatusLine(Static):
    """Always visible; refreshed by the app when anything it shows changes."""
