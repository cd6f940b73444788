"""The way back (#23.5): Anki -> companion -> Anki. A package made by Anki 26.9.3 is imported
here, exported with `cards export --format apkg`, and read by Anki's own library (in the side
virtual environment .ci/run makes: COMPANION_ANKI_PYTHON): its notes, note types, GUIDs,
fields, cards, due dates, intervals, flags, suspensions, burials, memory states, revlog and
media come back as Anki has them from the original package; imported over the collection it
came from, nothing conflicts, and a note edited here is updated."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from companion.cli.main import main
from tests.conftest import local_zone

FIXTURES = Path(__file__).parent / "fixtures"
SIDE = Path(__file__).with_name("anki_side.py")


@pytest.fixture(scope="module")
def anki_python() -> str:
    found = os.environ.get("COMPANION_ANKI_PYTHON") or str(
        Path(__file__).parents[2] / ".anki-venv" / "bin" / "python"
    )
    if not Path(found).exists():
        if os.environ.get("COMPANION_REQUIRE_ANKI"):
            pytest.fail(f"Anki's side environment is missing: {found}")
        pytest.skip("Anki's library is not installed beside companion (.ci/run installs it)")
    return found


def anki_reads(anki_python: str, *packages: Path) -> dict:
    """What Anki's own library says after importing the packages, one over the other."""
    done = subprocess.run(
        [anki_python, str(SIDE), "read", *map(str, packages)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "TZ": "UTC"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def export(data_dir: Path, out: Path, capsys) -> str:
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "cards", "export", "--format", "apkg",
                 "-o", str(out)]) == 0  # fmt: skip
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def utc():
    with local_zone("UTC"):
        yield


@pytest.mark.parametrize("name", ["anki-history-fsrs", "anki-history-sm2"])
def test_a_collection_goes_back_to_anki_as_it_came(
    anki_python, utc, tmp_path: Path, capsys, name: str
):
    package = FIXTURES / f"{name}.apkg"
    data_dir = tmp_path / "data"
    assert main(["--data-dir", str(data_dir), "cards", "import", str(package)]) == 0
    said = export(data_dir, tmp_path / "back.apkg", capsys)
    assert "answers of history" in said
    original = anki_reads(anki_python, package)
    back = anki_reads(anki_python, tmp_path / "back.apkg")
    assert back["imports"][0]["conflicting"] == 0

    assert {g: n for g, n in back["notes"].items() if g in original["notes"]} == original["notes"]
    ours = {(c["guid"], c["ord"]): c for c in back["cards"]}
    differ = []
    for card in original["cards"]:
        mine = ours[(card["guid"], card["ord"])]
        for key, value in card.items():
            if key == "memory" and value is None:
                continue  # FSRS off in Anki: companion's own memory state comes along
            if key == "memory":
                assert mine[key] == pytest.approx(value, rel=1e-3)
            elif mine[key] != value:
                differ.append((card["guid"], card["type"], key, value, mine[key]))
    # a card in relearning: its interval after relearning, at 90% retention (see the note)
    assert all(d[1] == 3 and d[2] == "ivl" for d in differ), differ
    assert len(differ) <= 2
    identity = {c["id"]: (c["guid"], c["ord"]) for c in original["cards"]}
    mine = {c["id"]: (c["guid"], c["ord"]) for c in back["cards"]}
    rows = {r[0]: (identity[r[1]], *r[2:]) for r in original["revlog"]}
    assert {r[0]: (mine[r[1]], *r[2:]) for r in back["revlog"] if r[0] in rows} == rows
    assert len(rows) == len(original["revlog"]) > 6000
    assert back["media"] == original["media"]  # "cell picture 1.png", "zelle-größe.png"


def test_over_the_collection_it_came_from_notes_update_and_none_conflicts(
    anki_python, utc, tmp_path: Path, capsys
):
    package = FIXTURES / "anki-history-fsrs.apkg"
    data_dir = tmp_path / "data"
    assert main(["--data-dir", str(data_dir), "cards", "import", str(package)]) == 0
    vocab = data_dir / "decks" / "Languages" / "Vocab.md"
    text = vocab.read_text()
    assert "Q: the meaning of gradient #0\nA: gradient #0" in text  # the Recall card
    text = text.replace("Q: the meaning of gradient #0", "Q: the meaning of gradient #0, in short")
    text = text.replace("A: the meaning of logit #1", "A: a score before softmax")  # 2 fields
    vocab.write_text(text)
    said = export(data_dir, tmp_path / "back.apkg", capsys)
    assert "2 notes edited here" in said
    assert "the answer edited here shows several fields, so it stays in Anki as it was" in said
    result = anki_reads(anki_python, package, tmp_path / "back.apkg")
    over = result["imports"][1]
    assert (over["conflicting"], over["updated"], over["missing_notetype"]) == (0, 2, 0)
    assert over["duplicate"] == 263  # every other note is already there, unchanged
    edited = next(n for n in result["notes"].values() if n["fields"][0] == "gradient #0")
    assert edited["fields"][1].startswith("the meaning of gradient #0, in short<!--md:")
    logit = next(n for n in result["notes"].values() if n["fields"][0] == "logit #1")
    assert logit["fields"][1] == "the meaning of logit #1"  # not placed: said, kept
    assert edited["notetype"] == "Vocab (3 fields)"  # its own note type, not a copy
