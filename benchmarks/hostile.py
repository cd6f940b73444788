"""Hostile input, measured: the figures issue #11 asks for, as one JSON object.

- peak RSS (VmHWM) of `companion save`, `roadmap add` and `check-links` against a double gzip
  bomb (`Content-Encoding: gzip, gzip`, 8 GiB of zeros in about 13 KB) on 127.0.0.1;
- how long `save` and `check-links` wait on a server dripping one byte every 2 s, with the
  default settings (10 s per wait, 20 s per request);
- the time to reveal a 10 MB single-line card, and to open a 20,000-row table in the Reader,
  in the real app under Textual's pilot;
- issue #28, `cards import` of hostile Anki packages (seconds, exit code, its one line, peak
  RSS each): collection and media bombs (zstd and deflate), a 17 MB note, a 160 KB field of
  lists nested 20,000 deep, 1,000,000 revlog rows for one card (then `stats` twice), a
  package path that is a FIFO or /dev/zero, a config nested 2,000 deep; and, in the app, the
  reveal of a card whose image is a real 13,370 x 13,370 RGBA PNG.

Run: python benchmarks/hostile.py [--bomb-gib 8] [--only links|app|anki]
"""

import argparse
import asyncio
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import zstandard  # noqa: E402

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
from tests.services.anki_packages import bombed, one_card  # noqa: E402


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
    said = result.stdout.strip().splitlines()
    return {
        "seconds": round(seconds, 2),
        "exit": result.returncode,
        "error": errors[-1] if errors else "",
        "last_output": said[-1][:200] if said else "",
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


def anki_packages(folder: Path) -> dict:
    """`cards import` of each hostile package into a fresh data directory."""
    figures = {}

    def imported(name: str, package: Path, *then: str) -> None:
        data_dir = folder / name
        figures[f"anki_{name}"] = run(data_dir, "cards", "import", str(package))
        for number, command in enumerate(then, 1):
            figures[f"anki_{name}_then_{command}_{number}"] = run(data_dir, command)

    for modern, kind in ((True, "zstd"), (False, "deflate")):
        plain = one_card(modern).write(folder / f"plain-{kind}.apkg")
        member = "collection.anki21b" if modern else "collection.anki21"
        with zipfile.ZipFile(plain) as archive:
            head = archive.read(member)
        if modern:
            head = zstandard.ZstdDecompressor().decompressobj().decompress(head)
        imported(f"collection_bomb_{kind}", bombed(plain, member, head, 4096, modern))
        package = one_card(modern, '<img src="bomb.png"> What is shown?')
        package.media["bomb.png"] = b"\x89PNG"
        with_media = package.write(folder / f"media-{kind}.apkg")
        imported(f"media_bomb_{kind}", bombed(with_media, "0", b"\x89PNG", 2048, modern))
    huge = one_card(True)
    huge.note(2, "huge", 10, ["Big?", "x" * (17 * 1024 * 1024)])
    huge.card(102, 2, 1)
    imported("note_17_mb", huge.write(folder / "huge.apkg"))
    nested = one_card(True, "<ul><li>x" * 20_000 + "</li></ul>" * 20_000)
    imported("nested_lists_160_kb", nested.write(folder / "nested.apkg"))
    many = one_card(True)
    day = 86_400_000
    for number in range(1_000_000):  # one card answered every 90 s for three years
        many.review(1_600_000_000_000 + number * 90_000, 101, 3, max(1, number // day))
    imported("revlog_1m_one_card", many.write(folder / "many.apkg"), "stats", "stats")
    fifo = folder / "package.apkg"
    os.mkfifo(fifo)
    imported("fifo_path", fifo)
    imported("dev_zero_path", Path("/dev/zero"))
    nested_config = folder / "nested_config"
    nested_config.mkdir()
    (nested_config / "config.toml").write_text("x = " + "[" * 2000 + "]" * 2000 + "\n")
    figures["config_nested_2000_stats"] = run(nested_config, "stats")
    return figures


def png_13370(path: Path) -> Path:
    """A real 13,370 x 13,370 RGBA PNG (715 MB of pixels, a few hundred KB of file)."""
    side = 13_370

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = bytes(1 + side * 4)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    return path


async def huge_image_reveal(data_dir: Path) -> dict:
    """Reveal a card whose answer is a 13,370² PNG (#28: 1.4 GB, 2.5 s frozen per reveal)."""
    decks = data_dir / "decks"
    png_13370(decks / "huge.png")
    (decks / "image.md").write_text(
        "Q: What is drawn?\nA: ![the picture](huge.png)\n\n"
        "Q: What is drawn here?\nA: ![the same picture](huge.png)\n"
    )
    settings = replace(Settings(), check_links_on_start=False, notify_desktop=False)
    store = open_store(data_dir, settings=settings)
    library = load_library([data_dir])
    app = CompanionApp(store, library, settings, pane="review")
    figures = {}
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for number in (1, 2):
            started = time.perf_counter()
            await pilot.press("space")
            await pilot.pause()
            figures[f"png_13370_reveal_{number}_ms"] = round((time.perf_counter() - started) * 1000)
            await pilot.press("3")  # Good: the next card, the same picture
            await pilot.pause()
    store.close()
    peak = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
    figures["png_13370_benchmark_peak_rss_mb"] = int(peak.group(1)) // 1024 if peak else None
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-gib", type=int, default=8)
    parser.add_argument("--only", choices=("links", "app", "anki"))
    args = parser.parse_args()
    figures: dict = {}
    with tempfile.TemporaryDirectory() as temporary:
        if args.only in (None, "anki"):  # the picture first: the peak RSS is its own then
            image_dir = ensure_data_dir(Path(temporary) / "image")
            figures.update(asyncio.run(huge_image_reveal(image_dir)))
            figures.update(anki_packages(Path(temporary)))
        if args.only in (None, "links"):
            figures.update(links(args.bomb_gib, ensure_data_dir(Path(temporary) / "data")))
        if args.only in (None, "app"):
            figures.update(asyncio.run(in_app(ensure_data_dir(Path(temporary) / "app"))))
    print(json.dumps(figures, indent=2))


def links(bomb_gib: int, data_dir: Path) -> dict:
    """Save, add and check a double gzip bomb and a drip-feeding server."""
    started = time.monotonic()
    bomb = double_gzip_bomb(bomb_gib)
    figures: dict = {"bomb_gib": bomb_gib, "bomb_bytes": len(bomb)}
    figures["bomb_build_s"] = round(time.monotonic() - started, 1)
    Hostile.drip_gap_s = 2.0
    server = HostileServer()
    try:
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
    finally:
        server.stop()
    return figures


if __name__ == "__main__":
    main()
