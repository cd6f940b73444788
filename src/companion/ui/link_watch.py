"""The app's background link check: on start when results are stale, and on request (L)."""

from collections import Counter
from typing import TYPE_CHECKING

from companion.link_check import check_links, check_settings, user_agent
from companion.links.extract import FoundLink, is_remote
from companion.links.verdicts import BLOCKED, BROKEN, OFFLINE, LinkResult
from companion.store.link_cache import LinkCache

if TYPE_CHECKING:
    from companion.ui.app import CompanionApp

WORST_FIRST = [BROKEN, BLOCKED, "redirected", "ok"]


class LinkWatch:
    """Runs checks in a worker (async I/O on the app's loop: input is never blocked)."""

    def __init__(self, app: "CompanionApp") -> None:
        self.app = app
        self.cache = LinkCache(app.store.data_dir, app.settings.link_cache_hours * 3600)

    def roadmap_links(self) -> list[FoundLink]:
        """Every remote resource of every roadmap, where it is written."""
        return [
            FoundLink(resource.url, roadmap.source, item.line)
            for roadmap in self.app.library.roadmaps
            for item in roadmap.items
            for resource in item.resources
            if is_remote(resource.url)
        ]

    def start(self, force: bool) -> None:
        """Check in the background: everything when forced, else only what is stale."""
        links = self.roadmap_links()
        if not force:
            stale = set(self.cache.stale([link.url for link in links], fragments=True))
            links = [link for link in links if link.url in stale]
        if not links:
            if force:
                self.app.notify("No web links to check.", timeout=3)
            return
        if force:
            self.app.notify(f"Checking {len({link.url for link in links})} links…", timeout=3)
        self.app.run_worker(self._run(links, force), group="links", exclusive=True)

    async def _run(self, links: list[FoundLink], force: bool) -> None:
        before = {link.url: self.cache.latest(link.url) for link in links}
        checked = await check_links(
            links,
            check_settings(self.app.settings, None, None),
            user_agent(self.app.settings),
            None if force else self.cache,
        )
        if force:
            self.cache.put_many([c.result for c in checked], fragments=True)
        self._summarise([c.result for c in checked], before)
        self.app.links_changed()

    def _summarise(self, results: list[LinkResult], before: dict[str, LinkResult | None]) -> None:
        unique = {result.url: result for result in results}
        counts = Counter(result.verdict for result in unique.values())
        if counts[OFFLINE] == len(unique):
            self.app.notify("Offline: links will be checked when the network is back.", timeout=5)
            return
        newly_broken = sum(
            1
            for url, result in unique.items()
            if result.verdict == BROKEN
            and (before.get(url) is None or before[url].verdict != BROKEN)
        )
        fixed = sum(
            1
            for url, result in unique.items()
            if result.verdict != BROKEN
            and before.get(url) is not None
            and before[url].verdict == BROKEN
        )
        order = ("ok", "redirected", "broken", "blocked", OFFLINE)
        parts = [f"{counts[v]} {v}" for v in order if counts[v]]
        changes = []
        if newly_broken:
            changes.append(f"{newly_broken} newly broken")
        if fixed:
            changes.append(f"{fixed} fixed")
        message = "Links: " + ", ".join(parts) + (f" ({', '.join(changes)})" if changes else "")
        self.app.notify(message, severity="warning" if counts[BROKEN] else "information", timeout=8)

    def verdict(self, url: str) -> LinkResult | None:
        """The last known result for a URL."""
        return self.cache.latest(url)

    def worst(self, urls: list[str]) -> str | None:
        """The worst known verdict among some URLs (for an item's badge)."""
        verdicts = {result.verdict for url in urls if (result := self.cache.latest(url))}
        return next((v for v in WORST_FIRST if v in verdicts), None)
