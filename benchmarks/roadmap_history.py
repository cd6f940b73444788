"""Real upstream history replayed as a learner lives through it (#27): for consecutive
versions of a plan's README (every GAP-th commit that touched it), import the older one, tick
every STEP-th item, `roadmap update` to the newer one, and check every tick against a ground
truth matched by section, text and links (letter case, spacing and a trailing ellipsis aside;
a renamed heading over the same bullets is the same section; or a near-identical text in the
same section, numbers equal). Prints the cases lost
or misplaced, then one JSON object of totals.

The repositories come from the `fetch` tool (never the network from here):
    python benchmarks/roadmap_history.py REPO_DIR README.md PAIRS STEP [GAP]
e.g. /work/.mirror/ossu+computer-science/repo README.md 30 3 4
or one pair of commits: ... REPO_DIR README.md OLD..NEW STEP
"""

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from companion.content.loader import load_library
from companion.paths import content_dirs
from companion.services.progress_sync import record_state
from companion.store import open_store
from companion.text import normalise

COMPANION = [sys.executable, "-m", "companion"]


_TRAILING = re.compile(r"[\s.:…]+$")  # "Clustering ..." and "Clustering" are one bullet


def key(roadmap, item):
    """(section, text, links); section and text without letter case, spacing and a trailing
    ellipsis or colon, as a reader tells items apart."""
    return (
        normalise(roadmap.phase_of(item).title),
        _TRAILING.sub("", normalise(item.text)),
        tuple(resource.url for resource in item.resources),
    )


def section_map(old_keys, new_keys):
    """Each old section's title -> the new one's: the same title, else the one new section
    holding at least half of its item texts (a renamed heading over the same bullets)."""
    new_phases = {n[0] for n in new_keys}
    texts: dict[str, set] = {}
    for n in new_keys:
        texts.setdefault(n[0], set()).add(n[1])
    mapped = {}
    for phase in {o[0] for o in old_keys}:
        if phase in new_phases:
            mapped[phase] = phase
            continue
        own = {o[1] for o in old_keys if o[0] == phase}
        best = sorted(((len(own & t), p) for p, t in texts.items()), reverse=True)
        if best and 2 * best[0][0] >= len(own) and (len(best) == 1 or best[1][0] < best[0][0]):
            mapped[phase] = best[0][1]
    return mapped


def ratio(a, b):
    # autojunk off: past 200 characters it makes a one-letter edit a ratio of 0.75
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def corresponds(k, new_keys, old_keys, sections):
    phase, text, links = k
    phase = sections.get(phase, phase)

    def one(cands):
        return cands[0] if len(cands) == 1 else None

    def shared(n):
        return len(set(links) & set(n[2]))

    if found := one([n for n in new_keys if n[0] == phase and n[1] == text]):
        return found
    linked = [n for n in new_keys if shared(n) and (n[0] == phase or n[1] == text)]
    most = max(map(shared, linked), default=0)
    linked = [n for n in linked if shared(n) == most]
    if found := one(linked):
        return found
    if len(linked) > 1:  # the same links shared: the likest text, if one is
        ratios = sorted(((ratio(text, n[1]), n) for n in linked), reverse=True)
        if ratios[0][0] > ratios[1][0]:
            return ratios[0][1]
    if Counter(o[1] for o in old_keys)[text] == 1 and (
        found := one([n for n in new_keys if n[1] == text])
    ):
        return found
    near = sorted(
        ((ratio(text, n[1]), n) for n in new_keys if n[0] == phase),  # fmt: skip
        reverse=True,
    )

    def digits(t):
        return re.findall(r"\d+", t)

    near = [(r, n) for r, n in near if digits(n[1]) == digits(text)]
    if near and near[0][0] >= 0.85 and (len(near) == 1 or near[1][0] < near[0][0]):
        return near[0][1]
    return None


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
    old_keys = [key(rm, i) for i in rm.items]
    store = open_store(d)
    now = datetime.now(UTC)
    ticked = []
    for n, item in enumerate(rm.items):
        if n % step == 0:
            record_state(store, rm, item, "done", now)
            ticked.append(key(rm, item))
    store.close()
    src.write_bytes(subprocess.check_output(["git", "-C", repo, "show", f"{b}:{path}"]))
    out = subprocess.run(
        [*COMPANION, "--data-dir", str(d), "roadmap", "update", rid], capture_output=True, text=True
    )
    if out.returncode:
        return {"error": out.stderr[-200:]}
    lib = load_library(content_dirs(d))
    rm = next(r for r in lib.roadmaps if r.id == rid)
    store = open_store(d, read_only=True)
    states = store.item_states()
    store.close()
    new_keys: dict[tuple, list] = {}
    for i in rm.items:  # an item upstream wrote twice has one key for both copies
        new_keys.setdefault(key(rm, i), []).append(i)
    sections = section_map(old_keys, list(new_keys))
    truth = [(k, corresponds(k, list(new_keys), old_keys, sections)) for k in ticked]
    expected = Counter(v for _, v in truth if v)
    done = Counter(k for k, items in new_keys.items() for i in items if states.get(i.id) == "done")
    lost = []
    for k, v in truth:
        if v and done[v] < expected[v]:
            lost.append((k, v))
            expected[v] -= 1
    misplaced = [k for k in done if k not in expected]
    return {
        "ticked": len(ticked),
        "in_file": sum(1 for _, v in truth if v),
        "kept": sum(1 for _, v in truth if v) - len(lost),
        "lost": lost,
        "misplaced": misplaced,
        "items_after": len(new_keys),
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
