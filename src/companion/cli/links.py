"""`companion check-links`: the roadmaps' links (or any Markdown files'), as text or JSON."""

import argparse
import contextlib
import json
import os
import sys
import threading
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from companion.cli.console import fail
from companion.config import Settings
from companion.content.errors import ContentError
from companion.links.verdicts import BROKEN
from companion.paths import local_dir
from companion.store.errors import StoreLockedError
from companion.store.lock import DataDirLock

if TYPE_CHECKING:
    from companion.services.link_check import CheckedLink

MARKS = {
    "ok": "✓",
    "redirected": "→",
    "broken": "✗",
    "blocked": "⊘",
    "skipped": "·",
    "offline": "?",
}


def add_links_parser(commands: argparse._SubParsersAction) -> None:
    """Register `check-links`."""
    command = commands.add_parser(
        "check-links",
        help="check the links of roadmaps or Markdown files",
        description="Check links: HEAD then GET, redirects, retries honouring Retry-After, "
        "#fragments, relative links on disk. Exit 0 when none is broken, 1 when any is, 2 on bad "
        "usage or unreadable input. 401/403/429 are 'blocked', never 'broken'; with no network "
        "links are 'offline', never 'broken'.",
    )
    command.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE_OR_DIR",
        help="Markdown files, or folders to search for them (default: the roadmaps in use)",
    )
    command.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="REGEX",
        help="leave out URLs matching this (repeatable); reported as excluded",
    )
    command.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="REGEX",
        help="check URLs matching this even when an --exclude matches them (as lychee)",
    )
    command.add_argument(
        "--accept",
        metavar="CODES",
        help="statuses that count as ok, e.g. 200,204,429 or 200..=299 (default: any 2xx)",
    )
    command.add_argument("--format", choices=["text", "json"], default="text")
    command.add_argument("--timeout", type=float, metavar="S", help="seconds per request")
    command.add_argument("--max-concurrency", type=int, metavar="N", help="requests at once")
    command.add_argument("--no-cache", action="store_true", help="ignore and keep no results")
    # the app's check: it ends when the app does, even killed (its stdin closes then)
    command.add_argument("--watch-parent", action="store_true", help=argparse.SUPPRESS)
    command.add_argument(
        "--refresh", action="store_true", help="check everything again and keep the new results"
    )


def run_check_links(
    args: argparse.Namespace, data_dir: Path, content_dirs: list[Path], settings: Settings
) -> int:
    """Check and report; the exit code says whether anything is broken."""
    from companion.links.url_filter import UrlFilter, parse_statuses
    from companion.services.link_check import (
        collect_links,
        markdown_files,
    )
    from companion.store.link_cache import LinkCache

    if args.timeout is not None and not 0 < args.timeout <= 3600:  # also refuses nan
        return fail(f"--timeout should be more than 0 and at most 3600 seconds, got {args.timeout}")
    if args.max_concurrency is not None and not 1 <= args.max_concurrency <= 1024:
        return fail(f"--max-concurrency should be 1 to 1024, got {args.max_concurrency}")
    try:
        accept = parse_statuses(args.accept) if args.accept is not None else None
        chosen = UrlFilter.compile(args.exclude, args.include)
    except ValueError as error:
        return fail(str(error))
    files = args.files
    if not files:
        from companion.content.loader import load_library

        files = [Path(r.source) for r in load_library(content_dirs).roadmaps]
    try:
        found = collect_links(markdown_files(files))
    except ContentError as error:
        return fail(str(error))
    if args.watch_parent:
        _end_with_parent()
    ttl = 0 if args.refresh else settings.link_cache_hours * 3600
    cache = None if args.no_cache else LinkCache(data_dir, ttl)
    lock = DataDirLock(local_dir(data_dir), CHECK_LOCK)
    try:
        lock.acquire()  # one check per data directory: two would race on the cache
    except StoreLockedError:
        return fail(f"a link check is already running on {data_dir}; not started again")
    try:
        return _check_and_report(args, found, chosen, accept, settings, cache)
    finally:
        lock.release()


CHECK_LOCK = "link-check.lock"


def _end_with_parent() -> None:
    """Exit as soon as the parent's end of stdin closes: when the app quits, or is killed
    (a child it left would run for minutes and race a restarted app's check)."""

    def watch() -> None:
        with contextlib.suppress(OSError):
            while os.read(0, 4096):  # the raw descriptor: no buffer lock held at exit
                pass
        os._exit(PARENT_GONE)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


PARENT_GONE = 3


def _check_and_report(args, found, chosen, accept, settings, cache) -> int:  # noqa: ANN001
    from companion.cli import event_loop  # asyncio, imported for the commands that check
    from companion.services.link_check import check_links, check_settings, user_agent

    progress = _Progress(
        len({f.url for f in found if f.url.startswith("http") and not chosen.excluded(f.url)})
    )
    checked = event_loop.run(
        check_links(
            found,
            replace(check_settings(settings, args.timeout, args.max_concurrency), accept=accept),
            user_agent(settings),
            None if accept is not None else cache,  # cached verdicts knew no --accept
            progress.tick,
            excluded=chosen.excluded,
        )
    )
    progress.done()
    if args.format == "json":
        print(json.dumps([_as_json(c) for c in checked], indent=2))
    else:
        _print_text(checked)
    return 1 if any(c.result.verdict == BROKEN for c in checked) else 0


def _as_json(checked: "CheckedLink") -> dict:
    result = checked.result
    return {
        "url": checked.link.url,
        "verdict": result.verdict,
        "status": result.status,
        "final_url": result.final_url,
        "error": result.error,
        "source": checked.link.source,
        "line": checked.link.line,
    }


def _print_text(checked: list["CheckedLink"]) -> None:
    by_file: dict[str, list[CheckedLink]] = {}
    for item in checked:
        by_file.setdefault(item.link.source, []).append(item)
    for source, items in by_file.items():
        print(source)
        for item in items:
            result = item.result
            detail = result.error or (f"HTTP {result.status}" if result.status else "")
            if result.final_url:  # after what went wrong (a missing fragment), if anything
                detail = "; ".join(filter(None, [result.error, f"→ {result.final_url}"]))
            print(
                f"  {item.link.line:>5}  {MARKS[result.verdict]} {result.verdict:<10} "
                f"{item.link.url}  {detail}".rstrip()
            )
    counts = Counter(item.result.verdict for item in checked)
    order = ["ok", "redirected", "broken", "blocked", "skipped", "offline"]
    summary = ", ".join(f"{counts[v]} {v}" for v in order if counts[v])
    print(f"\n{len(checked)} links in {len(by_file)} files: {summary or 'none'}")
    if counts["offline"]:
        print("No network: links that could not be reached are 'offline', not broken.")


class _Progress:
    """A progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.enabled = sys.stderr.isatty() and total > 0

    def tick(self, _result: object) -> None:
        self.count += 1
        if self.enabled:
            filled = round(30 * self.count / self.total)
            print(
                f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.count}/{self.total}",
                end="",
                file=sys.stderr,
                flush=True,
            )

    def done(self) -> None:
        if self.enabled:
            print(file=sys.stderr)
