"""Searching cards with Anki's search words: `deck:`, `tag:`, `is:`, `prop:`, `rated:`, free text.

Terms are joined by AND; `or` between terms makes alternatives, `-` before a term negates it,
and "double quotes" keep spaces inside one term. Matching ignores case. `*` is a wildcard in
free text, deck and tag names, as in Anki. Differences from Anki: no parentheses; `item:` and
`phase:` (cards linked to a roadmap item or phase) are ours.
"""

import fnmatch
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

from companion.text import normalise

DAY = 86400.0
STATES = ("new", "learning", "review", "suspended", "buried", "orphaned")


class QueryError(ValueError):
    """A search the browser cannot run; the message is one line for the learner."""


@dataclass(frozen=True, slots=True)
class CardRow:
    """What the browser and `cards list` know of one card."""

    card_id: str
    front: str
    back: str
    deck: str
    tags: tuple[str, ...]
    state: str
    due_ts: float | None
    interval_days: float | None
    reps: int
    lapses: int
    leech: bool
    item_id: str | None
    haystack: str = field(repr=False)
    """Front and back in lower case, for free-text search."""


@dataclass
class QueryContext:
    """What a search needs besides the rows: the time, and lookups some terms make."""

    now_ts: float
    today_end_ts: float
    """When the learner's study day ends (a card due before then is due today)."""
    phase_items: Callable[[str], set[str]] = lambda name: set()
    answers: Callable[[], dict[str, list[tuple[float, int]]]] = dict
    """Every card's answers as (time, grade), read only if a `rated:` term asks."""


