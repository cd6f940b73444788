"""Where the learner's data lives: --data-dir, then COMPANION_HOME, then the platform's data dir."""

import json
import os
from pathlib import Path

from platformdirs import user_data_path, user_state_path

ENV_VAR = "COMPANION_HOME"
LEARNER_FOLDERS = ("decks", "roadmaps", "notes", "library")


SYNC_CONFIG = "sync.json"
"""In a machine's own data directory that syncs: the folder its learner's files are in."""
DEVICES = "devices"
"""In a synced folder: a folder for each machine's log."""


def resolve_data_dir(cli_value: str | None = None) -> Path:
    """The data directory chosen by the command line, the environment, or the platform default;
    for one that syncs (`companion sync init`), the synced folder its learner's files are in."""
    if cli_value:
        chosen = Path(cli_value).expanduser().resolve()
    elif os.environ.get(ENV_VAR):
        chosen = Path(os.environ[ENV_VAR]).expanduser().resolve()
    else:
        chosen = user_data_path("companion", appauthor=False)
    folder = synced_folder(chosen)
    if folder is None:
        return chosen
    _chosen_for[str(folder)] = chosen  # this process keeps its state there
    return folder


_chosen_for: dict[str, Path] = {}  # synced folder -> the data directory this process chose


def synced_folder(local_dir: Path) -> Path | None:
    """The synced folder a machine's own data directory keeps its learner's files in; None
    when it does not sync."""
    try:
        folder = json.loads((local_dir / SYNC_CONFIG).read_text(encoding="utf-8"))["folder"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Path(folder) if isinstance(folder, str) and folder else None


def synced_folders_registry() -> Path:
    """This user's list of the synced folders on this machine, with where each one's state is."""
    return user_state_path("companion", appauthor=False) / "synced-folders.json"


def local_dir(data_dir: Path) -> Path:
    """Where this machine keeps its own state for `data_dir` (the review log it reads, the
    snapshot, caches, the lock): the data directory itself, unless it is a synced folder, whose
    machines each keep theirs outside it, never synced."""
    if synced_folder(data_dir) is not None:
        return data_dir
    if str(data_dir) in _chosen_for:
        return _chosen_for[str(data_dir)]
    try:
        known = json.loads(synced_folders_registry().read_text(encoding="utf-8"))
        found = known[str(data_dir.resolve())]
    except (OSError, ValueError, KeyError, TypeError):
        return data_dir
    return Path(found) if isinstance(found, str) and synced_folder(Path(found)) else data_dir


def synced_folder_missing(data_dir: Path) -> bool:
    """Whether `data_dir` is a synced folder that is not there (a drive unplugged, a share not
    mounted): folders made in its place would hide the learner's files."""
    return local_dir(data_dir) != data_dir and not (data_dir / DEVICES).is_dir()


def ensure_data_dir(data_dir: Path) -> Path:
    """Create the data directory and the folders the learner edits by hand."""
    for name in LEARNER_FOLDERS:
        (data_dir / name).mkdir(parents=True, exist_ok=True)
    return data_dir


def bundled_content_dir() -> Path:
    """The content shipped with companion: inside the wheel, or `content/` in a source checkout."""
    packaged = Path(__file__).resolve().parent / "bundled"  # importlib.resources: 5 ms to import
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "content"


def content_dirs(data_dir: Path) -> list[Path]:
    """Bundled content first, then the learner's own folders."""
    return [bundled_content_dir(), data_dir]
