"""`companion roadmap attach|show|set|export`: the learner's progress on a roadmap, read,
set, put back on an item, or written into the file as task boxes."""

from pathlib import Path

from companion.content.errors import ContentError
from companion.content.loader import load_library
from companion.content.textfile import read_markdown
from companion.services.progress_sync import sync_progress
from companion.store import Store, StoreLockedError, open_store


def attach_progress(
    data_dir: Path, content_dirs: list[Path], kept_id: str | None, item: str | None
) -> int:
    """List kept progress, or put one piece of it on an item."""
    from companion.services.progress_sync import AttachError, attach, unplaced_progress

    library = load_library(content_dirs)
    if kept_id is None or item is None:
        if kept_id is not None:
            raise ContentError("give both KEPT_ID and ITEM, or neither to list")
        store = open_store(data_dir, read_only=True)
        kept = unplaced_progress(library, store)
        store.close()
        for record in kept:
            print(
                f"{record['item_id']:<28} {record.get('state', ''):<8} "
                f"'{record.get('text', '')}'  ({record.get('roadmap_id', '')})"
            )
        if not kept:
            print("No kept progress: every item with progress is in a roadmap.")
        return 0
    store = _writable_store(data_dir)
    try:
        sync_progress(library, store)
        record, text = attach(library, store, kept_id, item)
    except AttachError as error:
        raise ContentError(str(error)) from error
    finally:
        store.close()
    print(f"'{record.get('text', kept_id)}' ({record.get('state')}) is now on '{text}'.")
    return 0


def show_roadmap(data_dir: Path, content_dirs: list[Path], roadmap_id: str, as_json: bool) -> int:
    """Print the roadmap's tree, as text or one JSON object."""
    import json

    from companion.config import load_settings
    from companion.content.progress import item_state

    library = load_library(content_dirs)
    roadmap = next((r for r in library.roadmaps if r.id == roadmap_id), None)
    if roadmap is None:
        raise ContentError(f"no roadmap with id '{roadmap_id}' (see 'companion roadmap list')")
    from datetime import UTC, datetime

    from companion.services.roadmap_memory import RoadmapMemory

    settings = load_settings(data_dir)
    store = open_store(data_dir, read_only=True, settings=settings)
    try:
        states = store.item_states()
        now = datetime.now(UTC)
        measure = RoadmapMemory(library, store, settings)
        memories = measure.of_items(roadmap, now) | measure.of_phases(roadmap, now)
    finally:
        store.close()
    weekly = roadmap.weekly_target_hours or settings.weekly_target_hours

    def memory(node_id: str) -> dict | None:
        found = memories.get(node_id)
        return None if found is None else found.as_dict()

    def hours(estimate) -> float | None:  # noqa: ANN001
        return None if estimate is None else round(estimate.midpoint_hours(weekly), 1)

    tree = {
        "id": roadmap.id,
        "title": roadmap.title,
        "phases": [
            {
                "id": phase.id,
                "title": phase.title,
                "level": phase.level,
                "estimate_hours": hours(phase.estimate),
                "memory": memory(phase.id),
                "resources": [
                    {"title": r.title, "url": r.url, "kind": r.kind} for r in phase.resources
                ],
                "items": [
                    {
                        "id": item.id,
                        "text": item.text,
                        "depth": item.depth,
                        "parent_id": item.parent_id,
                        "state": item_state(item, states),
                        "estimate_hours": hours(item.estimate),
                        "memory": memory(item.id),
                        "resources": [
                            {"title": r.title, "url": r.url, "kind": r.kind} for r in item.resources
                        ],
                    }
                    for item in phase.items
                ],
            }
            for phase in roadmap.phases
        ],
    }
    if as_json:
        print(json.dumps(tree, indent=2, ensure_ascii=False))
        return 0
    marks = {"done": "✓", "doing": "◐", "skipped": "⊘", "todo": "○"}
    print(roadmap.title)
    for phase in tree["phases"]:
        estimate = f"  (~{phase['estimate_hours']:g} h)" if phase["estimate_hours"] else ""
        print(f"{'  ' * max(phase['level'] - 2, 0)}## {phase['title']}{estimate}")
        for item in phase["items"]:
            indent = "  " * (max(phase["level"] - 2, 0) + item["depth"] + 1)
            extra = f"  (~{item['estimate_hours']:g} h)" if item["estimate_hours"] else ""
            links = f"  ↗{len(item['resources'])}" if item["resources"] else ""
            print(f"{indent}{marks[item['state']]} {item['text']}{extra}{links}  [{item['id']}]")
    return 0


def set_item(data_dir: Path, content_dirs: list[Path], item_id: str, state: str) -> int:
    """Set one item's state (refused while the app holds the data directory)."""
    from datetime import UTC, datetime

    from companion.services.content_sources import load_roadmaps
    from companion.services.progress_sync import record_state

    library = load_roadmaps(data_dir)
    found = library.find_item(item_id)
    if found is None:
        raise ContentError(f"no item with id '{item_id}' (see 'companion roadmap show ID')")
    roadmap, item = found
    store = _writable_store(data_dir)
    try:
        sync_progress(library, store)
        record_state(store, roadmap, item, state, datetime.now(UTC))
    finally:
        store.close()
    print(f"'{item.text}' is now {state}.")
    return 0


def export_roadmap(
    data_dir: Path, content_dirs: list[Path], roadmap_id: str, output: str | None
) -> int:
    """Write the roadmap with the learner's progress as task boxes."""
    import sys

    from companion.content.roadmap_export import export_with_progress
    from companion.store.atomic_file import write_atomically

    roadmap = next((r for r in load_library(content_dirs).roadmaps if r.id == roadmap_id), None)
    if roadmap is None or not roadmap.source:
        raise ContentError(f"no roadmap with id '{roadmap_id}' (see 'companion roadmap list')")
    store = open_store(data_dir, read_only=True)
    states = store.item_states()
    store.close()
    text, ticked = export_with_progress(read_markdown(Path(roadmap.source)), roadmap.id, states)
    if output is None:
        sys.stdout.write(text)
        return 0
    write_atomically(Path(output), text.encode("utf-8"))
    print(f"Wrote {output}: {ticked} of {len(roadmap.items)} items ticked.")
    return 0


def _writable_store(data_dir: Path) -> Store:
    """The store for a change; while the app holds it, the lock's one-line message."""
    try:
        return open_store(data_dir)
    except StoreLockedError as error:
        raise ContentError(str(error)) from error
