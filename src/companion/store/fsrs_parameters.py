"""The FSRS parameters fitted to the learner's own reviews, kept in the data directory
(read back with the settings: `config.fitted_parameters`)."""

import json
from pathlib import Path

from companion.config import FITTED_FILE
from companion.files import read_text_file
from companion.store.atomic_file import write_atomically


def last_fit(data_dir: Path) -> dict | None:
    """When the parameters were last fitted and on how many reviews, if ever."""
    try:
        saved = json.loads(read_text_file(data_dir / FITTED_FILE, 100_000))
    except (OSError, ValueError):
        return None
    return saved if isinstance(saved, dict) and "fitted_at" in saved else None


def write_parameters(data_dir: Path, fitted: dict) -> None:
    """Save fitted parameters atomically."""
    write_atomically(data_dir / FITTED_FILE, (json.dumps(fitted, indent=1) + "\n").encode())
