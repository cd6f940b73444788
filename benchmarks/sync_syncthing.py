"""Two machines syncing through real Syncthing (Debian's `syncthing`), on 127.0.0.1 only:
static addresses, no discovery, relays, NAT or usage reporting. Prints one JSON object.

Laptop starts syncing, desktop joins once Syncthing has brought it the folder. Then desktop's
Syncthing is paused, and both machines answer cards and tick items offline; once it resumes,
the seconds until both folders hold both logs, and both machines (each pulling) show the same
cards and items with every answer of both, are reported.
Run: python benchmarks/sync_syncthing.py
"""

import contextlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

FOLDER_ID = "companion"
DECK = "".join(f"Question {n}? :: Answer {n}.\n" for n in range(40))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Syncthing:
    """One Syncthing instance with its own home, GUI port and listening port."""

    def __init__(self, home: Path, folder: Path, name: str) -> None:
        self.home, self.folder, self.name = home, folder, name
        self.gui_port, self.port = free_port(), free_port()
        subprocess.run(["syncthing", "generate", f"--home={home}", "--no-default-folder",
                        "--skip-port-probing"], check=True, capture_output=True)  # fmt: skip
        found = subprocess.run(["syncthing", "serve", f"--home={home}", "--device-id"],
                               check=True, capture_output=True, text=True)  # fmt: skip
        self.device_id = found.stdout.strip()
        self.api_key = ElementTree.parse(home / "config.xml").find("gui/apikey").text
        self.process: subprocess.Popen | None = None

    def configure(self, peer: "Syncthing") -> None:
        path = self.home / "config.xml"
        tree = ElementTree.parse(path)
        root = tree.getroot()
        root.find("gui/address").text = f"127.0.0.1:{self.gui_port}"
        options = root.find("options")
        for key, value in {
            "listenAddress": f"tcp://127.0.0.1:{self.port}", "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false", "relaysEnabled": "false", "natEnabled": "false",
            "urAccepted": "-1", "autoUpgradeIntervalH": "0", "crashReportingEnabled": "false",
            "startBrowser": "false", "reconnectionIntervalS": "1",
        }.items():  # fmt: skip
            options.find(key).text = value
        device = ElementTree.SubElement(root, "device", id=peer.device_id, name=peer.name,
                                        compression="metadata", introducer="false")  # fmt: skip
        ElementTree.SubElement(device, "address").text = f"tcp://127.0.0.1:{peer.port}"
        folder = ElementTree.SubElement(
            root, "folder", id=FOLDER_ID, label=FOLDER_ID, path=str(self.folder),
            type="sendreceive", rescanIntervalS="2", fsWatcherEnabled="true",
            fsWatcherDelayS="1",
        )  # fmt: skip
        for member in (self.device_id, peer.device_id):
            ElementTree.SubElement(folder, "device", id=member)
        tree.write(path)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["syncthing", "serve", f"--home={self.home}", "--no-browser", "--no-restart",
             "--no-upgrade", f"--logfile={self.home / 'syncthing.log'}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "STNODEFAULTFOLDER": "1"},
        )  # fmt: skip
        wait_for(lambda: self.rest("GET", "/rest/system/ping") is not None, 30, "syncthing up")

    def rest(self, method: str, path: str) -> dict | None:
        url = f"http://127.0.0.1:{self.gui_port}{path}"
        request = urllib.request.Request(url, method=method, headers={"X-API-Key": self.api_key})
        try:
            with urllib.request.urlopen(request, timeout=2) as answer:
                body = answer.read()
                return json.loads(body) if body else {}
        except OSError:
            return None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.1)
    return time.monotonic() - started


def logs_of(folder: Path) -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in (folder / "devices").glob("*/events.jsonl")}


def machines_in(folder: Path) -> int:
    """The machines that joined the folder (each writes its name there on joining)."""
    return len(list((folder / "devices").glob("*/device.json")))


@contextlib.contextmanager
def machine(name: str) -> Iterator[None]:
    os.environ["COMPANION_MACHINE_ID"] = name
    yield


