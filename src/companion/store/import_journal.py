"""An import's journal: what each file it writes was before, kept on disk before the file is
written, so an import is all or nothing even when the process is killed part-way (#28: a
kill -9 left decks written and no history, or half of a million answers).

The journal is a folder in the machine's own data directory. `begun.json` names the logs
with their sizes and the derived files with their stamps; each line of `files.jsonl` names a
file about to be written and the copy of what it held (or that it was not there), durable
before the write. The import ends by removing `begun.json`. Whoever next opens the data
directory finds a journal still begun, puts every file back, cuts the logs to their sizes
and removes the derived files that changed (they are made again from the rest).
"""

import contextlib
import json
import os
import shutil
from pathlib import Path

from companion.store.atomic_file import fsync_directory, write_all, write_atomically

JOURNAL_DIR = "import-journal"
BEGUN = "begun.json"
FILES = "files.jsonl"


def _stamp(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


class ImportJournal:
    """Keep a file's bytes (or that it was not there) on disk before the first write to it."""

    def __init__(self, local_dir: Path, logs: list[Path], derived: list[Path]) -> None:
        self.folder = local_dir / JOURNAL_DIR
        self._kept: set[Path] = set()
        self._made_folders: set[Path] = set()
        cut_off_import(local_dir)  # one left begun is put back first (open_store does it too)
        self.folder.mkdir(parents=True)
        begun = {
            "logs": {str(path): _size(path) for path in logs},
            "derived": {str(path): _stamp(path) for path in derived},
        }
        (self.folder / FILES).touch()
        write_atomically(self.folder / BEGUN, json.dumps(begun).encode())

    def keep(self, *paths: Path) -> None:
        """Copy what these files hold now, durably, before they are written (one fsync for
        all of them: an import may copy thousands of images)."""
        lines = []
        for path in paths:
            if path in self._kept:
                continue
            made = [p for p in reversed(path.parents) if not p.exists()]
            made = [p for p in made if p not in self._made_folders]
            backup = None
            if path.is_file():
                backup = f"{len(self._kept)}.bak"
                shutil.copyfile(path, self.folder / backup)
                _fsync_file(self.folder / backup)
            entry = {"path": str(path), "backup": backup, "made": [str(p) for p in made]}
            lines.append(json.dumps(entry).encode() + b"\n")
            self._kept.add(path)
            self._made_folders.update(made)
        if not lines:
            return
        fd = os.open(self.folder / FILES, os.O_WRONLY | os.O_APPEND)
        try:
            write_all(fd, b"".join(lines))
            os.fsync(fd)
        finally:
            os.close(fd)

    def restore(self) -> None:
        """Put everything back as it was before the import, and end the journal."""
        roll_back(self.folder)

    def finish(self) -> None:
        """The import is whole: from here on a crash keeps it."""
        (self.folder / BEGUN).unlink()
        fsync_directory(self.folder)
        shutil.rmtree(self.folder, ignore_errors=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def import_cut_off(local_dir: Path) -> bool:
    """Whether an import began here and did not finish (or is running now)."""
    return (local_dir / JOURNAL_DIR / BEGUN).is_file()


def cut_off_import(local_dir: Path) -> bool:
    """Put back what an import that did not finish (killed, power lost) had written; True
    when there was one. Running it again after a crash in the middle does the same."""
    folder = local_dir / JOURNAL_DIR
    if not import_cut_off(local_dir):
        shutil.rmtree(folder, ignore_errors=True)
        return False
    roll_back(folder)
    return True


def roll_back(folder: Path) -> None:
    begun = json.loads((folder / BEGUN).read_text(encoding="utf-8"))
    entries = []
    for line in (folder / FILES).read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError):  # a line cut by the crash: its write never began
            entries.append(json.loads(line))
    for entry in reversed(entries):
        path = Path(entry["path"])
        if entry["backup"] is None:
            path.unlink(missing_ok=True)
        else:
            write_atomically(path, (folder / entry["backup"]).read_bytes())
        for made in reversed(entry["made"]):
            with contextlib.suppress(OSError):
                Path(made).rmdir()  # only when empty: nothing else of the learner's goes
    for name, size in begun["logs"].items():
        log = Path(name)
        if _size(log) > size:
            with log.open("r+b") as handle:
                handle.truncate(size)
                os.fsync(handle.fileno())
    for name, stamp in begun["derived"].items():
        if _stamp(Path(name)) != stamp:
            Path(name).unlink(missing_ok=True)
    (folder / BEGUN).unlink()
    fsync_directory(folder)
    shutil.rmtree(folder, ignore_errors=True)
