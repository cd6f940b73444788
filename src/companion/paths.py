"""Where the learner's data lives: --data-dir, then COMPANION_HOME, then the platform's data dir."""

import os
from importlib import resources
from pathlib import Path

from platformdirs import user_data_path

ENV_VAR = "COMPANION_HOME"
LEARNER_FOLDERS = ("decks", "roadmaps", "notes", "library")


def resolve_data_dir(cli_value: str | None = None) -> Path:
    """The data directory chosen by the command line, the environment, or the platform default."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser().resolve()
    return user_data_path("companion", appauthor=False)


def ensure_data_dir(data_dir: Path) -> Path:
    """Create the data directory and the folders the learner edits by hand."""
    for name in LEARNER_FOLDERS:
        (data_dir / name).mkdir(parents=True, exist_ok=True)
    return data_dir


def bundled_content_dir() -> Path:
    """The content shipped with companion: inside the wheel, or `content/` in a source checkout."""
    packaged = Path(str(resources.files("companion"))) / "bundled"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "content"


def content_dirs(data_dir: Path) -> list[Path]:
    """Bundled content first, then the learner's own folders."""
    return [bundled_content_dir(), data_dir]
