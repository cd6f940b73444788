"""Machines studying offline and syncing through a folder, as a sync engine keeps it: each has
its own copy of the folder, and the engine copies logs between the copies at random moments,
whole or cut short mid-line, makes conflict copies, and a data directory is copied whole to a
new machine. Once every copy is in step, every machine shows the same card states, and every
answer any machine acknowledged is in them."""

import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from companion.config import Settings
from companion.content.progress import ITEM_STATES
from companion.services.sync import pull_others
from companion.srs.prior_state import was
from companion.store import open_store
from companion.store.block_events import BLOCK_KINDS, fold
from companion.store.device_identity import MACHINE_ID_ENV
from companion.store.device_logs import DEVICES, is_conflict_copy
from companion.store.sync_folder import join_folder

START = datetime(2026, 3, 2, 8, tzinfo=UTC).timestamp()
CARDS = ("c0", "c1", "c2", "c3", "c4")
ITEMS = ("i0", "i1", "i2")


class Machine:
    """One machine: its own data directory and its own copy of the synced folder."""

    def __init__(self, root: Path, name: str, clock_offset: float) -> None:
        self.name, self.local, self.folder = name, root / name / "data", root / name / "folder"
        self.machine_id = f"machine-{name}"
        self.now = START + clock_offset
        self.store = None

    def open(self):  # noqa: ANN201
        if self.store is None:
            os.environ[MACHINE_ID_ENV] = self.machine_id
            self.store = open_store(self.local, settings=Settings(), clock=self.tick)
        return self.store

    def tick(self) -> float:
        self.now += 37.0
        return self.now

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def logs_in(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / DEVICES).glob("*/*") if p.is_file())


