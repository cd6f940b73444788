"""Study settings on every machine of a synced folder: each machine keeps its own settings
files, which only it writes; a change the learner (or an import, or a fit) makes in them goes
to the others as an event at the time the file was saved, the latest change of a setting wins
everywhere, and each machine's file is changed in place to show it, comments kept. The
terminal's own settings stay each machine's."""

import json
import os
import shutil
import tempfile
import time
import tomllib
from pathlib import Path

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from companion.cli.main import main
from companion.config import Settings, load_settings
from companion.paths import resolve_data_dir
from companion.services.settings_sync import study_values
from companion.services.sync import pull_others
from companion.store import open_store
from companion.store.config_file import set_value
from companion.store.device_identity import MACHINE_ID_ENV
from companion.store.device_logs import DEVICES, LOG_NAME
from companion.store.fsrs_parameters import write_parameters
from companion.store.sync_folder import DEVICE_NAME_FILE, join_folder

SETTINGS = Settings(enable_fuzzing=False)
LAPTOP_CONFIG = (
    "# my study settings\n"
    "desired_retention = 0.85  # strict, exams in June\n"
    'image_protocol = "sixel"\n'
    "\n"
    '[decks."ML::Math"]\n'
    "new_cards_per_day = 5\n"
)


def join(tmp_path: Path, monkeypatch, name: str, config: str | None = None) -> Path:
    data = tmp_path / name
    data.mkdir(exist_ok=True)
    if config is not None:
        (data / "config.toml").write_text(config)
        os.utime(data / "config.toml", (time.time() - 3600,) * 2)
    monkeypatch.setenv(MACHINE_ID_ENV, name)
    command = ["--data-dir", str(data), "sync", "init", str(tmp_path / "Sync"), "--device", name]
    assert main(command) == 0
    return data


def pull(data: Path, monkeypatch) -> list[str]:
    """One machine looks at the folder, as its app does every second; what it says."""
    monkeypatch.setenv(MACHINE_ID_ENV, data.name)
    store = open_store(data, settings=SETTINGS)
    try:
        return pull_others(store).problems
    finally:
        store.close()


def saved(path: Path, text: str, ago: float) -> None:
    """The learner's editor saves the file, `ago` seconds back."""
    path.write_text(text)
    os.utime(path, (time.time() - ago,) * 2)


def edited(path: Path, deck: str | None, key: str, value: object, ago: float) -> None:
    changed = set_value(path.read_text() if path.exists() else "", deck, key, value)
    assert changed is not None
    saved(path, changed, ago)


def test_study_settings_reach_the_other_machine_and_the_terminal_s_stay(tmp_path, monkeypatch):
    laptop = join(tmp_path, monkeypatch, "laptop", LAPTOP_CONFIG)
    desktop = join(tmp_path, monkeypatch, "desktop", 'image_protocol = "halfblocks"\n')
    assert (laptop / "config.toml").read_text() == LAPTOP_CONFIG  # the learner's file, as it was
    there = (desktop / "config.toml").read_text()
    assert tomllib.loads(there) == {
        "image_protocol": "halfblocks",
        "desired_retention": 0.85,
        "decks": {"ML::Math": {"new_cards_per_day": 5}},
    }
    monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
    used = load_settings(resolve_data_dir(str(desktop)))
    assert (used.desired_retention, used.image_protocol) == (0.85, "halfblocks")
    assert used.deck_limits == (("ML::Math", 5, None),)
    assert pull(laptop, monkeypatch) == [] and pull(desktop, monkeypatch) == []
    assert (laptop / "config.toml").read_text() == LAPTOP_CONFIG  # nothing sent back and forth


