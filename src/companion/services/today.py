"""Today: one plan for the day from the reviews, the roadmaps, the study log and memory.

- Reviews: the cards waiting now and those falling due later today, and the minutes they take
  at the learner's own answer times (their latest thousand answers, each capped at a minute).
- Next items: for each roadmap being studied, the next unfinished items (those in progress
  first) worth the day's share of its weekly target at the learner's pace; when the pace of
  the last four weeks is behind the target, more, to make the shortfall up in two weeks.
- Focus blocks done today against the day's share of the weekly target.
- The phases whose linked cards are remembered below the desired retention.
"""

import math
from datetime import datetime, timedelta

from companion.config import Settings
from companion.content.loader import Library
from companion.content.progress import FINISHED, item_state
from companion.content.roadmap import Item, Roadmap
from companion.services.roadmap_memory import RoadmapMemory
from companion.services.study_session import EVERY_DECK, start_review
from companion.services.today_plan import NextItem, TodayPlan, WeakPhase
from companion.srs.review_queue import LEARN_AHEAD, next_day_start
from companion.srs.review_session import ReviewSession
from companion.store import Store
from companion.timer.pace import PACE_WEEKS, forecast, remaining_hours
from companion.timer.study_log import day_start, studied

DEFAULT_ANSWER_SECONDS = 8.0  # until the learner's own answers say otherwise
OWN_PACE_ANSWERS = 20  # fewer than this say little about the learner's pace
MAX_ITEMS_PER_ROADMAP = 5
ITEMS_WITHOUT_ESTIMATES = 3  # a plan with no time estimates: this many items a day
CATCH_UP_DAYS = 14


def active_roadmaps(roadmaps: list[Roadmap], states: dict[str, str], blocks: list[dict],
                    now: datetime) -> list[Roadmap]:  # fmt: skip
    """The roadmaps being studied: an item set, or time logged on one in the last four weeks
    (the first roadmap when none is yet)."""
    since = (now - timedelta(weeks=PACE_WEEKS)).timestamp()
    recent = {b.get("item_id") for b in blocks if studied(b) and b.get("ended_at", 0) >= since}
    started = [
        r for r in roadmaps
        if any(item.id in states or item.id in recent for item in r.items)
    ]  # fmt: skip
    return started or roadmaps[:1]


def _item_hours(roadmap: Roadmap, states: dict[str, str], weekly: float) -> dict[str, float]:
    """Each unfinished item's hours: its own estimate, else its share of what is left."""
    left = [item for item in roadmap.items if item_state(item, states) not in FINISHED]
    timed = {i.id: i.estimate.midpoint_hours(weekly) for i in left if i.estimate}  # type: ignore[union-attr]
    if timed:
        return timed
    remaining = remaining_hours(roadmap, states, weekly)
    if remaining is None or not left:
        return {}
    return {item.id: remaining / len(left) for item in left}


def next_items(roadmap: Roadmap, states: dict[str, str], blocks: list[dict], now: datetime,
               weekly: float) -> tuple[list[NextItem], bool, float]:  # fmt: skip
    """The items for today, whether the roadmap is behind its target, and the hours they are
    chosen to fill."""
    outlook = forecast(roadmap, states, blocks, now, weekly)
    weekly = roadmap.weekly_target_hours or weekly
    pace = outlook.pace_hours_per_week
    ids = {item.id for item in roadmap.items}
    first = min((b["started_at"] for b in blocks if b.get("item_id") in ids), default=None)
    week_ago = (now - timedelta(weeks=1)).timestamp()
    # behind: studied for over a week, slower than the target (not a plan just begun)
    behind = (outlook.remaining_hours is not None and pace < weekly
              and first is not None and first < week_ago)  # fmt: skip
    per_day = max(pace, weekly) / 7
    if behind:
        shortfall = (weekly - pace) * PACE_WEEKS
        per_day = min(weekly / 7 + shortfall / CATCH_UP_DAYS, 2 * weekly / 7)
    hours = _item_hours(roadmap, states, weekly)
    unfinished = [item for item in roadmap.items if item_state(item, states) not in FINISHED]
    ordered = sorted(unfinished, key=lambda item: item_state(item, states) != "doing")
    chosen: list[Item] = []
    planned = 0.0
    for item in ordered:
        if len(chosen) >= MAX_ITEMS_PER_ROADMAP:
            break
        if not hours and len(chosen) >= ITEMS_WITHOUT_ESTIMATES:
            break
        if hours and chosen and planned >= per_day:
            break
        chosen.append(item)
        planned += hours.get(item.id, 0.0)
    found = [
        NextItem(roadmap.id, roadmap.title, item.id, item.text, item_state(item, states),
                 hours.get(item.id))
        for item in chosen
    ]  # fmt: skip
    return found, behind, per_day


