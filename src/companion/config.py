"""Settings with defaults, overridden by `config.toml` in the data directory."""

import json
import math
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from companion.files import MB, read_text_file
from companion.paths import local_dir


class ConfigError(Exception):
    """config.toml could not be used; the message is one line naming the file."""


@dataclass(frozen=True)
class Settings:
    """Every tunable setting, with the defaults a new learner starts from."""

    focus_minutes: float = 25
    short_break_minutes: float = 5
    long_break_minutes: float = 15
    focus_blocks_before_long_break: int = 4
    weekly_target_hours: float = 7
    desired_retention: float = 0.9
    new_cards_per_day: int = 20
    reviews_per_day: int = 200
    maximum_interval_days: int = 36500
    enable_fuzzing: bool = True
    learning_steps_minutes: tuple[float, ...] = (1, 10)
    relearning_steps_minutes: tuple[float, ...] = (10,)
    leech_threshold: int = 8
    bury_siblings: bool = True
    show_answer_timer: bool = False
    max_answer_seconds: int = 60
    review_order: str = "due"
    """The order of the day's reviews: "due" (earliest due first), "retrievability" (the
    cards most at risk of being forgotten first, as Anki's "Retrievability ascending") or
    "random"."""
    load_balancing: bool = True
    """With fuzz on, a review goes to the least loaded day of its fuzz range (Anki 24.11+)."""
    easy_days: tuple[float, ...] = (100, 100, 100, 100, 100, 100, 100)
    """Each weekday's share of the usual review load in percent, Monday first (e.g. Sunday
    0: reviews land on Sunday only when no other day of their range will do)."""
    card_images: bool = True
    image_protocol: str = "auto"
    """How images are drawn: "kitty" (the terminal graphics protocol), "sixel" (both real
    pixels), "halfblocks" (coloured half blocks, anywhere), or "auto": kitty in Kitty and
    Ghostty, sixel where the terminal reports it, half blocks elsewhere and inside tmux."""
    idle_minutes: float = 10
    """Away from the keyboard this long during a focus block: on return, the learner is asked
    whether that time was study (0: never ask)."""
    auto_start_breaks: bool = False
    auto_start_focus: bool = False
    notify_bell: bool = True
    notify_desktop: bool = True
    open_review_on_break: bool = False
    link_timeout_seconds: float = 10
    link_max_concurrency: int = 64
    link_max_per_host: int = 6
    link_cache_hours: float = 24
    check_links_on_start: bool = True
    user_agent: str = ""
    fsrs_parameters: tuple[float, ...] = ()
    """Fitted to the learner's reviews by `companion cards optimize` (empty: FSRS defaults);
    read from fsrs-parameters.json, not from config.toml."""
    deck_limits: tuple[tuple[str, int | None, int | None], ...] = ()
    """Per deck, from `[decks."NAME"]` tables: (deck name, new cards a day, reviews a day)."""
    deck_options: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()
    """Per deck, from the same tables: (deck name, ((setting, value), ...)) for the settings
    that schedule its cards (steps, retention, maximum interval, leech threshold, FSRS)."""


