"""The synced folder's logs watched for changes (watchfiles: inotify on Linux, FSEvents on
macOS), so another machine's events are merged as soon as the sync engine writes them; where
no watcher works (a network share without events, an unplugged drive, the watch limit
reached), the app's one-second tick polls instead."""

import threading
from collections.abc import Callable
from pathlib import Path

from textual.app import App

DEBOUNCE_MS = 100  # a sync engine writes a log in pieces: one pull for the lot


class FolderWatch:
    """Calls `changed` (on the app's thread) whenever a file under `path` changes."""

    def __init__(self, app: App, path: Path, changed: Callable[[], None]) -> None:
        self.app, self.path, self.changed = app, path, changed
        self._stop = threading.Event()
        self.running = False
        """True while the watcher is up: the tick then polls only now and then."""

    def start(self) -> None:
        self.app.run_worker(self._watch, thread=True, group="folder-watch", exit_on_error=False)

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        try:
            import watchfiles

            self.running = True
            for _changes in watchfiles.watch(
                self.path, stop_event=self._stop, debounce=DEBOUNCE_MS, raise_interrupt=False
            ):
                if self._stop.is_set():
                    break
                self.app.call_from_thread(self.changed)
        except Exception:  # noqa: BLE001 - any failure of the watcher: the tick polls instead
            pass
        finally:
            self.running = False
