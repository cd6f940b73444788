"""`companion save URL`: keep a web page's readable article for offline reading."""

import argparse
from datetime import UTC, datetime
from pathlib import Path

from companion.cli.console import fail
from companion.config import Settings


def add_save_parser(commands: argparse._SubParsersAction) -> None:
    """Register `save`."""
    command = commands.add_parser(
        "save",
        help="save a web page for offline reading",
        description="Fetch a page once (5 MB cap), keep its readable article as Markdown in the "
        "data directory's library/, and read it in the Reader with no network.",
    )
    command.add_argument("url")
    command.add_argument("--item", default="", help="the roadmap item it belongs to")


def run_save(args: argparse.Namespace, data_dir: Path, settings: Settings) -> int:
    """Save one page; exit 2 when it cannot be fetched or has no article."""
    if not args.url.startswith(("http://", "https://")):
        return fail("save takes an http(s) URL")

    import httpx

    from companion.links.fetch import FetchError, deadline_for
    from companion.links.snapshot import SavedPage, save_page  # trafilatura is slow to import
    from companion.services.link_check import user_agent
    from companion.store.saved_pages import store_page

    async def fetch() -> SavedPage:
        async with httpx.AsyncClient(
            headers={"User-Agent": user_agent(settings)}, timeout=settings.link_timeout_seconds
        ) as client:
            return await save_page(client, args.url, deadline_for(settings.link_timeout_seconds))

    try:
        import asyncio  # for the one command that fetches, not at every start

        page = asyncio.run(fetch())
    except FetchError as error:
        return fail(str(error))
    path = store_page(
        data_dir, page.url, page.title, page.markdown, args.item, datetime.now(UTC), page.images
    )
    print(f"Saved '{page.title}' ({len(page.markdown.split())} words) to {path}")
    return 0
