"""A 1,400-item roadmap (the size of the largest popular study plans): parse and build time,
the tree's build time in the app, and cursor-move latency while scrolling. Prints one JSON object.
Run: python benchmarks/roadmap.py
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


def main() -> None:
    text = synthetic_roadmap()
    runs = []
    for _ in range(7):
        started = time.perf_counter()
        roadmap = parse_roadmap(text, "huge")
        runs.append(time.perf_counter() - started)
    build, latencies = asyncio.run(tree_figures(text))
    ms = sorted(value * 1000 for value in latencies)
    print(
        json.dumps(
            {
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