def study(local: Path, answers: int, ticks: list[tuple[str, str]], clock: float) -> list[str]:
    """Answer `answers` new cards and tick items on one machine; the ids of its events."""
    from companion.services.content_sources import load_content
    from companion.srs.prior_state import was
    from companion.store import open_store

    store = open_store(local)
    store.clock = lambda: clock
    done = []
    try:
        answered = set(store.ledger.records)
        deck = [c for c in load_content(store.data_dir).cards if c not in answered]
        for card in deck[:answers]:
            due = datetime.fromtimestamp(clock + 86400, UTC).isoformat()
            event = store.commit({"kind": "review", "card": card, "grade": 3, "ms": 2000,
                                  "due": due, "first": True,
                                  "was": was(store.ledger.record(card))})  # fmt: skip
            done.append(event["id"])
        for item, state in ticks:
            store.set_item_state("plan", item, state, datetime.fromtimestamp(clock, UTC))
    finally:
        store.close()
    return done


def state_of(local: Path) -> tuple[dict, dict, set]:
    from companion.services.sync import pull_others
    from companion.store import open_store

    store = open_store(local)
    try:
        pull_others(store)
        records = {c: r.to_row() for c, r in store.ledger.records.items()}
        return records, store.item_states(), {e["id"] for e in store.review_events()}
    finally:
        store.close()


def run() -> dict:
    """Everything above, once; the figures."""
    if shutil.which("syncthing") is None:
        raise SystemExit("syncthing is not installed (Debian: apt-get install syncthing)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["XDG_STATE_HOME"] = str(root / "state")
        os.environ["XDG_CONFIG_HOME"] = str(root / "config")
        from companion.cli.main import main as companion

        laptop_st = Syncthing(root / "st-laptop", root / "laptop-Sync", "laptop")
        desktop_st = Syncthing(root / "st-desktop", root / "desktop-Sync", "desktop")
        laptop_st.configure(desktop_st)
        desktop_st.configure(laptop_st)
        laptop, desktop = root / "laptop", root / "desktop"
        (laptop / "decks").mkdir(parents=True)
        (laptop / "decks" / "words.md").write_text(DECK)
        try:
            laptop_st.start()
            desktop_st.start()
            with machine("laptop"), contextlib.redirect_stdout(io.StringIO()):
                assert companion(["--data-dir", str(laptop), "sync", "init",
                                  str(laptop_st.folder), "--device", "laptop"]) == 0  # fmt: skip
            first_copy = wait_for(
                lambda: (desktop_st.folder / "decks" / "words.md").exists()
                and machines_in(desktop_st.folder) == 1, 120, "the folder on desktop")  # fmt: skip
            with machine("desktop"), contextlib.redirect_stdout(io.StringIO()):
                assert companion(["--data-dir", str(desktop), "sync", "init",
                                  str(desktop_st.folder), "--device", "desktop"]) == 0  # fmt: skip
            wait_for(lambda: machines_in(laptop_st.folder) == 2, 120, "desktop on laptop")

            laptop_st.rest("POST", f"/rest/system/pause?device={desktop_st.device_id}")
            desktop_st.rest("POST", f"/rest/system/pause?device={laptop_st.device_id}")
            now = time.time()
            with machine("laptop"):
                ids = study(laptop, 12, [("i1", "done"), ("i2", "doing")], now)
            with machine("desktop"):
                ids += study(desktop, 9, [("i1", "skipped"), ("i3", "done")], now + 30)
            resumed = time.monotonic()
            laptop_st.rest("POST", f"/rest/system/resume?device={desktop_st.device_id}")
            desktop_st.rest("POST", f"/rest/system/resume?device={laptop_st.device_id}")
            wait_for(lambda: logs_of(laptop_st.folder) == logs_of(desktop_st.folder), 120,
                     "the logs in step")  # fmt: skip
            with machine("laptop"):
                seen_laptop = state_of(laptop)
            with machine("desktop"):
                seen_desktop = state_of(desktop)
            converged = time.monotonic() - resumed
        finally:
            laptop_st.stop()
            desktop_st.stop()
    version = subprocess.run(["syncthing", "--version"], capture_output=True, text=True)
    return {
        "syncthing": version.stdout.split()[1], "first_copy_s": round(first_copy, 2),
        "answers": len(ids), "converge_s": round(converged, 2),
        "same_state": seen_laptop[:2] == seen_desktop[:2],
        "every_answer_kept": set(ids) <= seen_laptop[2] and set(ids) <= seen_desktop[2],
        "items": seen_laptop[1],
    }  # fmt: skip


def main() -> None:
    report = run()
    print(json.dumps(report))
    if not (report["same_state"] and report["every_answer_kept"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
