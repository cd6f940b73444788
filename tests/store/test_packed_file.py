import sys
from pathlib import Path

import pytest

from companion.store.packed_file import MAGIC, read_packed, write_packed

VALUE = {"rows": [("a1", {"state": 2, "due": "2026-03-04"}, 3, None, 1.5, True)], "seq": 7}


def test_a_packed_value_reads_back_equal(tmp_path: Path):
    path = tmp_path / "ledger.packed"
    write_packed(path, "ledger", 2, VALUE)
    assert read_packed(path, "ledger", 2) == VALUE


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[:-1],  # truncated
        lambda data: data[:-3] + bytes([data[-3] ^ 1]) + data[-2:],  # one bit flipped
        lambda data: b'{"version": 1, "records": []}',  # a foreign (JSON) file
        lambda data: MAGIC + b"\x00" * 40,
        lambda data: data + b"tail",
    ],
)
def test_a_damaged_or_foreign_file_reads_as_none(tmp_path: Path, damage):
    path = tmp_path / "ledger.packed"
    write_packed(path, "ledger", 2, VALUE)
    path.write_bytes(damage(path.read_bytes()))
    assert read_packed(path, "ledger", 2) is None


def test_another_kind_version_or_python_reads_as_none(tmp_path: Path, monkeypatch):
    path = tmp_path / "ledger.packed"
    write_packed(path, "ledger", 2, VALUE)
    assert read_packed(path, "decks", 2) is None
    assert read_packed(path, "ledger", 3) is None
    assert read_packed(tmp_path / "missing", "ledger", 2) is None
    monkeypatch.setattr(sys, "version_info", (3, 99, 0))
    assert read_packed(path, "ledger", 2) is None
