"""The numbers behind the status line and `companion stats`: due cards, progress, study time."""

from datetime import datetime

from companion.config import Settings
from companion.content.loader import Library
from companion.content.progress import roadmap_progress
from companion.review_sitting import review_report, start_review
from companion.store import Store
from companion.timer.focus_timer import FocusTimer, TimerState
from companion.timer.study_log import today_minutes, week_minutes


def timer_report(timer: FocusTimer) -> dict:
    """The timer as `stats --json` reports it."""
    state = timer.state
    return {
        "state": state.status.value,
        "phase": state.phase.value,
        "remaining_seconds": round(timer.remaining()),
        "item_id": state.item_id,
    }


def build_stats(library: Library, store: Store, settings: Settings, now: datetime) -> dict:
    """Everything `companion stats --json` prints."""
    states = store.item_states()
    blocks = store.study_blocks()
    answered, _ = store.reviews_today(now)
    timer = FocusTimer(settings, now.timestamp, TimerState.from_dict(store.load_timer() or {}))
    return {
        "due_now": start_review(library, store, settings, now).counts(now).total,
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
        "review": review_report(library, store, now),
        "content_problems": library.problems,
    }
