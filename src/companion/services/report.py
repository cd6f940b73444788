"""The numbers behind the status line and `companion stats`: due cards, progress, study time."""

from datetime import datetime

from companion.config import Settings
from companion.content.loader import Library
from companion.content.progress import roadmap_progress
from companion.services.review import reconcile, review_report
from companion.services.study_session import EVERY_DECK, deck_setting_problems, start_review
from companion.store import Store
from companion.timer.focus_timer import FocusTimer, TimerState
from companion.timer.pace import forecast, phase_times
from companion.timer.study_log import (
    minutes_per_day,
    minutes_per_item,
    minutes_per_week,
    streak,
    today_minutes,
    week_minutes,
)


def timer_report(timer: FocusTimer) -> dict:
    """The timer as `stats --json` reports it."""
    state = timer.state
    return {
        "state": state.status.value,
        "phase": state.phase.value,
        "remaining_seconds": round(timer.remaining()),
        "item_id": state.item_id,
    }


def study_report(
    library: Library, states: dict[str, str], blocks: list[dict], now: datetime, weekly_hours: float
) -> dict:
    """Study time: per day and week, the streak, per item and phase, and each forecast."""
    today = now.astimezone().date()
    per_item = minutes_per_item(blocks)
    return {
        "minutes_per_day": minutes_per_day(blocks, today, 84),
        "minutes_per_week": [
            {"week": w, "minutes": m} for w, m in minutes_per_week(blocks, now, 12)
        ],
        "streak_days": streak(blocks, now, weekly_hours * 60 / 7),
        "minutes_per_item": per_item,
        "roadmaps": [
            {
                "id": roadmap.id,
                "phases": [
                    {
                        "title": t.title,
                        "logged_hours": t.logged_hours,
                        "estimate": t.estimate_text,
                        "estimate_hours": list(t.estimate_hours) if t.estimate_hours else None,
                    }
                    for t in phase_times(roadmap, blocks, weekly_hours)
                ],
                "forecast": forecast(roadmap, states, blocks, now, weekly_hours).as_dict(),
            }
            for roadmap in library.roadmaps
        ],
    }


def build_stats(library: Library, store: Store, settings: Settings, now: datetime) -> dict:
    """Everything `companion stats --json` prints."""
    states = store.item_states()
    blocks = store.study_blocks()
    answered, _, _ = store.reviews_today(now)
    orphans = set(reconcile(library, store).orphans)  # a hand edit counts before the app opens
    timer = FocusTimer(settings, now.timestamp, TimerState.from_dict(store.load_timer() or {}))
    return {
        "due_now": start_review(library, store, settings, now, EVERY_DECK).counts(now).total,
        "cards_total": len(library.cards),
        "reviews_today": answered,
        "roadmaps": [
            {
                "id": roadmap.id,
                "title": roadmap.title,
                "done": (progress := roadmap_progress(roadmap, states)).finished,
                "total": progress.total,
                "percent": progress.percent,
            }
            for roadmap in library.roadmaps
        ],
        "study_minutes_today": round(today_minutes(blocks, now), 1),
        "study_minutes_week": round(week_minutes(blocks, now), 1),
        "weekly_target_minutes": round(settings.weekly_target_hours * 60),
        "timer": timer_report(timer),
        "review": review_report(library, store, now, orphans),
        "study": study_report(library, states, blocks, now, settings.weekly_target_hours),
        "content_problems": [*library.problems, *deck_setting_problems(library, settings)],
    }
