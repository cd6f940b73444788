"""Study settings changed on any machine, as events in the log (`setting`), and the table that
holds, per setting, the latest change by (time, id), with the ones it won over kept in its
history: two machines that set a setting differently agree once each has the other's event,
whatever order they came in.

A setting is named by its file, its deck table (or none) and its key; `value` None means the
learner took it out of the file (the default applies).
"""

from collections.abc import Iterable

from tinydb import Query
from tinydb.table import Table

from companion.store.item_progress import HISTORY_KEPT
from companion.store.store_part import StorePart

TABLE = "settings"


def setting_event(file: str, deck: str | None, key: str, value: object, ts: float) -> dict:
    return {"kind": "setting", "file": file, "deck": deck, "key": key, "value": value, "ts": ts}


def setting_name(file: str, deck: str | None, key: str) -> str:
    """One text naming a setting, as rows and the learner's reports name it."""
    return f"{file}: {key}" if deck is None else f"{file}: [decks.{deck}] {key}"


def _wanted(event: dict) -> Query:
    q = Query()
    return (q.file == event["file"]) & (q.deck == event.get("deck")) & (q.key == event["key"])


def fold_setting(table: Table, event: dict) -> bool:
    """Fold one setting event; whether it became the setting's value (an older one goes to
    its history only, the same one again changes nothing)."""
    found = table.get(_wanted(event))
    change = [event["ts"], event["id"], event.get("value")]
    if found is None:
        row = {"file": event["file"], "deck": event.get("deck"), "key": event["key"],
               "value": change[2], "changed": change[:2], "history": []}  # fmt: skip
        table.insert(row)
        return True
    history = list(found.get("history", []))
    latest = found["changed"]
    if latest == change[:2] or any(old[:2] == change[:2] for old in history):
        return False
    if (latest[0], latest[1]) > (change[0], change[1]):
        history.append(change)
        history.sort(key=lambda c: (c[0], c[1]))
        table.update({"history": history[-HISTORY_KEPT:]}, _wanted(event))
        return False
    history.append([*latest, found.get("value")])
    history.sort(key=lambda c: (c[0], c[1]))
    table.update(
        {"value": change[2], "changed": change[:2], "history": history[-HISTORY_KEPT:]},
        _wanted(event),
    )
    return True


class SettingEventsMixin(StorePart):
    """Mixed into `Store`: study settings as events, folded into the settings table."""

    def log_setting(self, file: str, deck: str | None, key: str, value: object, ts: float) -> dict:
        """A setting changed on this machine at `ts` (when its file was saved): logged, so
        every machine that syncs has it, and folded."""
        self._writable()
        committed = self.commit(setting_event(file, deck, key, value, ts))
        fold_setting(self.db.table(TABLE), committed)
        return committed

    def apply_setting_events(self, events: Iterable[dict]) -> int:
        """Fold the settings other machines changed; how many became a setting's value."""
        mine = [e for e in events if e["kind"] == "setting"]
        if not mine:
            return 0
        self._writable()
        table = self.db.table(TABLE)
        return sum(fold_setting(table, event) for event in mine)

    def setting_values(self) -> list[dict]:
        """Each setting's latest change: file, deck, key, value, changed [time, event id]."""
        return [dict(doc) for doc in self.db.table(TABLE).all()]
