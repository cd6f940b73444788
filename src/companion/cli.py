"""Command line: `companion` opens the app; subcommands run headless."""

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from companion import __version__
from companion.cards_cli import add_cards_parser, run_cards
from companion.config import ConfigError, Settings, load_settings
from companion.content.loader import Library, bundled_content_dir, load_library
from companion.links_cli import add_links_parser, add_save_parser, run_check_links, run_save
from companion.paths import ensure_data_dir, resolve_data_dir
from companion.roadmaps_cli import add_roadmap_parser, run_roadmap
from companion.startup import pause_collection
from companion.store import DataFileError, StoreLockedError, open_store
from companion.store.content_cache import DeckCache, RoadmapCache

PANES = ("roadmap", "reader", "review", "timer")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for `companion` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="companion",
        description="A full-screen terminal study companion: follow a roadmap, read offline, "
        "review flashcards with FSRS, and time focus blocks. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data directory (default: $COMPANION_HOME or the user data dir)",
    )
    parser.add_argument("--pane", choices=PANES, default=None, help="pane to open on")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    stats = commands.add_parser(
        "stats",
        help="print due cards, progress and study time",
        description="Print due cards, reviews today, progress per roadmap, study minutes this "
        "week against the weekly target, and the timer.",
    )
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    add_cards_parser(commands)
    add_roadmap_parser(commands)
    add_links_parser(commands)
    add_save_parser(commands)
    commands.add_parser(
        "where",
        help="print the data directory and the content folders",
        description="Print where companion keeps data and finds content.",
    )
    return parser


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fail(message: str) -> int:
    print(f"companion: error: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run companion; return the process exit code."""
    args = build_parser().parse_args(argv)
    data_dir = resolve_data_dir(args.data_dir)
    try:
        ensure_data_dir(data_dir)
        settings = load_settings(data_dir)
        if args.command == "stats":
            return _stats(data_dir, settings, args.json)
        if args.command == "save":
            return run_save(args, data_dir, settings)
        if args.command == "check-links":
            return run_check_links(args, data_dir, content_dirs(data_dir), settings)
        if args.command == "roadmap":
            return run_roadmap(args, data_dir, content_dirs(data_dir))
        if args.command == "cards":
            return run_cards(args, data_dir, content_dirs(data_dir))
        if args.command == "where":
            print(f"data: {data_dir}\nbundled content: {bundled_content_dir()}")
            return 0
        return _run_app(data_dir, settings, args.pane)
    except (DataFileError, StoreLockedError, ConfigError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{error.filename or data_dir}: {error.strerror or error}")


def content_dirs(data_dir: Path) -> list[Path]:
    """Bundled content first, then the learner's own folders."""
    return [bundled_content_dir(), data_dir]


def load_content(data_dir: Path) -> Library:
    """Every roadmap and deck, with parsed decks cached in the data directory."""
    decks = DeckCache(data_dir / "cache" / "decks.packed")
    roadmaps = RoadmapCache(data_dir / "cache" / "roadmaps.packed")
    library = load_library(content_dirs(data_dir), decks, roadmaps)
    for cache in (decks, roadmaps):
        with contextlib.suppress(OSError):  # only a cache: the next start parses again
            cache.save()
    return library


def _stats(data_dir: Path, settings: Settings, as_json: bool) -> int:
    from companion.report import build_stats

    store = open_store(data_dir, read_only=True, settings=settings)
    try:
        stats = build_stats(load_content(data_dir), store, settings, datetime.now(UTC))
    finally:
        store.close()
    if as_json:
        print(json.dumps(stats, indent=2))
        return 0
    hours = stats["study_minutes_week"] / 60
    target = stats["weekly_target_minutes"] / 60
    print(f"Due now: {stats['due_now']}   Reviews today: {stats['reviews_today']}")
    print(f"Studied this week: {hours:.1f} h of {target:.1f} h")
    for roadmap in stats["roadmaps"]:
        print(f"{roadmap['title']}: {roadmap['percent']}% ({roadmap['done']}/{roadmap['total']})")
    timer = stats["timer"]
    print(f"Timer: {timer['phase']} {timer['state']}, {timer['remaining_seconds'] // 60} min left")
    return 0


def _run_app(data_dir: Path, settings: Settings, pane: str | None) -> int:
    pause_collection()  # the app turns it back on after its first paint
    from companion.ui.app import CompanionApp

    # The learner's settings: the store applies each answer with their learning steps.
    store = open_store(data_dir, settings=settings, notice=_say)
    try:
        library = load_content(data_dir)
        app = CompanionApp(store=store, library=library, settings=settings, pane=pane)
        app.run()
    finally:
        store.close()
    return app.return_code or 0
