"""One companion per data directory, enforced with an advisory file lock."""

import os
from pathlib import Path

from companion.store.errors import StoreLockedError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl; run unlocked there
    fcntl = None  # type: ignore[assignment]


class DataDirLock:
    """An exclusive lock on `companion.lock` in the data directory, held while the app runs."""

    def __init__(self, data_dir: Path, name: str = "companion.lock") -> None:
        self.path = data_dir / name
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise StoreLockedError naming the process that holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "another process"
                os.close(fd)
                raise StoreLockedError(
                    f"{self.path.parent}: already in use by companion (pid {holder}); "
                    "close that one first or pass another --data-dir"
                ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        """Give the lock back."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
