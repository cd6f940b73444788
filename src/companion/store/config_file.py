"""One setting changed in a TOML settings file the learner may edit by hand, in place: the
line is found by its key (under its `[decks."NAME"]` table for a deck's setting), and every
other line, comment and blank stays as the learner wrote it."""

import json
import math
import re
import tomllib

_KEY_LINE = re.compile(r"\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")
_HEADER = re.compile(r"\s*\[")


def toml_value(value: object) -> str:
    """A value as TOML writes it (the kinds settings hold: numbers, booleans, strings, lists)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string: JSON's escapes are TOML's
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise ValueError(f"no TOML for {value!r}")


def _table_of(line: str) -> tuple[str, ...] | None:
    """The dotted name of a `[table]` header line, as TOML reads it; None for another line."""
    if not _HEADER.match(line) or line.lstrip().startswith("[["):
        return None
    try:
        parsed = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return None
    name: list[str] = []
    while isinstance(parsed, dict) and len(parsed) == 1:
        key, parsed = next(iter(parsed.items()))
        name.append(key)
    return tuple(name)


def _key_of(line: str) -> str | None:
    """The key a one-line `key = value` sets, when the line is whole TOML by itself."""
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    try:
        parsed = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return None
    return next(iter(parsed)) if len(parsed) == 1 else None


def _in_place(line: str, value: object) -> str:
    """The line with its value changed: its indent, its key as written and its comment kept."""
    start = _KEY_LINE.match(line)
    assert start is not None
    comment = ""
    for at in (i for i, char in enumerate(line) if char == "#"):
        try:
            tomllib.loads(line[:at])
        except tomllib.TOMLDecodeError:
            continue
        comment = "  " + line[at:].rstrip("\n")
        break
    return f"{start.group(0)} {toml_value(value)}{comment}\n"


def read_value(text: str, deck: str | None, key: str) -> object | None:
    """What the file sets for `key` (in the deck's table), or None."""
    parsed = tomllib.loads(text)
    table = parsed if deck is None else parsed.get("decks", {}).get(deck, {})
    return table.get(key) if isinstance(table, dict) else None


def set_value(text: str, deck: str | None, key: str, value: object | None) -> str | None:
    """`text` with `key` set to `value` (None: the line removed), or None when the file
    sets it in a way this cannot change alone (a value over several lines, a dotted key, an
    inline table): the caller says so and leaves the file as it is."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    wanted: tuple[str, ...] = () if deck is None else ("decks", deck)
    table: tuple[str, ...] = ()
    start = 0 if deck is None else None  # where the wanted table's lines begin
    end = len(lines)
    found = None
    for index, line in enumerate(lines):
        header = _table_of(line)
        if header is not None:
            if table == wanted and start is not None and index >= start:
                end = index
                break
            table = header
            if header == wanted:
                start = index + 1
            continue
        if table == wanted and _key_of(line) == key:
            found = index
    new_line = None if value is None else f"{key} = {toml_value(value)}\n"
    if found is not None:
        lines[found : found + 1] = [] if new_line is None else [_in_place(lines[found], value)]
    elif new_line is None:
        pass  # nothing to remove: the file may set it another way, checked below
    elif start is None:
        separator = "\n" if lines and lines[-1].strip() else ""
        lines.append(f"{separator}[decks.{json.dumps(deck, ensure_ascii=False)}]\n{new_line}")
    else:  # after the table's last line that is not blank, before the next table
        at = max((i + 1 for i in range(start, end) if lines[i].strip()), default=start)
        lines.insert(at, new_line)
    changed = "".join(lines)
    try:
        before, after = tomllib.loads(text), tomllib.loads(changed)
    except tomllib.TOMLDecodeError:
        return None
    if read_value(changed, deck, key) != value or _without(after, deck, key) != _without(
        before, deck, key
    ):
        return None  # set some other way, or the edit touched more than the one setting
    return changed


def _without(parsed: dict, deck: str | None, key: str) -> dict:
    """The parsed file less the one setting, to check that nothing else changed."""
    copy = json.loads(json.dumps(parsed, default=str))
    table = copy if deck is None else copy.get("decks", {}).get(deck)
    if isinstance(table, dict):
        table.pop(key, None)
        if deck is not None and not table:
            copy["decks"].pop(deck)
            if not copy["decks"]:
                copy.pop("decks")
    return copy
