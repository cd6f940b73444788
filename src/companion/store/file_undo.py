"""The files an import writes, as they were before it, to put back if it fails part-way: a
failed import ("File name too long", a disk full) left deck files and media and no history."""

import contextlib
from pathlib import Path

from companion.store.atomic_file import write_atomically


class FileUndo:
    """Keep a file's bytes (or that it was not there) before the first write to it."""

    def __init__(self) -> None:
        self._before: dict[Path, bytes | None] = {}
        self._made_folders: list[Path] = []

    def keep(self, path: Path) -> None:
        if path in self._before:
            return
        missing = [p for p in reversed(path.parents) if not p.exists()]
        self._made_folders.extend(p for p in missing if p not in self._made_folders)
        try:
            self._before[path] = path.read_bytes() if path.is_file() else None
        except OSError:
            self._before[path] = None

    def restore(self) -> None:
        """Put every kept file back as it was; the files and folders made, removed."""
        for path, before in reversed(list(self._before.items())):
            with contextlib.suppress(OSError):
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    write_atomically(path, before)
        for folder in reversed(self._made_folders):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: nothing else of the learner's goes
