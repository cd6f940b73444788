"""An answer written now says of its card only `was` ([phase, interval]); one in an older log
carries the whole record. Both read the same, and a ledger counts the same from either."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from companion.config import Settings
from companion.srs.card_record import CardRecord
from companion.srs.ledger import Ledger
from companion.srs.prior_state import prior_interval_s, prior_phase, uses_review_allowance, was
from companion.srs.scheduling import make_scheduler

START = datetime(2025, 1, 6, 9, tzinfo=UTC)


def _state(phase: int, days: float, last: datetime) -> dict:
    return {"card_id": 1, "state": phase, "step": None if phase == 2 else 0, "stability": 3.0,
            "difficulty": 5.0, "due": (last + timedelta(days=days)).isoformat(),
            "last_review": last.isoformat()}  # fmt: skip


records = st.builds(
    lambda card, phase, days, hours: CardRecord(
        card, None if phase == 0 else _state(phase, days, START + timedelta(hours=hours))
    ),
    st.sampled_from(["a", "b", "c"]),
    st.integers(0, 3),
    st.one_of(st.floats(0, 60), st.just(21.0), st.just(21 - 1e-6)),  # the mature edge
    st.integers(0, 24 * 400),
)


@given(record=records)
def test_was_reads_as_the_whole_record_did(record):
    old, new = {"before": record.to_row()}, {"was": was(record)}
    assert prior_phase(old) == prior_phase(new)
    assert prior_interval_s(old) == prior_interval_s(new)
    assert uses_review_allowance(old) == uses_review_allowance(new)


@settings(max_examples=60, deadline=None)
@given(answers=st.lists(st.tuples(records, st.integers(1, 4), st.integers(0, 90 * 24)),
                        min_size=1, max_size=30))  # fmt: skip
def test_a_ledger_counts_the_same_from_either_form(answers):
    def fold(prior) -> Ledger:  # noqa: ANN001
        ledger = Ledger(make_scheduler(Settings(), fuzz=False))
        in_time = sorted(answers, key=lambda answer: answer[2])  # no history to replay from
        for number, (record, grade, hours) in enumerate(in_time):
            ts = (START + timedelta(hours=hours)).timestamp()
            ledger.apply({"seq": number + 1, "id": f"{number:032x}", "kind": "review",
                          "card": record.card_id, "grade": grade, "ts": ts,
                          "due": datetime.fromtimestamp(ts + 86400, UTC).isoformat(),
                          "first": record.is_new, **prior(record)})  # fmt: skip
        return ledger

    old = fold(lambda record: {"before": record.to_row()})
    new = fold(lambda record: {"was": was(record)})
    assert (old.days, old.retention, old.answered_on) == (new.days, new.retention, new.answered_on)
    assert old.retention or not any(uses_review_allowance({"was": was(r)}) for r, _, _ in answers)
