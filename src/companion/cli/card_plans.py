"""`companion cards forecast` and `cards simulate`: the reviews to come, and the workload each
desired retention would bring."""

import json
from datetime import datetime, timedelta
from pathlib import Path

from companion.config import Settings
from companion.content.loader import load_library
from companion.store import open_store

BARS = " ▁▂▃▄▅▆▇█"


def forecast(data_dir: Path, settings: Settings, days: int, as_json: bool) -> int:
    """The reviews falling due on each of the next `days` days (overdue ones today)."""
    from companion.srs.review_stats import due_forecast

    now = datetime.now().astimezone()
    store = open_store(data_dir, read_only=True, settings=settings)
    try:
        counts = due_forecast(list(store.ledger.records.values()), now, days)
    finally:
        store.close()
    today = now.date()
    rows = [{"date": (today + timedelta(days=n)).isoformat(), "due": c}
            for n, c in enumerate(counts)]  # fmt: skip
    if as_json:
        print(json.dumps({"days": rows, "total": sum(counts)}, indent=2))
        return 0
    top = max(counts, default=0) or 1
    for row in rows:
        bar = "█" * round(40 * row["due"] / top)
        print(f"{row['date']}  {row['due']:>6,}  {bar}")
    print(f"{sum(counts):,} reviews in {days} days")
    return 0


def simulate(data_dir: Path, content_dirs: list[Path], settings: Settings, as_json: bool) -> int:
    """The workload table, with the learner's desired retention marked."""
    from companion.services.workload import DAYS, simulate_workload

    cards = len(load_library(content_dirs).cards)
    table = simulate_workload(settings, cards)
    current = round(settings.desired_retention, 2)
    if as_json:
        print(json.dumps({
            "cards": cards, "days": DAYS, "desired_retention": settings.desired_retention,
            "rows": [{"desired_retention": w.desired_retention,
                      "minutes_per_day": round(w.minutes_per_day, 1),
                      "remembered": round(w.remembered), "current": w.desired_retention == current}
                     for w in table],
        }, indent=2))  # fmt: skip
        return 0
    print(f"A year of study of {cards:,} cards at each desired retention (fsrs-rs simulator):")
    print("retention  min/day  remembered after a year")
    for w in table:
        mark = "  ← yours" if w.desired_retention == current else ""
        print(
            f"  {w.desired_retention:.2f}    {w.minutes_per_day:6.1f}   {w.remembered:8,.0f}{mark}"
        )
    return 0
