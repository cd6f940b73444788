"""The study log under the clock: heatmap, weeks against target, streak, phases, forecast."""

from datetime import datetime

from rich.text import Text

from companion.content.loader import Library
from companion.text import plural
from companion.timer.pace import HORIZON_YEARS, forecast, phase_times
from companion.timer.study_log import (
    interruptions_since,
    minutes_per_day,
    minutes_per_week,
    streak,
    week_start,
)
from companion.ui.safe_text import plain
from companion.ui.widgets.heatmap import heatmap

HEATMAP_WEEKS = 12
BAR_WEEKS = 8
BAR_WIDTH = 30


def week_bars(weeks: list[tuple[str, float]], target_minutes: float) -> Text:
    """One bar per week with the target marked, so a short week is plain to see."""
    text = Text()
    top = max([target_minutes, *(minutes for _, minutes in weeks)]) or 1
    target_at = round(BAR_WIDTH * target_minutes / top)
    for monday, minutes in weeks:
        filled = round(BAR_WIDTH * minutes / top)
        met = minutes >= target_minutes
        bar = "".join(
            "█" if i < filled else ("│" if i == target_at else "·") for i in range(BAR_WIDTH + 1)
        )
        text.append(f"{monday[5:]}  ", "dim")
        text.append(bar, "green" if met else "yellow")
        text.append(f"  {minutes / 60:4.1f} h\n")
    text.append(f"       │ target {target_minutes / 60:.1f} h a week", "dim")
    return text


def study_text(
    library: Library, states: dict[str, str], blocks: list[dict], now: datetime, weekly_hours: float
) -> Text:
    """Everything the Timer pane says about study time."""
    target = weekly_hours * 60
    text = Text("Minutes per day, last 12 weeks\n", "bold")
    today = now.astimezone().date()
    text.append_text(
        heatmap(minutes_per_day(blocks, today, HEATMAP_WEEKS * 7), today, HEATMAP_WEEKS, "minute")
    )
    text.append("\n\nWeeks against target\n", "bold")
    text.append_text(week_bars(minutes_per_week(blocks, now, BAR_WEEKS), target))
    days = streak(blocks, now, target / 7)
    text.append(f"\n\nStreak: {days} day{'s' if days != 1 else ''} ", "bold")
    text.append(f"meeting the daily share ({target / 7:.0f} min)", "dim")
    internal, external, focus = interruptions_since(blocks, week_start(now))
    if focus:
        text.append("\nInterruptions this week: ", "bold")
        text.append(
            f"{internal} internal, {external} external in {plural(focus, 'focus block')} "
            "(h lists every block)",
            "dim",
        )
    for roadmap in library.roadmaps:
        times = [
            t
            for t in phase_times(roadmap, blocks, weekly_hours)
            if t.logged_hours or t.estimate_hours
        ]
        outlook = forecast(roadmap, states, blocks, now, weekly_hours)
        if not times and outlook.remaining_hours is None:
            continue
        text.append("\n\n")
        text.append_text(plain(roadmap.title, "bold"))
        for phase_time in times:
            text.append("\n  ")
            text.append_text(plain(phase_time.title[:40]))
            text.append(f"  {phase_time.logged_hours:.1f} h logged", "")
            if phase_time.estimate_text:
                low, high = phase_time.estimate_hours or (0, 0)
                text.append(f" of {phase_time.estimate_text} (≈{low:.0f}-{high:.0f} h)", "dim")
        if outlook.remaining_hours is not None:
            text.append(f"\n  About {outlook.remaining_hours:.0f} h left. ", "")
            if outlook.finish_at_pace:
                text.append(
                    f"At your pace ({outlook.pace_hours_per_week:.1f} h/week, last 4 "
                    f"weeks): done by {outlook.finish_at_pace:%d %b %Y}. ",
                    "cyan",
                )
            elif outlook.pace_beyond_horizon:
                text.append(
                    f"At your pace ({outlook.pace_hours_per_week:.1f} h/week): more than "
                    f"{HORIZON_YEARS} years. ",
                    "yellow",
                )
            else:
                text.append("No study logged in the last 4 weeks. ", "yellow")
            if outlook.finish_at_target:
                text.append(f"At target: {outlook.finish_at_target:%d %b %Y}.", "dim")
            elif outlook.target_beyond_horizon:
                text.append(f"At target: more than {HORIZON_YEARS} years.", "dim")
    return text
