"""The only code that touches TinyDB or the data files."""

from companion.store.errors import DataFileError, StoreLockedError
from companion.store.store import Store, open_store

__all__ = ["DataFileError", "Store", "StoreLockedError", "open_store"]
