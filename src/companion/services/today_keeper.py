"""The app keeps the day's plan for `companion today` as it closes: the first call after a
session then prints the plan kept (tens of milliseconds) instead of working it out from
every card again (a third of a second at 50,000 cards).

Kept only while the sources the app read at start (settings, roadmaps, decks) are as they
were then: an edit made outside the app since, which the app has not read, would make the
plan it works out wrong, so nothing is kept and the next call works the plan out itself.
The store's own files are this process's alone while it holds the lock.
"""

from datetime import datetime

from companion.config import Settings
from companion.content.loader import Library
from companion.services.roadmap_memory import RoadmapMemory
from companion.services.study_session import start_review
from companion.services.today import plan_stays_until, plan_today
from companion.services.today_cache import inputs_stamp, keep_plan, sources_stamp
from companion.srs.review_session import ReviewSession
from companion.store import Store


def keep_app_plan(
    library: Library,
    store: Store,
    settings: Settings,
    sources: tuple,
    now: datetime,
    session: ReviewSession | None = None,
    memory: RoadmapMemory | None = None,
) -> bool:
    """Keep the plan as it stands now, if the sources are still those of the stamp `sources`
    (taken before they were read); whether it was kept. `session`: a review session as
    `companion today` starts one (never a custom study's), made here when not given."""
    data_dir = store.data_dir
    if store.read_only or sources_stamp(data_dir) != sources:
        return False
    stamp = inputs_stamp(data_dir, sources)  # the same sources: the trees are walked once
    session = session or start_review(library, store, settings, now)
    plan = plan_today(library, store, settings, now, session, memory)
    keep_plan(data_dir, stamp, plan, now, plan_stays_until(session, store.study_blocks(), now))
    return True
