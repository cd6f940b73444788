"""`companion sync init FOLDER [--device NAME]` and `companion sync status [--json]`."""

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

from companion.cli.console import fail
from companion.text import plural


def add_sync_parser(commands: argparse._SubParsersAction) -> None:
    """Register `sync` and its actions."""
    sync = commands.add_parser(
        "sync",
        help="study on several machines through a folder that Syncthing, Dropbox or git syncs",
        description="Keep the learner's files and each machine's log in FOLDER, which any sync "
        "engine keeps in step: each machine writes only its own files, so nothing conflicts.",
    )
    actions = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="start syncing through FOLDER, or join the machines already there",
        description="Move decks, roadmaps, notes, saved pages and study settings into FOLDER "
        "and write this machine's history there; join FOLDER if another machine started it.",
    )
    init.add_argument("folder", type=Path, metavar="FOLDER")
    init.add_argument("--device", metavar="NAME", help="this machine's name (default: host name)")
    status = actions.add_parser(
        "status",
        help="the machines seen in the folder and what they logged",
        description="List the machines of the synced folder, their events and last event, "
        "the events merged here, conflict copies read and problems.",
    )
    status.add_argument("--json", action="store_true", help="print one JSON object")


def run_sync(args: argparse.Namespace, data_dir: Path) -> int:
    import socket

    from companion.services.sync_setup import SyncError, join, sync_status

    try:
        if args.sync_command == "init":
            return _say_joined(join(data_dir, args.folder, args.device or socket.gethostname()))
        report = sync_status(data_dir)
    except SyncError as error:
        return fail(str(error))
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"Syncing through {report['folder']}")
    for machine in report["machines"]:
        when = machine["last_event_ts"]
        last = "no events yet" if when is None else f"last {_moment(when)}"
        this = " (this machine)" if machine["this_machine"] else ""
        print(f"  {machine['name']}{this}: {plural(machine['events'], 'event')}, {last}")
    merged = plural(report["events_merged"], "event")
    copies = plural(report["conflict_copies"], "conflict copy", "conflict copies")
    print(f"{merged} from other machines merged here; {copies} read.")
    for problem in report["problems"]:
        print(f"problem: {problem}")
    return 0


def _say_joined(joined) -> int:  # noqa: ANN001 (sync_setup.Joined, imported when run)
    print(
        f"This machine syncs as {joined.device_name} (device {joined.device_id}): "
        f"{plural(joined.files_moved, 'file')} moved into the folder, "
        f"{plural(joined.events_written, 'event')} of history written there."
    )
    for kept in joined.kept_both:
        print(f"kept both: the folder had another {kept.split(' (from ')[0]}; yours is {kept}")
    for name, count in joined.pulled.items():
        print(f"{plural(count, 'event')} from {name}.")
    return 0


def _moment(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).astimezone().strftime("%Y-%m-%d %H:%M")
