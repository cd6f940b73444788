"""Studying on several machines through a synced folder: what the others did, brought in."""

import time
from collections.abc import Callable, Iterable

from companion.config import ConfigError, load_settings
from companion.services.roadmap_versions import log_posted_versions
from companion.services.settings_sync import sync_settings
from companion.store import Store
from companion.store.device_logs import Pulled
from companion.store.sync_folder import device_names

CLOCK_TOLERANCE_S = 86400  # a machine whose clock is further ahead than this is told of


def clocks_ahead(events: Iterable[dict], now: float) -> dict[str, float]:
    """The machines whose events come from later than `now` by more than a day, and by how
    much their latest is ahead (their clock is wrong: a real event cannot be in the future)."""
    ahead: dict[str, float] = {}
    for event in events:
        lead = event.get("ts", 0.0) - now
        if lead > CLOCK_TOLERANCE_S and lead > ahead.get(event["device"], 0.0):
            ahead[event["device"]] = lead
    return ahead


def pull_others(store: Store) -> Pulled:
    """Bring what the other machines logged since the last pull into this store: their events
    go to the local log and the ledger, which puts them in (time, id) order among ours."""
    logs = store.device_logs
    if logs is None:
        return Pulled()
    log_posted_versions(store)  # roadmaps a command updated while this store held the lock
    pulled = logs.pull(local_is_empty=store.review_log.size() == 0)
    ahead = clocks_ahead(pulled.events, time.time())
    names = device_names(logs.folder) if ahead else {}  # read only when there is news
    for device, lead in ahead.items():
        days = lead / 86400
        pulled.problems.append(
            f"the clock of {names.get(device, device)} is {days:.0f} days ahead of this one's: "
            "its events are kept, at the times it gave them"
        )
    # the settings first: the answers that come with them are replayed with their steps
    store.apply_setting_events(pulled.events)
    settings = sync_settings(store)  # this machine's own changes sent, the others' written here
    pulled.problems.extend(settings.problems)
    pulled.settings_applied = settings.applied
    if settings.applied:
        try:
            store.use_settings(load_settings(store.data_dir))
        except ConfigError as error:
            pulled.problems.append(str(error))
    if pulled.events:
        # their place in this log is this log's: the other machine's `seq` is not carried;
        # their cards are replayed once at the end (their `first` and `was` came with them)
        with store.ledger.batch():
            store.commit_many(
                (lambda e=e: {k: v for k, v in e.items() if k != "seq"}) for e in pulled.events
            )
        store.apply_progress_events(pulled.events)
        store.apply_block_events(pulled.events)
    logs.save_offsets()  # only once the local log holds them
    return pulled


LONG_MERGE_EVENTS = 20_000  # a merge this long is told of before it starts


def catch_up(store: Store, notice: Callable[[str], None]) -> Pulled:
    """Merge what the other machines logged since this one last looked, saying so first when
    it is a lot (a machine joining a folder with years of history) and after, what came."""
    logs = store.device_logs
    if logs is None:
        return Pulled()
    waiting = logs.bytes_waiting()
    if waiting > LONG_MERGE_EVENTS * 200:
        notice(f"companion: merging {waiting / 1e6:.0f} MB of other machines' logs (once)…")
    pulled = pull_others(store)
    for problem in pulled.problems:
        notice(f"companion: {problem}")
    return pulled
