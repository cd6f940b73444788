"""The app's background link check: on start when results are stale, and on request (L).

The check runs as `companion check-links` in a child process. In-process, even on a worker
thread with its own event loop, a slow name server held up the interface (the Reader's
Markdown parsing waited seconds); a separate process cannot.
"""

import asyncio
import contextlib
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from textual.app import App

from companion.content.roadmap import Roadmap
from companion.links.verdicts import BLOCKED, BROKEN, OFFLINE, LinkResult
from companion.store.link_cache import LinkCache

WORST_FIRST = [BROKEN, BLOCKED, "redirected", "ok"]
CHECK_TIMEOUT_S = 600


class LinkCheckFailed(Exception):
    """The background check did not give results; the message is one line."""


def roadmap_urls(roadmaps: list[Roadmap]) -> list[str]:
    """Every remote resource of every roadmap, once each."""
    return list(
        dict.fromkeys(
            resource.url
            for roadmap in roadmaps
            for resource in roadmap.resources()
            if resource.url.startswith(("http://", "https://"))
        )
    )


class LinkWatch:
    """Starts checks in the background and reads their results back from the cache."""

    def __init__(
        self,
        app: App,
        data_dir: Path,
        cache_hours: float,
        urls: Callable[[], list[str]],
        on_results: Callable[[], None],
        files: Callable[[], list[str]],
    ) -> None:
        """`urls` lists the web links to watch, `files` the roadmap files they are in (what the
        child checks); `on_results` is called when new results are in."""
        self.app = app
        self.data_dir = data_dir
        self.cache_seconds = cache_hours * 3600
        self.urls = urls
        self.on_results = on_results
        self.files = files
        self.child_command = [sys.executable, "-m", "companion"]
        self.cache = self._load_cache()

    def _load_cache(self) -> LinkCache:
        return LinkCache(self.data_dir, self.cache_seconds)

    def start(self, force: bool) -> None:
        """Check in the background: everything when forced, else only when something is stale."""
        urls = self.urls()
        if not urls or (not force and not self.cache.stale(urls, fragments=True)):
            if force:
                self.app.notify("No web links to check.", timeout=3)
            return
        if force:
            self.app.notify(f"Checking {len(urls)} links…", timeout=3)
        before = {url: self.cache.latest(url) for url in urls}
        self.app.run_worker(self._run(force, before), group="links", exclusive=True)

    async def _run(self, force: bool, before: dict[str, LinkResult | None]) -> None:
        try:
            rows = await self._check_in_child(force)
        except LinkCheckFailed as error:
            self.app.notify(f"Link check failed: {error}", severity="warning", timeout=8)
            return
        try:
            results = [
                LinkResult(
                    r["url"], str(r["verdict"]), r.get("status"), r.get("final_url"), r.get("error")
                )
                for r in rows
                if r["url"] in before
            ]
            self.cache = self._load_cache()
            self._summarise(results, before)
            self.on_results()
        except Exception as error:  # noqa: BLE001 - a background check never stops the app
            reason = f"{type(error).__name__}: {error}".splitlines()[0][:200]
            self.app.notify(f"Link check failed: {reason}", severity="warning", timeout=8)

    async def _check_in_child(self, force: bool) -> list[dict]:
        """The child's results; LinkCheckFailed with one line when it fails in any way."""
        command = [
            *self.child_command,
            "--data-dir",
            str(self.data_dir),
            "check-links",
            "--format",
            "json",
            "--watch-parent",
            *(["--refresh"] if force else []),
            "--",
            *self.files(),
        ]
        try:
            # its stdin stays open, never written: it closes when this process ends however
            # it ends (killed, too), and the child then stops
            process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
        except OSError as error:
            raise LinkCheckFailed(f"could not start ({error.strerror or error})") from error
        assert process.stdout is not None and process.stderr is not None
        try:
            out, err = await asyncio.wait_for(
                asyncio.gather(process.stdout.read(), process.stderr.read()), CHECK_TIMEOUT_S
            )
            await process.wait()
        except TimeoutError as error:
            process.kill()
            raise LinkCheckFailed("it took too long and was stopped") from error
        finally:
            if process.returncode is None:  # the app quit meanwhile: no check outlives it
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
            if process.stdin is not None:
                process.stdin.close()
        last_line = (err.decode(errors="replace").strip().splitlines() or [""])[-1][:200]
        if process.returncode not in (0, 1):  # 1 means "some links are broken"
            raise LinkCheckFailed(last_line or f"exit status {process.returncode}")
        try:
            rows = json.loads(out)
        except ValueError as error:
            raise LinkCheckFailed(last_line or "no results came back") from error
        if not isinstance(rows, list) or not all(
            isinstance(r, dict) and isinstance(r.get("url"), str) and "verdict" in r for r in rows
        ):
            raise LinkCheckFailed("its results could not be read")
        return rows

    def _summarise(self, results: list[LinkResult], before: dict[str, LinkResult | None]) -> None:
        unique = {result.url: result for result in results}
        counts = Counter(result.verdict for result in unique.values())
        if unique and counts[OFFLINE] == len(unique):
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
