"""The options of each deck in an Anki collection (its preset): daily limits, learning and
relearning steps, desired retention, maximum interval, leech threshold, FSRS parameters.

Current collections keep presets as protobuf in `deck_config` and each deck's preset id in
the protobuf `kind` of `decks`; older ones keep both as JSON in `col`.
"""

import json
import sqlite3
import struct
from dataclasses import dataclass

from companion.store.protobuf import fields_of

FSRS6, FSRS5 = 21, 19
_FLOATS, _NUMBERS = {1, 2, 3, 5, 6, 37}, {9, 10, 16, 22}
_CONFIG_FIELDS = {1: "learn", 2: "relearn", 5: "fsrs5", 6: "fsrs6", 9: "new", 10: "reviews",
                  16: "max_ivl", 22: "leech", 37: "retention"}  # fmt: skip


@dataclass(frozen=True)
class DeckOptions:
    """A preset's options, as Anki names them in the deck options screen."""

    preset: str
    new_per_day: int
    reviews_per_day: int
    learning_steps: tuple[float, ...]
    relearning_steps: tuple[float, ...]
    desired_retention: float
    maximum_interval: int
    leech_threshold: int
    fsrs_parameters: tuple[float, ...]
    """FSRS-6's 21 (FSRS-5's 19 get FSRS-5's fixed decay); () for FSRS's defaults."""


def _parameters(fsrs6: list[float], fsrs5: list[float]) -> tuple[float, ...]:
    if len(fsrs6) == FSRS6:
        return tuple(fsrs6)
    if len(fsrs5) == FSRS5:
        return (*fsrs5, 0.0, 0.5)  # FSRS-5: no short-term exponent, a decay of 0.5
    return ()


def _floats(value: bytes | int) -> list[float]:
    if isinstance(value, int):  # a single unpacked float (wire type 5)
        return [struct.unpack("<f", value.to_bytes(4, "little"))[0]]
    return [
        round(v, 6) for v in struct.unpack(f"<{len(value) // 4}f", value[: len(value) // 4 * 4])
    ]


def _modern_preset(name: str, blob: bytes) -> DeckOptions:
    found: dict[str, list] = {}
    for number, value in fields_of(blob):
        key = _CONFIG_FIELDS.get(number)
        if key is None:
            continue
        if number in _FLOATS:
            found.setdefault(key, []).extend(_floats(value))
        elif number in _NUMBERS and isinstance(value, int):
            found[key] = [value]
    return DeckOptions(
        name,
        (found.get("new") or [20])[0],
        (found.get("reviews") or [200])[0],
        tuple(found.get("learn", [])),
        tuple(found.get("relearn", [])),
        round((found.get("retention") or [0.9])[0], 4),
        (found.get("max_ivl") or [36500])[0],
        (found.get("leech") or [8])[0],
        _parameters(found.get("fsrs6", []), found.get("fsrs5", [])),
    )


def _legacy_preset(config: dict) -> DeckOptions:
    new, lapse, review = config.get("new", {}), config.get("lapse", {}), config.get("rev", {})
    return DeckOptions(
        str(config.get("name", "Default")),
        int(new.get("perDay", 20)),
        int(review.get("perDay", 200)),
        tuple(float(s) for s in new.get("delays", [])),
        tuple(float(s) for s in lapse.get("delays", [])),
        round(float(config.get("desiredRetention", 0.9)), 4),
        int(review.get("maxIvl", 36500)),
        int(lapse.get("leechFails", 8)),
        _parameters(list(config.get("fsrsParams6") or []), list(config.get("fsrsParams5") or [])),
    )


def deck_options(db: sqlite3.Connection, tables: set[str]) -> dict[int, DeckOptions]:
    """Each normal deck's options (deck id -> its preset's); filtered decks have none.

    Raises ValueError or KeyError when the presets cannot be read."""
    if "deck_config" in tables:
        presets = {pid: _modern_preset(name, bytes(blob)) for pid, name, blob in db.execute(
            "select id, name, config from deck_config")}  # fmt: skip
        decks = {}
        for deck_id, kind in db.execute("select id, kind from decks"):
            normal = next((v for n, v in fields_of(bytes(kind or b"")) if n == 1), None)
            if isinstance(normal, bytes):
                preset = next((v for n, v in fields_of(normal) if n == 1), 1)
                if preset in presets:
                    decks[deck_id] = presets[preset]
        return decks
    dconf_json, decks_json = db.execute("select dconf, decks from col").fetchone()
    presets = {int(pid): _legacy_preset(c) for pid, c in json.loads(dconf_json or "{}").items()}
    return {
        int(deck_id): presets[int(deck["conf"])]
        for deck_id, deck in json.loads(decks_json or "{}").items()
        if not deck.get("dyn") and int(deck.get("conf", 1)) in presets
    }
