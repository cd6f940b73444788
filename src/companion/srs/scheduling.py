"""FSRS settings, grades, and what each grade would do; preview and commit share one computation."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from companion.config import Settings, deck_settings
from companion.srs.card_record import CardRecord, fsrs_int_id
from companion.srs.load_balance import DueLoad
from companion.srs.review_intervals import passing_intervals
from companion.srs.study_days import (
    retrievability_in_study_days,
    review_in_study_days,
    study_date,
    study_day_number,
)


class Grade(IntEnum):
    """The four answers, numbered as the keys that give them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


def make_scheduler(settings: Settings, fuzz: bool | None = None) -> Scheduler:
    """An FSRS scheduler from the learner's settings (replay uses one without fuzz)."""
    fitted = {"parameters": settings.fsrs_parameters} if settings.fsrs_parameters else {}
    return Scheduler(
        **fitted,
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(minutes=m) for m in settings.learning_steps_minutes),
        relearning_steps=tuple(timedelta(minutes=m) for m in settings.relearning_steps_minutes),
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=settings.enable_fuzzing if fuzz is None else fuzz,
    )


class DeckSchedulers:
    """A scheduler for each deck's options (made when first asked for): a card is scheduled
    with its deck's steps, retention, maximum interval and FSRS parameters."""

    def __init__(self, settings: Settings, fuzz: bool | None = None) -> None:
        self.settings = settings
        self.fuzz = fuzz
        self._made: dict[str | None, Scheduler] = {}

    def for_options(self, deck: str | None) -> Scheduler:
        """The scheduler of a deck's options (None: the learner's own settings)."""
        found = self._made.get(deck)
        if found is None:
            found = make_scheduler(deck_settings(self.settings, deck), self.fuzz)
            self._made[deck] = found
        return found


@dataclass(frozen=True)
class Outcome:
    """What one grade would do: the due date it commits and the interval until then."""

    grade: Grade
    due: str
    interval: timedelta


def outcomes(
    scheduler: Scheduler,
    record: CardRecord,
    now: datetime,
    load: DueLoad | None = None,
    rng: random.Random | None = None,
) -> list[Outcome]:
    """The result of each grade, computed once: answering commits exactly the previewed due.
    With fuzz on and a `load`, a review's day is the least loaded of its fuzz range."""
    now = now.astimezone(UTC)
    if record.fsrs is None:
        current = FsrsCard(card_id=fsrs_int_id(record.card_id), due=now)
    else:
        current = FsrsCard.from_dict(record.fsrs)  # type: ignore[arg-type]
    updated = [review_in_study_days(scheduler, current, Rating(int(g)), now) for g in Grade]
    if record.fsrs is not None and record.fsrs["state"] == State.Review:
        passing = updated[1:]
        if all(card.state == State.Review for card in passing):
            scheduled = (
                study_date(current.due.timestamp()) - study_date(current.last_review.timestamp())
            ).days
            rng = (rng or random.Random()) if scheduler.enable_fuzzing else None
            stabilities = tuple(card.stability for card in passing)
            choose = None
            if load is not None and rng is not None:
                today = study_day_number(now.timestamp())
                choose = lambda lower, upper: load.choose(today, lower, upper, rng)  # noqa: E731
            days = passing_intervals(scheduler, stabilities, scheduled, rng, choose)  # type: ignore[arg-type]
            for card, day_count in zip(passing, days, strict=True):
                card.due = now + timedelta(days=day_count)
    return [
        Outcome(g, card.due.isoformat(), card.due - now)
        for g, card in zip(Grade, updated, strict=True)
    ]


def retrievability(scheduler: Scheduler, record: CardRecord, now: datetime) -> float | None:
    """The chance of recalling the card now, per FSRS (days counted as study days, as the
    scheduler counts them); None for a new card."""
    if record.fsrs is None:
        return None
    card = FsrsCard.from_dict(record.fsrs)  # type: ignore[arg-type]
    return retrievability_in_study_days(scheduler, card, now.astimezone(UTC))


def format_interval(interval: timedelta) -> str:
    """A short human interval as Anki shows it: 1m, 10m, 3h, 4d, 2.1mo, 1.5y."""
    seconds = max(interval.total_seconds(), 0)
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30.4:.1f}mo"
    return f"{days / 365:.1f}y"
