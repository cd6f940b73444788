"""The latest logged text of cards with history, to re-link a card whose deck line was edited.

Looking a card up means reading the review log, which at 500,000 answers takes seconds. A card
that has left every deck stays missing at each start, so what was found is kept in a cache
with the log offset it covers, and later lookups read only what the log gained since.
"""

from collections.abc import Iterable
from pathlib import Path

from companion.srs.linking import CardText
from companion.store.packed_file import read_packed, write_packed
from companion.store.review_log import ReviewLog

CACHE_KIND = "card-texts"
CACHE_VERSION = 3  # 3: cards searched for in every deck already
_PREFILTER_LIMIT = 64  # up to this many ids, a line is parsed only if one of them is in it


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _scan(log: ReviewLog, start: int, texts: dict[str, tuple | None]) -> int:
    """Update `texts` (for the ids it holds) from the log after `start`; return the end offset."""
    end = log.size()  # one process writes the log, and not while this reads it
    needles = [card_id.encode() for card_id in texts] if len(texts) <= _PREFILTER_LIMIT else None
    for event, _ in log.read_from(start, containing=needles):
        if "text" not in event:
            continue
        card_id = event.get("to") if event["kind"] == "relink" else event.get("card")
        if card_id in texts:
            texts[card_id] = (
                event.get("type", "basic"),
                event.get("src", ""),
                _text(event["text"]),
                _text(event.get("num")),
                _text(event.get("hide")),
            )
    return end


class CardTextIndex:
    """Card texts from the review log, cached in the data directory."""

    def __init__(self, cache_path: Path, log: ReviewLog, writable: bool) -> None:
        self.cache_path = cache_path
        self.log = log
        self.writable = writable

    def lookup(self, card_ids: Iterable[str]) -> dict[str, CardText]:
        """The latest logged text of each card asked for (those never logged with text left out)."""
        wanted = set(card_ids)
        if not wanted:
            return {}
        offset, texts, settled = self._load()
        unknown = wanted - texts.keys()
        if unknown:  # never looked up: read the whole log (which refreshes the others too)
            texts.update(dict.fromkeys(unknown))
            offset = 0
        end = _scan(self.log, offset, texts)
        if self.writable and (unknown or end != offset):
            self._save(end, texts, settled)
        return {cid: CardText(*texts[cid]) for cid in wanted if texts[cid] is not None}

    def searched_everywhere(self) -> set[str]:
        """Missing cards already looked for in every deck (so each start need not again)."""
        return self._load()[2]

    def mark_searched_everywhere(self, card_ids: Iterable[str]) -> None:
        """Remember cards looked for in every deck and found nowhere."""
        if self.writable:
            offset, texts, settled = self._load()
            self._save(offset, texts, settled | set(card_ids))

    def _load(self) -> tuple[int, dict[str, tuple | None], set[str]]:
        data = read_packed(self.cache_path, CACHE_KIND, CACHE_VERSION)
        try:
            offset, texts, settled = data  # type: ignore[misc]
            if 0 <= offset <= self.log.size() and isinstance(texts, dict):
                return offset, texts, set(settled)
        except (TypeError, ValueError):
            pass
        return 0, {}, set()

    def _save(self, offset: int, texts: dict[str, tuple | None], settled: set[str]) -> None:
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            write_packed(self.cache_path, CACHE_KIND, CACHE_VERSION, (offset, texts, settled))
        except OSError:
            pass  # only a cache: the next lookup reads the log again
