"""The day's plan kept between calls of `companion today`, for a status bar or a shell prompt
that asks every few seconds: working it out reads every card (0.6 s at 50,000 cards), and a
kept plan is printed in a few milliseconds.

A kept plan is used only while nothing it was worked out from has changed: the files it read
(stamped by size and time: the review log, the data file, the settings, every roadmap and
deck), the time zone and companion's version, and the clock, up to the first moment the plan
would change by time alone: a new study day or calendar day, a learning card coming within
the 20 minutes the queue looks ahead, a focus block leaving the four weeks the pace counts,
or a roadmap's first block turning a week old (`services/today.py`'s `plan_stays_until`).
So that the first call of the morning finds one too, the plans of the spans that follow are
kept with it, to the end of the next study day (`services/today_keeper.py`).
"""

import os
import time
from datetime import datetime
from pathlib import Path

from companion import __version__
from companion.config import LEGACY_SUFFIX, SETTING_FILES
from companion.paths import content_dirs, local_dir, synced_folder
from companion.services.today_plan import TodayPlan
from companion.store.import_journal import import_cut_off
from companion.store.packed_file import read_packed, write_packed

CACHE_NAME = "today.packed"
CACHE_KIND = "today"
CACHE_VERSION = 3  # the plans for spans of time ahead


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns  # a file replaced whole: a new inode


def _tree(folder: Path) -> list:
    """Every file under `folder` with its stamp (a file added, removed or edited shows)."""
    found = []
    for root, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            found.append((path, _stamp(Path(path))))
    return found


STORE_FILES = ("reviews.jsonl", "companion.json")


def inputs_stamp(data_dir: Path, sources: tuple | None = None) -> tuple:
    """What the plan is worked out from, as sizes and times (and the zone and version);
    `sources`: `sources_stamp` taken just now, not taken again."""
    local = local_dir(data_dir)
    store = [(str(local / name), _stamp(local / name)) for name in STORE_FILES]
    return (*(sources or sources_stamp(data_dir)), store)


def sources_stamp(data_dir: Path) -> tuple:
    """The inputs of the plan but the store's own files: the settings, roadmaps and decks
    (and the zone and version), which the learner and other tools edit too."""
    local = local_dir(data_dir)
    folder = synced_folder(data_dir) or data_dir
    files = [local / name for name in SETTING_FILES]
    if folder != local:
        files += [folder / name for name in SETTING_FILES]
        files += [folder / (name + LEGACY_SUFFIX) for name in SETTING_FILES]
    content = [
        (str(source), _tree(source / "roadmaps"), _tree(source / "decks"))
        for source in content_dirs(folder)
    ]
    zone = (os.environ.get("TZ"), time.tzname, time.timezone, time.altzone)
    return (__version__, zone, [(str(f), _stamp(f)) for f in files], content)


Window = tuple[float, float, TodayPlan]
"""A plan with the moments it holds from (included) and until (not included)."""


def kept_plan(data_dir: Path, stamp: tuple, now: datetime) -> TodayPlan | None:
    """The plan kept for now, if it was worked out from the inputs `stamp` describes for a
    time span holding `now`; None when missing, stale or unreadable."""
    local = local_dir(data_dir)
    if import_cut_off(local):  # the store's opener puts it back first: no kept plan holds
        return None
    kept = read_packed(local / "cache" / CACHE_NAME, CACHE_KIND, CACHE_VERSION)
    try:
        kept_stamp, windows = kept  # type: ignore[misc]
        if kept_stamp != stamp:
            return None
        now_ts = now.timestamp()
        for start, until, fields in windows:
            if start <= now_ts < until:
                return TodayPlan.from_fields(fields)
        return None
    except (TypeError, ValueError, KeyError):
        return None


def keep_plans(data_dir: Path, stamp: tuple, windows: list[Window]) -> None:
    """Keep the plans worked out from the inputs `stamp` describes (taken before they were
    read: an edit while they were worked out makes them stale, never wrong)."""
    path = local_dir(data_dir) / "cache" / CACHE_NAME
    kept = [(start, until, plan.fields()) for start, until, plan in windows]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_packed(path, CACHE_KIND, CACHE_VERSION, (stamp, kept))
    except OSError:
        pass  # only a cache: the next call works the plan out again
