"""Settings with defaults, overridden by `config.toml` in the data directory."""

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path


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


def _checked(path: Path, key: str, value: object, expected: type) -> object:
    """The value converted to the setting's type, or a ConfigError saying what was expected."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if expected is tuple:
        if (
            isinstance(value, list)
            and value
            and all(isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in value)
        ):
            return tuple(float(v) for v in value)
        raise ConfigError(f"{path}: '{key}' should be a list of positive numbers, got {value!r}")
    if expected is float and number:
        return float(value)  # type: ignore[arg-type]
    if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
        return value
    raise ConfigError(f"{path}: '{key}' should be {expected.__name__}, got {value!r}")


def load_settings(data_dir: Path) -> Settings:
    """Read `config.toml` if present; unknown keys and wrong types are reported, not ignored."""
    path = data_dir / "config.toml"
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: not a valid TOML file ({error})") from error
    known = {field.name for field in fields(Settings)}
    values = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown setting '{key}'")
        values[key] = _checked(path, key, value, type(getattr(Settings(), key)))
    return Settings(**values)
