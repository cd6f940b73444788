"""The columns a snapshot loads into read as the dict of records they were made from, through
any later writes, and place each card in the queue as the dict does."""

import math
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from companion.config import Settings
from companion.srs.card_record import CardRecord
from companion.srs.ledger import Ledger
from companion.srs.record_columns import columns_of
from companion.srs.record_table import (
    RecallInputs,
    RecordTable,
    all_held_in,
    recall_inputs,
    where_now,
)
from companion.srs.scheduling import make_scheduler
from companion.store.ledger_snapshot import load_snapshot, order_mark, save_snapshot

NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)
NOW_TS = NOW.timestamp()
DAY_END = NOW_TS + 19 * 3600
CARDS = [f"card{n}" for n in range(12)]

moments = st.sampled_from([NOW_TS - 86400, NOW_TS - 60, NOW_TS + 60, DAY_END - 1, DAY_END + 86400])


@st.composite
def records(draw: st.DrawFn, card_id: str) -> CardRecord:
    new = draw(st.booleans())
    state = None
    if not new:
        due = datetime.fromtimestamp(draw(moments), UTC)
        learning = draw(st.booleans())
        state = {
            "card_id": 1, "state": 1 if learning else 2, "step": 0 if learning else None,
            "stability": draw(st.floats(0.1, 300)), "difficulty": draw(st.floats(1, 10)),
            "due": due.isoformat(), "last_review": (due - timedelta(days=2)).isoformat(),
        }  # fmt: skip
    return CardRecord(
        card_id,
        state,
        reps=draw(st.integers(0, 50)),
        lapses=draw(st.integers(0, 9)),
        suspended=draw(st.booleans()),
        leech=draw(st.booleans()),
        buried_until=draw(st.none() | moments),
        retired=draw(st.sampled_from([False, False, True, "card0"])),
    )


@st.composite
def collections(draw: st.DrawFn) -> dict[str, CardRecord]:
    chosen = draw(st.lists(st.sampled_from(CARDS), unique=True))
    return {card_id: draw(records(card_id)) for card_id in chosen}


writes = st.lists(
    st.tuples(st.sampled_from(["put", "delete", "read"]), st.sampled_from(CARDS), st.data())
)


def test_the_memory_columns_hold_what_the_fsrs_state_holds():
    last = (NOW - timedelta(days=3)).isoformat()
    state = {"card_id": 1, "state": 2, "step": None, "stability": 12.5, "difficulty": 4.0,
             "due": NOW.isoformat(), "last_review": last}  # fmt: skip
    kept = {
        "a": CardRecord("a", state, suspended=True),
        "b": CardRecord("b"),
        "c": CardRecord("c", {**state, "card_id": 2}),
    }
    table = table_of(kept)
    # a suspended card is not due; a new one and one with no record are not measured
    found = table.recall_inputs(["a", "b", "gone", "c"])
    assert found == RecallInputs([NOW_TS], ["a", "c"], [12.5, 12.5], [NOW_TS - 3 * 86400] * 2)
    assert found.due_by(DAY_END) == 1 and found.due_by(NOW_TS) == 0
    assert table._columns.stability[0] == 12.5  # read off the column, no state unpacked


def table_of(kept: dict[str, CardRecord]) -> RecordTable:
    return RecordTable(columns_of(record.snapshot_row() for record in kept.values()))


@settings(max_examples=150, deadline=None)
@given(collections(), writes, st.permutations(CARDS))
def test_a_table_reads_and_sorts_as_the_dict_it_holds(kept, changes, deck_order):
    table, plain = table_of(kept), dict(kept)
    # read before any write: each card's row found by bisecting, the map of rows not made
    for card_id in CARDS:
        assert table.get(card_id) == plain.get(card_id)
        assert (card_id in table) == (card_id in plain)
    assert len(table) == len(plain)
    assert table.retired_ids() == {c for c, r in plain.items() if r.retired}
    for present in ({}.keys(), dict.fromkeys(CARDS[:6]).keys(), dict.fromkeys(CARDS).keys()):
        assert all_held_in(table, present) == all_held_in(plain, present)
    assert table._row_map is None
    assert table == plain
    for action, card_id, data in changes:
        if action == "put":
            plain[card_id] = table[card_id] = data.draw(records(card_id))
        elif action == "delete" and card_id in plain:
            del plain[card_id], table[card_id]
        else:
            assert table.get(card_id) == plain.get(card_id)
        assert table == plain
        assert set(table.keys()) == set(plain) and len(table) == len(plain)
        assert table.retired_ids() == {c for c, r in plain.items() if r.retired}
        for day_end in (DAY_END, math.inf):
            assert where_now(table, deck_order, NOW_TS, day_end) == where_now(
                plain, deck_order, NOW_TS, day_end
            )
        # what retrievability needs, off the columns for the rows unchanged since
        assert recall_inputs(table, deck_order) == recall_inputs(plain, deck_order)
    derived = {c: (r.due_ts, r.in_learning) for c, r in table.items()}
    assert derived == {c: (r.due_ts, r.in_learning) for c, r in plain.items()}


@st.composite
def deck_orders(draw: st.DrawFn, saved: list[str]) -> tuple[list[str], bool]:
    """Cards as a deck lists them, and whether their rows rise in that order: the saved order
    itself, a part of it, with cards that have no record among them, or any order at all."""
    shape = draw(st.sampled_from(["saved", "part", "with new", "any"]))
    if shape == "saved":
        return list(saved), True
    if shape == "any":
        return draw(st.permutations(CARDS)), False
    kept = [c for c in saved if draw(st.booleans())] if shape == "part" else list(saved)
    unknown = [c for c in CARDS if c not in saved]
    for card_id in draw(st.lists(st.sampled_from(unknown), unique=True)) if unknown else []:
        kept.insert(draw(st.integers(0, len(kept))), card_id)
    return kept, True


@settings(max_examples=300, deadline=None)
@given(collections(), st.data(), moments, st.sampled_from([DAY_END, math.inf]))
def test_the_saved_index_sorts_a_fresh_table_as_the_dict_it_holds(kept, data, now_ts, day_end):
    table = table_of(kept)
    deck_order, rising = data.draw(deck_orders(list(kept)))
    assert where_now(table, deck_order, now_ts, day_end) == where_now(
        dict(kept), deck_order, now_ts, day_end
    )
    # the index is what answered, whenever the rows rise in the deck's order
    assert (table._indexed_where_now(deck_order, now_ts, day_end) is not None) == (
        rising or [c for c in deck_order if c in kept] == list(kept)
    )


@settings(max_examples=60, deadline=None)
@given(collections(), writes, st.permutations(CARDS))
def test_a_snapshot_keeps_every_record_in_the_order_asked(tmp_path_factory, kept, changes, order):
    path = tmp_path_factory.mktemp("snapshot") / "ledger.snapshot"
    ledger = Ledger(make_scheduler(Settings(), fuzz=False))
    ledger.set_records(table_of(kept))
    for action, card_id, data in changes:
        if action == "put":
            ledger.put(data.draw(records(card_id)))
        elif action == "delete":
            ledger._drop(card_id)
    asked = order[:7]
    save_snapshot(path, ledger, 0, asked)
    loaded = Ledger(make_scheduler(Settings(), fuzz=False))
    snapshot = load_snapshot(path, loaded, 0)
    assert snapshot.order == order_mark(asked)
    assert loaded.records == ledger.records
    assert loaded.retired == ledger.retired
    listed = [c for c in asked if c in ledger.records]
    assert list(loaded.records)[: len(listed)] == listed
