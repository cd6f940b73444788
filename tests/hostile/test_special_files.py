"""Content and data files that are not regular files (a FIFO, a link to /dev/zero) or are huge:
skipped or refused in one line, never read without bound, never blocking a start."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from companion.paths import ensure_data_dir
from companion.store import DataFileError, open_store
from companion.store.store import DB_NAME, REVIEW_LOG_NAME

from .test_terminal_injection import run_in_pty

DECK = "Q: What is a gradient?\nA: The vector of partial derivatives.\n"
ROADMAP = "# Plan\n\n## Basics\n\n- Learn [calculus](https://example.org/calc)\n"


def stats(data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "stats"],
        capture_output=True,
        text=True,
        timeout=60,  # a blocked open used to hang here for ever
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def special(tmp_path: Path) -> Path:
    """A data directory whose content folders hold a FIFO and links to endless devices."""
    data_dir = ensure_data_dir(tmp_path / "data")
    (data_dir / "config.toml").write_text("check_links_on_start = false\nnotify_desktop = false\n")
    (data_dir / "decks" / "real.md").write_text(DECK)
    (data_dir / "roadmaps" / "real.md").write_text(ROADMAP)
    os.mkfifo(data_dir / "decks" / "deck.md")
    os.mkfifo(data_dir / "roadmaps" / "pipe.md")
    (data_dir / "decks" / "zero.md").symlink_to("/dev/zero")
    (data_dir / "roadmaps" / "random.md").symlink_to("/dev/urandom")
    (data_dir / "decks" / "folder.md").mkdir()
    return data_dir


def test_stats_skips_fifos_and_devices_with_one_line_each(special: Path):
    result = stats(special)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name, kind in [
        ("decks/deck.md", "a FIFO"),
        ("roadmaps/pipe.md", "a FIFO"),
        ("decks/zero.md", "a device"),
        ("roadmaps/random.md", "a device"),
        ("decks/folder.md", "a folder"),
    ]:
        line = f"companion: {special / name}: skipped, not a regular file but {kind}\n"
        assert line in result.stderr, result.stderr
    assert "Plan: 0% (0/1)" in result.stdout  # the real roadmap and deck still load


def test_the_app_paints_its_first_frame_and_names_the_skipped_files(special: Path):
    output = run_in_pty(special, [(4.0, b"q")], limit_s=20)
    text = re.sub(r"\x1b\[[0-9;?<>=$]*[A-Za-z~]", "", output.decode(errors="replace"))
    assert "Focus ready" in text  # the status line of a painted screen
    assert "Content problem" in text and "skipped, not a" in text


@pytest.mark.parametrize("name", [DB_NAME, REVIEW_LOG_NAME])
def test_a_fifo_in_place_of_a_data_file_is_refused_in_one_line(tmp_path: Path, name: str):
    data_dir = ensure_data_dir(tmp_path / "data")
    os.mkfifo(data_dir / name)
    with pytest.raises(DataFileError, match="not a regular file"):
        open_store(data_dir)
    result = stats(data_dir)
    assert result.returncode == 2
    assert result.stderr.startswith("companion: error: ") and result.stderr.count("\n") == 1
    assert "not a regular file" in result.stderr


def test_a_fifo_config_is_one_line_and_a_huge_deck_is_skipped_with_its_size(tmp_path: Path):
    data_dir = ensure_data_dir(tmp_path / "data")
    (data_dir / "decks" / "huge.md").write_bytes(b"Q: x\nA: y\n\n" * (25 * 1024 * 1024 // 11))
    result = stats(data_dir)
    assert result.returncode == 0
    assert "huge.md: file is too large (25 MB, limit 20 MB)" in result.stderr
    os.mkfifo(data_dir / "config.toml")
    result = stats(data_dir)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "config.toml: cannot read (not a regular file but a FIFO)" in result.stderr
