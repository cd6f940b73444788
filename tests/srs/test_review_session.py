from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from companion.config import Settings
from companion.srs.ledger import Ledger
from companion.srs.review_queue import DailyLimits, ReviewQueue
from companion.srs.review_session import ReviewSession, next_day_start
from companion.srs.scheduling import Grade, format_interval, make_scheduler

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
SETTINGS = replace(Settings(), enable_fuzzing=True)


class Sitting:
    """A ledger, a queue and a session over it, with the log kept in a list."""

    def __init__(self, cards, new=20, reviews=200, now=NOW, ledger=None, log=None):
        self.log = log if log is not None else []
        self.ledger = ledger or Ledger(make_scheduler(SETTINGS, fuzz=False))
        queue = ReviewQueue(cards, self.ledger, DailyLimits(new, reviews), now)
        self.session = ReviewSession(self.ledger, queue, make_scheduler(SETTINGS), self.commit)

    def commit(self, event):
        event = {"seq": self.ledger.seq + 1, **event}
        self.log.append(event)
        self.ledger.apply(event)
        return event

    def answer(self, grade, now=NOW):
        card = self.session.next_card(now)
        assert card is not None
        self.session.answer(grade, now)
        return card


def test_new_cards_come_in_deck_order_within_the_daily_limit():
    sitting = Sitting(["a1", "b2", "c3"], new=2)
    assert [sitting.answer(Grade.EASY) for _ in range(2)] == ["a1", "b2"]
    assert sitting.session.next_card(NOW) is None
    assert sitting.session.counts(NOW).new == 0


def test_the_interval_shown_is_the_interval_committed():
    sitting = Sitting(["abc123"])
    now = NOW
    for grade in [Grade.GOOD, Grade.GOOD, Grade.EASY, Grade.HARD, Grade.GOOD, Grade.EASY]:
        card = sitting.session.next_card(now)
        preview = sitting.session.preview(now)
        assert [o.grade for o in preview] == list(Grade)
        sitting.session.answer(grade, now)
        due = datetime.fromisoformat(sitting.ledger.records[card].fsrs["due"])
        assert due == now + preview[grade - 1].interval
        now = due


def test_learning_card_comes_back_in_the_same_session():
    sitting = Sitting(["a1"])
    sitting.answer(Grade.AGAIN)
    counts = sitting.session.counts(NOW)
    assert (counts.new, counts.learning) == (0, 1)
    assert sitting.session.next_card(NOW) == "a1"  # due in a minute: shown again (learn-ahead)
    sitting.session.answer(Grade.EASY, NOW)
    assert sitting.session.next_card(NOW) is None
    assert sitting.ledger.record("a1").due_ts >= (NOW + timedelta(days=1)).timestamp()
    # shown from the start of the study day it falls due on, as in Anki
    assert sitting.session.next_due(NOW) >= next_day_start(NOW)


def test_undo_ten_levels_restores_every_card_and_the_allowance():
    cards = [f"{i:02x}" for i in range(12)]
    sitting = Sitting(cards, new=12)
    for _ in range(12):
        sitting.answer(Grade.GOOD)
    before_undo = {cid: sitting.ledger.records[cid] for cid in cards}
    assert all(not r.is_new for r in before_undo.values())
    for expected in reversed(cards[:12]):
        assert sitting.session.undo() == expected
    assert all(sitting.ledger.record(cid).is_new for cid in cards)
    assert sitting.ledger.days == {}  # a day left with no answers is not kept
    assert sitting.session.queue.limits.new_left == 12
    assert sitting.session.current == cards[0]


def test_undo_is_in_the_log_and_replay_honours_it():
    sitting = Sitting(["a1", "b2"])
    sitting.answer(Grade.GOOD)
    sitting.answer(Grade.AGAIN)
    sitting.session.undo()
    replayed = Ledger(make_scheduler(SETTINGS, fuzz=False))
    for event in sitting.log:
        replayed.apply(event)
    assert replayed.records == sitting.ledger.records
    assert replayed.record("b2").is_new
    assert [e["kind"] for e in sitting.log] == ["review", "review", "undo"]


