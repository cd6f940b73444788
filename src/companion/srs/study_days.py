"""Study days, and FSRS counting the time between answers in them, as Anki does.

A study day starts at the rollover hour (4 am local time, as in Anki): answers after midnight
count toward the evening's day. Anki's FSRS counts the days elapsed between two answers as the
difference of their study days, not as whole 24-hour periods (py-fsrs's `.days`): an answer at
9 pm and the next at 8 am are a day apart for Anki and none for py-fsrs. Every FSRS call here
is made on times moved to the start of their study day, so elapsed days are study days, and
the due time is carried back to the real moment of the answer.
"""

from copy import copy
from datetime import UTC, date, datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

DAY_STARTS_AT_HOUR = 4  # as in Anki: a late-night session still counts as the same day
_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)
_ORIGIN_DAY = date(2000, 1, 1).toordinal()


def study_date(timestamp: float) -> date:
    """The study day of a moment (local time, less the rollover hour)."""
    local = datetime.fromtimestamp(timestamp).astimezone()
    return (local - timedelta(hours=DAY_STARTS_AT_HOUR)).date()


def study_day(timestamp: float) -> str:
    """The learner's study day of a moment, as YYYY-MM-DD (for daily limits and statistics)."""
    return study_date(timestamp).isoformat()


def _day_start(moment: datetime) -> datetime:
    """A stand-in for the moment that keeps only its study day: differences between two of
    them are whole study days."""
    return _ORIGIN + timedelta(days=study_date(moment.timestamp()).toordinal() - _ORIGIN_DAY)


def review_in_study_days(
    scheduler: Scheduler, card: FsrsCard, rating: Rating, when: datetime
) -> FsrsCard:
    """`scheduler.review_card` with the days since the last answer counted in study days.

    The interval FSRS picks (minutes for a step, days for a review) runs from `when` itself."""
    moved = copy(card)
    if moved.last_review is not None:
        moved.last_review = _day_start(moved.last_review)
    start = _day_start(when)
    updated, _ = scheduler.review_card(moved, rating, start)
    updated.due = when + (updated.due - start)
    updated.last_review = when
    return updated


def retrievability_in_study_days(scheduler: Scheduler, card: FsrsCard, when: datetime) -> float:
    """FSRS's chance of recall at `when`, the days elapsed counted in study days."""
    moved = copy(card)
    if moved.last_review is not None:
        moved.last_review = _day_start(moved.last_review)
    return scheduler.get_card_retrievability(moved, _day_start(when))
