"""The ledger's own FSRS step gives exactly what py-fsrs's `review_card` gives (days counted in
study days), on random histories, steps and parameters: the state it keeps for a card is the
same whichever of the two made it."""

from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.srs.memory_step import answered_state
from companion.srs.study_days import review_in_study_days
from tests.conftest import local_zone

START = datetime(2024, 3, 1, 6, tzinfo=UTC).timestamp()
DUE = "2030-01-01T00:00:00+00:00"

steps = st.lists(st.integers(1, 3 * 24 * 60), max_size=3).map(
    lambda minutes: tuple(timedelta(minutes=m) for m in minutes)
)
parameters = st.one_of(
    st.just(DEFAULT_PARAMETERS),
    st.tuples(*(st.floats(lo, hi) for lo, hi in
                zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True))),
)  # fmt: skip
answers = st.lists(
    st.tuples(
        st.integers(1, 4),
        st.one_of(st.integers(0, 3600), st.integers(0, 120 * 86400)),  # seconds after the last
        st.sampled_from([None, 1, 2, 3]),  # the state Anki gave the card, as an import says
    ),
    min_size=1,
    max_size=25,
)


def _with_state(state: dict, forced: int | None) -> dict:
    """What `ledger.reviewed` does with an imported answer's state."""
    if forced is None:
        return state
    return {**state, "state": forced, "step": None if forced == 2 else (state["step"] or 0)}


@settings(max_examples=300, deadline=None)
@given(
    parameters=parameters,
    learning=steps,
    relearning=steps,
    history=answers,
    zone=st.sampled_from(["UTC", "Europe/Berlin", "America/Los_Angeles"]),
)
def test_the_ledger_step_equals_py_fsrs(parameters, learning, relearning, history, zone):
    scheduler = Scheduler(
        parameters=parameters, learning_steps=learning, relearning_steps=relearning,
        enable_fuzzing=False,
    )  # fmt: skip
    ours = theirs = None
    ts = START
    with local_zone(zone):
        for grade, gap, forced in history:
            ts += gap
            when = datetime.fromtimestamp(ts, UTC)
            card = Card(card_id=7, due=when) if theirs is None else Card.from_dict(theirs)
            theirs = review_in_study_days(scheduler, card, Rating(grade), when).to_dict()
            theirs = _with_state({**theirs, "due": DUE}, forced)
            ours = _with_state(answered_state(scheduler, ours, 7, grade, ts, DUE), forced)
            assert ours == theirs