def test_bury_hides_until_the_next_day_and_suspend_until_undone():
    sitting = Sitting(["a1", "b2", "c3"])
    sitting.session.next_card(NOW)
    sitting.session.bury(NOW)
    assert sitting.session.next_card(NOW) == "b2"
    sitting.session.suspend()
    assert sitting.session.next_card(NOW) == "c3"
    tomorrow = next_day_start(NOW) + timedelta(minutes=1)
    fresh = Sitting(["a1", "b2", "c3"], now=tomorrow, ledger=sitting.ledger, log=sitting.log)
    assert fresh.session.next_card(tomorrow) == "a1"  # unburied; b2 stays suspended
    fresh.session.answer(Grade.EASY, tomorrow)
    assert fresh.session.next_card(tomorrow) == "c3"
    assert fresh.session.undo() == "a1"  # the last thing done comes back first
    assert fresh.session.undo() == "b2"  # then the suspension
    assert not sitting.ledger.record("b2").suspended


def test_eight_lapses_make_a_leech_that_is_suspended():
    sitting = Sitting(["a1"])
    now = NOW
    sitting.answer(Grade.EASY, now)
    leeched = []
    for _ in range(8):
        now = datetime.fromisoformat(sitting.ledger.record("a1").fsrs["due"])
        assert sitting.session.next_card(now) == "a1"
        leeched.append(sitting.session.answer(Grade.AGAIN, now).leech)
        while sitting.ledger.record("a1").in_learning and not sitting.ledger.record("a1").leech:
            now = datetime.fromisoformat(sitting.ledger.record("a1").fsrs["due"])
            sitting.session.next_card(now)
            sitting.session.answer(Grade.EASY, now)
    assert leeched == [False] * 7 + [True]
    record = sitting.ledger.record("a1")
    assert record.lapses == 8 and record.leech and record.suspended


def test_new_cards_are_mixed_in_among_reviews():
    old = [f"{i:02x}" for i in range(10)]
    sitting = Sitting(old + ["n1", "n2"], new=10)
    for _ in range(10):
        sitting.answer(Grade.EASY)  # straight to long-term review
    later = NOW + timedelta(days=30)
    again = Sitting(old + ["n1", "n2", "n3"], new=3, now=later, ledger=sitting.ledger)
    order = []
    while (card := again.session.next_card(later)) is not None and len(order) < 13:
        order.append(card)
        again.session.answer(Grade.EASY, later)
    assert [order.index(n) for n in ("n1", "n2", "n3")] == [2, 6, 10]  # spread, not bunched


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(minutes=1), "1m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=61), "2.0mo"),
        (timedelta(days=730), "2.0y"),
    ],
)
def test_interval_labels(interval, label):
    assert format_interval(interval) == label


def _due_at(ledger, card_id, when):
    record = ledger.records[card_id]
    ledger.put(record.changed(fsrs={**record.fsrs, "due": when.isoformat()}))


def test_reviews_due_on_a_later_day_come_when_that_study_day_begins():
    """Reviews due after today are not queued at start-up; a sitting left open across 4 am
    shows them when their study day begins, and next_due names that day."""
    first = Sitting(["a1", "b2", "c3"], new=3)
    for _ in range(3):
        first.answer(Grade.EASY)
    tomorrow = next_day_start(NOW)
    _due_at(first.ledger, "a1", tomorrow + timedelta(hours=8))
    _due_at(first.ledger, "b2", tomorrow + timedelta(days=1, hours=3))
    _due_at(first.ledger, "c3", NOW - timedelta(hours=1))
    later = NOW + timedelta(hours=1)
    sitting = Sitting(["a1", "b2", "c3"], now=later, ledger=first.ledger, log=first.log)
    assert sitting.answer(Grade.EASY, later) == "c3"
    assert sitting.session.next_card(later) is None
    assert sitting.session.next_due(later) == tomorrow  # a1's study day, not its hour
    morning = tomorrow + timedelta(minutes=5)
    assert sitting.answer(Grade.GOOD, morning) == "a1"
    assert sitting.session.next_card(morning) is None
    assert sitting.session.next_due(morning) == next_day_start(morning)  # b2's day
    assert sitting.answer(Grade.GOOD, next_day_start(morning)) == "b2"