class SyncingMachines(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="sync-machines-"))
        self.machines: list[Machine] = []
        self.acknowledged: set[str] = set()

    @initialize(count=st.integers(2, 3), offsets=st.lists(st.floats(-7200, 7200), min_size=3))
    def start(self, count: int, offsets: list[float]) -> None:
        for number in range(count):
            machine = Machine(self.root, f"m{number}", offsets[number])
            machine.folder.mkdir(parents=True)
            os.environ[MACHINE_ID_ENV] = machine.machine_id
            join_folder(machine.local, machine.folder, machine.name)
            self.machines.append(machine)

    def _machine(self, data: st.DataObject) -> Machine:
        return data.draw(st.sampled_from(self.machines))

    @rule(data=st.data(), card=st.sampled_from(CARDS), grade=st.integers(1, 4))
    def answer(self, data: st.DataObject, card: str, grade: int) -> None:
        store = self._machine(data).open()
        before = store.ledger.record(card)
        due = datetime.fromtimestamp(store.clock() + grade * 86400, UTC).isoformat()
        event = store.commit(
            {
                "kind": "review",
                "card": card,
                "grade": grade,
                "due": due,
                "ms": 3000,
                "first": before.is_new,
                "was": was(before),
            }  # fmt: skip
        )
        self.acknowledged.add(event["id"])

    @rule(data=st.data(), card=st.sampled_from(CARDS), on=st.booleans())
    def suspend(self, data: st.DataObject, card: str, on: bool) -> None:
        event = self._machine(data).open().commit({"kind": "suspend", "card": card, "on": on})
        self.acknowledged.add(event["id"])

    @rule(data=st.data(), item=st.sampled_from(ITEMS), state=st.sampled_from(ITEM_STATES))
    def tick(self, data: st.DataObject, item: str, state: str) -> None:
        machine = self._machine(data)
        store = machine.open()
        store.set_item_state("plan", item, state, datetime.fromtimestamp(machine.tick(), UTC))
        changed = next(r for r in store.progress_records() if r["item_id"] == item)["changed"]
        self.acknowledged.add(changed[1])

    @rule(data=st.data(), minutes=st.integers(1, 50))
    def focus_block(self, data: st.DataObject, minutes: int) -> None:
        machine = self._machine(data)
        ended = machine.tick()
        block = {"phase": "focus", "started_at": ended - minutes * 60, "ended_at": ended,
                 "minutes": float(minutes), "item_id": "i0"}  # fmt: skip
        machine.open().log_block(block)

    @rule(data=st.data(), pick=st.integers(0, 10**6), action=st.sampled_from(["change", "delete"]))
    def correct_block(self, data: st.DataObject, pick: int, action: str) -> None:
        machine = self._machine(data)
        store = machine.open()
        blocks = store.study_blocks()
        if not blocks:
            return
        block = blocks[pick % len(blocks)]
        if action == "change":
            store.change_block(block, {"minutes": float(pick % 30 + 1), "note": f"n{pick}"})
        else:
            store.delete_block(block)

    @rule(data=st.data())
    def pull(self, data: st.DataObject) -> None:
        pull_others(self._machine(data).open())

    @rule(data=st.data())
    def restart(self, data: st.DataObject) -> None:
        self._machine(data).close()

    @rule(
        pick=st.integers(0, 10**6),
        mode=st.sampled_from(["whole", "cut", "conflict"]),
        cut=st.floats(0, 1, exclude_max=True),
        stamp=st.integers(0, 999999),
    )
    def engine_copies(self, pick: int, mode: str, cut: float, stamp: int) -> None:
        """The engine brings one file from one machine's copy of the folder to another's.
        (Everything is drawn first: what the folder holds differs between runs, as device ids
        are random, and hypothesis wants the same draws for the same steps.)"""
        count = len(self.machines)
        source = self.machines[pick % count]
        target = self.machines[(pick // count + 1 + pick % count) % count]
        files = logs_in(source.folder)
        if not files or source is target:
            return
        path = files[(pick // (count * count)) % len(files)]
        there = target.folder / path.relative_to(source.folder)
        content = path.read_bytes()
        if there.exists() and len(there.read_bytes()) >= len(content):
            return  # the engine sends the newer version, the longer log
        there.parent.mkdir(parents=True, exist_ok=True)
        if mode == "cut" and content:
            content = content[: int(cut * len(content))]
        if mode == "conflict" and there.exists() and not is_conflict_copy(there.name):
            copy = there.with_name(f"events.sync-conflict-20260302-{stamp:06d}-ABCDEFG.jsonl")
            copy.write_bytes(there.read_bytes())
        there.write_bytes(content)

    @rule(data=st.data())
    def clone(self, data: st.DataObject) -> None:
        """A machine's data directory and folder copied whole to a new machine."""
        if len(self.machines) >= 4:
            return
        source = self._machine(data)
        source.close()
        copy = Machine(self.root, f"m{len(self.machines)}", 0.0)
        copy.now = source.now
        shutil.copytree(source.local, copy.local)
        shutil.copytree(source.folder, copy.folder)
        self.machines.append(copy)

    def in_step(self) -> None:
        """The engine copies every log everywhere, whole; each machine pulls."""
        everything: dict[Path, bytes] = {}
        for machine in self.machines:
            for path in logs_in(machine.folder):
                relative = path.relative_to(machine.folder)
                if len(path.read_bytes()) > len(everything.get(relative, b"")):
                    everything[relative] = path.read_bytes()
        for machine in self.machines:
            for relative, content in everything.items():
                (machine.folder / relative).parent.mkdir(parents=True, exist_ok=True)
                (machine.folder / relative).write_bytes(content)

    @invariant()
    def nothing_is_lost_once_in_step(self) -> None:
        if not self.machines or len(self.acknowledged) % 4:
            return  # now and then: bringing every copy in step is the slow part
        self.in_step()
        states = []
        for machine in self.machines:
            store = machine.open()
            pull_others(store)
            machine.close()  # and what it holds survives a restart
            store = machine.open()
            events = store.review_events()
            ids = {event["id"] for event in events}
            assert self.acknowledged <= ids, f"{machine.name} lost {self.acknowledged - ids}"
            latest: dict[str, tuple] = {}  # each item: its change latest by (time, id)
            for event in (e for e in events if e["kind"] == "item"):
                key = (event["ts"], event["id"], event["state"])
                latest[event["item"]] = max(latest.get(event["item"], key), key)
            items = store.item_states()
            assert items == {item: change[2] for item, change in latest.items()}
            blocks = sorted(
                (b["phase"], b["started_at"], b["minutes"], b.get("note", ""))
                for b in store.study_blocks()
            )
            folded = fold(e for e in events if e["kind"] in BLOCK_KINDS)
            assert blocks == sorted(
                (b["phase"], b["started_at"], b["minutes"], b.get("note", ""))
                for b in folded.values() if b
            )  # fmt: skip
            records = {c: r.to_row() for c, r in store.ledger.records.items()}
            states.append((records, items, blocks))
        assert all(state == states[0] for state in states[1:])

    def teardown(self) -> None:
        for machine in self.machines:
            machine.close()
        os.environ.pop(MACHINE_ID_ENV, None)
        shutil.rmtree(self.root, ignore_errors=True)


TestSyncingMachines = SyncingMachines.TestCase
TestSyncingMachines.settings = settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
