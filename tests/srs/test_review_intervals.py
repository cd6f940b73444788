"""Review intervals as Anki gives them: fuzz bounds from Anki's own test table (fuzz.rs), and
Hard < Good < Easy, never fuzzed below a growing interval's last value."""

import random

import pytest

from companion.config import Settings
from companion.srs.review_intervals import fsrs_interval, fuzz_bounds, passing_intervals
from companion.srs.scheduling import make_scheduler


def chosen(interval: float, minimum: int, maximum: int, factor: float) -> int:
    lower, upper = fuzz_bounds(interval, minimum, maximum)
    return int(lower + factor * (1 + upper - lower))


@pytest.mark.parametrize(
    ("interval", "minimum", "maximum", "lower", "middle", "upper"),
    [  # Anki's with_review_fuzz test: fuzz factors 0, 0.5, 0.99
        (2.5, 1, 1000, 2, 3, 4),
        (7.0, 1, 1000, 5, 7, 9),
        (17.0, 1, 1000, 14, 17, 20),
        (37.0, 1, 1000, 33, 37, 41),
        (2.0, 3, 1000, 3, 4, 4),
        (2.0, 3, 3, 3, 3, 3),
        (6.9, 3, 1000, 5, 7, 9),
        (19.9, 3, 1000, 17, 20, 23),
        (20.1, 3, 1000, 17, 20, 23),
        (100.0, 101, 1000, 101, 105, 108),
        (100.0, 1, 99, 92, 96, 99),
        (100.0, 97, 103, 97, 100, 103),
    ],
)
def test_fuzz_bounds_are_anki_s(interval, minimum, maximum, lower, middle, upper):
    assert [chosen(interval, minimum, maximum, f) for f in (0.0, 0.5, 0.99)] == [
        lower,
        middle,
        upper,
    ]


def test_the_interval_is_where_recall_meets_the_desired_retention():
    assert fsrs_interval(make_scheduler(Settings(desired_retention=0.9)), 53.2) == pytest.approx(
        53.2
    )
    assert fsrs_interval(make_scheduler(Settings(desired_retention=0.8)), 10) > 10


def test_hard_good_and_easy_are_in_order_even_when_fsrs_gives_one_day():
    scheduler = make_scheduler(Settings())
    nearly_equal = (53.55, 53.78, 54.26)  # FSRS a day after a review due in 56 days
    assert passing_intervals(scheduler, nearly_equal, 56) == (54, 55, 56)
    for seed in range(200):
        hard, good, easy = passing_intervals(scheduler, nearly_equal, 56, random.Random(seed))
        assert hard < good < easy


def test_fuzz_never_takes_a_growing_interval_below_the_last_one():
    scheduler = make_scheduler(Settings())
    for seed in range(200):
        hard, _, _ = passing_intervals(scheduler, (11.0, 15.0, 22.0), 10, random.Random(seed))
        assert hard >= 11
