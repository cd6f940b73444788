"""The ledger is a function of the set of events, not of their arrival order: random sets of
reviews, buries, unburies, suspensions, resets, relinks, deletions, restores and undos, applied
in random orders with repeats, give the state of the time-ordered replay; so does the store
opened again over the log they made (snapshot plus tail, and a rebuild from the log alone)."""

import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.config import Settings
from companion.srs.card_record import CardRecord
from companion.srs.event_order import event_key
from companion.srs.ledger import Ledger
from companion.srs.prior_state import was
from companion.srs.scheduling import make_scheduler
from companion.srs.study_days import study_day
from companion.store import open_store
from companion.store.store import SNAPSHOT_NAME
from tests.memory_log import MemoryLog

START = datetime(2026, 3, 2, 6, tzinfo=UTC).timestamp()
CARDS = ("c0", "c1", "c2", "c3")
SCHEDULER = make_scheduler(Settings(), fuzz=False)
REVIEWING = {
    "card_id": 1, "state": 2, "step": None, "stability": 5.0, "difficulty": 5.0,
    "due": "2026-03-01T06:00:00+00:00", "last_review": "2026-02-25T06:00:00+00:00",
}  # fmt: skip


def make_events(seed: int, count: int) -> list[dict]:
    """A random history over four cards and five study days (ids unique, times random)."""
    rng = random.Random(seed)
    events: list[dict] = []
    undoable: list[dict] = []
    for number in range(count):
        ts = START + rng.randrange(0, 5 * 86400, 600)
        card = rng.choice(CARDS)
        event: dict = {"seq": number + 1, "id": f"E{number:04d}", "ts": ts, "card": card}
        roll = rng.random()
        # as logs hold them: written now (`was`, nothing on flags) or by earlier versions
        old_form = rng.random() < 0.5
        flag_prior = {"before": CardRecord(card).to_row()} if old_form else {}
        if roll < 0.45:
            before = CardRecord(card, REVIEWING if rng.random() < 0.5 else None)
            prior = {"before": before.to_row()} if old_form else {"was": was(before)}
            due = datetime.fromtimestamp(ts + rng.choice([60, 600, 86400, 4 * 86400]), UTC)
            event.update(kind="review", grade=rng.randint(1, 4), due=due.isoformat(),
                         first=before.is_new, **prior)  # fmt: skip
        elif roll < 0.52:
            event.update(kind="bury", until=ts + 86400, **flag_prior)
        elif roll < 0.57:
            event.update(kind="bury", until=0, unburied_on=study_day(ts), **flag_prior)
        elif roll < 0.64:
            event.update(kind="suspend", on=rng.random() < 0.6, **flag_prior)
        elif roll < 0.69:
            event.update(kind="reset", counts=rng.random() < 0.5, **flag_prior)
        elif roll < 0.76:
            other = rng.choice([c for c in CARDS if c != card])
            del event["card"]
            event.update(kind="relink", **{"from": card, "to": other})
        elif roll < 0.80:
            event.update(kind="delete")
        elif roll < 0.84:
            event.update(kind="restore")
        elif undoable:
            target = rng.choice(undoable)
            # mostly after its target; sometimes before (a machine whose clock was behind)
            when = max(ts, target["ts"] + 1) if rng.random() < 0.8 else ts
            event.update(kind="undo", target=target["id"], card=target["card"], ts=when)
        else:
            continue
        events.append(event)
        if event["kind"] in ("review", "bury", "suspend", "reset"):
            undoable.append(event)
    return events


def copies(events: list[dict]) -> list[dict]:
    """Fresh dicts (the ledger completes the events it is given in place)."""
    return [dict(event) for event in events]


def state(ledger: Ledger) -> dict:
    """What the ledger holds as history's result (the undo stack is a local convenience)."""
    return {
        "records": {cid: r.to_row() for cid, r in ledger.records.items()},
        "derived": {cid: (r.due_ts, r.in_learning) for cid, r in ledger.records.items()},
        "retired": ledger.retired,
        "days": ledger.days,
        "answered_on": {d: sorted(map(tuple, a)) for d, a in ledger.answered_on.items()},
        "came_from": ledger.came_from,
        "kept_unburied": ledger.kept_unburied,
        "unburied_day": ledger.unburied_day,
        "touched": ledger.touched,
    }


