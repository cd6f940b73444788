"""Spreading a backlog of reviews over the next days, as the FSRS helper's "advance/postpone"
and Anki's "Set due date" over a range do after a break: the cards most at risk of being
forgotten (lowest retrievability) keep the earliest days, and no day gets more than its share.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Waiting:
    """A review waiting: its card, its retrievability now, and when it fell due."""

    card_id: str
    retrievability: float
    due_ts: float


def spread(waiting: list[Waiting], days: int, already: list[int]) -> tuple[dict[str, int], int]:
    """The day (0 = today) each waiting review moves to, and the most any day then holds.

    `already[d]` is how many other reviews fall due on day `d` anyway. Every day's total is at
    most the share, ceil((waiting + already) / days); the most at risk go first, each to the
    earliest day with room (a day already over its share takes none).
    """
    if days < 1:
        raise ValueError("spread over at least one day")
    already = (list(already) + [0] * days)[:days]
    share = math.ceil((len(waiting) + sum(already)) / days)
    loads = list(already)
    placed: dict[str, int] = {}
    day = 0
    for review in sorted(waiting, key=lambda w: (w.retrievability, w.due_ts, w.card_id)):
        while loads[day] >= share:
            day += 1
        placed[review.card_id] = day
        loads[day] += 1
    return placed, max(loads) if loads else 0
