"""Each machine's log in a synced folder, read by the others as a sync engine leaves it."""

import json
from pathlib import Path

import pytest

from companion.store.device_identity import MACHINE_ID_ENV, this_device
from companion.store.device_logs import DeviceLogs, device_log_path, is_conflict_copy


def event(number: int, device: str = "aaaa") -> dict:
    return {"seq": number, "id": f"{device}-{number:04d}", "kind": "suspend", "card": "c1",
            "on": True, "ts": 1.7e9 + number}  # fmt: skip


def line(number: int, device: str = "aaaa") -> bytes:
    return json.dumps(event(number, device)).encode() + b"\n"


def reader(tmp_path: Path) -> DeviceLogs:
    return DeviceLogs(tmp_path / "folder", "mine", tmp_path / "local" / "offsets.json")


def write(tmp_path: Path, device: str, data: bytes, name: str = "events.jsonl") -> Path:
    path = device_log_path(tmp_path / "folder", device).with_name(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "conflict"),
    [
        ("events.sync-conflict-20261202-101112-ABCDEF7.jsonl", True),  # Syncthing
        ("events (Jane's conflicted copy 2026-12-02).jsonl", True),  # Dropbox
        ("events (conflicted copy 2026-12-02 101112).jsonl", True),  # Nextcloud
        (".syncthing.events.jsonl.tmp", False),  # a copy still coming in: not a log yet
        ("events.jsonl", False),
        ("notes.md", False),
    ],
)
def test_the_conflict_copies_of_each_engine_are_known_by_name(name, conflict):
    assert is_conflict_copy(name) == conflict


def test_a_line_cut_off_by_a_copy_in_progress_is_read_once_the_rest_arrives(tmp_path):
    logs = reader(tmp_path)
    whole = line(1) + line(2)
    path = write(tmp_path, "aaaa", whole[: len(line(1)) + 10])
    first = logs.pull()
    assert [e["id"] for e in first.events] == ["aaaa-0001"] and not first.problems
    logs.save_offsets()
    path.write_bytes(whole + line(3))
    later = reader(tmp_path).pull()  # offsets kept on disk: only the new bytes are read
    assert [e["id"] for e in later.events] == ["aaaa-0002", "aaaa-0003"]
    assert all(e["device"] == "aaaa" for e in later.events)


def test_conflict_copies_are_read_and_their_events_counted_once(tmp_path):
    write(tmp_path, "aaaa", line(1) + line(2))
    write(tmp_path, "aaaa", line(1) + line(3), "events.sync-conflict-20261202-101112-ABCDEF7.jsonl")
    write(tmp_path, "bbbb", line(1, "bbbb"), "events (conflicted copy 2026-12-02 101112).jsonl")
    pulled = reader(tmp_path).pull()
    ids = sorted(e["id"] for e in pulled.events)
    assert ids == ["aaaa-0001", "aaaa-0002", "aaaa-0003", "bbbb-0001"]
    assert pulled.conflict_copies == 2 and pulled.by_device == {"aaaa": 3, "bbbb": 1}


def test_a_log_replaced_by_another_version_is_read_again_whole(tmp_path):
    logs = reader(tmp_path)
    path = write(tmp_path, "aaaa", line(1) + line(2))
    assert len(logs.pull().events) == 2
    path.write_bytes(line(1) + line(5) + line(6))  # not the bytes read before: read again
    again = logs.pull(known={"aaaa-0001"})
    assert [e["id"] for e in again.events] == ["aaaa-0005", "aaaa-0006"]


def test_a_damaged_line_is_named_once_and_the_rest_read(tmp_path):
    path = write(tmp_path, "aaaa", line(1) + b"{not json\n" + line(2) + b"{again\n")
    logs = reader(tmp_path)
    pulled = logs.pull()
    assert [e["id"] for e in pulled.events] == ["aaaa-0001", "aaaa-0002"]
    expected = "devices/aaaa/events.jsonl line 2: not a log entry (invalid JSON); skipped"
    assert pulled.problems[0] == f"{expected}, left in the file" and len(pulled.problems) == 2
    with path.open("ab") as handle:
        handle.write(line(3))
    later = logs.pull()
    assert [e["id"] for e in later.events] == ["aaaa-0003"] and later.problems == []


def test_damaged_offsets_mean_reading_again_not_losing(tmp_path):
    write(tmp_path, "aaaa", line(1))
    logs = reader(tmp_path)
    logs.pull()
    logs.save_offsets()
    logs.offsets_path.write_text("{broken")
    assert [e["id"] for e in reader(tmp_path).pull().events] == ["aaaa-0001"]


def test_a_data_directory_copied_to_another_machine_gets_a_device_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    first = this_device(tmp_path / "data", "laptop")
    assert this_device(tmp_path / "data") == first  # the same machine: the same device
    monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
    copied = this_device(tmp_path / "data")
    assert copied.id != first.id and copied.cloned_from == first.id
    assert this_device(tmp_path / "data").id == copied.id  # and it keeps that one
