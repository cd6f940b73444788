"""Durations written in headings ("[2 months]", "~120 hours", "(1-3 months)") as estimates."""

import re
from dataclasses import dataclass

WEEKS_PER_MONTH = 4.345

_UNITS = {
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "d": "days",
    "day": "days",
    "days": "days",
    "w": "weeks",
    "wk": "weeks",
    "wks": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "mo": "months",
    "mos": "months",
    "month": "months",
    "months": "months",
    "semester": "semesters",
    "semesters": "semesters",
    "yr": "years",
    "yrs": "years",
    "year": "years",
    "years": "years",
}
_LETTER_UNITS = {"h", "d", "w"}  # "3D", "STA 4273H", "(2014W)": only "[2h]"-like counts
WEEKS_PER_SEMESTER = 15
WEEKS_PER_YEAR = 52

_NUMBER = r"\d+(?:\.\d+)?"
_ESTIMATE = re.compile(
    rf"""
    (?P<open>[\[(])?\s*
    (?P<about>~|about\s+|approx\.?\s+)?
    (?<![\w.])(?P<low>{_NUMBER})
    (?:\s*(?:-|–|—|to)\s*(?P<high>{_NUMBER}))?
    \s*(?P<unit>hours|hour|hrs|hr|h|days|day|d|weeks|week|wks|wk|w|months|month|mos|mo
        |semesters|semester|years|year|yrs|yr)
    (?![\w-])
    \s*(?P<close>[\])])?
    """,
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class Estimate:
    """A time estimate: a range in one unit, as the author wrote it."""

    low: float
    high: float
    unit: str
    text: str

    def hours(self, weekly_hours: float) -> tuple[float, float]:
        """The range in study hours, for a learner who studies `weekly_hours` a week."""
        per_unit = {
            "hours": 1.0,
            "days": weekly_hours / 7,
            "weeks": weekly_hours,
            "months": weekly_hours * WEEKS_PER_MONTH,
            "semesters": weekly_hours * WEEKS_PER_SEMESTER,
            "years": weekly_hours * WEEKS_PER_YEAR,
        }[self.unit]
        return self.low * per_unit, self.high * per_unit

    def midpoint_hours(self, weekly_hours: float) -> float:
        """The middle of the range in study hours."""
        low, high = self.hours(weekly_hours)
        return (low + high) / 2


def _plausible_compact(match: re.Match) -> bool:
    """Whether a one-letter unit reads as a duration ("[2h]") and not a term ("(2014W)")."""
    return float(match["low"]) < 1000


def find_estimate(text: str, marked_only: bool = False) -> tuple[Estimate | None, str]:
    """Find a duration in a heading; return it and the heading with a bracketed duration removed.

    With `marked_only` (an item's text, where "7 Years of scaling lessons" is a title) only a
    bracketed or "~"/"about" duration counts."""
    for match in _ESTIMATE.finditer(text):
        bracketed = match["open"] and match["close"]
        if marked_only and not (bracketed or match["about"]):
            continue
        if match["open"] and not match["close"] or match["close"] and not match["open"]:
            continue
        if match["unit"].lower() in _LETTER_UNITS and not (bracketed and _plausible_compact(match)):
            continue
        low = float(match["low"])
        high = float(match["high"]) if match["high"] else low
        if high < low:
            low, high = high, low
        unit = _UNITS[match["unit"].lower()]
        written = match.group(0).strip().strip("[]()").strip()
        estimate = Estimate(low, high, unit, written)
        rest = text[: match.start()] + text[match.end() :] if bracketed else text
        return estimate, " ".join(rest.split()).strip(" -–—:")
    return None, text.strip()
