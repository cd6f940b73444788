"""Study settings on every machine of a synced folder, with no file that two machines write.

Each machine keeps its settings files (config.toml, deck-options.toml, fsrs-parameters.json)
in its own data directory, which only it writes: a change found there since this machine
last looked was made here, by the learner's editor or by companion (an import, a fit), and
goes to the others as an event stamped with the time the file was saved. Each setting's
value is its latest change by (time, id) on any machine; a change that won is written into
this machine's file in place, line by line, so the file always shows what is used. The
terminal's own settings (TERMINAL_KEYS) are never sent.
"""

import contextlib
import json
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from companion.config import (
    CONFIG_FILE,
    DECK_OPTIONS_FILE,
    FITTED_FILE,
    LEGACY_SUFFIX,
    SETTING_FILES,
    TERMINAL_KEYS,
    setting_problem,
)
from companion.files import MB, read_text_file
from companion.store import Store
from companion.store.atomic_file import write_atomically
from companion.store.config_file import set_value
from companion.store.setting_events import setting_name

Name = tuple[str, str | None, str]  # (file, deck or None, key)
SEEN_KEY = "settings_seen"
_ABSENT = object()


@dataclass
class SettingsSync:
    logged: list[str] = field(default_factory=list)
    """Settings changed on this machine, sent to the others."""
    applied: list[str] = field(default_factory=list)
    """Settings another machine changed, written into this machine's files."""
    problems: list[str] = field(default_factory=list)


def study_values(folder: Path, files: tuple[str, ...] = SETTING_FILES) -> tuple[dict, set, list]:
    """Every study setting the settings files in `folder` hold, by (file, deck, key); the
    files that could not be read (nothing of theirs may be taken as removed); a line for each."""
    values: dict[Name, object] = {}
    unreadable: set[str] = set()
    problems: list[str] = []
    for name in files:
        path = folder / name
        if not path.exists():
            continue
        try:
            text = read_text_file(path, MB)
            parsed = json.loads(text) if name == FITTED_FILE else tomllib.loads(text)
        except (OSError, ValueError, RecursionError) as error:
            unreadable.add(name)
            problems.append(f"{path}: not read, its settings not sent ({str(error)[:80]})")
            continue
        if name == FITTED_FILE:
            values[(name, None, "fitted")] = parsed
            continue
        for key, value in parsed.items():
            if key not in ("decks", *TERMINAL_KEYS) and name == CONFIG_FILE:
                values[(name, None, key)] = value
        decks = parsed.get("decks", {})
        for deck, table in decks.items() if isinstance(decks, dict) else ():
            for key, value in table.items() if isinstance(table, dict) else ():
                values[(name, str(deck), key)] = value
    return values, unreadable, problems


def label(name: Name) -> str:
    """A setting as the learner's reports name it: "desired_retention", "new_cards_per_day
    of ML::Math", "the fitted FSRS parameters"."""
    file, deck, key = name
    if file == FITTED_FILE:
        return "the fitted FSRS parameters"
    return key if deck is None else f"{key} of {deck}"


def _encode(name: Name) -> str:
    return json.dumps(list(name))


def _seen(store: Store) -> dict[Name, object]:
    remembered = store.remembered(SEEN_KEY, {})
    seen = {}
    for encoded, value in remembered.items() if isinstance(remembered, dict) else ():
        with contextlib.suppress(ValueError, TypeError):
            file, deck, key = json.loads(encoded)
            seen[(file, deck, key)] = value
    return seen


def _saved_at(path: Path, now: float) -> float:
    """When the file was saved (never later than now), or now when it is gone."""
    try:
        return min(path.stat().st_mtime, now)
    except OSError:
        return now


def sync_settings(store: Store) -> SettingsSync:
    """Send this machine's settings changes, and write the other machines' into its files."""
    done = SettingsSync()
    if store.device_logs is None or store.read_only:
        return done
    local, now = store.local_dir, time.time()
    _take_over_shared_files(store, done, now)
    values, unreadable, problems = study_values(local)
    done.problems.extend(problems)
    seen = _seen(store)
    for name in sorted(values.keys() | seen.keys(), key=_encode):
        value = values.get(name, _ABSENT)
        if name[0] in unreadable or value == seen.get(name, _ABSENT):
            continue
        value = None if value is _ABSENT else value
        if problem := setting_problem(*name, value):
            done.problems.append(f"{local / name[0]}: {problem} (not sent to the other machines)")
            continue
        store.log_setting(*name, value, _saved_at(local / name[0], now))
        done.logged.append(label(name))
    for row in store.setting_values():
        name = (row["file"], row["deck"], row["key"])
        if name[0] in unreadable or values.get(name, None) == row["value"]:
            continue
        if setting_problem(*name, row["value"]) is not None:
            continue  # only from a hand-damaged log, which is told of where it is read
        if _write(local / name[0], name, row["value"], done):
            done.applied.append(label(name))
    after, _, _ = study_values(local)
    kept = {n: v for n, v in seen.items() if n[0] in unreadable}
    store.remember(SEEN_KEY, {_encode(n): v for n, v in {**after, **kept}.items()})
    return done


def _write(path: Path, name: Name, value: object, done: SettingsSync) -> bool:
    """Put one setting in this machine's file, re-read now; whether it could be placed."""
    file, deck, key = name
    if file == FITTED_FILE:
        if value is None:
            path.unlink(missing_ok=True)
        else:
            write_atomically(path, (json.dumps(value, indent=1) + "\n").encode())
        return True
    try:
        text = read_text_file(path, MB) if path.exists() else ""
        changed = set_value(text, deck, key, value)
    except (OSError, ValueError):
        changed = None
    if changed is None:
        shown = "removed" if value is None else f"= {json.dumps(value)[:60]}"
        done.problems.append(
            f"{path}: another machine set {setting_name(*name)} {shown}, and it could not be "
            "put in this file as it is written; set it by hand"
        )
        return False
    write_atomically(path, changed.encode())
    return True


def _take_over_shared_files(store: Store, done: SettingsSync, now: float) -> None:
    """Settings files an older companion kept in the synced folder itself (every machine
    wrote them): their settings become events at the time the file was saved, and the file
    is kept aside as NAME.old, no longer read."""
    folder = store.data_dir
    if folder == store.local_dir:
        return
    for file in (CONFIG_FILE, DECK_OPTIONS_FILE, FITTED_FILE):
        shared = folder / file
        if not shared.is_file():
            continue
        values, unreadable, problems = study_values(folder, (file,))
        if unreadable:
            done.problems.extend(problems)
            continue
        saved = _saved_at(shared, now)
        known = {(r["file"], r["deck"], r["key"]): r["changed"][0] for r in store.setting_values()}
        for name, value in sorted(values.items(), key=lambda pair: _encode(pair[0])):
            if setting_problem(*name, value) is None and known.get(name, -1.0) < saved:
                store.log_setting(*name, value, saved)
                done.logged.append(label(name))
        with contextlib.suppress(OSError):
            shared.replace(shared.with_name(file + LEGACY_SUFFIX))
            done.problems.append(
                f"{shared}: study settings now go to every machine as events, from each "
                f"machine's own {store.local_dir / file}; the shared file is kept as "
                f"{file + LEGACY_SUFFIX}"
            )
