import marshal
from datetime import UTC, datetime

from companion.srs.ledger import CardRecord, Ledger

DUE = datetime(2026, 3, 5, 9, tzinfo=UTC)
LEARNING = {"card_id": 1, "state": 1, "step": 0, "stability": 0.4, "difficulty": 5.0,
            "due": DUE.isoformat(), "last_review": "2026-03-04T09:00:00+00:00"}  # fmt: skip


def test_due_time_and_learning_are_derived_from_the_fsrs_state():
    record = CardRecord("a1", LEARNING, reps=1)
    assert (record.due_ts, record.in_learning) == (DUE.timestamp(), True)
    new = CardRecord("b2")
    assert (new.due_ts, new.in_learning, new.is_new) == (None, False, True)


def test_a_snapshot_row_brings_back_the_record_with_its_derived_fields():
    record = CardRecord("a1", LEARNING, reps=1, lapses=2, buried_until=5.0)
    again = CardRecord.from_row(record.snapshot_row())
    assert again == record
    assert (again.due_ts, again.in_learning) == (record.due_ts, record.in_learning)
    assert CardRecord.from_row(record.to_row()) == record  # the log's rows, without them


def test_replacing_the_fsrs_state_derives_the_fields_anew():
    record = CardRecord("a1", LEARNING)
    later = datetime(2026, 4, 1, tzinfo=UTC)
    reviewed = record.changed(fsrs={**LEARNING, "state": 2, "due": later.isoformat()})
    assert (reviewed.due_ts, reviewed.in_learning) == (later.timestamp(), False)


def test_a_snapshot_keeps_fsrs_as_its_values_and_unpacks_it_only_when_read():
    record = CardRecord("a1", LEARNING, reps=1)
    row = record.snapshot_row()
    assert marshal.loads(row[1]) == tuple(LEARNING.values())  # packed, no keys repeated
    again = CardRecord.from_row(row)
    assert again.is_new is False and again.due_ts == DUE.timestamp()
    assert again._fsrs == row[1]  # start-up never needed the dict
    assert again.fsrs == LEARNING and again == record
    assert again.to_row() == record.to_row()  # what the log writes: the dict, keys and all


def test_a_change_keeps_the_derived_fields_unless_fsrs_changes():
    record = CardRecord.from_row(CardRecord("a1", LEARNING).snapshot_row())
    suspended = record.changed(suspended=True)
    assert (suspended.suspended, suspended.due_ts, suspended.in_learning) == (
        True,
        DUE.timestamp(),
        True,
    )
    assert suspended._fsrs == record._fsrs and isinstance(record._fsrs, bytes)
    assert record.suspended is False  # the original is untouched


def test_an_fsrs_dict_with_other_keys_is_kept_as_a_dict():
    odd = {**LEARNING, "extra": 1}
    row = CardRecord("a1", odd).snapshot_row()
    assert row[1] == odd
    assert CardRecord.from_row(row).fsrs == odd


def test_a_card_unburied_today_is_kept_through_a_snapshot_and_undone_with_its_bury(tmp_path):
    from companion.config import Settings
    from companion.srs.scheduling import make_scheduler
    from companion.store.ledger_snapshot import load_snapshot, save_snapshot

    log: list[dict] = []

    def ledger() -> Ledger:
        return Ledger(
            make_scheduler(Settings(), fuzz=False),
            history=lambda cards: [e for e in log if e.get("card") in cards],
        )

    first = ledger()
    unbury = {"seq": 1, "kind": "bury", "card": "c2", "until": 0, "unburied_on": "2026-03-04",
              "before": CardRecord("c2").to_row()}  # fmt: skip
    first.apply(unbury)
    log.append(unbury)
    assert first.unburied_on("c2") == "2026-03-04"
    save_snapshot(tmp_path / "snap", first, 10)
    again = ledger()
    load_snapshot(tmp_path / "snap", again, 10)
    assert again.unburied_on("c2") == "2026-03-04"
    again.apply({"seq": 2, "kind": "undo", "target": 1, "card": "c2"})
    assert again.unburied_on("c2") is None and again.kept_unburied == {}
    later = {**unbury, "seq": 3, "card": "c9", "unburied_on": "2026-03-05"}
    del later["id"], later["ts"]
    first.apply(later)
    assert first.kept_unburied.keys() == {"c9"}  # an earlier day's mark is dropped
    assert first.unburied_on("c9") == "2026-03-05" and first.unburied_on("c2") is None
