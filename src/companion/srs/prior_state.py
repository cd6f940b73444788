"""What an answer says of its card just before it, for what is counted across cards: whether
the answer used the review allowance (a card in long-term review), and whether the card was
young or mature (its interval then).

The log keeps it as `"was": [phase, interval_s]`: the card's phase (0 new, 1 learning,
2 review, 3 relearning) and the seconds from its last answer to the due date it had (0 while
new). Logs written before kept the whole record instead (`"before"`, some 250 bytes an answer;
synced to every machine); both are read.
"""

from datetime import datetime

from companion.srs.card_record import REVIEW_STATE, CardRecord

NEW = 0


def was(record: CardRecord) -> list:
    """`was` for an answer to the card as it stands."""
    state = record.fsrs
    if state is None:
        return [NEW, 0]
    return [state["state"], _interval_s(state) or 0]


def prior_phase(event: dict) -> int:
    """The card's phase before the answer (NEW for a new card)."""
    if "was" in event:
        return event["was"][0]
    state = event["before"][1]
    return NEW if state is None else state.get("state", NEW)


def prior_interval_s(event: dict) -> float | None:
    """The seconds from the card's last answer to its due date before the answer; None when
    it had none (new, or an old record without dates)."""
    if "was" in event:
        phase, interval = event["was"]
        return None if phase == NEW else interval
    state = event["before"][1]
    return None if state is None else _interval_s(state)


def uses_review_allowance(event: dict) -> bool:
    """Whether the answer counts against `reviews_per_day`: only one to a card in long-term
    review does (Anki counts learning steps against no limit)."""
    return prior_phase(event) == REVIEW_STATE


def _interval_s(state: dict) -> float | None:
    try:
        due = datetime.fromisoformat(state["due"])
        return (due - datetime.fromisoformat(state["last_review"])).total_seconds()
    except (KeyError, TypeError, ValueError):
        return None
