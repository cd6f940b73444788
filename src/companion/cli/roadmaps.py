"""`companion roadmap add|list|show|set|export|remove|update|attach`: progress kept apart."""

import argparse
import time
from pathlib import Path

from companion.cli.console import fail
from companion.content.errors import ContentError
from companion.paths import local_dir

# The actions import the store, the loader and httpx when they run: `companion` builds this
# parser on every start, and `check-links` or the app should not pay for `roadmap`'s imports.


def add_roadmap_parser(commands: argparse._SubParsersAction) -> None:
    """Register `roadmap` and its actions."""
    roadmap = commands.add_parser(
        "roadmap",
        help="import, list, update or remove roadmaps",
        description="Import any Markdown roadmap (a study plan, course list or awesome-list) "
        "from a file or URL; progress is kept outside the file, so updates never lose it.",
    )
    actions = roadmap.add_subparsers(dest="roadmap_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="import a roadmap from a file or URL",
        description="Import a Markdown roadmap from PATH_OR_URL.",
    )
    add.add_argument("source", metavar="PATH_OR_URL")
    add.add_argument("--id", help="id for the roadmap (default: from its title)")
    add.add_argument(
        "--include",
        default="",
        help="sections to keep that the rule leaves out "
        "(comma-separated headings, e.g. 'Forums,License')",
    )
    add.add_argument("--exclude", default="", help="sections to leave out (comma-separated)")
    counting = add.add_mutually_exclusive_group()
    counting.add_argument(
        "--checkboxes-only",
        action="store_const",
        const="boxes",
        dest="counting",
        help="only task boxes (- [ ]) are items (chosen by itself for checklists)",
    )
    counting.add_argument(
        "--table-rows-only",
        action="store_const",
        const="rows",
        dest="counting",
        help="only the rows of its tables are items (chosen by itself for course tables)",
    )
    counting.add_argument(
        "--all-items",
        action="store_const",
        const="all",
        dest="counting",
        help="every bullet is an item, even in a checklist",
    )
    actions.add_parser(
        "list",
        help="list roadmaps with their progress",
        description="List every roadmap: id, progress, where it came from.",
    )
    remove = actions.add_parser(
        "remove",
        help="remove an imported roadmap",
        description="Remove an imported roadmap. Progress is kept "
        "(re-importing brings it back) unless --purge.",
    )
    remove.add_argument("id")
    remove.add_argument("--purge", action="store_true", help="also delete its progress")
    update = actions.add_parser(
        "update",
        help="re-import a newer version from where it came from",
        description="Fetch the roadmap again from its origin; item "
        "states follow reordered, added, removed and lightly edited "
        "items.",
    )
    update.add_argument("id")
    export = actions.add_parser(
        "export",
        help="write the roadmap with your progress as [x] / [ ] boxes",
        description="Write the roadmap file with a task box on every item showing your "
        "progress ([x] done, [ ] to do; [-] skipped where the file uses it), for a fork on "
        "GitHub. To standard output, or to FILE with -o.",
    )
    export.add_argument("id")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead")
    show = actions.add_parser(
        "show",
        help="print a roadmap's tree with ids, states and estimates",
        description="Print the roadmap: phases, items with their id, state, estimate and "
        "links. Works while the app is open.",
    )
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="one JSON object")
    set_state = actions.add_parser(
        "set",
        help="set an item's state",
        description="Set ITEM_ID to done, doing, skipped or todo (ids from 'roadmap show').",
    )
    set_state.add_argument("item_id", metavar="ITEM_ID")
    set_state.add_argument("state", choices=["done", "doing", "skipped", "todo"])
    attach = actions.add_parser(
        "attach",
        help="list progress no item holds, or put it back on an item",
        description="Without arguments, list progress kept when an update could not place its "
        "item. With KEPT_ID and ITEM, move that progress (state, note, time) onto ITEM: an item "
        "id, or words of its text that only one item has.",
    )
    attach.add_argument("kept_id", nargs="?", metavar="KEPT_ID")
    attach.add_argument("item", nargs="?", metavar="ITEM")


def run_roadmap(args: argparse.Namespace, data_dir: Path, content_dirs: list[Path]) -> int:
    """Run a `roadmap` action; 0 on success, 2 on bad input."""
    from companion.cli.roadmap_progress import (
        attach_progress,
        export_roadmap,
        set_item,
        show_roadmap,
    )

    roadmaps_dir = data_dir / "roadmaps"
    try:
        if args.roadmap_command == "add":
            from companion.services.roadmap_import import import_roadmap  # httpx: for adding

            roadmap, path = import_roadmap(
                roadmaps_dir,
                args.source,
                args.id,
                args.include,
                args.exclude,
                counting=args.counting or "",
            )
            _describe(roadmap, path, "Imported", from_folder=Path(args.source).is_dir())
            _log_version(data_dir, "added", roadmap, path)
            return 0
        if args.roadmap_command == "list":
            return _list(data_dir, content_dirs)
        if args.roadmap_command == "export":
            return export_roadmap(data_dir, content_dirs, args.id, args.output)
        if args.roadmap_command == "show":
            return show_roadmap(data_dir, content_dirs, args.id, args.json)
        if args.roadmap_command == "set":
            return set_item(data_dir, content_dirs, args.item_id, args.state)
        if args.roadmap_command == "attach":
            return attach_progress(data_dir, content_dirs, args.kept_id, args.item)
        path = roadmaps_dir / f"{args.id}.md"
        if not path.exists():
            raise ContentError(
                f"no imported roadmap with id '{args.id}' (see 'companion roadmap list')"
            )
        if args.roadmap_command == "remove":
            return _remove(data_dir, path, args.id, args.purge)
        return _update(data_dir, content_dirs, path, args.id)
    except ContentError as error:
        return fail(str(error))


