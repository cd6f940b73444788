"""CPU used by an idle app whose focus timer is running, in a real pseudo-terminal.

Starts `python -m companion` on a fresh data directory inside a pty (the real terminal driver,
not the headless one), presses `p`, lets it settle, then reads the process's CPU time from
/proc over a window. Also times the once-a-second tick in-process. Prints one JSON object.
Run: python benchmarks/timer_idle.py [--seconds N]
"""

import argparse
import asyncio
import json
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


def drain(fd: int, seconds: float) -> None:
    """Read (and drop) the terminal output for a while, as a terminal would."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], min(left, 0.2))
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                return


def idle_cpu_percent(seconds: float) -> float:
    """CPU % of one core over `seconds` while the timer runs and nobody types."""
    with tempfile.TemporaryDirectory() as data_dir:
        (Path(data_dir) / "config.toml").write_text("check_links_on_start = false\n")
        leader, follower = pty.openpty()
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "36"}
        process = subprocess.Popen(
            [sys.executable, "-m", "companion", "--data-dir", data_dir, "--pane", "timer"],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=env,
            close_fds=True,
        )
        os.close(follower)
        try:
            drain(leader, 4)
            os.write(leader, b"p")
            drain(leader, 3)
            before = cpu_seconds(process.pid)
            drain(leader, seconds)
            used = cpu_seconds(process.pid) - before
            saved = json.loads((Path(data_dir) / "companion.json").read_text())["timer"]
            if next(iter(saved.values()))["status"] != "running":
                raise RuntimeError("the timer was not running during the measurement")
        finally:
            os.write(leader, b"q")
            drain(leader, 1)
            process.kill()
            process.wait()
            os.close(leader)
    return 100 * used / seconds


async def tick_durations(count: int) -> list[float]:
    """How long each once-a-second tick takes with a running timer (in-process, headless)."""
    from companion.config import Settings
    from companion.services.content_sources import load_content
    from companion.store import open_store
    from companion.ui.app import CompanionApp

    with tempfile.TemporaryDirectory() as data_dir:
        store = open_store(Path(data_dir))
        app = CompanionApp(store, load_content(Path(data_dir)), Settings(), pane="timer")
        durations = []
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("p")
            for _ in range(count):
                started = time.perf_counter()
                app.tick()
                durations.append(time.perf_counter() - started)
                await pilot.pause(0.05)
        store.close()
    return durations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    cpu = idle_cpu_percent(args.seconds)
    ticks = sorted(d * 1000 for d in asyncio.run(tick_durations(60)))
    print(
        json.dumps(
            {
                "idle_cpu_percent_one_core": round(cpu, 2),
                "window_s": args.seconds,
                "tick_median_ms": round(statistics.median(ticks), 2),
                "tick_max_ms": round(ticks[-1], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
