"""FSRS counts the days between answers in study days (rollover at 4 am local time), as Anki
does, in the scheduler and the optimizer alike; py-fsrs alone counts 24-hour periods."""

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating
from hypothesis import given
from hypothesis import strategies as st

from companion.config import Settings
from companion.srs.fit_history import training_items
from companion.srs.scheduling import make_scheduler
from companion.srs.study_days import (
    review_in_study_days,
    study_day,
    study_day_number,
    study_day_numbers,
)
from tests.conftest import local_zone

SCHEDULER = make_scheduler(Settings(), fuzz=False)


@pytest.fixture(autouse=True)
def berlin():
    """A zone east of UTC, so local and UTC days differ."""
    with local_zone("Europe/Berlin"):
        yield


def local(text: str) -> datetime:
    """A Berlin wall-clock time as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone().astimezone(UTC)


def reviewed_card(first: datetime) -> Card:
    card, _ = SCHEDULER.review_card(Card(card_id=1, due=first), Rating.Easy, first)
    return card


@pytest.mark.parametrize(
    ("first", "second", "study_days"),
    [
        ("2026-03-02T21:00", "2026-03-03T08:00", 1),  # py-fsrs: 11 hours, no day at all
        ("2026-03-02T03:00", "2026-03-02T05:00", 1),  # either side of the 4 am rollover
        ("2026-03-02T23:00", "2026-03-03T02:00", 0),  # after midnight: the evening's day
        ("2026-03-02T05:00", "2026-03-05T04:30", 3),
    ],
)
def test_the_days_between_two_answers_are_study_days(first, second, study_days):
    start, later = local(first), local(second)
    card = reviewed_card(start)
    ours = review_in_study_days(SCHEDULER, card, Rating.Good, later)
    # the same answer made by py-fsrs at two day starts exactly that many days apart
    moved = Card.from_dict(card.to_dict())
    moved.last_review = datetime(2026, 1, 1, tzinfo=UTC)
    expected, _ = SCHEDULER.review_card(
        moved, Rating.Good, moved.last_review + timedelta(study_days)
    )
    assert ours.stability == pytest.approx(expected.stability)
    assert ours.difficulty == pytest.approx(expected.difficulty)
    assert ours.last_review == later
    # the interval runs from the answer itself
    assert ours.due - later == expected.due - (moved.last_review + timedelta(study_days))


def test_a_learning_step_runs_from_the_moment_of_the_answer():
    answer = local("2026-03-02T23:50")
    card = review_in_study_days(SCHEDULER, Card(card_id=1, due=answer), Rating.Again, answer)
    assert card.due - answer == timedelta(minutes=1)


def test_the_optimizer_counts_the_same_days_as_the_scheduler():
    times = ["2026-03-02T21:00", "2026-03-03T08:00", "2026-03-03T23:30", "2026-03-04T02:00"]
    events = [
        {"seq": n + 1, "kind": "review", "card": "a", "grade": 3, "ts": local(t).timestamp()}
        for n, t in enumerate(times)
    ]
    items = training_items(events)
    assert [item.reviews for item in items] == [((3, 0), (3, 1))]  # one later study day
    assert [study_day(e["ts"]) for e in events] == [
        "2026-03-02",
        "2026-03-03",
        "2026-03-03",
        "2026-03-03",
    ]


@given(st.lists(st.floats(1.6e9, 1.9e9), max_size=60), st.sampled_from(
    ["Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe", "UTC"]))  # fmt: skip
def test_the_study_days_of_many_moments_are_each_one_s(moments, zone):
    """The column-wise `study_day_numbers` (memory on the roadmap) and `study_day_number`
    agree at every moment, across summer-time changes, in zones off by half hours; moments
    near the 4 am rollover and the clock changes are mixed in."""
    days = [f"20{y}-{md}" for y in (26, 27) for md in ("03-29", "10-25")]  # Berlin's changes
    edges = [local(f"{day} 0{h}:59:59.9").timestamp() for day in days for h in (1, 2, 3)]
    with local_zone(zone):
        found = study_day_numbers(moments + edges)
        assert found == [study_day_number(moment) for moment in moments + edges]
