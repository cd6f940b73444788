"""`cards import` killed with SIGKILL at every kind of moment: the data directory is then
either as it was before the import or holds the whole import, never part of it (#28: decks
were written before any history, and a million answers went in 20,000-line chunks).

strace kills the real process on the Nth fsync, rename or write it makes (the syscall does not
run): the moments an import's files become durable. The next command to open the data
directory (here `stats`, read-only) puts back what a cut-off import wrote.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion.services.content_sources import load_content
from companion.store import open_store
from companion.store.atomic_file import _TEMP_NAME
from companion.store.import_journal import JOURNAL_DIR, import_cut_off

from .test_anki_import import FIXTURES, _without_newest_answers

STRACE = shutil.which("strace")
pytestmark = pytest.mark.skipif(
    STRACE is None and not os.environ.get("COMPANION_REQUIRE_STRACE"),
    reason="strace is not installed (apt install strace)",
)
DERIVED = {"companion.lock", "scheduling.snapshot", "cache", JOURNAL_DIR}
"""Files made from the others again when missing: not the learner's state."""


def companion(*args: str, data_dir: Path, strace: list[str] | None = None):
    command = [sys.executable, "-m", "companion", "--data-dir", str(data_dir), *args]
    if strace is not None:
        command = [STRACE or "strace", "-f", "-qq", "-o", os.devnull, *strace, *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def is_temp(name: str) -> bool:
    """A write's temporary file a kill left: never read, and removed by a later start."""
    return _TEMP_NAME.match(name) is not None


def files(data_dir: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if path.is_file() and relative.parts[0] not in DERIVED and not is_temp(path.name):
            found[relative.as_posix()] = path.read_bytes()
    return found


def state(data_dir: Path) -> dict:
    """What the learner has: every file but the log as bytes, the log's events without the
    ids and places each write gives them afresh, and each card's state as the store reads it."""
    kept = files(data_dir)
    log = kept.pop("reviews.jsonl", b"")
    kept.pop("companion.json", None)  # its `settings_seen` stamps differ run to run
    events = sorted(json.dumps(_as_logged(json.loads(line))) for line in log.splitlines())
    cards = load_content(data_dir).cards
    store = open_store(data_dir, read_only=True)
    try:
        records = {card: store.ledger.record(card).to_row() for card in sorted(cards)}
    finally:
        store.close()
    return {"files": kept, "events": events, "records": records}


def difference(now: dict, whole: dict) -> str:
    """What part of the import stayed, and how it is not the whole one (for the failure)."""
    files = sorted(set(now["files"].items()) ^ set(whole["files"].items()))
    events = set(now["events"]) ^ set(whole["events"])
    records = [c for c in now["records"] if now["records"][c] != whole["records"].get(c)]
    return (
        f"part of the import stayed: files {[name for name, _ in files][:5]}, "
        f"{len(events)} events ({sorted(events)[:2]}), {len(records)} card states"
    )


def _as_logged(event: dict) -> dict:
    """An event without what each write gives it afresh: its id, place, and (for what the
    import does now rather than what happened in Anki) its time."""
    dropped = {"id", "seq"} | ({"ts"} if "anki" not in event else set())
    if isinstance(event.get("src"), str):  # the deck's path, in whichever copy wrote it
        event["src"] = event["src"][event["src"].find("/decks/") :]
    return {key: value for key, value in event.items() if key not in dropped}


def syscall_count(data_dir: Path, package: Path, call: str) -> int:
    trace = data_dir.parent / f"{call}.trace"
    run = subprocess.run(
        [STRACE or "strace", "-f", "-qq", "-o", str(trace), "-e", f"trace={call}",
         sys.executable, "-m", "companion", "--data-dir", str(data_dir), "cards", "import",
         str(package)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return sum(1 for line in trace.read_text().splitlines() if f" {call}(" in line)


def kill_points(total: int, wanted: int) -> list[int]:
    """`wanted` of 1..total, evenly spread, the last ones always among them (the import's end)."""
    step = max(1, total // wanted)
    return sorted({*range(1, total + 1, step), total - 1, total})


@pytest.mark.parametrize("over_earlier", [False, True], ids=["first import", "import again"])
def test_a_killed_import_leaves_the_state_before_or_the_whole_import(tmp_path: Path, over_earlier):
    """Killed at every 4th fsync, and at renames and writes across the import: each time the
    next command finds the learner's state exactly as before the import, or with all of it."""
    package = FIXTURES / "anki-history-fsrs.apkg"
    base = tmp_path / "base"
    if over_earlier:  # the learner imported the collection before its newest 5% of answers
        earlier = _without_newest_answers(package, tmp_path / "earlier.apkg", 0.05)
        assert companion("cards", "import", str(earlier), data_dir=base).returncode == 0
    else:
        assert companion("stats", data_dir=base).returncode == 0  # a fresh data directory
    before = state(base)
    whole = tmp_path / "whole"
    shutil.copytree(base, whole)
    counts = {call: syscall_count(whole, package, call) for call in ("fsync", "rename")}
    after = state(whole)
    assert after != before

    outcomes: dict[str, list[str]] = {"before": [], "whole": []}
    undone = 0  # kills after the import began writing: the next command says it undid them
    points = [("fsync", k) for k in kill_points(counts["fsync"], 24)]
    points += [("rename", k) for k in kill_points(counts["rename"], 6)]
    points += [("write", k) for k in (1, 2, 3)]
    for call, nth in points:
        data_dir = tmp_path / f"{call}-{nth}"
        shutil.copytree(base, data_dir)
        run = companion(
            "cards", "import", str(package), data_dir=data_dir,
            strace=["-e", f"trace={call}", "-e", f"inject={call}:signal=KILL:when={nth}"],
        )  # fmt: skip
        assert run.returncode in (-9, 137), (call, nth, run.returncode, run.stderr[-500:])
        reopened = companion("stats", data_dir=data_dir)
        assert reopened.returncode == 0, reopened.stderr
        assert not import_cut_off(data_dir)  # a finished journal's folder may wait for a start
        now = state(data_dir)
        assert now in (before, after), f"killed at {call} #{nth}: {difference(now, after)}"
        outcome = "before" if now == before else "whole"
        outcomes[outcome].append(f"{call}#{nth}")
        told = "an Anki import that did not finish" in reopened.stderr + reopened.stdout
        assert not told or outcome == "before"
        undone += told
        shutil.rmtree(data_dir)
    # the kills fell on both sides of the import's end, and most before it
    assert outcomes["before"] and outcomes["whole"], outcomes
    assert len(outcomes["before"]) > len(outcomes["whole"]), outcomes
    assert undone >= len(points) // 2, (undone, outcomes)
