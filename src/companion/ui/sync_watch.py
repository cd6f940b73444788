"""Other machines' work, picked up while the app runs: their logs in the synced folder are
pulled when a watcher sees them change (else looked at every second), and what they brought
is merged and told in one line."""

import time
from collections import Counter
from collections.abc import Callable

from companion.config import SETTING_FILES
from companion.services.sync import pull_others
from companion.srs.event_order import cards_named
from companion.store import Store
from companion.store.sync_folder import device_names
from companion.text import plural

SAFETY_POLL_S = 10.0

WORDS = {
    "review": ("answer", None),
    "item": ("tick", None),
    "suspend": ("suspension", None),
    "bury": ("burial", None),
    "block": ("focus block", None),
    "block_change": ("block correction", None),
    "block_delete": ("block correction", None),
    "block_put_back": ("block correction", None),
    "roadmap": ("roadmap change", None),
    "setting": ("setting", None),
}


def news(by_kind: Counter, machine: str) -> str:
    """'3 answers and 1 suspension from desktop'."""
    words: Counter = Counter()
    for kind, count in by_kind.items():
        words[WORDS.get(kind, ("change", None))] += count
    parts = [plural(count, word, many) for (word, many), count in words.most_common()]
    told = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{told} from {machine}"


class SyncWatch:
    """Pulls the other machines' events into the store; `changed` hears the news in one line,
    and the cards they changed."""

    def __init__(
        self,
        store: Store,
        changed: Callable[[str, set[str]], None],
        problem: Callable[[str], None],
    ) -> None:
        self.store = store
        self.changed = changed
        self.problem = problem
        self._told: set[str] = set()
        self._checked = 0.0
        self._settings_saved = self._settings_times()

    def _settings_times(self) -> list[float]:
        """When this machine's settings files were last saved (their changes go to the
        others): three stats a second, cheaper than a watcher over the whole directory."""
        times = []
        for name in SETTING_FILES:
            try:
                times.append((self.store.local_dir / name).stat().st_mtime)
            except OSError:
                times.append(0.0)
        return times

    def tick(self, watched: bool) -> None:
        """Once a second: pull, unless a folder watcher is up (then only every
        SAFETY_POLL_S, for changes a watcher can miss, or when a settings file was saved)."""
        now = time.monotonic()
        saved = self._settings_times()
        if not watched or now - self._checked >= SAFETY_POLL_S or saved != self._settings_saved:
            self._settings_saved = saved
            self.check()

    def check(self) -> None:
        self._checked = time.monotonic()
        logs = self.store.device_logs
        if logs is None:
            return
        try:
            pulled = pull_others(self.store)
        except OSError:
            return  # the folder is away (a drive unplugged): looked at again in a second
        for line in pulled.problems:
            if line not in self._told:  # each once a session
                self._told.add(line)
                self.problem(line)
        if not pulled.events:
            return
        names = device_names(logs.folder)
        kinds: dict[str, Counter] = {}
        cards: set[str] = set()
        for event in pulled.events:
            if event["device"] != logs.device_id:
                kinds.setdefault(event["device"], Counter())[event["kind"]] += 1
                cards.update(cards_named(event))
        lines = [news(count, names.get(device, device)) for device, count in kinds.items()]
        if pulled.settings_applied:  # scheduling takes them now; the panes at the next start
            lines.append(
                f"settings now: {', '.join(pulled.settings_applied)} (in full from the next start)"
            )
        if lines:
            self.changed("; ".join(lines) + ".", cards)