Predicate = Callable[[CardRow], bool]
_PROP = re.compile(r"^(?P<name>[a-z]+)(?P<op><=|>=|!=|=|<|>)(?P<value>-?\d+(?:\.\d+)?)$")
_OPS = {
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _pattern(text: str) -> Callable[[str], bool]:
    """A name match: exact (ignoring case), or with `*` wildcards, children (`a::b`) included."""
    wanted = text.lower()
    if "*" in wanted:
        return lambda name: (
            fnmatch.fnmatchcase(name.lower(), wanted)
            or fnmatch.fnmatchcase(name.lower(), wanted + "::*")
        )
    return lambda name: (lower := name.lower()) == wanted or lower.startswith(wanted + "::")


def _is(value: str, context: QueryContext) -> Predicate:
    day_end = context.today_end_ts
    checks: dict[str, Predicate] = {
        "new": lambda r: r.state == "new",
        "learn": lambda r: r.state == "learning",
        "review": lambda r: r.state == "review",
        "suspended": lambda r: r.state == "suspended",
        "buried": lambda r: r.state == "buried",
        "leech": lambda r: r.leech,
        "orphan": lambda r: r.state == "orphaned",
        "due": lambda r: (
            r.state in ("learning", "review")
            and r.due_ts is not None
            and (r.due_ts <= context.now_ts if r.state == "learning" else r.due_ts < day_end)
        ),
    }
    if value not in checks:
        raise QueryError(f"unknown 'is:{value}' (use one of: {', '.join(checks)})")
    return checks[value]


def _prop(value: str, context: QueryContext) -> Predicate:
    match = _PROP.match(value)
    if not match:
        raise QueryError(f"cannot read 'prop:{value}' (e.g. prop:lapses>3, prop:ivl>=21)")
    name, compare, number = match["name"], _OPS[match["op"]], float(match["value"])
    if name == "lapses":
        return lambda r: compare(r.lapses, number)
    if name == "reps":
        return lambda r: compare(r.reps, number)
    if name == "ivl":
        return lambda r: r.interval_days is not None and compare(round(r.interval_days), number)
    if name == "due":  # days from today: 0 today, 1 tomorrow, -1 yesterday
        start = context.today_end_ts - DAY
        return lambda r: (
            r.due_ts is not None
            and r.state in ("learning", "review")
            and compare((r.due_ts - start) // DAY, number)
        )
    raise QueryError(f"unknown property '{name}' (use lapses, reps, ivl or due)")


def _rated(value: str, context: QueryContext) -> Predicate:
    parts = value.split(":")
    try:
        days = int(parts[0])
        grade = int(parts[1]) if len(parts) > 1 else None
    except ValueError:
        raise QueryError(f"cannot read 'rated:{value}' (e.g. rated:7 or rated:7:1)") from None
    if days < 1 or (grade is not None and not 1 <= grade <= 4) or len(parts) > 2:
        raise QueryError(f"cannot read 'rated:{value}' (days from 1, grade 1-4)")
    since = context.today_end_ts - days * DAY
    answers = context.answers()
    return lambda r: any(
        ts >= since and (grade is None or g == grade) for ts, g in answers.get(r.card_id, ())
    )


Filter = Callable[[list[CardRow]], list[CardRow]]
"""A term as a filter over a list of rows: each runs as one comprehension, and the terms of a
search narrow the list one after another (50,000 cards in a few milliseconds a term)."""


def _where(match: Predicate) -> Filter:
    return lambda rows: [row for row in rows if match(row)]


def _text(value: str) -> Filter:
    """Free text, ignoring case; `*` is any run of characters and `_` one character (Anki's
    wildcards; `\\_` is a literal underscore)."""
    needle = normalise(value)
    if "_" in needle.replace("\\_", ""):
        parts = re.split(r"(\\_|_|\*)", needle)
        pattern = re.compile(
            "".join({"_": ".", "*": ".*", "\\_": "_"}.get(part, re.escape(part)) for part in parts)
        )
        return _where(lambda r: pattern.search(r.haystack) is not None)
    pieces = [piece for piece in needle.replace("\\_", "_").split("*") if piece]
    if not pieces:
        return lambda rows: list(rows)
    if len(pieces) == 1:
        only = pieces[0]
        return lambda rows: [row for row in rows if only in row.haystack]

    def in_order(haystack: str) -> bool:
        position = 0
        for piece in pieces:
            position = haystack.find(piece, position)
            if position < 0:
                return False
            position += len(piece)
        return True

    return _where(lambda r: in_order(r.haystack))


def _by_value(key: Callable[[CardRow], object], matches: Callable[[object], bool]) -> Filter:
    """A filter on a field with few distinct values (a deck, a set of tags), each judged once."""
    judged: dict[object, bool] = {}

    def keep(row: CardRow) -> bool:
        value = key(row)
        verdict = judged.get(value)
        if verdict is None:
            verdict = judged[value] = matches(value)
        return verdict

    return _where(keep)


def _term(raw: str, context: QueryContext) -> Filter:
    key, _, value = raw.partition(":")
    key = key.lower()
    if not value or key not in ("deck", "tag", "is", "prop", "rated", "item", "phase", "front"):
        return _text(raw)
    if key == "deck":
        deck_matches = _pattern(value)
        return _by_value(lambda r: r.deck, lambda deck: deck_matches(deck))  # type: ignore[arg-type]
    if key == "tag":
        tag_matches = _pattern(value)
        return _by_value(lambda r: r.tags, lambda tags: any(tag_matches(t) for t in tags))  # type: ignore[attr-defined]
    if key == "is":
        return _where(_is(value.lower(), context))
    if key == "prop":
        return _where(_prop(value.lower().replace(" ", ""), context))
    if key == "rated":
        return _where(_rated(value, context))
    if key == "front":
        needle = value.lower()
        return _where(lambda r: needle in r.front.lower())
    if key == "item":
        return _where(lambda r: r.item_id == value)
    items = context.phase_items(value)
    return _where(lambda r: r.item_id in items)


def compile_query(query: str, context: QueryContext) -> Filter:
    """A filter for a search; raises QueryError with a one-line reason."""
    try:
        words = shlex.split(query)
    except ValueError as error:
        raise QueryError(f"cannot read the search ({error})") from None
    groups: list[list[tuple[bool, Filter]]] = [[]]
    for word in words:
        if word.lower() == "or":
            groups.append([])
            continue
        negate = word.startswith("-") and len(word) > 1
        groups[-1].append((negate, _term(word[1:] if negate else word, context)))
    if any(not group for group in groups) and len(groups) > 1:
        raise QueryError("'or' needs a term on each side")
    compiled = [_conjunction(group) for group in groups]
    if len(compiled) == 1:
        return compiled[0]

    def any_group(rows: list[CardRow]) -> list[CardRow]:
        found: set[int] = set()
        for group in compiled:
            found.update(map(id, group(rows)))
        return [row for row in rows if id(row) in found]

    return any_group


def _conjunction(terms: list[tuple[bool, Filter]]) -> Filter:
    def narrow(rows: list[CardRow]) -> list[CardRow]:
        for negate, term in terms:
            if negate:
                dropped = set(map(id, term(rows)))
                rows = [row for row in rows if id(row) not in dropped]
            else:
                rows = term(rows)
        return rows

    return narrow


def search(rows: list[CardRow], query: str, context: QueryContext) -> list[CardRow]:
    """The rows a search matches, in the order given."""
    if not query.strip():
        return list(rows)
    return compile_query(query, context)(rows)


SORT_KEYS: dict[str, Callable[[CardRow], object]] = {
    "front": lambda r: r.front.lower(),
    "deck": lambda r: r.deck.lower(),
    "state": lambda r: STATES.index(r.state),
    "due": lambda r: (r.due_ts is None, r.due_ts or 0.0),
    "interval": lambda r: r.interval_days or 0.0,
    "lapses": lambda r: r.lapses,
    "tags": lambda r: " ".join(r.tags).lower(),
}
