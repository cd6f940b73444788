"""Load balancing and easy days through the real review session: a learner studies every day
for months, answering what is due, with fuzz on; with the load balancer the daily counts vary
less than without it, and with Sunday at 0% almost nothing lands on a Sunday."""

import random
import statistics
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.config import Settings
from companion.content.loader import load_library
from companion.services.study_session import start_review
from companion.srs.load_balance import DueLoad
from companion.srs.scheduling import Grade
from companion.store import open_store

START = datetime(2026, 1, 5, 9, tzinfo=UTC)  # a Monday
DECK = "".join(f"Term {n}? :: Meaning {n}.\n" for n in range(400))


def study(data_dir: Path, settings: Settings, days: int = 120) -> dict[int, int]:
    """Every day: the session's cards answered (Good, now and then Again or Hard); the
    reviews of long-term review cards answered on each day."""
    (data_dir / "decks").mkdir(parents=True, exist_ok=True)
    (data_dir / "decks" / "terms.md").write_text(DECK)
    library = load_library([data_dir])
    store = open_store(data_dir, settings=settings)
    grades = random.Random(1)
    per_day: dict[int, int] = {}
    for day in range(days):
        for hour in (0, 2):
            now = START + timedelta(days=day, hours=hour)
            session = start_review(library, store, settings, now)
            session.rng = random.Random(day * 10 + hour)
            while (card := session.next_card(now)) is not None:
                session.show(card)
                review = not store.ledger.record(card).is_new and not store.ledger.record(
                    card).in_learning  # fmt: skip
                roll = grades.random()
                grade = Grade.AGAIN if roll < 0.08 else Grade.HARD if roll < 0.15 else Grade.GOOD
                session.answer(grade, now, duration_ms=3000)
                if review:
                    per_day[day] = per_day.get(day, 0) + 1
    store.close()
    return per_day


def test_the_load_balancer_evens_out_the_daily_counts(tmp_path: Path):
    base = replace(Settings(), enable_fuzzing=True, new_cards_per_day=20)
    plain = study(tmp_path / "plain", replace(base, load_balancing=False))
    balanced = study(tmp_path / "balanced", base)
    assert sum(plain.values()) >= 1000 and sum(balanced.values()) >= 1000
    window = range(30, 120)  # once every card is introduced and reviews come in waves
    spread_plain = statistics.pstdev(plain.get(d, 0) for d in window)
    spread_balanced = statistics.pstdev(balanced.get(d, 0) for d in window)
    assert spread_balanced < spread_plain, (spread_balanced, spread_plain)


def test_an_easy_sunday_gets_almost_no_reviews(tmp_path: Path):
    base = replace(Settings(), enable_fuzzing=True, new_cards_per_day=20)
    easy = study(tmp_path / "easy", replace(base, easy_days=(100, 100, 100, 100, 100, 100, 0)))
    normal = study(tmp_path / "normal", base)
    sundays = [d for d in range(40, 120) if (START + timedelta(days=d)).weekday() == 6]
    easy_sundays = sum(easy.get(d, 0) for d in sundays)
    normal_sundays = sum(normal.get(d, 0) for d in sundays)
    assert easy_sundays < normal_sundays / 3, (easy_sundays, normal_sundays)


def test_the_least_loaded_day_of_the_range_is_chosen():
    today = START.date().toordinal()
    load = DueLoad(lambda: (), (100,) * 7)
    load.counts.update({today + 3: 9, today + 4: 2, today + 5: 7})
    assert load.choose(today, 3, 5, random.Random(0)) == 4
    sunday = DueLoad(lambda: (), (100, 100, 100, 100, 100, 100, 0))
    # START is a Monday: offset 6 is a Sunday, which loses to any other day of its range
    assert sunday.choose(today, 5, 7, random.Random(0)) in (5, 7)
    assert sunday.choose(today, 6, 6, random.Random(0)) == 6  # nothing else: fuzz as usual