def in_time_order(events: list[dict]) -> dict:
    log = MemoryLog(SCHEDULER)
    for event in sorted(copies(events), key=event_key):
        log.apply(event)
    return state(log.ledger)


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    count=st.integers(1, 40),
    order=st.randoms(use_true_random=False),
    repeats=st.integers(0, 10),
)
def test_any_arrival_order_with_repeats_gives_the_time_ordered_state(seed, count, order, repeats):
    events = make_events(seed, count)
    repeated = [dict(order.choice(events)) for _ in range(repeats)] if events else []
    arriving = copies(events) + repeated
    order.shuffle(arriving)
    log = MemoryLog(SCHEDULER)
    for event in arriving:
        log.apply(event)
    assert state(log.ledger) == in_time_order(events)


@settings(max_examples=int(os.environ.get("BATCH_EXAMPLES", 300)), deadline=None)
@given(
    seed=st.integers(0, 2**32),
    count=st.integers(1, 40),
    order=st.randoms(use_true_random=False),
    repeats=st.integers(0, 10),
    cut=st.floats(0, 1),
)
def test_a_batch_replaying_each_card_once_at_its_end_gives_the_same_state(
    seed, count, order, repeats, cut
):
    """As another machine's log is merged: some events applied one by one, the rest in a
    batch that replays each card reached out of order once, when it ends."""
    events = make_events(seed, count)
    repeated = [dict(order.choice(events)) for _ in range(repeats)] if events else []
    arriving = copies(events) + repeated
    order.shuffle(arriving)
    split = int(len(arriving) * cut)
    log = MemoryLog(SCHEDULER)
    for event in arriving[:split]:
        log.apply(event)
    with log.ledger.batch():
        for event in arriving[split:]:
            log.apply(event)
    assert state(log.ledger) == in_time_order(events)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**32),
    count=st.integers(1, 40),
    order=st.randoms(use_true_random=False),
    cut=st.floats(0, 1),
)
def test_the_store_reopened_on_the_log_gives_the_same_state(tmp_path, seed, count, order, cut):
    """Committed in a random order with a restart part way, then opened from the snapshot and
    the log's tail, then rebuilt from the log alone: the time-ordered state every time."""
    data_dir = tmp_path / f"d{seed}-{count}-{cut}"
    events = make_events(seed, count)
    arriving = copies(events) + [dict(e) for e in events[: count // 4]]
    order.shuffle(arriving)
    expected = in_time_order(events)
    split = int(len(arriving) * cut)
    for part in (arriving[:split], arriving[split:]):  # arriving from elsewhere, at their times
        store = open_store(data_dir, settings=Settings())
        for event in part:
            store.commit_many([lambda event=event: {k: v for k, v in event.items() if k != "seq"}])
        store.close()
    assert reopened_state(data_dir) == expected
    (data_dir / SNAPSHOT_NAME).unlink(missing_ok=True)
    assert reopened_state(data_dir) == expected


def reopened_state(data_dir: Path) -> dict:
    store = open_store(data_dir, settings=Settings())
    try:
        return state(store.ledger)
    finally:
        store.close()


def test_answers_of_an_older_day_arriving_after_newer_ones_are_counted():
    """The import's KeyError: answers of five study days delivered card by card, newest day
    first, were deleted from today's answers as soon as they were added."""
    log = MemoryLog(SCHEDULER)
    for day in range(5, 0, -1):
        for card in CARDS:
            ts = (datetime(2026, 3, day, 10, tzinfo=UTC) + timedelta(minutes=len(card))).timestamp()
            due = datetime.fromtimestamp(ts + 86400, UTC).isoformat()
            log.apply({"seq": len(log.events) + 1, "id": f"{day}{card}", "ts": ts,
                       "kind": "review", "card": card, "grade": 3, "due": due, "first": False,
                       "before": CardRecord(card).to_row()})  # fmt: skip
    ledger = log.ledger
    assert set(ledger.days) == {f"2026-03-0{day}" for day in range(1, 6)}
    assert all(counts[0] == len(CARDS) for counts in ledger.days.values())
    assert set(ledger.answered_on) == {"2026-03-04", "2026-03-05"}  # today and the day before
    assert {a[0] for a in ledger.answered_on["2026-03-05"]} == set(CARDS)
    assert all(ledger.records[card].reps == 5 for card in CARDS)
    # each card's state is that of its answers in time order: due a day after the last
    last = datetime(2026, 3, 6, 10, tzinfo=UTC)
    assert all(abs(ledger.records[c].due_ts - last.timestamp()) < 600 for c in CARDS)
