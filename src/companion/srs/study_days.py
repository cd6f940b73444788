"""Study days, and FSRS counting the time between answers in them, as Anki does.

A study day starts at the rollover hour (4 am local time, as in Anki): answers after midnight
count toward the evening's day. Anki's FSRS counts the days elapsed between two answers as the
difference of their study days, not as whole 24-hour periods (py-fsrs's `.days`): an answer at
9 pm and the next at 8 am are a day apart for Anki and none for py-fsrs. Every FSRS call here
is made on times moved to the start of their study day, so elapsed days are study days, and
the due time is carried back to the real moment of the answer.
"""

import time
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import compress, repeat
from operator import add, floordiv, is_, sub

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

DAY_STARTS_AT_HOUR = 4  # as in Anki: a late-night session still counts as the same day
_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)
_ORIGIN_DAY = date(2000, 1, 1).toordinal()


_offsets: dict[int, int] = {}  # hour since the epoch -> the local zone's offset then (s)
_EPOCH_DAY = date(1970, 1, 1).toordinal()
_zone = [time.tzname]


def _check_zone() -> None:
    if _zone[0] != time.tzname:  # the zone was changed (TZ and tzset): look again
        _offsets.clear()
        _zone[0] = time.tzname


def study_day_number(timestamp: float) -> int:
    """The study day of a moment as a day ordinal (local time, less the rollover hour).

    Worked out with the zone's offset at that hour, looked up once per hour: a replay of a
    million answers asked the zone a million times."""
    hour = int(timestamp // 3600)
    _check_zone()
    offset = _offsets.get(hour)
    if offset is None:
        local = datetime.fromtimestamp(hour * 3600).astimezone()
        offset = int(local.utcoffset().total_seconds())  # type: ignore[union-attr]
        if len(_offsets) > 100_000:
            _offsets.clear()
        _offsets[hour] = offset
    return int((timestamp + offset - DAY_STARTS_AT_HOUR * 3600) // 86400) + _EPOCH_DAY


def study_day_numbers(timestamps: list[float]) -> list[int]:
    """`study_day_number` of each moment, by `map` (in C): memory on the roadmap counts the
    days since the last answer of every linked card at each redraw."""
    _check_zone()
    hours = list(map(floordiv, timestamps, repeat(3600)))  # float keys find their int's entry
    offsets = list(map(_offsets.get, hours))
    if None in offsets:
        for hour in set(compress(hours, map(is_, offsets, repeat(None)))):
            study_day_number(hour * 3600)  # looks the hour's offset up, once
        offsets = list(map(_offsets.get, hours))
        if None in offsets:  # more hours than the table keeps: one at a time
            return list(map(study_day_number, timestamps))
    local = map(sub, map(add, timestamps, offsets), repeat(DAY_STARTS_AT_HOUR * 3600))
    return list(map(add, map(int, map(floordiv, local, repeat(86400))), repeat(_EPOCH_DAY)))


def study_date(timestamp: float) -> date:
    """The study day of a moment (local time, less the rollover hour)."""
    return date.fromordinal(study_day_number(timestamp))


def study_day(timestamp: float) -> str:
    """The learner's study day of a moment, as YYYY-MM-DD (for daily limits and statistics)."""
    return _day_text(study_day_number(timestamp))


@lru_cache(maxsize=4096)
def _day_text(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _day_start(moment: datetime) -> datetime:
    """A stand-in for the moment that keeps only its study day: differences between two of
    them are whole study days."""
    return _ORIGIN + timedelta(days=study_day_number(moment.timestamp()) - _ORIGIN_DAY)


def review_in_study_days(
    scheduler: Scheduler, card: FsrsCard, rating: Rating, when: datetime
) -> FsrsCard:
    """`scheduler.review_card` with the days since the last answer counted in study days.

    The interval FSRS picks (minutes for a step, days for a review) runs from `when` itself.
    The card given is left as it is (`review_card` works on a copy of its own)."""
    last = card.last_review
    if last is not None:
        card.last_review = _day_start(last)
    start = _day_start(when)
    try:
        updated, _ = scheduler.review_card(card, rating, start)
    finally:
        card.last_review = last
    updated.due = when + (updated.due - start)
    updated.last_review = when
    return updated


def retrievability_in_study_days(scheduler: Scheduler, card: FsrsCard, when: datetime) -> float:
    """FSRS's chance of recall at `when`, the days elapsed counted in study days."""
    last = card.last_review
    if last is not None:
        card.last_review = _day_start(last)
    try:
        return scheduler.get_card_retrievability(card, _day_start(when))
    finally:
        card.last_review = last