def _log_version(data_dir: Path, action: str, roadmap, path: Path) -> None:  # noqa: ANN001
    """Log the roadmap's version, so the machines that sync this folder know of it (when the
    app holds the data directory, it is left for the app to log)."""
    from companion.services.roadmap_versions import log_version, post_version
    from companion.store import StoreLockedError, open_store

    try:
        store = open_store(data_dir)
    except StoreLockedError:
        post_version(local_dir(data_dir), action, roadmap, path, time.time())
        return
    try:
        log_version(store, action, roadmap, path)
    finally:
        store.close()


def _describe(roadmap, path: Path, verb: str, from_folder: bool = False) -> None:  # noqa: ANN001
    resources = len(roadmap.resources())
    ticked = sum(1 for item in roadmap.items if item.checked)
    print(
        f"{verb} '{roadmap.title}' as {roadmap.id}: {len(roadmap.phases)} phases, "
        f"{len(roadmap.items)} items, {resources} links -> {path}"
    )
    if ticked:
        print(f"{ticked} items ticked [x] in the file start as done.")
    if from_folder:
        print("A folder: each Markdown file is a topic, its links the topic's resources.")
    elif roadmap.counting == "boxes":
        print(
            "A checklist: only its task boxes are items, and links in the other bullets go to "
            "the box above them. --all-items counts every bullet."
        )
    elif roadmap.counting == "rows":
        print(
            "A course table: only its table rows are items, and the other bullets are read "
            "as their section's notes. --all-items counts every bullet."
        )
    if roadmap.skipped_sections:
        print(
            "Left out (not study content): "
            + ", ".join(roadmap.skipped_sections)
            + ". Bring one back with --include."
        )


def _list(data_dir: Path, content_dirs: list[Path]) -> int:
    from companion.content.loader import load_library
    from companion.content.progress import roadmap_progress
    from companion.store import open_store

    library = load_library(content_dirs)
    store = open_store(data_dir, read_only=True)
    states = store.item_states()
    store.close()
    for roadmap in library.roadmaps:
        progress = roadmap_progress(roadmap, states)
        origin = roadmap.origin or ("bundled" if str(data_dir) not in roadmap.source else "local")
        print(
            f"{roadmap.id:<24} {progress.percent:>3}%  {progress.finished}/{progress.total} "
            f"({progress.left} left)  {roadmap.title}  [{origin}]"
        )
    return 0


def _remove(data_dir: Path, path: Path, roadmap_id: str, purge: bool) -> int:
    from companion.store import StoreLockedError, open_store
    from companion.store.roadmap_events import file_digest
    from companion.store.version_mailbox import post

    try:
        store = open_store(data_dir)
    except StoreLockedError as error:
        if purge:
            raise ContentError(f"{error} (needed to purge progress)") from error
        store = None  # left for the app to log
        version = {"action": "removed", "roadmap": roadmap_id, "title": roadmap_id,
                   "digest": file_digest(path), "ts": time.time()}  # fmt: skip
        post(local_dir(data_dir), version)
    if store is not None:
        # logged, so the machines that sync this folder purge too
        removed = store.log_roadmap("removed", roadmap_id, roadmap_id, file_digest(path), purge)
        store.close()
        if purge:
            print(f"Deleted the progress of {removed} items.")
    path.unlink()
    print(f"Removed {roadmap_id}." + ("" if purge else " Its progress is kept."))
    return 0


def _update(data_dir: Path, content_dirs: list[Path], path: Path, roadmap_id: str) -> int:
    from companion.content.roadmap_parser import parse_front_matter
    from companion.content.textfile import read_markdown
    from companion.services.content_sources import load_roadmaps, remember_parsed
    from companion.services.progress_sync import sync_progress
    from companion.services.roadmap_import import FRONT_MATTER, import_roadmap
    from companion.services.roadmap_versions import log_version, post_version
    from companion.store import StoreLockedError, open_store

    match = FRONT_MATTER.match(read_markdown(path))
    fields = parse_front_matter(match.group(1)) if match else {}
    if not fields.get("origin"):
        raise ContentError(f"{path}: no origin recorded; re-import it with 'roadmap add'")
    roadmap, _ = import_roadmap(
        path.parent,
        fields["origin"],
        roadmap_id,
        fields.get("include_sections", ""),
        fields.get("exclude_sections", ""),
        replace=True,
        counting=fields.get("items", ""),
    )
    remember_parsed(data_dir, path, roadmap)
    _describe(roadmap, path, "Updated")
    try:
        store = open_store(data_dir)
    except StoreLockedError:
        post_version(local_dir(data_dir), "updated", roadmap, path, time.time())
        print("companion is open on this data directory: progress is re-linked when it restarts.")
        return 0
    log_version(store, "updated", roadmap, path)
    library = load_roadmaps(data_dir)
    result = sync_progress(library, store)
    # Once more on what it left, as the next start or `roadmap set` would: a sync that changes
    # nothing is remembered, so theirs is skipped (it matched the progress kept aside again).
    again = sync_progress(library, store)
    store.close()
    print(
        f"Progress: {len(result.relinked)} edited items re-linked; "
        f"{len(result.orphaned)} items no longer in any roadmap (progress kept)."
    )
    for line in result.moved + result.unplaced + again.moved + again.unplaced + result.behind:
        print(f"  {line}")
    return 0
