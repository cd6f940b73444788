"""Studying on several machines through a synced folder: what the others did, brought in."""

from companion.store import Store
from companion.store.device_logs import Pulled


def pull_others(store: Store) -> Pulled:
    """Bring what the other machines logged since the last pull into this store: their events
    go to the local log and the ledger, which puts them in (time, id) order among ours."""
    logs = store.device_logs
    if logs is None:
        return Pulled()
    pulled = logs.pull(local_is_empty=store.review_log.size() == 0)
    if pulled.events:
        # their place in this log is this log's: the other machine's `seq` is not carried
        store.commit_many(
            (lambda e=e: {k: v for k, v in e.items() if k != "seq"}) for e in pulled.events
        )
    logs.save_offsets()  # only once the local log holds them
    return pulled
