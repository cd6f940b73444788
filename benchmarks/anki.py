"""Importing a heavy Anki user's collection: 100,000 notes and 1,000,000 revlog entries in a
current-format package. Built by Anki's own library (scripts/make_anki_heavy.py) when a Python
with `anki` is at hand (COMPANION_ANKI_PYTHON, or .anki-venv as .ci/run makes it); otherwise
written directly (SQLite schema and zstd as Anki does), and `package_built_by` says which.
Prints one JSON object: `import_s` and `peak_rss_mb` of `companion cards import`, the same
import again, `stats --json`, `cards optimize`, then companion's start-up (with the trivial
Textual app's, measured the same way) and answer latency on the result.
Run: python benchmarks/anki.py [--notes N] [--reviews N]
"""

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import zstandard

sys.path.insert(0, str(Path(__file__).parent))
from review import NOW, answer_latencies, startup_times  # noqa: E402

from companion.paths import ensure_data_dir  # noqa: E402

CREATED = int(datetime(2021, 1, 1, 4, tzinfo=UTC).timestamp())
DAY = 86400
SCHEMA = """
create table col (id integer primary key, crt integer, mod integer, scm integer, ver integer,
  dty integer, usn integer, ls integer, conf text, models text, decks text, dconf text, tags text);
create table notes (id integer primary key, guid text, mid integer, mod integer, usn integer,
  tags text, flds text, sfld text, csum integer, flags integer, data text);
create table cards (id integer primary key, nid integer, did integer, ord integer, mod integer,
  usn integer, type integer, queue integer, due integer, ivl integer, factor integer,
  reps integer, lapses integer, left integer, odue integer, odid integer, flags integer,
  data text);
create table revlog (id integer primary key, cid integer, usn integer, ease integer,
  ivl integer, lastIvl integer, factor integer, time integer, type integer);
create table notetypes (id integer primary key, name text, mtime_secs integer, usn integer,
  config blob);
create table fields (ntid integer, ord integer, name text, config blob);
create table templates (ntid integer, ord integer, name text, mtime_secs integer, usn integer,
  config blob);
create table decks (id integer primary key, name text, mtime_secs integer, usn integer,
  common blob, kind blob);
"""


ROOT = Path(__file__).resolve().parent.parent


def anki_python() -> str | None:
    """A Python that has Anki's library, if there is one."""
    given = os.environ.get("COMPANION_ANKI_PYTHON")
    found = Path(given) if given else ROOT / ".anki-venv" / "bin" / "python"
    return str(found) if found.exists() else None


def build_with_anki(python: str, path: Path, notes: int, reviews: int) -> None:
    """The package as Anki's own library writes it."""
    script = ROOT / "scripts" / "make_anki_heavy.py"
    subprocess.run([python, str(script), str(path), str(notes), str(reviews)], check=True,
                   capture_output=True, timeout=3600)  # fmt: skip


