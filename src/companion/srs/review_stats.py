"""Review statistics as Anki shows them: daily counts, true retention, due forecast, totals."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from companion.srs.ledger import CardRecord

MATURE_DAYS = 21


def reviews_per_day(days: dict[str, list[int]], today: date, span_days: int) -> dict[str, int]:
    """Answers per local day for the last `span_days` days (today included), zeros filled in."""
    first = today - timedelta(days=span_days - 1)
    return {
        (first + timedelta(days=offset)).isoformat(): days.get(
            (first + timedelta(days=offset)).isoformat(), [0, 0]
        )[0]
        for offset in range(span_days)
    }


@dataclass(frozen=True)
class Retention:
    """Share of reviews of long-term cards answered Hard or better, young and mature apart."""

    young_passed: int
    young_total: int
    mature_passed: int
    mature_total: int

    @staticmethod
    def _rate(passed: int, total: int) -> float | None:
        return round(passed / total, 4) if total else None

    def as_dict(self) -> dict:
        """For `stats --json`: rates (None without reviews) and the counts behind them."""
        return {
            "young": self._rate(self.young_passed, self.young_total),
            "young_reviews": self.young_total,
            "mature": self._rate(self.mature_passed, self.mature_total),
            "mature_reviews": self.mature_total,
        }


def retention_of_days(
    retention: dict[str, list[int]], today: date, span_days: int = 30
) -> Retention:
    """Retention over the study days of the last `span_days` (today included), from the
    ledger's running counts: no log to read."""
    first = (today - timedelta(days=span_days - 1)).isoformat()
    totals = [0, 0, 0, 0]
    for day, counts in retention.items():
        if day >= first:
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
    young, young_passed, mature, mature_passed = totals
    return Retention(young_passed, young, mature_passed, mature)


def due_forecast(records: list[CardRecord], now: datetime, span_days: int = 14) -> list[int]:
    """Cards falling due on each of the next `span_days` local days; overdue ones count today."""
    today = now.astimezone().date()
    forecast = [0] * span_days
    for record in records:
        if record.is_new or record.suspended or record.retired:
            continue
        due_day = datetime.fromtimestamp(record.due_ts or 0).astimezone().date()
        offset = max((due_day - today).days, 0)
        if offset < span_days:
            forecast[offset] += 1
    return forecast


def totals(
    card_ids: list[str], records: dict[str, CardRecord], now: datetime, orphans: set[str]
) -> dict[str, int]:
    """How many cards are new, learning, in review, suspended, buried, leeches or orphaned."""
    now_ts = now.timestamp()
    result = Counter(
        {"new": 0, "learning": 0, "review": 0, "suspended": 0, "buried": 0, "leech": 0}
    )
    for card_id in card_ids:
        record = records.get(card_id) or CardRecord(card_id)
        if record.leech:
            result["leech"] += 1
        if record.suspended:
            result["suspended"] += 1
        elif record.buried_until is not None and record.buried_until > now_ts:
            result["buried"] += 1
        elif record.is_new:
            result["new"] += 1
        elif record.in_learning:
            result["learning"] += 1
        else:
            result["review"] += 1
    result["orphaned"] = len(orphans)
    return dict(result)
