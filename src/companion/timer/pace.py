"""Time against estimates, and when a roadmap will be finished at the learner's real pace."""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from companion.content.progress import FINISHED, item_state, roadmap_progress
from companion.content.roadmap import Roadmap
from companion.timer.study_log import focus_minutes_since, minutes_per_item, studied

PACE_WEEKS = 4
HORIZON_YEARS = 10  # a forecast further out is said as "more than 10 years", never as a date


@dataclass(frozen=True)
class PhaseTime:
    """Hours logged on a phase's items beside the phase's estimate."""

    phase_id: str
    title: str
    logged_hours: float
    estimate_hours: tuple[float, float] | None
    estimate_text: str | None


def phase_times(roadmap: Roadmap, blocks: list[dict], weekly_hours: float) -> list[PhaseTime]:
    """For each phase: hours logged against its items, and its estimate in hours."""
    weekly_hours = roadmap.weekly_target_hours or weekly_hours
    per_item = minutes_per_item(blocks)
    result = []
    for phase in roadmap.phases:
        logged = sum(per_item.get(item.id, 0.0) for item in phase.items) / 60
        estimate = phase.estimate.hours(weekly_hours) if phase.estimate else None
        result.append(
            PhaseTime(
                phase.id,
                phase.title,
                round(logged, 2),
                estimate,
                phase.estimate.text if phase.estimate else None,
            )
        )
    return result


def remaining_hours(roadmap: Roadmap, states: dict[str, str], weekly_hours: float) -> float | None:
    """Estimated study hours left: each estimated phase's midpoint times its share of items left.

    A roadmap whose phases carry no estimates sums its items' estimates, else uses its overall
    estimate; None when there is no estimate at all.
    """
    estimated = [phase for phase in roadmap.phases if phase.estimate]
    if estimated:
        total = 0.0
        for phase in estimated:
            items = phase.items
            left = sum(1 for i in items if item_state(i, states) not in FINISHED)
            share = left / len(items) if items else 1.0
            total += phase.estimate.midpoint_hours(weekly_hours) * share  # type: ignore[union-attr]
        return total
    timed = [item for item in roadmap.items if item.estimate]
    if timed:  # OSSU's Duration column, "[13 weeks]" on items: the items left, summed
        return sum(
            item.estimate.midpoint_hours(weekly_hours)  # type: ignore[union-attr]
            for item in timed
            if item_state(item, states) not in FINISHED
        )
    if roadmap.estimate:
        progress = roadmap_progress(roadmap, states)
        share = progress.left / progress.total if progress.total else 1.0
        return roadmap.estimate.midpoint_hours(weekly_hours) * share
    return None


@dataclass(frozen=True)
class Forecast:
    """When the roadmap would be done: at the pace of the last four weeks, and at target."""

    remaining_hours: float | None
    pace_hours_per_week: float
    finish_at_pace: date | None
    finish_at_target: date | None
    pace_beyond_horizon: bool = False
    target_beyond_horizon: bool = False

    def as_dict(self) -> dict:
        """For `stats --json`."""
        return {
            "beyond_horizon_years": HORIZON_YEARS
            if self.pace_beyond_horizon or self.target_beyond_horizon
            else None,
            "pace_beyond_horizon": self.pace_beyond_horizon,
            "target_beyond_horizon": self.target_beyond_horizon,
            "remaining_hours": None
            if self.remaining_hours is None
            else round(self.remaining_hours, 1),
            "pace_hours_per_week": round(self.pace_hours_per_week, 2),
            "finish_at_pace": self.finish_at_pace.isoformat() if self.finish_at_pace else None,
            "finish_at_target": self.finish_at_target.isoformat()
            if self.finish_at_target
            else None,
        }


def _finish(today: date, hours: float, per_week: float) -> tuple[date | None, bool]:
    """The finish date at `per_week` hours a week, and whether it lies past the horizon."""
    if per_week <= 0 or not math.isfinite(hours) or not math.isfinite(per_week):
        return None, False
    weeks = hours / per_week
    if weeks > HORIZON_YEARS * 52.18:
        return None, True
    return today + timedelta(days=round(7 * weeks)), False


def forecast(
    roadmap: Roadmap,
    states: dict[str, str],
    blocks: list[dict],
    now: datetime,
    weekly_target_hours: float,
) -> Forecast:
    """The finish date from the hours logged on this roadmap's items in the last 4 weeks; the
    target is the roadmap's own `weekly_target_hours` (front matter) when it sets one."""
    weekly_target_hours = roadmap.weekly_target_hours or weekly_target_hours
    item_ids = {item.id for item in roadmap.items}
    mine = [b for b in blocks if studied(b) and b.get("item_id") in item_ids]
    since = now - timedelta(weeks=PACE_WEEKS)
    pace = focus_minutes_since(mine, since) / 60 / PACE_WEEKS
    hours = remaining_hours(roadmap, states, weekly_target_hours)
    today = now.astimezone().date()
    if hours is None:
        return Forecast(None, pace, None, None)
    at_pace, pace_too_far = _finish(today, hours, pace)
    at_target, target_too_far = _finish(today, hours, weekly_target_hours)
    return Forecast(hours, pace, at_pace, at_target, pace_too_far, target_too_far)
