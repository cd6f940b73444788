"""`companion today`: the day's plan, as the Today view shows it."""

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from companion.cli.console import say
from companion.config import Settings
from companion.text import plural

if TYPE_CHECKING:
    from companion.services.today_plan import TodayPlan


def _worked_out(data_dir: Path, settings: Settings, stamp: tuple, now: datetime) -> "TodayPlan":
    """The plan worked out from the cards, roadmaps and log, kept for the next calls with the
    plans that follow it (the first call of the morning finds one)."""
    from companion.services.content_sources import load_content
    from companion.services.today_cache import keep_plans
    from companion.services.today_keeper import plans_ahead
    from companion.store import open_store

    store = open_store(data_dir, read_only=True, settings=settings, notice=say)
    try:
        windows = plans_ahead(load_content(data_dir), store, settings, now)
        keep_plans(data_dir, stamp, windows)
    finally:
        store.close()
    return windows[0][2]


def add_today_parser(commands: argparse._SubParsersAction) -> None:
    """Register `today`."""
    today = commands.add_parser(
        "today",
        help="print the plan for today",
        description="Print what to do today: the reviews due and the minutes they take, the "
        "next items of each roadmap being studied, the focus blocks done against the day's "
        "share of the weekly target, and the phases remembered below the desired retention.",
    )
    today.add_argument("--json", action="store_true", help="print one JSON object")


def run_today(data_dir: Path, settings: Settings, as_json: bool) -> int:
    from companion.services.today_cache import inputs_stamp, kept_plan

    now = datetime.now(UTC)
    stamp = inputs_stamp(data_dir)  # before anything is read: an edit meanwhile shows
    plan = kept_plan(data_dir, stamp, now) or _worked_out(data_dir, settings, stamp, now)
    if as_json:
        print(json.dumps(plan.as_dict(), indent=2))
        return 0
    later = f" (+{plan.due_later} later today)" if plan.due_later else ""
    print(f"Reviews: {plural(plan.due_now, 'card')} due now{later}, "
          f"about {plan.review_minutes:.0f} min")  # fmt: skip
    print(f"Focus blocks: {plan.blocks_done} of {plan.blocks_target} today")
    titles = {}
    for item in plan.next_items:
        if item.roadmap_id not in titles:
            titles[item.roadmap_id] = item.roadmap_title
            behind = "  (behind its target: catching up)" if item.roadmap_id in plan.behind else ""
            print(f"{item.roadmap_title}{behind}")
        hours = f"  ~{item.hours:.1f} h" if item.hours else ""
        print(f"  {'▸' if item.state == 'doing' else '·'} {item.text}{hours}")
    for phase in plan.weak_phases:
        print(f"Fading: {phase.title}: {phase.retrievability:.0%} remembered, {phase.due} due")
    return 0
