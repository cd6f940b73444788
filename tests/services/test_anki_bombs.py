"""Packages built to exhaust memory or disk: zip and zstd bombs in the collection and in the
media, a note of many megabytes, a field of lists nested thousands deep. Each import runs in
its own process under an address-space limit of 1 GiB, far below what the bombs decompress
to: it is refused or takes what it can in one line, and writes nothing it should not (#28:
4 GiB allocated up front for every package, bombs reached 3-4 GB, a 160 KB field became a
400 MB deck file)."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import zstandard

from companion.store.package_limits import MAX_MEDIA_BYTES, MAX_NOTE_BYTES

from .anki_packages import bombed, one_card
from .test_anki_import import FIXTURES

ADDRESS_SPACE = 1024**3
LIMITED_IMPORT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from companion.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def import_limited(data_dir: Path, package: Path) -> subprocess.CompletedProcess:
    """`cards import` in a process that cannot map more than ADDRESS_SPACE bytes."""
    code = LIMITED_IMPORT.format(limit=ADDRESS_SPACE)
    return subprocess.run(
        [sys.executable, "-c", code, "--data-dir", str(data_dir), "cards", "import", str(package)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_real_package_imports_within_the_address_space_limit(tmp_path: Path):
    """Made by Anki itself; before, reading any current package allocated 4 GiB up front."""
    run = import_limited(tmp_path / "data", FIXTURES / "anki-history-fsrs.apkg")
    assert run.returncode == 0, run.stderr
    assert "10,398 answers of history added" in run.stdout


@pytest.mark.parametrize("modern", [True, False], ids=["zstd", "deflate"])
def test_a_collection_bomb_is_refused_in_one_line(tmp_path: Path, modern: bool):
    """A real collection followed by 1.5 GB of zeros: reading stops where its SQLite header
    says the database ends."""
    plain = one_card(modern).write(tmp_path / "plain.apkg")
    member = "collection.anki21b" if modern else "collection.anki21"
    with zipfile.ZipFile(plain) as archive:
        head = archive.read(member)
    if modern:
        head = zstandard.ZstdDecompressor().decompressobj().decompress(head)
    bomb = bombed(plain, member, head, 1536, modern)
    assert bomb.stat().st_size < 2 * 1024**2
    data_dir = tmp_path / "data"
    run = import_limited(data_dir, bomb)
    assert run.returncode == 2, run.stderr
    errors = run.stderr.strip().splitlines()
    assert len(errors) == 2 and "longer than its SQLite header says" in errors[1], errors
    assert not list((data_dir / "decks").rglob("*.md"))


@pytest.mark.parametrize("modern", [True, False], ids=["zstd", "deflate"])
def test_a_media_bomb_is_left_out_in_one_line_and_the_rest_imported(tmp_path: Path, modern):
    package = one_card(modern, '<img src="bomb.png"> What is shown?')
    package.media["bomb.png"] = b"\x89PNG"
    plain = package.write(tmp_path / "media.apkg")
    bomb = bombed(plain, "0", b"\x89PNG", 1024, modern)
    data_dir = tmp_path / "data"
    run = import_limited(data_dir, bomb)
    assert run.returncode == 0, run.stderr
    assert "Imported 1 new note" in run.stdout
    assert (
        f"media file 'bomb.png' not copied: more than {MAX_MEDIA_BYTES // 1024**2} MB once "
        "decompressed" in run.stdout
    )
    assert not list((data_dir / "media").glob("*"))  # nothing of it written


def test_a_note_of_many_megabytes_is_left_out_and_named(tmp_path: Path):
    package = one_card(True)
    basic = 10
    package.note(2, "huge", basic, ["Big?", "x" * (MAX_NOTE_BYTES + 1)])
    package.card(102, 2, 1)
    data_dir = tmp_path / "data"
    run = import_limited(data_dir, package.write(tmp_path / "huge.apkg"))
    assert run.returncode == 0, run.stderr
    assert "Imported 1 new note" in run.stdout
    assert f"note 'huge' left out: its fields are over {MAX_NOTE_BYTES // 1024**2} MB" in run.stdout


def test_a_field_of_lists_nested_thousands_deep_stays_its_own_size(tmp_path: Path):
    """160 KB of `<ul><li>` nested 20,000 deep: the deck holds it at the depth the Reader
    shows, about its own size (it was 400 MB)."""
    nested = "<ul><li>x" * 20_000 + "</li></ul>" * 20_000
    package = one_card(True, nested)
    data_dir = tmp_path / "data"
    run = import_limited(data_dir, package.write(tmp_path / "lists.apkg"))
    assert run.returncode == 0, run.stderr
    (deck,) = (data_dir / "decks").rglob("*.md")
    assert deck.stat().st_size < 2 * len(nested)
