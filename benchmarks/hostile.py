"""Hostile input, measured: the figures issue #11 asks for, as one JSON object.

- peak RSS (VmHWM) of `companion save`, `roadmap add` and `check-links` against a double gzip
  bomb (`Content-Encoding: gzip, gzip`, 8 GiB of zeros in about 13 KB) on 127.0.0.1;
- how long `save` and `check-links` wait on a server dripping one byte every 2 s, with the
  default settings (10 s per wait, 20 s per request);
- the time to reveal a 10 MB single-line card, and to open a 20,000-row table in the Reader,
  in the real app under Textual's pilot.

Run: python benchmarks/hostile.py [--bomb-gib 8]
"""

import argparse
import asyncio
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from companion.config import Settings  # noqa: E402
from companion.content.loader import load_library  # noqa: E402
from companion.paths import ensure_data_dir  # noqa: E402
from companion.store import open_store  # noqa: E402
from companion.store.notes import write_note  # noqa: E402
from companion.ui.app import CompanionApp  # noqa: E402
from tests.hostile.hostile_server import (  # noqa: E402
    PEAK_RSS_RUN,
    Hostile,
    HostileServer,
    double_gzip_bomb,
)


def run(data_dir: Path, *args: str) -> dict:
    """Wall time, exit code, last error line and peak RSS of one real command."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS_RUN, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    peak = re.search(r"peak_rss_kb=(\d+)", result.stderr)
    errors = [line for line in result.stderr.splitlines() if not line.startswith("peak_rss_kb")]
    return {
        "seconds": round(seconds, 2),
        "exit": result.returncode,
        "error": errors[-1] if errors else "",
        "peak_rss_mb": int(peak.group(1)) // 1024 if peak else None,
    }


async def in_app(data_dir: Path) -> dict:
    """Reveal a 10 MB card, and open a 20,000-row table in the Reader, in the real app."""
    (data_dir / "decks" / "huge.md").write_text(
        "Q: What follows?\nA: " + "gradient " * (10 * 1024 * 1024 // 9) + "\n"
    )
    table = "| Paper | Weeks |\n|---|---|\n" + "\n".join(
        f"| [Paper {i}](https://example.org/{i}) | {i % 7 + 1} |" for i in range(20_000)
    )
    (data_dir / "roadmaps" / "papers.md").write_text("# Papers\n\n## Reading\n\n- Read them\n")
    settings = replace(Settings(), check_links_on_start=False, notify_desktop=False)
    store = open_store(data_dir, settings=settings)
    library = load_library([data_dir])  # the learner's own content only: the huge card is next
    item = library.roadmaps[0].items[0]
    write_note(data_dir, item.id, table)
    store.remember("item", item.id)
    figures = {}
    app = CompanionApp(store, library, settings, pane="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("space")
        await pilot.pause()
        figures["card_10_mb_reveal_ms"] = round((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        figures["table_20000_rows_open_s"] = round(time.perf_counter() - started, 2)
    store.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-gib", type=int, default=8)
    args = parser.parse_args()
    started = time.monotonic()
    bomb = double_gzip_bomb(args.bomb_gib)
    figures: dict = {"bomb_gib": args.bomb_gib, "bomb_bytes": len(bomb)}
    figures["bomb_build_s"] = round(time.monotonic() - started, 1)
    Hostile.drip_gap_s = 2.0
    server = HostileServer()
    try:
        with tempfile.TemporaryDirectory() as temporary:
            data_dir = ensure_data_dir(Path(temporary) / "data")
            bomb_url, drip_url = f"{server.base}/bomb", f"{server.base}/drip"
            roadmap = data_dir / "roadmaps" / "hostile.md"
            roadmap.write_text(f"# Hostile\n\n## Links\n\n- [bomb]({bomb_url}#part)\n")
            figures["bomb_save"] = run(data_dir, "save", bomb_url)
            figures["bomb_roadmap_add"] = run(data_dir, "roadmap", "add", bomb_url)
            figures["bomb_check_links"] = run(data_dir, "check-links", "--refresh", str(roadmap))
            roadmap.write_text(f"# Hostile\n\n## Links\n\n- [drip]({drip_url})\n")
            figures["drip_save"] = run(data_dir, "save", drip_url)
            figures["drip_check_links"] = run(data_dir, "check-links", "--refresh", str(roadmap))
            roadmap.unlink()
            figures.update(asyncio.run(in_app(data_dir)))
    finally:
        server.stop()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
