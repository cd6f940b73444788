from dataclasses import replace
from datetime import UTC, datetime, timedelta

from companion.config import Settings
from companion.srs.queue import DailyLimits, build_queue
from companion.srs.review_session import ReviewSession
from companion.srs.scheduling import Grade, format_interval, make_scheduler

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


DEFAULT_LIMITS = DailyLimits(20, 200)


def session(card_ids, states=None, limits=DEFAULT_LIMITS):
    scheduler = make_scheduler(replace(Settings(), enable_fuzzing=False))
    return ReviewSession(scheduler, card_ids, states if states is not None else {}, limits)


def test_new_cards_are_shown_in_deck_order_within_the_daily_limit():
    review = session(["a", "b", "c"], limits=DailyLimits(2, 200))
    assert build_queue(review.card_ids, review.states, NOW, review.limits) == ["a", "b"]
    assert review.next_card(NOW) == "a"


def test_preview_is_what_answering_commits():
    review = session(["abc123"])
    review.next_card(NOW)
    preview = review.preview(NOW)
    assert [o.grade for o in preview] == list(Grade)
    assert preview[0].interval < preview[2].interval < preview[3].interval
    good = review.answer(Grade.GOOD, NOW)
    assert good.state == preview[2].state
    assert review.states["abc123"] == preview[2].state


def test_learning_card_comes_back_in_the_same_session():
    review = session(["a1"])
    review.next_card(NOW)
    review.preview(NOW)
    review.answer(Grade.AGAIN, NOW)
    assert review.counts(NOW).learning == 1
    assert review.next_card(NOW) == "a1"  # due in a minute: shown again (learn-ahead)
    review.answer(Grade.EASY, NOW)
    assert review.next_card(NOW) is None
    assert review.next_due() >= NOW + timedelta(days=1)


def test_answering_uses_up_the_allowance():
    review = session(["a1", "b2"], limits=DailyLimits(1, 200))
    review.next_card(NOW)
    review.answer(Grade.EASY, NOW)
    assert review.limits.new_left == 0
    assert review.next_card(NOW) is None


def test_fsrs_grades_order_intervals_for_a_review_card():
    review = session(["a1"])
    review.next_card(NOW)
    review.answer(Grade.GOOD, NOW)
    later = NOW + timedelta(minutes=15)
    review.next_card(later)
    review.answer(Grade.GOOD, later)
    due = datetime.fromisoformat(review.states["a1"]["due"])
    review.next_card(due)
    preview = review.preview(due)
    assert preview[1].interval <= preview[2].interval <= preview[3].interval
    assert preview[0].interval < timedelta(hours=1)


def test_interval_labels():
    assert format_interval(timedelta(minutes=1)) == "1m"
    assert format_interval(timedelta(hours=3)) == "3h"
    assert format_interval(timedelta(days=4)) == "4d"
    assert format_interval(timedelta(days=61)) == "2.0mo"
    assert format_interval(timedelta(days=730)) == "2.0y"