@pytest.mark.parametrize("later", ["laptop", "desktop"])
@pytest.mark.parametrize("first_to_look", ["laptop", "desktop"])
def test_a_setting_changed_on_two_machines_offline_takes_the_later_change_everywhere(
    tmp_path, monkeypatch, later, first_to_look
):
    laptop = join(tmp_path, monkeypatch, "laptop", LAPTOP_CONFIG)
    desktop = join(tmp_path, monkeypatch, "desktop")
    machines = {"laptop": laptop, "desktop": desktop}
    edited(
        laptop / "config.toml", None, "desired_retention", 0.8, 100 if later == "desktop" else 50
    )
    edited(
        desktop / "config.toml", None, "desired_retention", 0.88, 50 if later == "desktop" else 100
    )
    other = "desktop" if first_to_look == "laptop" else "laptop"
    for name in (first_to_look, other, first_to_look):
        pull(machines[name], monkeypatch)
    wanted = 0.88 if later == "desktop" else 0.8
    for data in machines.values():
        assert tomllib.loads((data / "config.toml").read_text())["desired_retention"] == wanted
    text = (laptop / "config.toml").read_text()
    assert text.startswith("# my study settings\n") and 'image_protocol = "sixel"' in text
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    store = open_store(laptop, read_only=True, settings=SETTINGS)
    try:
        row = next(r for r in store.setting_values() if r["key"] == "desired_retention")
        assert row["value"] == wanted
        lost = 0.8 if wanted == 0.88 else 0.88
        assert lost in [change[2] for change in row["history"]]  # kept in the setting's history
    finally:
        store.close()


def test_a_setting_taken_out_on_one_machine_goes_from_the_other(tmp_path, monkeypatch):
    laptop = join(tmp_path, monkeypatch, "laptop", LAPTOP_CONFIG)
    desktop = join(tmp_path, monkeypatch, "desktop")
    edited(desktop / "config.toml", "ML::Math", "new_cards_per_day", None, 10)
    pull(desktop, monkeypatch)
    pull(laptop, monkeypatch)
    assert "new_cards_per_day" not in (laptop / "config.toml").read_text()
    assert "# my study settings" in (laptop / "config.toml").read_text()
    monkeypatch.setenv(MACHINE_ID_ENV, "laptop")
    assert load_settings(resolve_data_dir(str(laptop))).deck_limits == ()


def test_parameters_fitted_on_one_machine_schedule_on_the_other(tmp_path, monkeypatch):
    laptop = join(tmp_path, monkeypatch, "laptop")
    desktop = join(tmp_path, monkeypatch, "desktop")
    fitted = {"parameters": [p * 1.01 for p in DEFAULT_PARAMETERS], "fitted_at": "2026-12-01T10:00",
              "reviews": 12000, "log_loss": 0.31}  # fmt: skip
    write_parameters(laptop, fitted)  # as `cards optimize` does, in the machine's own directory
    pull(laptop, monkeypatch)
    pull(desktop, monkeypatch)
    assert json.loads((desktop / "fsrs-parameters.json").read_text()) == fitted
    monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
    assert load_settings(resolve_data_dir(str(desktop))).fsrs_parameters == tuple(
        fitted["parameters"]
    )


def test_a_setting_that_cannot_be_placed_in_a_file_is_told_and_the_file_kept(tmp_path, monkeypatch):
    laptop = join(tmp_path, monkeypatch, "laptop")
    own = "learning_steps_minutes = [\n    1,\n    10,\n]\n"  # over several lines
    desktop = join(tmp_path, monkeypatch, "desktop", own)
    pull(laptop, monkeypatch)
    edited(laptop / "config.toml", None, "learning_steps_minutes", [2.0, 20.0], 5)
    edited(laptop / "config.toml", None, "new_cards_per_day", 12, 5)
    pull(laptop, monkeypatch)
    problems = pull(desktop, monkeypatch)
    assert len(problems) == 1 and "could not be put in this file as it is written" in problems[0]
    assert "learning_steps_minutes" in problems[0]
    text = (desktop / "config.toml").read_text()
    assert text.startswith(own) and tomllib.loads(text)["new_cards_per_day"] == 12


