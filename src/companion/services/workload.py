"""Workload by desired retention, as Anki 25.07's table shows it: for each desired retention
from 0.70 to 0.97, fsrs-rs's simulator runs a year of study with the learner's FSRS
parameters, collection size and daily limits, and gives the minutes a day it takes and the
cards remembered at its end."""

from dataclasses import dataclass

from companion.config import Settings
from companion.srs.scheduling import make_scheduler

RETENTIONS = tuple(round(0.70 + 0.01 * step, 2) for step in range(28))  # 0.70 ... 0.97
DAYS = 365
SEED = 42  # the same table for the same collection, run after run


@dataclass(frozen=True)
class Workload:
    desired_retention: float
    minutes_per_day: float
    remembered: float
    """Cards remembered after a year (the sum of their retrievabilities, as Anki counts)."""


def simulate_workload(settings: Settings, cards: int) -> list[Workload]:
    """A year of study at each desired retention of RETENTIONS, for `cards` cards."""
    import fsrs_rs_python

    config = fsrs_rs_python.default_simulator_config()
    # at most this many cards can be introduced in the year: the rest never enter the
    # simulation, and simulating them only costs time (50,000 cards took 20 s)
    reachable = settings.new_cards_per_day * DAYS
    config.deck_size = max(min(cards, reachable), 1)
    config.learn_span = DAYS
    config.learn_limit = settings.new_cards_per_day
    config.review_limit = settings.reviews_per_day
    parameters = list(make_scheduler(settings).parameters)
    found = []
    for retention in RETENTIONS:
        result = fsrs_rs_python.simulate(parameters, retention, config, SEED)
        minutes = sum(result.cost_per_day) / len(result.cost_per_day) / 60
        found.append(Workload(retention, minutes, result.memorized_cnt_per_day[-1]))
    return found
