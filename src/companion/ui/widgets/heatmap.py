"""A calendar heatmap drawn with shade characters: one column a week, one row a weekday."""

from datetime import date, timedelta

from rich.text import Text

from companion.text import plural

SHADES = [
    (" ·", "dim"),
    (" ░", "green"),
    (" ▒", "green"),
    (" ▓", "bold green"),
    (" █", "bold green"),
]
WEEKDAYS = ["Mon", "", "Wed", "", "Fri", "", "Sun"]


def shade(value: float, top: float) -> tuple[str, str]:
    """The shade for a value relative to the busiest day."""
    if value <= 0 or top <= 0:
        return SHADES[0]
    return SHADES[min(4, 1 + int(3.999 * value / top))]


def month_labels(start: date, weeks: int) -> str:
    """'Jun     Jul     Aug': each month's three letters over its first week's column."""
    line = [" "] * (2 * weeks + 2)
    free_from = 0
    for week in range(weeks):
        monday = start + timedelta(days=7 * week)
        column = 2 * week + 1  # over the shade, not its leading space
        if monday.day <= 7 and column >= free_from:
            line[column : column + 3] = monday.strftime("%b")
            free_from = column + 4
    return "".join(line).rstrip()


def heatmap(values: dict[str, float], last_day: date, weeks: int, unit: str) -> Text:
    """Weeks side by side ending with the week of `last_day`; a legend below. `unit` is
    singular ('review', 'minute')."""
    end = last_day + timedelta(days=6 - last_day.weekday())
    start = end - timedelta(days=7 * weeks - 1)
    top = max(values.values(), default=0)
    text = Text()
    text.append("    " + month_labels(start, weeks) + "\n", "dim")
    for weekday in range(7):
        text.append(f"{WEEKDAYS[weekday]:<4}", "dim")
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            if day > last_day:
                text.append("  ")
                continue
            glyph, style = shade(values.get(day.isoformat(), 0), top)
            text.append(glyph, style)
        text.append("\n")
    total = sum(values.values())
    active = sum(1 for v in values.values() if v > 0)
    text.append(f"    less {''.join(g for g, _ in SHADES)} more", "dim")
    text.append(
        f"   {plural(round(total), unit)} on {plural(active, 'day')}, busiest {top:.0f}", "dim"
    )
    return text
