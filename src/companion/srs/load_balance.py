"""Load balancing, as Anki 24.11+ does it: when fuzz may place a review on any day of a range,
the day chosen is the least loaded of them (the reviews already due that day, weighed by that
weekday's share of the usual load: "easy days"), so the daily counts even out. A day whose
share is 0% takes a review only when every day of the range is such a day.
"""

import math
import random
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from companion.srs.study_days import study_day_number

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class DueLoad:
    """Reviews due per study day, read once when first needed and kept in step with each
    answer; `choose` picks a day of a fuzz range."""

    def __init__(self, due_times: Callable[[], Iterable[float]], easy_days: tuple[float, ...]):
        """`due_times`: the due time of every card in long-term review; `easy_days`: each
        weekday's share of the usual load in percent, Monday first."""
        self._due_times = due_times
        self.easy_days = tuple(easy_days) if len(easy_days) == 7 else (100.0,) * 7
        self._counts: Counter | None = None

    @property
    def counts(self) -> Counter:
        if self._counts is None:
            self._counts = Counter(map(study_day_number, self._due_times()))
        return self._counts

    def weight(self, day: int) -> float:
        """How loaded study day `day` is, for its weekday (infinite: a 0% day)."""
        share = self.easy_days[date.fromordinal(day).weekday()] / 100
        return (self.counts[day] + 1) / share if share > 0 else math.inf

    def choose(self, today: int, lower: int, upper: int, rng: random.Random) -> int:
        """The days from today, in [lower, upper], of the least loaded day (ties at random)."""
        weights = {offset: self.weight(today + offset) for offset in range(lower, upper + 1)}
        best = min(weights.values())
        if math.isinf(best):  # every day of the range is a day off: fuzz as usual
            return math.floor(lower + rng.random() * (1 + upper - lower))
        return rng.choice([offset for offset, w in weights.items() if w == best])

    def moved(self, before: float | None, after: float | None) -> None:
        """A card's due time changed (an answer): its day's count follows."""
        if self._counts is None:
            return
        if before is not None:
            day = study_day_number(before)
            self._counts[day] -= 1
            if self._counts[day] <= 0:
                del self._counts[day]
        if after is not None:
            self._counts[study_day_number(after)] += 1
