"""An Anki collection's deck options as companion's per-deck settings, in `deck-options.toml`
(companion writes it; the learner's own `[decks."NAME"]` tables in config.toml win)."""

import json
import tomllib
from pathlib import Path

from companion.config import DECK_OPTIONS_FILE, ConfigError, check_deck_table
from companion.store.anki_deck_options import DeckOptions
from companion.store.config_file import toml_value
from companion.store.deck_files import write_learner_file

HEADER = (
    "# Deck options brought from Anki by `companion cards import` (one table per deck).\n"
    '# Your own [decks."NAME"] tables in config.toml take precedence, setting by setting.\n'
)


def deck_table(options: DeckOptions) -> dict[str, object]:
    """A deck's options under companion's setting names."""
    table: dict[str, object] = {
        "new_cards_per_day": options.new_per_day,
        "reviews_per_day": options.reviews_per_day,
        "learning_steps_minutes": list(options.learning_steps),
        "relearning_steps_minutes": list(options.relearning_steps),
        "desired_retention": options.desired_retention,
        "maximum_interval_days": options.maximum_interval,
        "leech_threshold": options.leech_threshold,
    }
    if options.fsrs_parameters:
        table["fsrs_parameters"] = list(options.fsrs_parameters)
    return table


def _toml(tables: dict[str, dict[str, object]]) -> str:
    parts = [HEADER]
    for deck in sorted(tables):
        parts.append(f"\n[decks.{json.dumps(deck, ensure_ascii=False)}]\n")
        parts.extend(f"{key} = {toml_value(value)}\n" for key, value in tables[deck].items())
    return "".join(parts)


def save_deck_options(data_dir: Path, decks: dict[str, DeckOptions]) -> tuple[int, list[str]]:
    """Write the options of these decks (those already in the file, for other decks, stay);
    a value companion cannot use is left out and named. Returns (decks written, problems)."""
    path = data_dir / DECK_OPTIONS_FILE
    tables: dict[str, dict[str, object]] = {}
    problems = []
    if path.exists():
        try:
            tables = dict(tomllib.loads(path.read_text(encoding="utf-8")).get("decks", {}))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            problems.append(f"{path}: could not be read ({error}); written anew")
    for deck, options in decks.items():
        table = {}
        for key, value in deck_table(options).items():
            try:
                check_deck_table(path, deck, {key: value})
            except ConfigError as error:
                problems.append(f"{error}; left out")
                continue
            table[key] = value
        tables[deck] = table
    write_learner_file(path, _toml(tables).encode())
    return len(decks), problems
