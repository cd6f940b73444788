"""What the roadmap tree says on each line: state marks, progress bars, estimates and pace."""

from rich.text import Text

from companion.content.progress import Progress, item_state, phase_progress, roadmap_progress
from companion.content.roadmap import Item, Phase, Roadmap
from companion.srs.memory import Memory
from companion.timer.pace import HORIZON_YEARS, Forecast, PhaseTime
from companion.ui.safe_text import plain

STATE_MARKS = {
    "todo": ("○", "dim"),
    "doing": ("◐", "bold yellow"),
    "done": ("●", "green"),
    "skipped": ("–", "dim italic"),
}


def progress_text(progress: Progress) -> Text:
    """A short bar and percentage, like `██░░░ 40% (4/10)`."""
    filled = round(progress.percent / 20)
    return Text.assemble(
        ("█" * filled, "green"),
        ("░" * (5 - filled), "dim"),
        f" {progress.percent}% ({progress.finished}/{progress.total})",
    )


HEALTH_BADGES = {"broken": ("✗ ", "bold red"), "blocked": ("⊘ ", "yellow")}
MEMORY_CELLS = 4


def memory_badge(memory: Memory) -> Text:
    """Linked cards' memory: a small gauge of their retrievability now, the percentage, how
    many are due, and a mark when it is below the desired retention (`▰▰▰▱ 78%! 3 due`)."""
    recall = memory.retrievability
    if recall is None:
        return Text(f"{'▱' * MEMORY_CELLS} new ", "dim")
    filled = round(recall * MEMORY_CELLS)
    style = "red" if memory.weak else "green"
    badge = Text.assemble(("▰" * filled, style), ("▱" * (MEMORY_CELLS - filled), "dim"))
    badge.append(f" {recall:.0%}", style)
    if memory.weak:
        badge.append("!", "bold red")
    if memory.due:
        badge.append(f" {memory.due} due", "yellow")
    badge.append(" ")
    return badge


def item_label(
    item: Item,
    states: dict[str, str],
    has_note: bool,
    health: str | None = None,
    memory: Memory | None = None,
) -> Text:
    """A state mark, the item, its links and their health, a mark for the learner's notes,
    and the memory of its cards."""
    state = item_state(item, states)
    mark, style = STATE_MARKS[state]
    # Marks come before the text, so a long item's text never pushes them out of view.
    label = Text.assemble((mark + " ", style), HEALTH_BADGES.get(health, ""))
    if memory is not None:
        label.append_text(memory_badge(memory))
    if has_note:
        label.append("✎ ", "magenta")
    if item.estimate:
        label.append(f"[{item.estimate.text}] ", "italic cyan")
    label.append_text(plain(item.text))
    if item.resources:
        label.append(f"  ↗{len(item.resources)}", "dim cyan")
    if state == "skipped":
        label.stylize("dim")
    return label


def phase_label(
    phase: Phase, states: dict[str, str], time: PhaseTime | None, memory: Memory | None = None
) -> Text:
    """The phase, its estimate beside the hours logged on it, its progress, and the memory of
    its items' cards."""
    label = plain(phase.title, "bold")
    if phase.estimate:
        label.append(f"  [{phase.estimate.text}]", "italic cyan")
    if time and time.logged_hours:
        label.append(f"  {time.logged_hours:.1f} h logged", "magenta")
    if phase.items:
        label.append("  ")
        label.append_text(progress_text(phase_progress(phase, states)))
    if phase.resources:  # the section's own links ("Link to Course")
        label.append(f"  ↗{len(phase.resources)}", "dim cyan")
    if memory is not None:
        label.append("  memory ", "dim")
        label.append_text(memory_badge(memory))
    return label


def roadmap_label(roadmap: Roadmap, states: dict[str, str], outlook: Forecast) -> Text:
    """The roadmap, its progress, and when it will be finished."""
    label = Text.assemble(
        plain(roadmap.title, "bold"), "  ", progress_text(roadmap_progress(roadmap, states))
    )
    if outlook.remaining_hours is not None:
        if outlook.finish_at_pace:
            label.append(f"  · done by {outlook.finish_at_pace:%d %b %Y} at your pace", "cyan")
        elif outlook.pace_beyond_horizon:
            label.append(f"  · more than {HORIZON_YEARS} years at this pace", "yellow")
        elif outlook.finish_at_target:
            label.append(
                f"  · ~{outlook.remaining_hours:.0f} h left, "
                f"{outlook.finish_at_target:%d %b %Y} at target",
                "dim",
            )
    return label
