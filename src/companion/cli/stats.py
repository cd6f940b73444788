"""`companion stats`: due cards, reviews today, progress, study time and the timer."""

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

from companion.cli.console import say
from companion.config import Settings


def add_stats_parser(commands: argparse._SubParsersAction) -> None:
    """Register `stats`."""
    stats = commands.add_parser(
        "stats",
        help="print due cards, progress and study time",
        description="Print due cards, reviews today, progress per roadmap, study minutes this "
        "week against the weekly target, and the timer.",
    )
    stats.add_argument("--json", action="store_true", help="print one JSON object")


def run_stats(data_dir: Path, settings: Settings, as_json: bool) -> int:
    """Print the numbers, as text or one JSON object."""
    from companion.services.content_sources import load_content
    from companion.services.report import build_stats
    from companion.store import open_store

    store = open_store(data_dir, read_only=True, settings=settings, notice=say)
    try:
        stats = build_stats(load_content(data_dir), store, settings, datetime.now(UTC))
    finally:
        store.close()
    if as_json:
        print(json.dumps(stats, indent=2))
        return 0
    for problem in stats["content_problems"]:
        say(f"companion: {problem}")
    hours = stats["study_minutes_week"] / 60
    target = stats["weekly_target_minutes"] / 60
    print(f"Due now: {stats['due_now']}   Reviews today: {stats['reviews_today']}")
    print(f"Studied this week: {hours:.1f} h of {target:.1f} h")
    for roadmap in stats["roadmaps"]:
        print(f"{roadmap['title']}: {roadmap['percent']}% ({roadmap['done']}/{roadmap['total']})")
    timer = stats["timer"]
    print(f"Timer: {timer['phase']} {timer['state']}, {timer['remaining_seconds'] // 60} min left")
    return 0