def test_a_damaged_setting_from_another_machine_is_told_and_not_used(tmp_path, monkeypatch):
    laptop = join(tmp_path, monkeypatch, "laptop")
    desktop = join(tmp_path, monkeypatch, "desktop", "desired_retention = 0.9\n")
    laptop_dir = next(
        d for d in (tmp_path / "Sync" / DEVICES).iterdir()
        if json.loads((d / DEVICE_NAME_FILE).read_text())["name"] == "laptop"
    )  # fmt: skip
    bad = {"seq": 1, "id": "0190a000-0000-7000-8000-000000000001", "kind": "setting",
           "ts": time.time(), "file": "config.toml", "deck": None, "key": "desired_retention",
           "value": 7}  # fmt: skip
    with (laptop_dir / LOG_NAME).open("a") as out:
        out.write(json.dumps(bad) + "\n")
    problems = pull(desktop, monkeypatch)
    assert any("setting that cannot be used" in p for p in problems), problems
    assert tomllib.loads((desktop / "config.toml").read_text())["desired_retention"] == 0.9
    pull(laptop, monkeypatch)  # nor on the machine whose log it is in: it has the desktop's
    assert tomllib.loads((laptop / "config.toml").read_text())["desired_retention"] == 0.9


def test_the_settings_an_older_release_kept_in_the_folder_are_taken_over(tmp_path, monkeypatch):
    laptop = join(tmp_path, monkeypatch, "laptop", 'image_protocol = "sixel"\n')
    desktop = join(tmp_path, monkeypatch, "desktop")
    shared = tmp_path / "Sync" / "config.toml"  # where the release before kept them, for all
    saved(shared, "desired_retention = 0.75\nweekly_target_hours = 12\n", 600)
    monkeypatch.setenv(MACHINE_ID_ENV, "desktop")
    assert load_settings(resolve_data_dir(str(desktop))).desired_retention == 0.75  # still read
    problems = pull(laptop, monkeypatch)
    assert len(problems) == 1 and "kept as config.toml.old" in problems[0]
    assert not shared.exists() and (tmp_path / "Sync" / "config.toml.old").exists()
    pull(desktop, monkeypatch)
    for data in (laptop, desktop):
        values = tomllib.loads((data / "config.toml").read_text())
        assert values["desired_retention"] == 0.75 and values["weekly_target_hours"] == 12
    assert tomllib.loads((laptop / "config.toml").read_text())["image_protocol"] == "sixel"


# -- sequences -----------------------------------------------------------------------------

KEYS = {  # (deck, key): values the learner may give it
    (None, "desired_retention"): [0.8, 0.85, 0.9, 0.95],
    (None, "new_cards_per_day"): [0, 10, 20, 50],
    (None, "learning_steps_minutes"): [[1.0, 10.0], [2.0], []],
    ("ML", "reviews_per_day"): [100, 200],
}
NAMES = sorted(KEYS, key=str)


class Machine:
    """A machine with its own data directory and its own copy of the synced folder."""

    def __init__(self, root: Path, name: str) -> None:
        self.name, self.local, self.folder = name, root / name / "data", root / name / "folder"
        self.folder.mkdir(parents=True)
        self.local.mkdir(parents=True)
        (self.local / "config.toml").write_text(TERMINAL[name])
        os.environ[MACHINE_ID_ENV] = f"machine-{name}"
        join_folder(self.local, self.folder, name)
        self.store = None

    def open(self):  # noqa: ANN201
        if self.store is None:
            os.environ[MACHINE_ID_ENV] = f"machine-{self.name}"
            self.store = open_store(self.local, settings=SETTINGS)
        return self.store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def values(self) -> dict:
        found, unreadable, _ = study_values(self.local)
        assert not unreadable
        return {(deck, key): v for (_, deck, key), v in found.items()}


TERMINAL = {"a": 'image_protocol = "kitty"\n', "b": 'image_protocol = "sixel"\n', "c": ""}


