"""Check the links of Markdown files: remote ones with the checker (cached), relative ones on disk.

One function serves both the `check-links` command and the app's background check.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from companion import __version__
from companion.config import Settings
from companion.content.local_links import MARKDOWN_SUFFIXES
from companion.content.textfile import read_markdown
from companion.links.checker import CheckSettings, LinkChecker
from companion.links.extract import FoundLink, is_remote, links_in_markdown, local_target
from companion.links.local import check_local
from companion.links.transport import PerHostTransport
from companion.links.verdicts import SKIPPED, LinkResult
from companion.store.link_cache import LinkCache


@dataclass(frozen=True)
class CheckedLink:
    """A link where it was written, and what checking it found."""

    link: FoundLink
    result: LinkResult


def user_agent(settings: Settings) -> str:
    """The User-Agent: names companion and its version unless the learner set another."""
    return settings.user_agent or f"companion/{__version__} (link checker)"


def check_settings(
    settings: Settings, timeout: float | None, concurrency: int | None
) -> CheckSettings:
    """Checker settings from config.toml, overridden by command-line options."""
    return CheckSettings(
        max_concurrency=concurrency or settings.link_max_concurrency,
        per_host=settings.link_max_per_host,
        timeout_s=timeout or settings.link_timeout_seconds,
    )


SKIPPED_FOLDERS = {"node_modules", "__pycache__", "venv", "site-packages"}


def markdown_files(paths: list[Path]) -> list[Path]:
    """The files given, and the Markdown files under each folder given, in a stable order
    (hidden folders and dependency folders left out)."""
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        for found in sorted(path.rglob("*")):
            parts = found.relative_to(path).parts
            if any(p.startswith(".") or p in SKIPPED_FOLDERS for p in parts[:-1]):
                continue
            if found.suffix.lower() in MARKDOWN_SUFFIXES and found.is_file():
                files.append(found)
    return files


def collect_links(paths: list[Path]) -> list[FoundLink]:
    """Every link in the files (ContentError for an unreadable one)."""
    found: list[FoundLink] = []
    for path in paths:
        found.extend(links_in_markdown(read_markdown(path), str(path)))
    return found


async def check_links(
    found: list[FoundLink],
    options: CheckSettings,
    agent: str,
    cache: LinkCache | None,
    on_result: Callable[[LinkResult], None] | None = None,
    excluded: Callable[[str], bool] = lambda url: False,
) -> list[CheckedLink]:
    """Check every link once: cached results first, then the network and the disk. Links
    `excluded` are reported as skipped, never requested."""
    left_out = {link.url for link in found if excluded(link.url)}
    remote = [link.url for link in found if is_remote(link.url) and link.url not in left_out]
    results: dict[str, LinkResult] = {}
    for url in dict.fromkeys(remote):
        cached = cache.get(url, fragments=True) if cache else None
        if cached is not None:
            results[url] = cached
            if on_result:
                on_result(cached)
    to_check = [url for url in dict.fromkeys(remote) if url not in results]
    if to_check:
        async with httpx.AsyncClient(
            headers={"User-Agent": agent},
            transport=PerHostTransport(options.per_host),
            max_redirects=options.max_redirects,
        ) as client:
            fresh = await LinkChecker(client, options).check_many(to_check, on_result)
        results.update(fresh)
        if cache is not None:
            cache.put_many(list(fresh.values()), fragments=True)
    checked = []
    for link in found:
        if link.url in left_out:
            checked.append(CheckedLink(link, LinkResult(link.url, SKIPPED, error="excluded")))
            continue
        if is_remote(link.url):
            checked.append(CheckedLink(link, results[link.url]))
            continue
        target = local_target(link.url, Path(link.source))
        result = check_local(link.url, *target) if target else LinkResult(link.url, SKIPPED)
        checked.append(CheckedLink(link, result))
    return checked
