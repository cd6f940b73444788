"""The statistics under the Review pane's card, drawn as text and shade characters."""

from datetime import date

from rich.text import Text

from companion.srs.review_stats import Retention
from companion.ui.widgets.heatmap import heatmap

WEEKS = 26


BAR_ROWS = 5
EIGHTHS = " ▁▂▃▄▅▆▇█"


def bar_chart(counts: list[int], rows: int = BAR_ROWS) -> Text:
    """Columns of block characters, one per day (two cells wide), the tallest `rows` high,
    with a dot under each week's first day."""
    top = max(counts, default=0) or 1
    text = Text()
    for row in range(rows, 0, -1):
        line = []
        for count in counts:
            eighths = round(8 * rows * count / top) - 8 * (row - 1)
            line.append(EIGHTHS[max(0, min(8, eighths))] * 2)
        text.append(" ".join(line).rstrip() + "\n", "cyan")
    text.append(" ".join("▔▔" if day % 7 == 0 else "  " for day in range(len(counts))), "dim")
    return text


def stats_text(overview: dict) -> Text:
    """Heatmap of reviews, the 30-day due forecast as bars and totals by state."""
    per_day = overview["reviews_per_day"]
    text = Text("Reviews per day, last 6 months\n", "bold")
    text.append_text(heatmap(per_day, date.fromisoformat(max(per_day)), WEEKS, "review"))
    forecast = overview["due_forecast_30d"]
    text.append("\n\nDue in the next 30 days\n", "bold")
    text.append_text(bar_chart(forecast))
    text.append(
        f"\ntoday {forecast[0]}, tomorrow {forecast[1]}, 7 days {sum(forecast[:7])}, "
        f"30 days {sum(forecast)} (busiest day {max(forecast, default=0)})",
        "dim",
    )
    totals = overview["totals"]
    text.append("\n\nCards  ", "bold")
    text.append("   ".join(f"{name} {count}" for name, count in totals.items()))
    if overview.get("fsrs_refit"):
        text.append("\n\n" + overview["fsrs_refit"], "bold yellow")
    return text


def retention_text(retention: Retention) -> Text:
    """True retention over the last 30 days, young and mature cards apart."""
    figures = retention.as_dict()
    text = Text("\nTrue retention, last 30 days  ", "bold")
    for group in ("young", "mature"):
        rate = figures[group]
        shown = f"{rate:.1%}" if rate is not None else "—"
        text.append(f"{group} {shown} ({figures[group + '_reviews']} reviews)   ")
    return text


def workload_text(table: dict) -> Text:
    """`cards simulate --json` as bars: minutes a day for each desired retention, the cards
    remembered after a year beside them, the learner's setting marked."""
    rows = table["rows"]
    top = max((r["minutes_per_day"] for r in rows), default=0) or 1
    text = Text(f"\n\nWorkload by desired retention (a year of {table['cards']:,} cards, "
                "fsrs-rs simulator)\n", "bold")  # fmt: skip
    text.append("retention  min/day                            remembered\n", "dim")
    for row in rows:
        width = round(28 * row["minutes_per_day"] / top)
        style = "bold yellow" if row["current"] else "cyan"
        text.append(f"  {row['desired_retention']:.2f}   {row['minutes_per_day']:6.1f} ")
        text.append(("█" * width).ljust(28), style)
        text.append(f"  {row['remembered']:,}")
        text.append("  ← yours\n" if row["current"] else "\n", "bold yellow")
    return text
