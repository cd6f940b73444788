"""Temporary files left by a kill mid-write are cleaned up at the next start."""

import os
import time
from pathlib import Path

from companion.store import open_store
from companion.store.atomic_file import write_atomically


def test_temporary_files_of_killed_writes_are_removed_at_the_next_start(data_dir: Path):
    old = time.time() - 3600
    leftovers = [
        data_dir / "roadmaps" / ".ossu.md.k3j_a9Qz.tmp",  # a `roadmap add` killed mid-write
        data_dir / "decks" / ".anki-import.md.0aZ9bY8x.tmp",  # `cards import`
        data_dir / "cache" / ".ledger.snapshot.Qw3rTy9u.tmp",  # a snapshot rebuild
    ]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\0" * (12 * 1024 * 1024 if "ossu" in path.name else 100))
        os.utime(path, (old, old))
    in_flight = data_dir / "roadmaps" / ".fresh.md.AbCdEfGh.tmp"  # another process, writing
    in_flight.write_text("partial")
    learners = [data_dir / "notes" / "draft.tmp", data_dir / "decks" / ".my.tmp"]
    for path in learners:
        path.write_text("the learner's own file")
        os.utime(path, (old, old))

    open_store(data_dir).close()

    assert not any(path.exists() for path in leftovers)
    assert in_flight.exists()
    assert all(path.read_text() == "the learner's own file" for path in learners)


def test_the_names_written_by_atomic_writes_are_the_names_cleaned(data_dir: Path, monkeypatch):
    seen: list[str] = []
    real_replace = os.replace

    def spy(source: str, target: Path) -> None:
        seen.append(Path(source).name)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    write_atomically(data_dir / "roadmaps" / "x.md", b"text")
    monkeypatch.undo()
    leftover = data_dir / "roadmaps" / seen[0]
    leftover.write_text("as a kill would leave it")
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    open_store(data_dir).close()
    assert not leftover.exists()
