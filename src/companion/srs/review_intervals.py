"""The days a review card is given for Hard, Good and Easy, as Anki's FSRS gives them.

FSRS supplies a stability for each grade; Anki turns each into an interval in days and then
keeps them in order (Hard at least a day, Good above Hard, Easy above Good), never lets fuzz
take a growing interval below the last one, and fuzzes each within a range that widens with
the interval (rslib/src/scheduler/states/review.rs and fuzz.rs). py-fsrs does none of that,
and can offer the same day for all three grades.
"""

import math
import random
from collections.abc import Callable

from fsrs import Scheduler

FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))


def fsrs_interval(scheduler: Scheduler, stability: float) -> float:
    """The days until recall falls to the desired retention (FSRS-6's forgetting curve)."""
    decay = -scheduler.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    return stability / factor * (scheduler.desired_retention ** (1 / decay) - 1)


def _round(value: float) -> int:
    return math.floor(value + 0.5)  # half away from zero, as Rust's round


def fuzz_delta(interval: float) -> float:
    """How far fuzz may move an interval either way."""
    if interval < 2.5:
        return 0.0
    return 1.0 + sum(f * max(min(interval, end) - start, 0.0) for start, end, f in FUZZ_RANGES)


def fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The days fuzz may choose from, within [minimum, maximum] (Anki's constrained bounds)."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, minimum), maximum)
    delta = fuzz_delta(interval)
    lower = min(max(_round(interval - delta), minimum), maximum)
    upper = min(max(_round(interval + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def passing_intervals(
    scheduler: Scheduler,
    stabilities: tuple[float, float, float],
    scheduled_days: int,
    rng: random.Random | None = None,
    choose: Callable[[int, int], int] | None = None,
) -> tuple[int, int, int]:
    """Days for Hard, Good and Easy from FSRS's stabilities after each: in order, fuzzed with
    `rng` (None: the middle of each range, as when fuzz is off), or with fuzz, the day of the
    range `choose` picks (the load balancer's)."""
    maximum = max(scheduler.maximum_interval, 1)
    chosen: list[int] = []
    for stability in stabilities:
        interval = fsrs_interval(scheduler, stability)
        minimum = scheduled_days + 1 if _round(interval) > scheduled_days else 0
        minimum = max(minimum, chosen[-1] + 1 if chosen else 1)
        minimum = min(max(minimum, 1), maximum)
        if rng is None:
            chosen.append(min(max(_round(interval), minimum), maximum))
        else:
            lower, upper = fuzz_bounds(interval, minimum, maximum)
            if choose is not None and upper > lower:
                chosen.append(choose(lower, upper))
            else:
                chosen.append(math.floor(lower + rng.random() * (1 + upper - lower)))
    return chosen[0], chosen[1], chosen[2]
