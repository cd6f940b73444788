"""One answer's effect on a card's FSRS state as the ledger keeps it (fsrs's card dict), without
py-fsrs's Card objects and datetimes.

The ledger replays every answer of the log (a million at an Anki import), and all it takes
from FSRS is the memory state (stability, difficulty), the state and the (re)learning step:
the due date is the event's own. The formulas are the scheduler's own methods; the state
machine is `Scheduler.review_card`'s, with the days between answers counted in study days as
`study_days.review_in_study_days` does. tests/srs/test_memory_step.py holds the two equal on
random histories.
"""

from datetime import UTC, datetime

from fsrs import Rating, Scheduler

from companion.srs.study_days import study_day_number

LEARNING, REVIEW, RELEARNING = 1, 2, 3


def answered_state(scheduler: Scheduler, state: dict | None, card_id: int, grade: int,
                   ts: float, due: str) -> dict:  # fmt: skip
    """fsrs's card dict after an answer of `grade` at `ts` ("due" set to `due`); `state` is
    the card's dict before it, None for a new card. The dict given is left as it is."""
    rating = Rating(grade)
    if state is None:
        phase, step, stability, difficulty, last = LEARNING, 0, None, None, None
    else:
        phase, step = state["state"], state["step"]
        stability, difficulty = state["stability"] or None, state["difficulty"] or None
        last = state["last_review"]
        if phase == LEARNING and step is None:
            step = 0
    days = None
    if last:
        days = study_day_number(ts) - study_day_number(datetime.fromisoformat(last).timestamp())
    if stability is None or difficulty is None:  # only a learning card has no memory yet
        stability = scheduler._initial_stability(rating=rating)
        difficulty = scheduler._initial_difficulty(rating=rating, clamp=True)
    else:
        if days is not None and days < 1:
            stability = scheduler._short_term_stability(stability=stability, rating=rating)
        else:
            recall = 0.0  # py-fsrs's figure for a card never answered
            if days is not None:
                recall = (1 + scheduler._FACTOR * max(0, days) / stability) ** scheduler._DECAY
            stability = scheduler._next_stability(
                difficulty=difficulty, stability=stability, retrievability=recall, rating=rating
            )
        difficulty = scheduler._next_difficulty(difficulty=difficulty, rating=rating)
    phase, step = _next_phase(scheduler, phase, step, rating)
    return {
        "card_id": card_id,
        "state": phase,
        "step": step,
        "stability": stability,
        "difficulty": difficulty,
        "due": due,
        "last_review": datetime.fromtimestamp(ts, UTC).isoformat(),
    }


def _next_phase(
    scheduler: Scheduler, phase: int, step: int | None, rating: Rating
) -> tuple[int, int | None]:
    """Learning, review or relearning after the answer, and the step reached."""
    if phase == REVIEW:
        if rating == Rating.Again and scheduler.relearning_steps:
            return RELEARNING, 0
        return REVIEW, step
    steps = scheduler.learning_steps if phase == LEARNING else scheduler.relearning_steps
    assert step is not None
    if not steps or (step >= len(steps) and rating != Rating.Again):
        return REVIEW, None
    if rating == Rating.Again:
        return phase, 0
    if rating == Rating.Hard:
        return phase, step
    if rating == Rating.Good and step + 1 < len(steps):
        return phase, step + 1
    return REVIEW, None
