"""#27 point 5: real upstream history replayed as a learner lives through it. Each chain is a
part of a real README in every version its history gave it (tests/services/fixtures/upstream/
make_chains.py); the learner imports the first, ticks some items, and follows each later
version with `roadmap update`, ticking a few more on the way and writing notes beside some.
After every update each tick is checked against the ground truth of tests/upstream_truth.py:
every tick on an item still in the file is kept, and none is on an item no tick belongs to;
every note is kept, beside its tick."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.cli.main import main
from companion.content.loader import load_library
from companion.services.progress_sync import record_state
from companion.store import open_store
from companion.store.notes import write_note
from tests.upstream_truth import judge

UPSTREAM = Path(__file__).parent / "fixtures" / "upstream"
NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


def versions(chain: dict) -> list[str]:
    lines = chain["first"].splitlines()
    found = [chain["first"]]
    for step in chain["edits"]:
        for start, end, new in step:  # last first: each applies to the lines as they are
            lines[start:end] = new
        found.append("\n".join(lines) + "\n")
    return found


@pytest.mark.parametrize(
    "name", sorted(p.name.split(".")[0] for p in UPSTREAM.glob("*.chain.json"))
)
def test_every_tick_follows_its_item_through_the_real_history(tmp_path: Path, capsys, name: str):
    chain = json.loads((UPSTREAM / f"{name}.chain.json").read_text())
    texts = versions(chain)
    data_dir, source = tmp_path / "data", tmp_path / "README.md"
    source.write_text(texts[0])
    assert main(["--data-dir", str(data_dir), "roadmap", "add", str(source)]) == 0
    roadmap = load_library([data_dir]).roadmaps[0]
    totals = {"ticked": 0, "in_file": 0, "kept": 0}
    failures, aside, notes = [], [], []
    for step, text in enumerate(texts[1:], start=1):
        store = open_store(data_dir)
        states = store.item_states()
        for n, item in enumerate(roadmap.items):  # a few more each time, the new ones too
            if (n + step) % 3 == 0 and states.get(item.id) != "done":
                record_state(store, roadmap, item, "done", NOW)
                if n % 5 == 0:  # and a note on some of them
                    notes.append(f"Note {step}.{n} on {item.text}")
                    write_note(data_dir, item.id, notes[-1])
        ticked = [i.id for i in roadmap.items if store.item_states().get(i.id) == "done"]
        store.close()
        source.write_text(text)
        assert main(["--data-dir", str(data_dir), "roadmap", "update", roadmap.id]) == 0
        new = load_library([data_dir]).roadmaps[0]
        store = open_store(data_dir, read_only=True)
        verdict = judge(roadmap, new, ticked, store.item_states(), aside)
        aside = verdict.aside
        held = {r["item_id"]: r["state"] for r in store.progress_records()}
        store.close()
        # every note is kept, once, with the tick it was written beside (on its item or aside)
        found = {p.stem: p.read_text().strip() for p in (data_dir / "notes").glob("*.md")}
        assert sorted(found.values()) == sorted(notes), chain["commits"][step]
        assert all(held.get(item_id) == "done" for item_id in found), chain["commits"][step]
        totals["ticked"] += verdict.ticked
        totals["in_file"] += verdict.in_file
        totals["kept"] += verdict.kept
        if verdict.lost or verdict.misplaced:
            failures.append((chain["commits"][step], verdict.lost, verdict.misplaced))
        roadmap = new
    capsys.readouterr()
    assert failures == [], (totals, failures)
    assert totals["kept"] == totals["in_file"] > 0


def test_every_course_row_of_every_ossu_version_is_an_item():
    """#27: every course row of the file imported, in each of the 37 versions of the chain:
    the rows with a link are the items, nothing else is (criteria, prerequisites)."""
    from companion.content.roadmap_parser import parse_roadmap

    chain = json.loads((UPSTREAM / "ossu-core-cs.chain.json").read_text())
    for commit, text in zip(chain["commits"], versions(chain), strict=True):
        rows = [
            line for line in text.splitlines()
            if "|" in line and "](" in line.split("|")[0] and not line.startswith(":--")
        ]  # fmt: skip
        roadmap = parse_roadmap(text, "ossu")
        assert roadmap.counting == "rows", commit
        assert len(roadmap.items) == len(rows), commit
