"""What the parts of the store mixed into `Store` (its progress, its study log) use of it."""

from collections.abc import Callable
from pathlib import Path

from tinydb import TinyDB

from companion.store.review_log import ReviewLog


class StorePart:
    """The store's attributes and methods a part relies on (`Store` has them)."""

    db: TinyDB
    data_dir: Path
    clock: Callable[[], float]
    review_log: ReviewLog

    def commit(self, event: dict) -> dict: ...

    def _writable(self) -> None: ...
