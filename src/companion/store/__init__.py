"""The only code that touches TinyDB or the data files: state, the review log, snapshots,
parse caches, the learner's deck and note files, saved pages, and the single-instance lock."""

from typing import TYPE_CHECKING

from companion.store.errors import DataFileError, StoreLockedError

if TYPE_CHECKING:
    from companion.store.store import Store, open_store

__all__ = ["DataFileError", "Store", "StoreLockedError", "open_store"]


def __getattr__(name: str) -> object:
    # The store (TinyDB, FSRS) loads on first use, so commands that only need its errors,
    # such as `check-links`, start without it.
    if name in ("Store", "open_store"):
        from companion.store import store

        return getattr(store, name)
    raise AttributeError(f"module 'companion.store' has no attribute {name!r}")
