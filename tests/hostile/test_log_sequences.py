"""Sequences of answers, hand edits of the log, damaged lines and restarts lose no answer."""

import json
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from companion.store import open_store
from companion.store.store import REVIEW_LOG_NAME, SNAPSHOT_NAME

NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)
CARDS = [f"card{n}" for n in range(5)]


class ReviewLogEdits(RuleBasedStateMachine):
    """The learner answers; a sync tool or a hand edit damages the log; companion restarts."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.data_dir = Path(self.folder.name)
        self.store = open_store(self.data_dir)
        self.answers: Counter[str] = Counter()

    def teardown(self) -> None:
        self.store.close()
        self.folder.cleanup()

    @property
    def log(self) -> Path:
        return self.data_dir / REVIEW_LOG_NAME

    @rule(card=st.sampled_from(CARDS))
    def answer(self, card: str) -> None:
        before = self.store.ledger.record(card).to_row()
        self.store.commit(
            {"kind": "review", "card": card, "grade": 3, "ts": NOW.timestamp(),
             "due": NOW.isoformat(), "first": before[1] is None, "before": before}
        )  # fmt: skip
        self.answers[card] += 1

    @rule(data=st.data(), new_seq=st.integers(0, 10_000))
    def change_a_seq_by_hand(self, data: st.DataObject, new_seq: int) -> None:
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        answers = [
            i for i, line in enumerate(lines) if '"kind":"review"' in line and "card" in line
        ]
        if not answers:
            return
        index = data.draw(st.sampled_from(answers))
        event = json.loads(lines[index])
        event["seq"] = new_seq
        lines[index] = json.dumps(event)
        self.log.write_text("\n".join(lines) + "\n")
        (self.data_dir / SNAPSHOT_NAME).unlink(missing_ok=True)  # an edit means a rebuild

    @rule(garbage=st.sampled_from(["not json", '{"seq": 1}', '{"seq":3,"kind":"review"}']))
    def a_damaged_line_appears(self, garbage: str) -> None:
        with self.log.open("a") as handle:
            handle.write(garbage + "\n")

    @rule(drop_snapshot=st.booleans())
    def restart(self, drop_snapshot: bool) -> None:
        self.store.close()
        if drop_snapshot:
            (self.data_dir / SNAPSHOT_NAME).unlink(missing_ok=True)
        self.store = open_store(self.data_dir)

    @invariant()
    def every_answer_is_in_the_ledger(self) -> None:
        reps = {card: self.store.ledger.record(card).reps for card in CARDS}
        assert reps == {card: self.answers[card] for card in CARDS}


TestReviewLogEdits = ReviewLogEdits.TestCase
TestReviewLogEdits.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)


def test_a_log_edited_while_open_is_never_snapshotted_at_a_stale_place():
    """Found by the machine above (its steps, replayed): a damaged line, an answer, that
    answer's seq changed by hand (the log rewritten, other lengths) while the app ran, another
    answer, then quit. The snapshot named a place in the log as it was before the edit, and
    the next start counted the last answer twice."""
    machine = ReviewLogEdits()
    try:
        for _ in range(14):
            machine.a_damaged_line_appears(garbage="not json")
        machine.a_damaged_line_appears(garbage='{"seq":3,"kind":"review"}')
        machine.answer(card="card0")
        lines = machine.log.read_text().splitlines()
        event = json.loads(lines[-1])
        event["seq"] = 0
        lines[-1] = json.dumps(event)
        machine.log.write_text("\n".join(lines) + "\n")
        (machine.data_dir / SNAPSHOT_NAME).unlink(missing_ok=True)
        machine.answer(card="card1")
        machine.restart(drop_snapshot=False)
        machine.every_answer_is_in_the_ledger()
    finally:
        machine.teardown()
