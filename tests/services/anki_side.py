"""Run with Anki's own library, in its side virtual environment (never a dependency of
companion): imports packages into a fresh collection and prints, as JSON, what Anki then says
of its notes, cards and revlog.

    python anki_side.py read PACKAGE [PACKAGE ...]

Each package after the first is imported over the collection the ones before it made, as a
learner importing an export back over the collection it came from; the import log of each is
printed too (notes added, updated, conflicting).
"""

import json
import sys
import tempfile
import time
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition


def due_of(col: Collection, card) -> list:  # type: ignore[no-untyped-def]
    due = card.odue if card.odid else card.due
    if card.type == 0:
        return ["new", None]
    if card.queue == 1 or (card.type in (1, 3) and due > 1_000_000_000):
        return ["epoch", due]
    moment = col.sched.day_cutoff - 86400 + (due - col.sched.today) * 86400
    return ["date", time.strftime("%Y-%m-%d", time.localtime(moment))]


def facts(col: Collection) -> dict:
    cards = [col.get_card(cid) for cid in sorted(col.find_cards(""))]
    notes = {}
    out_cards = []
    for card in cards:
        note = card.note()
        notes[note.guid] = {
            "id": note.id,
            "notetype": note.note_type()["name"],
            "notetype_id": note.mid,
            "fields": list(note.fields),
            "tags": sorted(note.tags),
        }
        out_cards.append({
            "id": card.id, "guid": note.guid, "ord": card.ord, "type": card.type,
            "queue": card.queue, "due": due_of(col, card), "ivl": card.ivl, "reps": card.reps,
            "lapses": card.lapses, "flags": card.user_flag(),
            "memory": [card.memory_state.stability, card.memory_state.difficulty]
            if card.memory_state else None,
        })  # fmt: skip
    revlog = col.db.all("select id, cid, ease, ivl, lastIvl, type from revlog order by id")
    return {"notes": notes, "cards": out_cards, "revlog": revlog, "media": sorted(
        p.name for p in Path(col.media.dir()).iterdir())}  # fmt: skip


def main() -> None:
    packages = sys.argv[2:]
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        logs = []
        for package in packages:
            options = ImportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True,
                update_notes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
                update_notetypes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
            )  # fmt: skip
            result = col.import_anki_package(
                ImportAnkiPackageRequest(package_path=package, options=options)
            )
            log = result.log
            logs.append({name: len(getattr(log, name)) for name in (
                "new", "updated", "duplicate", "conflicting", "first_field_match",
                "missing_notetype", "missing_deck", "empty_first_field")})  # fmt: skip
        print(json.dumps({"imports": logs, **facts(col)}))
        col.close()


if __name__ == "__main__":
    main()
