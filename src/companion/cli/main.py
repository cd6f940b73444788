"""`companion`: the parser and `main`. With no command it opens the app; commands run headless."""

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from companion import __version__
from companion.cli.cards import add_cards_parser, run_cards
from companion.cli.console import fail
from companion.cli.links import add_links_parser, run_check_links
from companion.cli.open_app import PANES, run_app
from companion.cli.roadmaps import add_roadmap_parser, run_roadmap
from companion.cli.save import add_save_parser, run_save
from companion.cli.serve import add_serve_parser, run_serve
from companion.cli.stats import add_stats_parser, run_stats
from companion.cli.sync import add_sync_parser, run_sync
from companion.cli.terminal_output import cleaned_terminal
from companion.cli.today import add_today_parser, run_today
from companion.config import ConfigError, Settings, load_settings
from companion.content.errors import ContentError
from companion.content.textfile import read_markdown
from companion.paths import (
    bundled_content_dir,
    content_dirs,
    ensure_data_dir,
    resolve_data_dir,
    synced_folder_missing,
)
from companion.store.errors import DataFileError, StoreLockedError


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
    add_stats_parser(commands)
    add_today_parser(commands)
    add_serve_parser(commands)
    add_cards_parser(commands)
    add_roadmap_parser(commands)
    add_links_parser(commands)
    add_save_parser(commands)
    add_sync_parser(commands)
    read = commands.add_parser(
        "read",
        help="open the Reader on a Markdown file",
        description="Open the app on the Reader showing FILE; its relative links open in the "
        "Reader too, b and f go back and forward.",
    )
    read.add_argument("file", type=Path, metavar="FILE")
    commands.add_parser(
        "where",
        help="print the data directory and the content folders",
        description="Print where companion keeps data and finds content.",
    )
    return parser


def _run_command(args: argparse.Namespace, data_dir: Path, settings: Settings) -> int:
    """A command that prints and ends (not the app)."""
    if args.command == "stats":
        return run_stats(data_dir, settings, args.json)
    if args.command == "today":
        return run_today(data_dir, settings, args.json)
    if args.command == "save":
        return run_save(args, data_dir, settings)
    if args.command == "check-links":
        return run_check_links(args, data_dir, content_dirs(data_dir), settings)
    if args.command == "roadmap":
        return run_roadmap(args, data_dir, content_dirs(data_dir))
    if args.command == "cards":
        return run_cards(args, data_dir, content_dirs(data_dir), settings)
    if args.command == "sync":
        return run_sync(args, data_dir)
    print(f"data: {data_dir}\nbundled content: {bundled_content_dir()}")  # where
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run companion; return the process exit code."""
    args = build_parser().parse_args(argv)
    data_dir = resolve_data_dir(args.data_dir)
    try:
        if synced_folder_missing(data_dir):
            return fail(f"the synced folder {data_dir} is not there (not mounted?); nothing read")
        ensure_data_dir(data_dir)
        settings = load_settings(data_dir)
        if args.command == "serve":
            return run_serve(args, data_dir)
        if args.command not in (None, "read"):
            with cleaned_terminal():  # what they print quotes files, packages and pages
                return _run_command(args, data_dir, settings)
        if args.command == "read":
            try:
                read_markdown(args.file)  # a file that cannot be read: one line, not the app
            except ContentError as error:
                return fail(str(error))
            return run_app(data_dir, settings, "reader", read=args.file)
        return run_app(data_dir, settings, args.pane)
    except (DataFileError, StoreLockedError, ConfigError) as error:
        return fail(str(error))
    except BrokenPipeError:  # `companion cards list | head`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        return fail(f"{error.filename or data_dir}: {error.strerror or error}")