def plan_today(
    library: Library,
    store: Store,
    settings: Settings,
    now: datetime,
    session: ReviewSession | None = None,
    memory: RoadmapMemory | None = None,
) -> TodayPlan:
    """The plan for the learner's day, over every deck switched on. The app passes its review
    `session` while it studies every deck (its counts are the queue's) and a `memory` it
    keeps, which measures a card again only once it changed."""
    session = session or start_review(library, store, settings, now, EVERY_DECK)
    due_now = session.counts(now).total
    due_later = session.queue.later_today(now)
    seconds = store.recent_answer_seconds()
    own_pace = len(seconds) >= OWN_PACE_ANSWERS
    per_answer = sum(seconds) / len(seconds) if own_pace else DEFAULT_ANSWER_SECONDS
    states, blocks = store.item_states(), store.study_blocks()
    since = day_start(now).timestamp()
    done = sum(  # as a pomodoro app counts them: the blocks run to their end
        1
        for b in blocks
        if b.get("phase") == "focus" and b.get("outcome") == "completed" and b["ended_at"] >= since
    )
    target = math.ceil(settings.weekly_target_hours * 60 / 7 / max(settings.focus_minutes, 1))
    active = active_roadmaps(library.roadmaps, states, blocks, now)
    share = settings.weekly_target_hours / max(1, sum(not r.weekly_target_hours for r in active))
    items: list[NextItem] = []
    behind: list[str] = []
    hours_today: dict[str, float] = {}
    for roadmap in active:
        found, late, hours_today[roadmap.id] = next_items(roadmap, states, blocks, now, share)
        items += found
        if late:
            behind.append(roadmap.id)
    weak = [
        WeakPhase(r.id, phase_id, title, m.retrievability or 0.0, m.due, m.cards)
        for r, phase_id, title, m in (
            memory or RoadmapMemory(library, store, settings)
        ).weak_phases(now)
    ]
    return TodayPlan(due_now, due_later, per_answer, done, target, settings.focus_minutes,
                     items, behind, hours_today, weak, own_pace)  # fmt: skip


WEEK_S = 7 * 86400


def plan_stays_until(
    session: ReviewSession, blocks: list[dict], now: datetime, roadmaps: list[Roadmap]
) -> float:
    """The first moment after `now` at which the plan may change by time alone: a new study
    day or calendar day, a learning card coming within the 20 minutes the queue looks ahead,
    a focus block leaving the four weeks the pace counts, a roadmap's first block turning a
    week old (what `plan_today` reads of the clock)."""
    moments = [next_day_start(now).timestamp(), day_start(now + timedelta(days=1)).timestamp()]
    moments += [due - LEARN_AHEAD.total_seconds() for due in session.queue.learning_due_times()]
    first_of_item: dict[str, float] = {}
    for block in blocks:
        if isinstance(block.get("ended_at"), int | float):
            moments.append(block["ended_at"] + PACE_WEEKS * WEEK_S)
        started, item_id = block.get("started_at"), block.get("item_id")
        if isinstance(started, int | float) and started < first_of_item.get(item_id, math.inf):
            first_of_item[item_id] = started
    for roadmap in roadmaps:  # only its first block's week counts (`next_items`' "behind")
        starts = [first_of_item[i.id] for i in roadmap.items if i.id in first_of_item]
        if starts:
            moments.append(min(starts) + WEEK_S)
    now_ts = now.timestamp()
    return min(moment for moment in moments if moment > now_ts)
