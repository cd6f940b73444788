"""Grade cards with FSRS; preview and commit come from one computation."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from companion.config import Settings


class Grade(IntEnum):
    """The four answers, numbered as the keys that give them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


def make_scheduler(settings: Settings) -> Scheduler:
    """An FSRS scheduler configured from the learner's settings."""
    return Scheduler(
        desired_retention=settings.desired_retention,
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=settings.enable_fuzzing,
    )


def fsrs_id(card_id: str) -> int:
    """fsrs wants an integer id (and sleeps 1 ms when given none)."""
    return int(card_id[:12], 16)


def new_card_state(card_id: str, now: datetime) -> dict:
    """The stored state of a card never reviewed."""
    return FsrsCard(card_id=fsrs_id(card_id), due=now).to_dict()


def is_new(state: dict | None) -> bool:
    """Whether the card has never been answered."""
    return state is None or state.get("last_review") is None


@dataclass(frozen=True)
class Outcome:
    """What one grade would do to a card: its next state and the interval until it is due."""

    grade: Grade
    state: dict
    interval: timedelta


def outcomes(
    scheduler: Scheduler, card_id: str, state: dict | None, now: datetime
) -> list[Outcome]:
    """The result of each grade, computed once so what is shown is exactly what is committed."""
    now = now.astimezone(UTC)
    current = FsrsCard.from_dict(state) if state else FsrsCard(card_id=fsrs_id(card_id), due=now)
    results = []
    for grade in Grade:
        updated, _ = scheduler.review_card(current, Rating(int(grade)), now)
        results.append(Outcome(grade, updated.to_dict(), updated.due - now))
    return results


def due_at(state: dict) -> datetime:
    """When a card is next due."""
    return datetime.fromisoformat(state["due"])


def is_learning(state: dict) -> bool:
    """Whether the card is in (re)learning steps rather than long-term review."""
    return state.get("last_review") is not None and state["state"] != State.Review.value


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
