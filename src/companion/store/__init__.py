"""The only code that touches TinyDB or the data files: state, the review log, snapshots,
parse caches, the learner's deck and note files, saved pages, and the single-instance lock."""

from companion.store.errors import DataFileError, StoreLockedError
from companion.store.store import Store, open_store

__all__ = ["DataFileError", "Store", "StoreLockedError", "open_store"]
