"""Link check results kept with their check time, so a check runs once a day, not every start.

Only definitive verdicts are kept (ok, redirected, broken, blocked): never `offline` or
`skipped`. The key includes whether #fragments were checked, so a result from a check that did
not look inside the page can never hide a missing fragment.
"""

import json
import time
from pathlib import Path

from companion.files import MB, read_file
from companion.links.verdicts import DEFINITIVE, LinkResult
from companion.store.atomic_file import write_atomically

CACHE_NAME = "link-cache.json"


def _key(url: str, fragments: bool) -> str:
    return f"{'F' if fragments else '-'} {url}"


class LinkCache:
    """Results by URL, fresh for `ttl_s` seconds."""

    def __init__(self, data_dir: Path, ttl_s: float) -> None:
        self.path = data_dir / CACHE_NAME
        self.ttl_s = ttl_s
        try:
            raw = json.loads(read_file(self.path, 64 * MB))
            self._entries: dict[str, dict] = raw if isinstance(raw, dict) else {}
        except (OSError, ValueError):
            self._entries = {}

    def get(self, url: str, fragments: bool, now: float | None = None) -> LinkResult | None:
        """A fresh cached result, or None."""
        entry = self._entries.get(_key(url, fragments))
        now = time.time() if now is None else now
        if entry is None or now - entry.get("checked_at", 0) > self.ttl_s:
            return None
        try:
            return LinkResult(**entry)
        except TypeError:
            return None

    def latest(self, url: str) -> LinkResult | None:
        """The last known result, however old (for badges shown before a new check)."""
        entry = self._entries.get(_key(url, True)) or self._entries.get(_key(url, False))
        try:
            return LinkResult(**entry) if entry else None
        except TypeError:
            return None

    def put_many(self, results: list[LinkResult], fragments: bool) -> None:
        """Remember the definitive results and write the cache once."""
        for result in results:
            if result.verdict in DEFINITIVE:
                self._entries[_key(result.url, fragments)] = result.to_dict()
        write_atomically(self.path, json.dumps(self._entries, separators=(",", ":")).encode())

    def stale(self, urls: list[str], fragments: bool, now: float | None = None) -> list[str]:
        """The URLs with no fresh result."""
        return [url for url in urls if self.get(url, fragments, now) is None]
