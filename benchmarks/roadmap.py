"""A 1,400-item roadmap (the size of the largest popular study plans): parse and build time,
the tree's build time in the app, and cursor-move latency while scrolling. Then a 4,000-item
file shaped like three large READMEs joined (a course table, a long checklist, nested link
lists): `roadmap add` time, the app's first frame, and the time to show a tick after `x`.
Prints one JSON object. Run: python benchmarks/roadmap.py
"""

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from companion.content.roadmap_parser import parse_roadmap

PHASES, SECTIONS, ITEMS = 14, 5, 20  # 14 * 5 * 20 = 1,400 items


def synthetic_roadmap() -> str:
    """Phases with durations, sections, nested task items with links, notes and a table."""
    lines = ["# A very large study plan\n", "Notes about the whole plan.\n"]
    for phase in range(PHASES):
        lines.append(f"## Phase {phase}: topic {phase} [{phase % 3 + 1} months]\n")
        lines.append(f"Why phase {phase} matters, in a paragraph of notes.\n")
        for section in range(SECTIONS):
            lines.append(f"### Section {phase}.{section}\n")
            for item in range(ITEMS):
                indent = "  " * (item % 3)
                lines.append(
                    f"{indent}- [{'x' if item % 7 == 0 else ' '}] Study subject {phase}."
                    f"{section}.{item} with [a resource](https://example.org/{phase}/"
                    f"{section}/{item}) (video)"
                )
            lines.append("")
    return "\n".join(lines)


async def tree_figures(text: str) -> tuple[float, list[float]]:
    """Seconds to build the tree in the app, and per-key cursor latencies while scrolling."""
    from textual import events

    from companion.config import Settings
    from companion.services.content_sources import load_content
    from companion.store import open_store
    from companion.ui.app import CompanionApp
    from companion.ui.panes.roadmap import RoadmapPane

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        (data_dir / "roadmaps").mkdir()
        (data_dir / "roadmaps" / "huge.md").write_text(text)
        store = open_store(data_dir)
        app = CompanionApp(store, load_content(data_dir), Settings(), pane="roadmap")
        probe = {"key_at": None, "latency": None, "line": None}

        def on_message(message: object) -> None:
            if isinstance(message, events.Key) and probe["key_at"] is None:
                probe["key_at"] = time.perf_counter()

        latencies = []
        async with app.run_test(size=(120, 40), message_hook=on_message) as pilot:
            pane = app.screen.query_one(RoadmapPane)
            started = time.perf_counter()
            pane.build_tree()
            build = time.perf_counter() - started
            tree = pane.query_one("#roadmap-tree")
            display = app._display

            def timed_display(screen, renderable):  # noqa: ANN001
                display(screen, renderable)
                moved = tree.cursor_line != probe["line"]
                if probe["key_at"] is not None and probe["latency"] is None and moved:
                    probe["latency"] = time.perf_counter() - probe["key_at"]

            app._display = timed_display  # the headless driver draws nothing: watch frames here
            await pilot.pause()
            for key in ["down"] * 150 + ["pagedown"] * 20 + ["up"] * 30:
                probe.update(key_at=None, latency=None, line=tree.cursor_line)
                await pilot.press(key)
                while probe["latency"] is None:
                    await pilot.pause(0.001)
                latencies.append(probe["latency"])
        store.close()
    return build, latencies


def joined_readmes() -> str:
    """4,000 items: a 1,000-row course table, 1,500 task boxes and 1,500 nested link items,
    each under headings of its own."""
    lines = [
        "# Three study plans joined\n",
        "## Courses\n",
        "| Course | Duration | Effort |",
        "|---|---|---|",
    ]
    lines += [
        f"| [Course {n}](https://courses.example/{n}) | {n % 12 + 4} weeks | 6 hours/week |"
        for n in range(1000)
    ]
    for part in range(15):
        lines.append(f"\n## Checklist part {part}\n")
        for n in range(100):
            lines.append(f"- [ ] [Topic {part}.{n}](https://videos.example/{part}/{n})")
    for part in range(15):
        lines.append(f"\n## Reading {part}\n")
        for n in range(100):
            lines.append(f"{'  ' * (n % 3)}- [Article {part}.{n}](https://read.example/{part}/{n})")
    return "\n".join(lines) + "\n"


async def large_file_figures(text: str) -> dict:
    """`roadmap add`, the first frame and a tick on a 4,000-item file, in the real app."""
    from textual import events

    from companion.cli.main import main as cli_main
    from companion.config import Settings
    from companion.services.content_sources import load_content
    from companion.store import open_store
    from companion.ui.app import CompanionApp
    from companion.ui.panes.roadmap import RoadmapPane

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "joined.md"
        source.write_text(text)
        data_dir = Path(tmp) / "data"
        started = time.perf_counter()
        cli_main(["--data-dir", str(data_dir), "roadmap", "add", str(source), "--all-items"])
        imported = time.perf_counter() - started
        started = time.perf_counter()
        store = open_store(data_dir)
        library = load_content(data_dir)
        settings = Settings(check_links_on_start=False)
        app = CompanionApp(store, library, settings, pane="roadmap")
        ticks = []
        probe: dict = {"key_at": None, "shown": None, "item": None}

        def on_message(message: object) -> None:
            if isinstance(message, events.Key) and probe["key_at"] is None:
                probe["key_at"] = time.perf_counter()

        async with app.run_test(size=(120, 40), message_hook=on_message) as pilot:
            await pilot.pause()
            first_frame = time.perf_counter() - started
            pane = app.screen.query_one(RoadmapPane)
            display = app._display

            def timed_display(screen, renderable):  # noqa: ANN001
                display(screen, renderable)
                node = pane.item_nodes.get(probe["item"] or "")
                ticked = node is not None and str(node.label).startswith("●")
                if probe["key_at"] is not None and probe["shown"] is None and ticked:
                    probe["shown"] = time.perf_counter() - probe["key_at"]

            app._display = timed_display  # the first frame that shows the tick
            roadmap = next(r for r in library.roadmaps if r.id == "three-study-plans-joined")
            for item in roadmap.items[1000:1020]:
                pane.select_item(item.id)
                await pilot.pause()
                probe.update(key_at=None, shown=None, item=item.id)
                await pilot.press("x")
                waited = time.perf_counter()
                while probe["shown"] is None:
                    await pilot.pause(0.001)
                    if time.perf_counter() - waited > 30:
                        raise SystemExit("no tick shown")
                ticks.append(probe["shown"])
        store.close()
    return {
        "large_items": len(roadmap.items),
        "large_import_s": round(imported, 2),
        "large_first_frame_s": round(first_frame, 2),
        "large_tick_median_ms": round(statistics.median(ticks) * 1000, 1),
        "large_tick_max_ms": round(max(ticks) * 1000, 1),
    }


def main() -> None:
    text = synthetic_roadmap()
    runs = []
    for _ in range(7):
        started = time.perf_counter()
        roadmap = parse_roadmap(text, "huge")
        runs.append(time.perf_counter() - started)
    build, latencies = asyncio.run(tree_figures(text))
    ms = sorted(value * 1000 for value in latencies)
    large = asyncio.run(large_file_figures(joined_readmes()))
    print(
        json.dumps(
            {
                **large,
                "items": len(roadmap.items),
                "phases": len(roadmap.phases),
                "parse_build_ms": round(statistics.median(runs) * 1000, 1),
                "tree_build_ms": round(build * 1000, 1),
                "cursor_move_median_ms": round(statistics.median(ms), 2),
                "cursor_move_p99_ms": round(ms[int(len(ms) * 0.99) - 1], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
