"""Workload by desired retention, as Anki 25.07's table shows it: for each desired retention
from 0.70 to 0.97, fsrs-rs's simulator runs a year of study with the learner's FSRS
parameters, collection size and daily limits, and gives the minutes a day it takes and the
cards remembered at its end."""

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

from companion.config import Settings
from companion.srs.scheduling import make_scheduler

RETENTIONS = tuple(round(0.70 + 0.01 * step, 2) for step in range(28))  # 0.70 ... 0.97
DAYS = 365
SEED = 42  # the same table for the same collection, run after run
MAX_WORKERS = 8
F32_MAX = 3.4028234663852886e38
"""No cap on a day's study time, as Anki sets it (`max_cost_perday: f32::MAX`): the
simulator's default of 30 minutes held every retention at about 30 minutes a day, and had
the higher ones learn fewer cards, so the table said nothing."""


@dataclass(frozen=True)
class Workload:
    desired_retention: float
    minutes_per_day: float
    remembered: float
    """Cards remembered after a year (the sum of their retrievabilities, as Anki counts)."""


def _config(cards: int, new_per_day: int, reviews_per_day: int):  # noqa: ANN202
    import fsrs_rs_python

    config = fsrs_rs_python.default_simulator_config()
    config.deck_size = max(cards, 1)
    config.learn_span = DAYS
    config.learn_limit = new_per_day
    config.review_limit = reviews_per_day
    config.max_cost_perday = F32_MAX
    return config


def _one(job: tuple) -> Workload:
    """One year at one desired retention (in a worker process: the simulator holds the GIL)."""
    import fsrs_rs_python

    parameters, retention, cards, new_per_day, reviews_per_day = job
    config = _config(cards, new_per_day, reviews_per_day)
    result = fsrs_rs_python.simulate(parameters, retention, config, SEED)
    minutes = sum(result.cost_per_day) / len(result.cost_per_day) / 60
    return Workload(retention, minutes, result.memorized_cnt_per_day[-1])


def workload_jobs(settings: Settings, cards: int) -> list[tuple]:
    """What each simulation is given: (FSRS parameters, desired retention, cards, new cards a
    day, reviews a day), from the learner's settings."""
    # at most this many cards can be introduced in the year: the rest never enter the
    # simulation, and simulating them only costs time (50,000 cards took 20 s)
    reachable = settings.new_cards_per_day * DAYS
    parameters = list(make_scheduler(settings).parameters)
    return [
        (parameters, retention, min(cards, reachable), settings.new_cards_per_day,
         settings.reviews_per_day)
        for retention in RETENTIONS
    ]  # fmt: skip


def simulate_workload(settings: Settings, cards: int) -> list[Workload]:
    """A year of study at each desired retention of RETENTIONS, for `cards` cards, the
    retentions shared among the machine's cores."""
    jobs = workload_jobs(settings, cards)
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if workers < 2:
        return [_one(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        return list(pool.map(_one, jobs))