MINUTES_IN_A_DAY = 24 * 60
# The values that make sense, as (lowest, highest, whether the lowest itself is allowed).
# Anki's limits where Anki has the same setting: retention 0.70-0.99, at least a 1-day maximum
# interval, a leech threshold of at least 1; zero new cards or reviews a day is allowed.
RANGES: dict[str, tuple[float, float, bool]] = {
    "focus_minutes": (0, MINUTES_IN_A_DAY, False),
    "short_break_minutes": (0, MINUTES_IN_A_DAY, False),
    "long_break_minutes": (0, MINUTES_IN_A_DAY, False),
    "focus_blocks_before_long_break": (1, 1000, True),
    "idle_minutes": (0, MINUTES_IN_A_DAY, True),
    "weekly_target_hours": (0, 7 * 24, False),
    "desired_retention": (0.70, 0.99, True),
    "new_cards_per_day": (0, 1_000_000, True),
    "reviews_per_day": (0, 1_000_000, True),
    "maximum_interval_days": (1, 36500, True),
    "learning_steps_minutes": (0, 365 * MINUTES_IN_A_DAY, False),
    "relearning_steps_minutes": (0, 365 * MINUTES_IN_A_DAY, False),
    "leech_threshold": (1, 1000, True),
    "max_answer_seconds": (1, 3600, True),
    "link_timeout_seconds": (0, 3600, False),
    "link_max_concurrency": (1, 1024, True),
    "link_max_per_host": (1, 256, True),
    "link_cache_hours": (0, 24 * 365, True),
}
MAX_STEPS = 100  # learning steps: more is no schedule a learner means (100,000 were taken)
SETTING_TYPES = {field.name: field.type for field in fields(Settings)}
CHOICES: dict[str, tuple[str, ...]] = {
    "image_protocol": ("auto", "kitty", "sixel", "halfblocks"),
    "review_order": ("due", "retrievability", "random"),
}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _in_range(key: str, value: float) -> str | None:
    """Why `value` makes no sense for `key`, or None."""
    if not math.isfinite(value):
        return "should be a finite number"
    if key not in RANGES:
        return None
    low, high, low_allowed = RANGES[key]
    if value < low or (value == low and not low_allowed) or value > high:
        lowest = f"at least {low:g}" if low_allowed else f"more than {low:g}"
        return f"should be {lowest} and at most {high:g}"
    return None


def _checked(path: Path, key: str, value: object, label: str = "") -> object:
    """The value converted to the setting's type, or a ConfigError saying what was expected
    (naming the setting as `label`, when it sits in a table)."""
    expected = SETTING_TYPES[key]
    name = label or key
    if key == "easy_days":
        ok = isinstance(value, list) and len(value) == 7
        if not ok or not all(_is_number(v) and 0 <= v <= 100 for v in value):  # type: ignore[union-attr]
            raise ConfigError(
                f"{path}: 'easy_days' should be 7 percentages from 0 to 100, Monday first "
                f"(e.g. [100, 100, 100, 100, 100, 100, 0]), got {value!r}"
            )
        return tuple(float(v) for v in value)  # type: ignore[union-attr]
    if expected == tuple[float, ...]:
        # An empty list is allowed, as in Anki: no steps means straight to review.
        if not isinstance(value, list) or not all(_is_number(v) for v in value):
            raise ConfigError(
                f"{path}: '{name}' should be a list of positive numbers, got {value!r}"
            )
        if len(value) > MAX_STEPS:
            raise ConfigError(
                f"{path}: '{name}' should be at most {MAX_STEPS} steps, got {len(value):,}"
            )
        for step in value:
            if problem := _in_range(key, step):
                raise ConfigError(f"{path}: '{name}': each step {problem}, got {step!r}")
        return tuple(float(v) for v in value)
    if expected is float and _is_number(value):
        value = float(value)  # type: ignore[arg-type]
    elif not (isinstance(value, expected) and not (expected is int and isinstance(value, bool))):
        raise ConfigError(f"{path}: '{name}' should be {expected.__name__}, got {value!r}")
    if _is_number(value) and (problem := _in_range(key, value)):  # type: ignore[arg-type]
        raise ConfigError(f"{path}: '{name}' {problem}, got {value!r}")
    if key in CHOICES and value not in CHOICES[key]:
        raise ConfigError(
            f"{path}: '{name}' should be one of {', '.join(CHOICES[key])}, got {value!r}"
        )
    return value


CONFIG_FILE = "config.toml"
DECK_OPTIONS_FILE = "deck-options.toml"
"""Deck options brought from Anki (written by the import); config.toml's win, key by key."""
FITTED_FILE = "fsrs-parameters.json"
LEGACY_SUFFIX = ".old"  # a settings file the synced folder shared once, kept aside as NAME.old
"""The FSRS parameters `companion cards optimize` fitted to the learner's reviews."""


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(read_text_file(path, MB))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror or error})") from error
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: not a valid TOML file ({error})".replace("\n", " ")) from error
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a settings file") from None