class SettingsWhileSyncing(RuleBasedStateMachine):
    """Two or three machines edit their settings files, look at their folders and restart;
    the engine copies logs between them at random, sometimes cutting a last line. Once all
    is copied, every machine's file holds, for each setting, its latest change anywhere."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp())
        self.machines = [Machine(self.root, name) for name in ("a", "b", "c")]
        self.clock = time.time() - 10_000_000  # saves in the past, one second apart
        self.pending: list[dict] = [{} for _ in self.machines]  # edits not yet looked at
        self.looked: list[dict] = [{} for _ in self.machines]  # each file as last looked at
        self.saved_at = [0.0 for _ in self.machines]
        self.latest: dict = {}  # setting -> (time of the save it was sent with, value)

    @rule(machine=st.integers(0, 2), name=st.sampled_from(NAMES), data=st.data())
    def edit(self, machine: int, name: tuple, data) -> None:  # noqa: ANN001
        m = self.machines[machine]
        current = m.values().get(name, "absent")
        choices = [v for v in [*KEYS[name], None] if v != current]
        if current == "absent":
            choices.remove(None)
        value = data.draw(st.sampled_from(choices))
        path = m.local / "config.toml"
        changed = set_value(path.read_text(), *name, value)
        assert changed is not None
        self.clock += 1
        path.write_text(changed)
        os.utime(path, (self.clock, self.clock))
        self.pending[machine][name] = value
        self.saved_at[machine] = self.clock

    @rule(machine=st.integers(0, 2))
    def look(self, machine: int) -> None:
        """The app's pull: this machine's edits sent at the time the file was saved (those
        that changed the file since the last look: one undone before it is no change)."""
        for name, value in self.pending[machine].items():
            if value == self.looked[machine].get(name):
                continue
            seen = self.latest.get(name)
            if seen is None or seen[0] < self.saved_at[machine]:
                self.latest[name] = (self.saved_at[machine], value)
        self.pending[machine] = {}
        pull_others(self.machines[machine].open())
        self.looked[machine] = self.machines[machine].values()

    @rule(source=st.integers(0, 2), to=st.integers(0, 2), cut=st.booleans())
    def engine_copies(self, source: int, to: int, cut: bool) -> None:
        if source == to:
            return
        src, dst = self.machines[source].folder, self.machines[to].folder
        for path in (src / DEVICES).rglob("*"):
            if not path.is_file():
                continue
            there = dst / path.relative_to(src)
            data = path.read_bytes()
            if cut and path.suffix == ".jsonl" and data.endswith(b"\n") and len(data) > 1:
                data = data[: data.rstrip(b"\n").rfind(b"\n") + 1 + 5]  # a copy in progress
            if there.exists() and there.stat().st_size >= len(data):
                continue
            there.parent.mkdir(parents=True, exist_ok=True)
            there.write_bytes(data)

    @rule(machine=st.integers(0, 2))
    def restart(self, machine: int) -> None:
        self.machines[machine].close()

    @invariant()
    def terminal_settings_stay(self) -> None:
        for m in self.machines:
            text = (m.local / "config.toml").read_text()
            assert text.startswith(TERMINAL[m.name]) or TERMINAL[m.name] in text

    def teardown(self) -> None:
        try:
            for machine in range(3):
                self.look(machine)
            for _ in range(2):  # every log everywhere, whole, then each machine looks twice
                for source in range(3):
                    for to in range(3):
                        self.engine_copies(source, to, cut=False)
                for machine in range(3):
                    self.look(machine)
            wanted = {n: v for n, (_, v) in self.latest.items() if v is not None}
            for m in self.machines:
                assert m.values() == wanted, m.name
        finally:
            for m in self.machines:
                m.close()
            shutil.rmtree(self.root, ignore_errors=True)


SETTINGS_SYNC_EXAMPLES = int(os.environ.get("SETTINGS_SYNC_EXAMPLES", "60"))
SettingsWhileSyncing.TestCase.settings = settings(
    max_examples=SETTINGS_SYNC_EXAMPLES,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_settings_changed_anywhere_end_the_same_everywhere = SettingsWhileSyncing.TestCase
