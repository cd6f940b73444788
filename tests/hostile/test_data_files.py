"""Data files damaged between sessions are refused in one line and never overwritten."""

import subprocess
import sys
from pathlib import Path

import pytest

from companion.store import DataFileError, open_store
from companion.store.store import DB_NAME


@pytest.mark.parametrize("content", [b"", b"   \n\t \n"])
def test_an_empty_data_file_is_refused_not_treated_as_new(tmp_path: Path, content: bytes):
    path = tmp_path / DB_NAME
    path.write_bytes(content)
    with pytest.raises(DataFileError, match="empty"):
        open_store(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(tmp_path), "stats"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("companion: error: ") and result.stderr.count("\n") == 1
    assert "empty" in result.stderr
    assert path.read_bytes() == content