TERMINAL_KEYS = ("image_protocol", "notify_bell", "notify_desktop")
"""The settings of the terminal a machine runs in, not of the learner's study: they stay on
the machine; every other setting goes to the others when the data directory syncs."""
SETTING_FILES = (CONFIG_FILE, DECK_OPTIONS_FILE, FITTED_FILE)
"""The files of study settings. A data directory that syncs keeps them in the machine's own
data directory, and each change goes to the other machines as an event
(services/settings_sync.py): a file the folder shared would have two writers."""


_NOT_IN_FILES = ("deck_limits", "deck_options", "fsrs_parameters")  # made from other settings


def settings_dir(data_dir: Path) -> Path:
    """Where the settings files of `data_dir` are: the data directory, or for a synced
    folder, this machine's own data directory."""
    return local_dir(data_dir)


def _settings_tables(data_dir: Path, name: str) -> list[tuple[Path, dict]]:
    """A settings file's tables, first from the synced folder where an older companion kept
    it (read until this machine has taken its settings over), then this machine's own."""
    own = settings_dir(data_dir)
    places = [data_dir, own] if own != data_dir else [data_dir]
    return [(place / name, _read_toml(place / name)) for place in places if (place / name).exists()]


def load_settings(data_dir: Path) -> Settings:
    """Read `config.toml` (and the deck options an Anki import saved) if present; unknown
    keys, wrong types and senseless values are refused."""
    raw_files = _settings_tables(data_dir, CONFIG_FILE)
    decks: dict[str, dict] = {}
    for imported, read in _settings_tables(data_dir, DECK_OPTIONS_FILE):
        for deck, table in _deck_tables(imported, read.get("decks", {})).items():
            decks[deck] = {**decks.get(deck, {}), **table}
    values = {}
    for path, raw in raw_files:
        for key, value in raw.items():
            if key == "decks":
                for deck, table in _deck_tables(path, value).items():
                    decks[deck] = {**decks.get(deck, {}), **table}
                continue
            if key not in SETTING_TYPES or key in _NOT_IN_FILES:
                raise ConfigError(f"{path}: unknown setting '{key}'")
            values[key] = _checked(path, key, value)
    if decks:
        values["deck_limits"] = tuple(
            (deck, t.get("new_cards_per_day"), t.get("reviews_per_day"))
            for deck, t in decks.items()
            if t.keys() & set(DECK_LIMIT_KEYS)
        )
        values["deck_options"] = tuple(
            (deck, tuple(sorted((k, v) for k, v in t.items() if k in DECK_OPTION_KEYS)))
            for deck, t in decks.items()
            if t.keys() & set(DECK_OPTION_KEYS)
        )
    own = settings_dir(data_dir)
    fitted = fitted_parameters(own) or (fitted_parameters(data_dir) if own != data_dir else ())
    return Settings(**values, fsrs_parameters=fitted)


def setting_problem(name: str, deck: str | None, key: str, value: object) -> str | None:
    """Why one study setting of one settings file (`deck`: in its `[decks."NAME"]` table)
    cannot be set to `value` (None: taken out of the file), or None. Terminal settings are
    not study settings."""
    path = Path(name)
    if name == FITTED_FILE:
        if key != "fitted" or deck is not None:
            return f"{name}: holds only the fitted parameters"
        fitted = isinstance(value, dict) and _fitted_list(value.get("parameters"))
        if value is not None and not fitted:
            return f"{name}: not {FSRS_PARAMETER_COUNT} FSRS parameters"
        return None
    if name not in SETTING_FILES:
        return f"{name}: not a settings file"
    if deck is not None:
        if key not in (*DECK_LIMIT_KEYS, *DECK_OPTION_KEYS):
            return f"{name}: unknown setting 'decks.{deck}.{key}'"
    elif name != CONFIG_FILE or key not in SETTING_TYPES or key in TERMINAL_KEYS:
        return f"{name}: '{key}' is not a study setting"
    elif key in _NOT_IN_FILES:
        return f"{name}: unknown setting '{key}'"
    if value is None:
        return None
    try:
        if deck is not None:
            check_deck_table(path, deck, {key: value})
        else:
            _checked(path, key, value)
    except ConfigError as error:
        return str(error)
    return None


