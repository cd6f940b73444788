"""Real upstream history replayed as a learner lives through it (#27): for consecutive
versions of a plan's README (every GAP-th commit that touched it), import the older one, tick
every STEP-th item, `roadmap update` to the newer one, and check every tick against the
ground truth of tests/upstream_truth.py. Prints the cases lost or misplaced, then one JSON
object of totals.

The repositories come from the `fetch` tool (never the network from here):
    python benchmarks/roadmap_history.py REPO_DIR README.md PAIRS STEP [GAP]
e.g. /work/.mirror/ossu+computer-science/repo README.md 30 3 4
or one pair of commits: ... REPO_DIR README.md OLD..NEW STEP
"""

import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
from companion.content.loader import load_library  # noqa: E402
from companion.paths import content_dirs  # noqa: E402
from companion.services.progress_sync import record_state  # noqa: E402
from companion.store import open_store  # noqa: E402
from tests.upstream_truth import judge  # noqa: E402

COMPANION = [sys.executable, "-m", "companion"]


def replay(repo, a, b, path, step, root):
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    src = root / Path(path).name
    src.write_bytes(subprocess.check_output(["git", "-C", repo, "show", f"{a}:{path}"]))
    d = root / "d"
    out = subprocess.run(
        [*COMPANION, "--data-dir", str(d), "roadmap", "add", str(src)],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        return {"error": out.stderr[-200:]}
    rid = out.stdout.split(" as ")[1].split(":")[0]
    lib = load_library(content_dirs(d))
    rm = next(r for r in lib.roadmaps if r.id == rid)
    store = open_store(d)
    now = datetime.now(UTC)
    ticked = []
    for n, item in enumerate(rm.items):
        if n % step == 0:
            record_state(store, rm, item, "done", now)
            ticked.append(item.id)
    store.close()
    src.write_bytes(subprocess.check_output(["git", "-C", repo, "show", f"{b}:{path}"]))
    out = subprocess.run(
        [*COMPANION, "--data-dir", str(d), "roadmap", "update", rid], capture_output=True, text=True
    )
    if out.returncode:
        return {"error": out.stderr[-200:]}
    new = next(r for r in load_library(content_dirs(d)).roadmaps if r.id == rid)
    store = open_store(d, read_only=True)
    states = store.item_states()
    store.close()
    verdict = judge(rm, new, ticked, states)
    return {
        "ticked": verdict.ticked,
        "in_file": verdict.in_file,
        "kept": verdict.kept,
        "lost": verdict.lost,
        "misplaced": verdict.misplaced,
        "items_after": len(new.items),
    }


if __name__ == "__main__":
    repo, path, count, step = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    gap = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    if ".." in count:
        commits = count.split("..")
    else:
        commits = subprocess.check_output(
            ["git", "-C", repo, "log", "--format=%h", f"-{int(count) * gap + 1}", "--", path],
            text=True,
        ).split()[::-1][::gap]
    total = Counter()
    for a, b in zip(commits, commits[1:], strict=False):
        r = replay(repo, a, b, path, step, Path(tempfile.mkdtemp()) / "replay")
        if "error" in r:
            print(a, b, "ERROR", r["error"])
            continue
        total.update(
            {
                "ticked": r["ticked"],
                "in_file": r["in_file"],
                "kept": r["kept"],
                "lost": len(r["lost"]),
                "misplaced": len(r["misplaced"]),
            }
        )
        if r["lost"] or r["misplaced"]:
            print(a, b, "lost", r["lost"][:3], "misplaced", r["misplaced"][:3])
    print(json.dumps(dict(total)))
