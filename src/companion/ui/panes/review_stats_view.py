"""The statistics under the Review pane's card, drawn as text and shade characters."""

from datetime import date

from rich.text import Text

from companion.srs.review_stats import Retention
from companion.ui.widgets.heatmap import heatmap

WEEKS = 26


def stats_text(overview: dict) -> Text:
    """Heatmap of reviews, the 14-day due forecast and totals by state."""
    per_day = overview["reviews_per_day"]
    text = Text("Reviews per day, last 6 months\n", "bold")
    text.append_text(heatmap(per_day, date.fromisoformat(max(per_day)), WEEKS, "review"))
    forecast = overview["due_forecast_14d"]
    text.append("\n\nDue in the next 14 days\n", "bold")
    top = max(forecast, default=0) or 1
    bars = "▁▂▃▄▅▆▇█"
    text.append(" ".join(bars[min(7, round(7 * n / top))] if n else "·" for n in forecast), "cyan")
    text.append(f"   today {forecast[0]}, tomorrow {forecast[1]}, 14 days {sum(forecast)}", "dim")
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
