"""The day's plan kept for `companion today`, with the plans that follow it as time alone goes
by: the rest of this study day and the next one, so the first call of the morning prints a
kept plan (tens of milliseconds) instead of working it out from every card (a third of a
second at 50,000 cards). `today` keeps them when it works a plan out, and the app as it closes.

The app keeps them only while the sources it read at start (settings, roadmaps, decks) are as
they were then: an edit made outside the app since, which the app has not read, would make
the plans it works out wrong, so nothing is kept and the next call works the plan out itself.
The store's own files are this process's alone while it holds the lock.
"""

from datetime import UTC, datetime

from companion.config import Settings
from companion.content.loader import Library
from companion.services.roadmap_memory import RoadmapMemory
from companion.services.study_session import EVERY_DECK, start_review
from companion.services.today import plan_stays_until, plan_today
from companion.services.today_cache import Window, inputs_stamp, keep_plans, sources_stamp
from companion.srs.review_queue import next_day_start
from companion.srs.review_session import ReviewSession
from companion.store import Store

SPANS_PER_DAY = 8
"""Plans kept per study day at most: a span ends where a learning card comes due or a focus
block leaves the pace's four weeks, a few times a day for a learner who studies daily."""
PAST_THE_EDGE_S = 0.001
"""A span's plan is worked out just after the moment the last one ended: at that moment
itself a block four weeks old still counts."""


def plans_ahead(
    library: Library,
    store: Store,
    settings: Settings,
    now: datetime,
    session: ReviewSession | None = None,
    memory: RoadmapMemory | None = None,
) -> list[Window]:
    """The plan now and the plans after it, each with the span it holds for, to the end of
    the next study day (at most `SPANS_PER_DAY` a day). `session`: a review session started
    now as `companion today` starts one (never a custom study's), made here when not given;
    the next study day's is started at its start. Both study every deck switched on."""
    memory = memory or RoadmapMemory(library, store, settings)
    blocks = store.study_blocks()
    windows: list[Window] = []
    follows = False  # the span starts just past the edge the last one ended at
    tomorrow = datetime.fromtimestamp(next_day_start(now).timestamp() + PAST_THE_EDGE_S, UTC)
    for start in (now, tomorrow):
        day = (
            session
            if start is now and session
            else start_review(library, store, settings, start, EVERY_DECK)
        )
        day_end = next_day_start(start).timestamp()
        moment = start
        for _ in range(SPANS_PER_DAY):
            plan = plan_today(library, store, settings, moment, day, memory)
            until = plan_stays_until(day, blocks, moment, library.roadmaps)
            if follows and windows[-1][2] == plan:  # the same on both sides of the edge
                windows[-1] = (windows[-1][0], until, plan)
            else:
                windows.append((moment.timestamp(), until, plan))
            follows = until < day_end
            if not follows:
                break
            moment = datetime.fromtimestamp(until + PAST_THE_EDGE_S, UTC)
        follows = until >= day_end  # this day's last span reached the next day's start
    return windows


def keep_app_plan(
    library: Library,
    store: Store,
    settings: Settings,
    sources: tuple,
    now: datetime,
    memory: RoadmapMemory | None = None,
) -> bool:
    """Keep the plans from now on, if the sources are still those of the stamp `sources`
    (taken before they were read); whether they were kept."""
    data_dir = store.data_dir
    if store.read_only or sources_stamp(data_dir) != sources:
        return False
    stamp = inputs_stamp(data_dir, sources)  # the same sources: the trees are walked once
    keep_plans(data_dir, stamp, plans_ahead(library, store, settings, now, memory=memory))
    return True