def build_package(path: Path, notes: int, reviews: int) -> None:
    """Basic notes in 10 decks, each card with its share of the revlog, due around NOW."""
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "collection"
        db = sqlite3.connect(db_path)
        db.executescript(SCHEMA)
        db.execute("insert into col values (1,?,0,0,18,0,0,0,'{}','','','','')", (CREATED,))
        db.execute("insert into notetypes values (1,'Basic',0,-1,?)", (b"",))
        db.executemany("insert into fields values (1,?,?,?)", [(0, "Front", b""), (1, "Back", b"")])
        db.execute("insert into templates values (1,0,'Card 1',0,-1,?)", (b"",))
        db.executemany(
            "insert into decks values (?,?,0,-1,?,?)",
            [(10 + d, f"Anki\x1fDeck {d}", b"", b"") for d in range(10)],
        )
        per_card = max(1, reviews // notes)
        now_day = (NOW.timestamp() - CREATED) // DAY
        note_rows, card_rows, review_rows = [], [], []
        review_id = int(datetime(2021, 2, 1, tzinfo=UTC).timestamp() * 1000)
        for n in range(notes):
            front = f"Question {n}: what does <b>term {rng.randrange(10**6)}</b> mean?"
            back = f"Answer {n}: definition {rng.randrange(10**6)}<br>with a second line"
            note_rows.append((n + 1, f"g{n:08d}", 1, 0, -1, " imported ", f"{front}\x1f{back}",
                              front, 0, 0, ""))  # fmt: skip
            lapses = 0
            for _ in range(per_card):
                ease = rng.choice([1, 3, 3, 3, 4])
                lapses += ease == 1
                review_id += rng.randrange(1000, 200_000)
                review_rows.append((review_id, n + 1, -1, ease, rng.choice([1, 3, 9, 27]), 0,
                                    2500, rng.randrange(2000, 20000), 1))  # fmt: skip
            due = int(now_day + rng.randrange(-5, 60))
            data = json.dumps(
                {"s": round(rng.uniform(1, 200), 2), "d": round(rng.uniform(1, 9), 2)}
            )
            card_rows.append((n + 1, n + 1, 10 + n % 10, 0, 0, -1, 2, 2, due, 20, 2500,
                              per_card, lapses, 0, 0, 0, 0, data))  # fmt: skip
        # revlog ids must rise with time across cards too: spread them over the years
        review_rows.sort()
        db.executemany("insert into notes values (?,?,?,?,?,?,?,?,?,?,?)", note_rows)
        db.executemany("insert into cards values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows)
        db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", review_rows)
        db.commit()
        db.close()
        raw = db_path.read_bytes()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki21b", zstandard.ZstdCompressor().compress(raw))
        archive.writestr("media", zstandard.ZstdCompressor().compress(b""))


# Peak RSS as VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent at fork,
# so every command would report at least this script's own size (the package it built).
COMMAND = """
import contextlib, io, re, sys, time
from companion.cli.main import main
started = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["--data-dir", *sys.argv[1:]])
took = time.perf_counter() - started
peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
print(code, took, peak / 1024, flush=True)
"""


def timed(data_dir: Path, *args: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `companion` command, in a process of its own."""
    done = subprocess.run([sys.executable, "-c", COMMAND, str(data_dir), *args],
                          capture_output=True, text=True, timeout=3600)  # fmt: skip
    last = (done.stdout.strip().splitlines() or ["1"])[-1].split()
    if last[0] not in ("0", "1"):
        raise SystemExit(f"companion {' '.join(args)} failed: {done.stderr[-2000:]}")
    return float(last[1]), float(last[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "heavy.apkg"
        started = time.perf_counter()
        python = anki_python()
        if python is not None:
            build_with_anki(python, package, args.notes, args.reviews)
            version = "from anki.buildinfo import version; print(version)"
            found = subprocess.run([python, "-c", version], capture_output=True, text=True)
            built_by = f"anki {found.stdout.strip()}"
        else:
            build_package(package, args.notes, args.reviews)
            built_by = "sql (no Anki library here)"
        build_s = time.perf_counter() - started
        package_mb = package.stat().st_size / 1e6
        data_dir = ensure_data_dir(Path(tmp) / "data")
        (data_dir / "config.toml").write_text(
            "reviews_per_day = 100000\nnew_cards_per_day = 100\ncheck_links_on_start = false\n"
        )
        import_s, peak_mb = timed(data_dir, "cards", "import", str(package))
        again_s, again_mb = timed(data_dir, "cards", "import", str(package))
        floor, startup, first_startup = startup_times(data_dir)
        stats_s, stats_mb = timed(data_dir, "stats", "--json")
        optimize_s, optimize_mb = timed(data_dir, "cards", "optimize")
        latencies, per_answer, _ = asyncio.run(answer_latencies(data_dir, args.answers))
    ms = sorted(value * 1000 for value in latencies)
    print(json.dumps({
        "notes": args.notes, "revlog_entries": args.reviews, "package_built_by": built_by,
        "package_mb": round(package_mb, 1),
        "import_s": round(import_s, 1), "peak_rss_mb": round(peak_mb, 1),
        "import_again_s": round(again_s, 1), "import_again_rss_mb": round(again_mb, 1),
        "stats_s": round(stats_s, 2), "stats_rss_mb": round(stats_mb, 1),
        "optimize_s": round(optimize_s, 1), "optimize_rss_mb": round(optimize_mb, 1),
        "startup_s": round(startup, 3), "floor_startup_s": round(floor, 3),
        "startup_ratio": round(startup / floor, 2), "first_startup_s": round(first_startup, 3),
        "answer_median_ms": round(statistics.median(ms), 2),
        "answer_p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2),
        "bytes_per_answer": round(per_answer), "build_s": round(build_s, 1),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
