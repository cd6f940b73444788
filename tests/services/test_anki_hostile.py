"""Damaged and hostile Anki packages: each is refused in one line before anything is written,
or imported with what cannot be used told in one line (#28: each of these crashed with a
traceback)."""

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
import zstandard

from companion.cli.main import main

from .anki_packages import PackageBuilder


def basic_package(modern: bool = True, front: str = "Q?") -> PackageBuilder:
    package = PackageBuilder(modern=modern)
    basic = package.notetype(10, "Basic", ["Front", "Back"])
    package.note(1, "g1", basic, [front, "A."])
    package.card(101, 1, 1)
    package.review(1_700_000_000_000, 101, 3, 1)
    return package


def damaged(path: Path, sql: str) -> Path:
    """The package with its collection changed by `sql`, as a broken tool might leave it."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    name = next(n for n in ("collection.anki21b", "collection.anki21", "collection.anki2")
                if n in members)  # fmt: skip
    modern = name == "collection.anki21b"
    raw = members[name]
    if modern:
        raw = zstandard.ZstdDecompressor().decompress(raw, max_output_size=1 << 30)
    db_path = path.with_suffix(".sqlite")
    db_path.write_bytes(raw)
    db = sqlite3.connect(db_path)
    db.execute(sql)
    db.commit()
    db.close()
    raw = db_path.read_bytes()
    members[name] = zstandard.ZstdCompressor().compress(raw) if modern else raw
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


CASES = {
    "a card's ordinal as text": (True, "update cards set ord = 'x'", "are not numbers"),
    "a card's deck as text": (True, "update cards set did = 'x'", "are not numbers"),
    "a creation time as text": (True, "update col set crt = 'soon'", "invalid literal"),
    "note types as a list": (False, "update col set models = '[]'", "is damaged"),
    "note types not JSON": (False, "update col set models = '{not json'", "are damaged"),
    "decks not JSON": (False, "update col set decks = '[1,2'", "are damaged"),
    "a note's fields as bytes": (True, "update notes set flds = x'ff00'", "is damaged"),
    "a note's tags as bytes": (False, "update notes set tags = x'ff00'", "is damaged"),
    "a deck's name as bytes": (True, "update decks set name = x'ff00'", "is damaged"),
    "a revlog ease as text": (True, "update revlog set ease = 'x'", "not numbers"),
    "a revlog card id as text": (False, "update revlog set cid = 'x'", "not numbers"),
    "no col row": (True, "delete from col", "is damaged"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_damaged_collection_is_refused_in_one_line(tmp_path: Path, capsys, case: str):
    modern, sql, words = CASES[case]
    path = damaged(basic_package(modern).write(tmp_path / "bad.apkg"), sql)
    data_dir = tmp_path / "data"
    assert main(["--data-dir", str(data_dir), "cards", "import", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == "Reading bad.apkg…" and len(err) == 2, err
    assert err[1].startswith("companion: error: ") and words in err[1]
    assert not list((data_dir / "decks").rglob("*.md"))  # nothing written


def test_a_deck_1500_levels_deep_is_refused_in_one_line(tmp_path: Path, capsys):
    package = basic_package()
    package.decks[2] = "::".join(["A"] * 1500)
    package.card(102, 1, 2, ord=1)
    data_dir = tmp_path / "data"
    path = package.write(tmp_path / "deep.apkg")
    assert main(["--data-dir", str(data_dir), "cards", "import", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "a deck is 1500 levels deep" in err[1]
    assert not (data_dir / "decks" / "A").exists()


def test_media_the_package_lists_but_lacks_are_told_and_the_rest_imported(tmp_path, capsys):
    package = basic_package(modern=False, front='<img src="x.png"> What is shown?')
    path = package.write(tmp_path / "media.apkg")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["media"] = json.dumps({"7": "x.png"}).encode()  # entry 7 is not in the zip
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    data_dir = tmp_path / "data"
    assert main(["--data-dir", str(data_dir), "cards", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Imported 1 new note" in out
    assert "1 media files the package lists are not in it: not copied (x.png)" in out