FSRS_PARAMETER_COUNT = 21  # FSRS-6


def fitted_parameters(data_dir: Path) -> tuple[float, ...]:
    """The parameters `companion cards optimize` saved, or () for FSRS's defaults (also when
    the file is missing or not one companion wrote)."""
    try:
        saved = json.loads(read_text_file(data_dir / FITTED_FILE, 100_000))
    except (OSError, ValueError):
        return ()
    parameters = saved.get("parameters") if isinstance(saved, dict) else None
    return tuple(float(p) for p in parameters) if _fitted_list(parameters) else ()  # type: ignore[union-attr]


def _fitted_list(parameters: object) -> bool:
    """21 parameters, each inside FSRS's bounds (the scheduler refuses others: a file edited
    by hand, or from another machine, must not stop every answer)."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    return (
        isinstance(parameters, list)
        and len(parameters) == FSRS_PARAMETER_COUNT
        and all(
            _is_number(p) and math.isfinite(p) and low <= p <= high
            for p, low, high in zip(
                parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
            )
        )
    )


DECK_LIMIT_KEYS = ("new_cards_per_day", "reviews_per_day")
DECK_OPTION_KEYS = (
    "learning_steps_minutes",
    "relearning_steps_minutes",
    "desired_retention",
    "maximum_interval_days",
    "leech_threshold",
    "fsrs_parameters",
)


def _parameters(path: Path, label: str, value: object) -> tuple[float, ...]:
    if (
        not isinstance(value, list)
        or len(value) not in (0, FSRS_PARAMETER_COUNT)
        or not all(_is_number(v) and math.isfinite(v) for v in value)
    ):
        raise ConfigError(
            f"{path}: '{label}' should be a list of {FSRS_PARAMETER_COUNT} numbers (FSRS-6)"
        )
    return tuple(float(v) for v in value)


def _deck_tables(path: Path, tables: object) -> dict[str, dict]:
    """`[decks."ML::Math"]` tables of limits and scheduling options, checked."""
    if not isinstance(tables, dict):
        raise ConfigError(f"{path}: 'decks' should be tables such as [decks.\"ml\"]")
    known = (*DECK_LIMIT_KEYS, *DECK_OPTION_KEYS)
    decks = {}
    for deck, table in tables.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: 'decks.{deck}' should be a table of limits")
        checked = {}
        for key, value in table.items():
            label = f"decks.{deck}.{key}"
            if key not in known:
                raise ConfigError(
                    f"{path}: unknown setting '{label}' (a deck takes {', '.join(known)})"
                )
            if key == "fsrs_parameters":
                checked[key] = _parameters(path, label, value)
            else:
                checked[key] = _checked(path, key, value, label)
        decks[str(deck)] = checked
    return decks


def check_deck_table(path: Path, deck: str, table: dict) -> dict:
    """One deck's table checked as `load_settings` checks it; raises ConfigError."""
    return _deck_tables(path, {deck: table})[deck]


def options_deck(settings: Settings, deck: str) -> str | None:
    """The nearest deck with options of its own: the deck itself, else its parent, and so on
    (None: the learner's settings apply as they are)."""
    options = dict(settings.deck_options)
    parts = deck.split("::")
    for depth in range(len(parts), 0, -1):
        name = "::".join(parts[:depth])
        if name in options:
            return name
    return None


def deck_settings(settings: Settings, deck: str | None) -> Settings:
    """The settings that schedule a deck's cards: the learner's, with the options of the
    nearest configured deck over them."""
    name = options_deck(settings, deck) if deck else None
    if name is None:
        return settings
    return replace(settings, **dict(dict(settings.deck_options)[name]))
