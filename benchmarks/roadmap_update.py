"""`roadmap update` and `roadmap set` as whole processes on a real plan (#27 point 6): import
an older version of a fetched README, tick about 360 of its items, then time `roadmap update`
to a newer version (each round on a fresh copy of the ticked data), and `roadmap set` on one
item. Prints one JSON object: the best of ROUNDS, with the items and ticks involved.

The repository comes from the `fetch` tool (never the network from here):
    python benchmarks/roadmap_update.py REPO_DIR OLD NEW [ROUNDS]
e.g. /work/.mirror/jwasham+coding-interview-university/repo 02671e4cd5 d2fa7fad5f
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from companion.content.loader import load_library
from companion.paths import content_dirs
from companion.services.progress_sync import record_state
from companion.store import open_store

COMPANION = [sys.executable, "-m", "companion"]
TICKS = 360


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    repo, old, new = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = root / "README.md"
        source.write_bytes(subprocess.check_output(["git", "-C", repo, "show", f"{old}:README.md"]))
        ticked = root / "ticked"
        add = [*COMPANION, "--data-dir", str(ticked), "roadmap", "add", str(source)]
        out = subprocess.run(add, check=True, capture_output=True, text=True, env=env)
        roadmap_id = out.stdout.split(" as ")[1].split(":")[0]
        roadmap = next(r for r in load_library(content_dirs(ticked)).roadmaps if r.id == roadmap_id)
        step = max(1, len(roadmap.items) // TICKS)
        store = open_store(ticked)
        now = datetime.now(UTC)
        chosen = roadmap.items[::step][:TICKS]
        for item in chosen:
            record_state(store, roadmap, item, "done", now)
        store.close()
        items_before = len(roadmap.items)
        source.write_bytes(subprocess.check_output(["git", "-C", repo, "show", f"{new}:README.md"]))
        updates = []
        for n in range(rounds):
            data = root / f"round{n}"
            shutil.copytree(ticked, data)
            updates.append(timed([*COMPANION, "--data-dir", str(data), "roadmap", "update",
                                  roadmap_id], env))  # fmt: skip
        data = root / "round0"
        roadmap = next(r for r in load_library(content_dirs(data)).roadmaps if r.id == roadmap_id)
        item = roadmap.items[len(roadmap.items) // 2]
        sets = [
            timed([*COMPANION, "--data-dir", str(data), "roadmap", "set", item.id, state], env)
            for state in ("doing", "done", "todo")[:rounds]
        ]
    print(json.dumps({
        "items_before": items_before, "items_after": len(roadmap.items), "ticks": len(chosen),
        "update_s": round(min(updates), 3), "set_s": round(min(sets), 3),
        "cpu_count": os.cpu_count(),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
